#include "app/modules/hotspot_controllers.hpp"

#include "adapters/hotspot/meraki.hpp"
#include "adapters/hotspot/mikrotik_api.hpp"
#include "adapters/hotspot/omada.hpp"

namespace switchyard::app {

namespace {

namespace ah = adapters::hotspot;
using core::hotspot::ControllerDefinition;
using core::hotspot::ControllerSecrets;
using core::hotspot::ControllerVendor;

ah::HotspotUser to_adapter(const api::ControllerUser& u) {
    ah::HotspotUser out;
    out.name = u.name;
    out.password = u.password;
    out.profile = u.profile;
    out.limit_uptime_seconds = u.limit_uptime_seconds;
    out.limit_bytes_total = u.limit_bytes_total;
    out.download_kbps = u.download_kbps;
    out.upload_kbps = u.upload_kbps;
    out.mac = u.mac;
    out.comment = u.comment;
    return out;
}

api::ControllerUser from_adapter(const ah::HotspotUser& u) {
    api::ControllerUser out;
    out.name = u.name;
    out.password = u.password;
    out.profile = u.profile;
    out.limit_uptime_seconds = u.limit_uptime_seconds;
    out.limit_bytes_total = u.limit_bytes_total;
    out.download_kbps = u.download_kbps;
    out.upload_kbps = u.upload_kbps;
    out.mac = u.mac;
    out.comment = u.comment;
    return out;
}

/// An adapter as the API's client.
class Client final : public api::ControllerClient {
  public:
    explicit Client(std::unique_ptr<ah::Controller> c) : c_(std::move(c)) {}

    core::Result<void> test_connection() override { return c_->test_connection(); }
    core::Result<void> create_user(const api::ControllerUser& user) override {
        return c_->create_user(to_adapter(user));
    }
    core::Result<void> remove_user(std::string_view name) override { return c_->remove_user(name); }
    core::Result<std::vector<api::ControllerUser>> list_users() override {
        std::vector<api::ControllerUser> out;
        for (const auto& u : SY_TRY(c_->list_users())) out.push_back(from_adapter(u));
        return out;
    }
    core::Result<void> authorize_mac(const api::ControllerMacAuthorization& a) override {
        ah::MacAuthorization m;
        m.mac = a.mac;
        m.duration_seconds = a.duration_seconds;
        m.ap_mac = a.ap_mac;
        m.ssid = a.ssid;
        m.radio_id = a.radio_id;
        m.site = a.site;
        m.comment = a.comment;
        return c_->authorize_mac(m);
    }
    core::Result<std::vector<api::ControllerSession>> list_active() override {
        std::vector<api::ControllerSession> out;
        for (const auto& s : SY_TRY(c_->list_active()))
            out.push_back(
                {s.id, s.user, s.mac, s.address, s.uptime_seconds, s.bytes_in, s.bytes_out});
        return out;
    }
    core::Result<void> end_session(std::string_view id) override { return c_->end_session(id); }
    core::Result<api::ControllerSyncReport> sync(
        const std::vector<api::ControllerUser>& desired) override {
        std::vector<ah::HotspotUser> users;
        for (const auto& u : desired) users.push_back(to_adapter(u));
        auto report = SY_TRY(c_->sync(users));
        return api::ControllerSyncReport{report.added, report.removed, report.changed,
                                         report.failed, report.unchanged};
    }

  private:
    std::unique_ptr<ah::Controller> c_;
};

std::unique_ptr<ah::Controller> make_adapter(const ControllerDefinition& d,
                                             const ControllerSecrets& s, const core::Clock& clock) {
    switch (d.vendor) {
        case ControllerVendor::Mikrotik: {
            ah::MikrotikOptions o;
            o.name = d.controller_id;
            o.host = d.address;
            o.port = core::hotspot::api_port(d);
            o.username = d.username;
            o.password = s.password.value_or("");
            if (d.timeout_ms > 0) o.timeout_ms = d.timeout_ms;
            o.hotspot_server = d.hotspot_server;
            o.tls = d.tls;
            o.verify_tls = d.verify_tls;
            return std::make_unique<ah::MikrotikController>(std::move(o), clock);
        }
        case ControllerVendor::Omada: {
            ah::OmadaOptions o;
            o.name = d.controller_id;
            o.base_url = d.base_url;
            o.portal_base_url = d.portal_base_url;
            o.omadac_id = d.omadac_id;
            o.site_id = d.site_id;
            o.client_id = d.client_id;
            o.client_secret = s.client_secret.value_or("");
            o.operator_name = d.operator_name;
            o.operator_password = s.operator_password.value_or("");
            if (d.timeout_ms > 0) o.timeout_ms = d.timeout_ms;
            o.verify_tls = d.verify_tls;
            return std::make_unique<ah::OmadaController>(std::move(o), clock);
        }
        case ControllerVendor::Meraki: {
            ah::MerakiOptions o;
            o.name = d.controller_id;
            if (!d.base_url.empty()) o.base_url = d.base_url;
            o.api_key = s.api_key.value_or("");
            o.network_id = d.network_id;
            o.ssid_number = d.ssid_number;
            if (d.timeout_ms > 0) o.timeout_ms = d.timeout_ms;
            o.verify_tls = d.verify_tls;
            return std::make_unique<ah::MerakiController>(std::move(o), clock);
        }
    }
    return nullptr;
}

}  // namespace

api::ControllerFactory make_controller_factory(const core::Clock& clock) {
    return [&clock](
               const ControllerDefinition& d,
               const ControllerSecrets& s) -> core::Result<std::unique_ptr<api::ControllerClient>> {
        auto adapter = make_adapter(d, s, clock);
        if (!adapter) return core::fail(core::Errc::Invalid, "vendor", "unknown vendor");
        return std::unique_ptr<api::ControllerClient>(std::make_unique<Client>(std::move(adapter)));
    };
}

}  // namespace switchyard::app
