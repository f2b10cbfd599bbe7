#include "core/hotspot/controller_decider.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/identity/user.hpp"
#include "core/overloaded.hpp"
#include "core/text.hpp"
#include "core/vpn/address_pool.hpp"

namespace switchyard::core::hotspot {

const char* to_string(ControllerVendor v) noexcept {
    switch (v) {
        case ControllerVendor::Mikrotik:
            return "mikrotik";
        case ControllerVendor::Omada:
            return "omada";
        case ControllerVendor::Meraki:
            return "meraki";
    }
    return "mikrotik";
}

bool parse_controller_vendor(std::string_view text, ControllerVendor& out) noexcept {
    for (auto v : {ControllerVendor::Mikrotik, ControllerVendor::Omada, ControllerVendor::Meraki})
        if (text == to_string(v)) {
            out = v;
            return true;
        }
    return false;
}

std::uint16_t api_port(const ControllerDefinition& c) noexcept {
    if (c.port != 0) return c.port;
    return c.tls ? 8729 : 8728;
}

bool valid_controller_operation(std::string_view name) noexcept {
    static constexpr std::string_view kNames[] = {"test_connection", "create_user",   "remove_user",
                                                  "list_users",      "authorize_mac", "list_active",
                                                  "end_session"};
    return std::find(std::begin(kNames), std::end(kNames), name) != std::end(kNames);
}

void evolve(ControllerState& state, const ControllerEvent& event) {
    auto seen = [&](const std::string& id) {
        if (!id.empty()) state.command_ids.insert(id);
    };
    std::visit(Overloaded{
                   [&](const ControllerDefined& e) {
                       state.controllers[e.controller.controller_id] = e.controller;
                       seen(e.command_id);
                   },
                   [&](const ControllerChanged& e) {
                       state.controllers[e.controller.controller_id] = e.controller;
                       seen(e.command_id);
                   },
                   [&](const ControllerRemoved& e) {
                       state.controllers.erase(e.controller_id);
                       state.last.erase(e.controller_id);
                       seen(e.command_id);
                   },
                   [&](const ControllerOperationRun& e) {
                       if (state.controllers.count(e.controller_id))
                           state.last[e.controller_id] = {e.operation, e.target, e.outcome};
                   },
                   [&](const ControllerSynced& e) {
                       if (state.controllers.count(e.controller_id))
                           state.last[e.controller_id] = {"sync", "", e.outcome};
                   },
               },
               event);
}

namespace {

using Events = std::vector<ControllerEvent>;

bool seen(const ControllerState& s, const std::string& command_id) {
    return !command_id.empty() && s.command_ids.count(command_id) > 0;
}

bool valid_text(std::string_view s, std::size_t max) {
    return s.size() <= max && is_valid_utf8(s) && !has_control_chars(s);
}

bool printable_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char ch) { return ch >= 0x20 && ch < 0x7f; });
}

bool http_url(std::string_view url) {
    std::string_view rest;
    if (url.starts_with("https://"))
        rest = url.substr(8);
    else if (url.starts_with("http://"))
        rest = url.substr(7);
    else
        return false;
    if (rest.empty() || rest.size() > 2000 || !printable_ascii(rest)) return false;
    return std::none_of(rest.begin(), rest.end(), [](char ch) { return ch == ' '; }) &&
           rest.front() != '/';
}

bool is_hex(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char ch) {
        return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
    });
}

/// A secret given in clear: present when required, printable, at most 1024 characters.
Result<void> check_secret(const std::optional<std::string>& v, bool required, const char* field) {
    if (!v) {
        if (required) return fail(Errc::Invalid, field, "is required");
        return {};
    }
    if (v->empty()) return fail(Errc::Invalid, field, "must not be empty");
    if (v->size() > 1024 || !printable_ascii(*v))
        return fail(Errc::Invalid, field, "must be at most 1024 printable ASCII characters");
    return {};
}

Result<void> required_text(const std::string& v, const char* field, std::size_t max = 128) {
    if (v.empty()) return fail(Errc::Invalid, field, "is required");
    if (!valid_text(v, max) || !printable_ascii(v))
        return fail(Errc::Invalid, field,
                    fmt::format("must be at most {} printable ASCII characters", max));
    return {};
}

Result<void> check_definition(const ControllerDefinition& c, const ControllerSecrets& secrets,
                              bool create, const CatalogState& catalog) {
    if (!valid_hotspot_id(c.controller_id))
        return fail(Errc::Invalid, "controller_id", "must be [a-z0-9_-]{1,32}");
    if (c.name.empty() || !valid_text(c.name, 64))
        return fail(Errc::Invalid, "name", "must be 1 to 64 characters");
    if (!valid_text(c.site, 128))
        return fail(Errc::Invalid, "site", "must be at most 128 printable characters");
    if (!valid_owner_path(c.owner_path))
        return fail(Errc::Invalid, "owner_path", "must start and end with '/'");
    if (c.timeout_ms < 0 || c.timeout_ms > 120000)
        return fail(Errc::Invalid, "timeout_ms", "must be 0 (the default) to 120000 ms");
    if (!c.nas_id.empty()) {
        auto it = catalog.nas.find(c.nas_id);
        if (it == catalog.nas.end() || !identity::in_scope(c.owner_path, it->second.owner_path))
            return fail(Errc::Invalid, "nas_id", fmt::format("no NAS '{}' exists", c.nas_id));
    }
    switch (c.vendor) {
        case ControllerVendor::Mikrotik:
            if (c.address.empty()) return fail(Errc::Invalid, "address", "is required");
            if (!vpn::is_ip_address(c.address) && !vpn::is_hostname(c.address))
                return fail(Errc::Invalid, "address",
                            fmt::format("'{}' is not an IP address or host name", c.address));
            SY_TRY(required_text(c.username, "username", 64));
            SY_TRY(check_secret(secrets.password, create, "password"));
            if (!valid_text(c.hotspot_server, 64))
                return fail(Errc::Invalid, "hotspot_server", "must be at most 64 characters");
            break;
        case ControllerVendor::Omada:
            if (!http_url(c.base_url))
                return fail(Errc::Invalid, "base_url",
                            "must be an http or https URL such as https://10.0.0.2:8043");
            if (!c.portal_base_url.empty() && !http_url(c.portal_base_url))
                return fail(Errc::Invalid, "portal_base_url", "must be an http or https URL");
            if (!is_hex(c.omadac_id) || c.omadac_id.size() > 64)
                return fail(Errc::Invalid, "omadac_id",
                            "must be the Omada ID, 1 to 64 hexadecimal digits");
            SY_TRY(required_text(c.site_id, "site_id"));
            SY_TRY(required_text(c.client_id, "client_id"));
            SY_TRY(check_secret(secrets.client_secret, create, "client_secret"));
            if (!valid_text(c.operator_name, 64))
                return fail(Errc::Invalid, "operator_name", "must be at most 64 characters");
            SY_TRY(check_secret(secrets.operator_password, create && !c.operator_name.empty(),
                                "operator_password"));
            break;
        case ControllerVendor::Meraki:
            if (!c.base_url.empty() && !http_url(c.base_url))
                return fail(Errc::Invalid, "base_url",
                            "must be an http or https URL such as https://api.meraki.com/api/v1");
            SY_TRY(check_secret(secrets.api_key, create, "api_key"));
            SY_TRY(required_text(c.network_id, "network_id", 64));
            if (c.ssid_number < 0 || c.ssid_number > 14)
                return fail(Errc::Invalid, "ssid_number",
                            fmt::format("must be an SSID number 0 to 14, not {}", c.ssid_number));
            break;
    }
    return {};
}

/// The field naming the endpoint `a` shares with `b`, or null when they drive different things.
const char* same_endpoint(const ControllerDefinition& a, const ControllerDefinition& b) {
    if (a.vendor != b.vendor) return nullptr;
    switch (a.vendor) {
        case ControllerVendor::Mikrotik:
            return a.address == b.address && api_port(a) == api_port(b) ? "address" : nullptr;
        case ControllerVendor::Omada:
            return a.base_url == b.base_url && a.omadac_id == b.omadac_id && a.site_id == b.site_id
                       ? "site_id"
                       : nullptr;
        case ControllerVendor::Meraki:
            return a.network_id == b.network_id && a.ssid_number == b.ssid_number ? "network_id"
                                                                                  : nullptr;
    }
    return nullptr;
}

Result<void> known(const ControllerState& s, const std::string& id) {
    if (!s.controllers.count(id))
        return fail(Errc::NotFound, "controller_id",
                    fmt::format("controller '{}' does not exist", id));
    return {};
}

}  // namespace

Result<Events> decide(const ControllerState& s, const CatalogState& catalog,
                      const DefineController& c, const DecisionContext&) {
    if (seen(s, c.command_id)) return Events{};
    const bool create = c.mode == DefineMode::Create;
    SY_TRY(check_definition(c.controller, c.secrets, create, catalog));
    const auto& id = c.controller.controller_id;
    const auto it = s.controllers.find(id);
    if (create && it != s.controllers.end())
        return fail(Errc::Conflict, "controller_id",
                    fmt::format("controller '{}' already exists", id));
    if (!create && it == s.controllers.end())
        return fail(Errc::NotFound, "controller_id",
                    fmt::format("controller '{}' does not exist", id));
    for (const auto& [other_id, other] : s.controllers) {
        if (other_id == id) continue;
        if (const char* field = same_endpoint(c.controller, other))
            return fail(Errc::Conflict, field,
                        fmt::format("controller '{}' already drives the same {}", other_id,
                                    to_string(other.vendor) == std::string_view("mikrotik")
                                        ? "router"
                                        : (other.vendor == ControllerVendor::Omada
                                               ? "Omada site"
                                               : "Meraki network and SSID")));
    }
    if (!create && it->second == c.controller) return Events{};
    if (create) return Events{ControllerDefined{c.controller, c.command_id}};
    return Events{ControllerChanged{c.controller, c.command_id}};
}

Result<Events> decide(const ControllerState& s, const RemoveController& c, const DecisionContext&) {
    if (seen(s, c.command_id)) return Events{};
    SY_TRY(known(s, c.controller_id));
    return Events{ControllerRemoved{c.controller_id, c.command_id}};
}

Result<Events> decide(const ControllerState& s, const RecordControllerOperation& c,
                      const DecisionContext&) {
    SY_TRY(known(s, c.run.controller_id));
    if (!valid_controller_operation(c.run.operation))
        return fail(Errc::Invalid, "operation",
                    fmt::format("'{}' is not a controller operation", c.run.operation));
    if (c.run.duration_ms < 0) return fail(Errc::Invalid, "duration_ms", "must not be negative");
    return Events{c.run};
}

Result<Events> decide(const ControllerState& s, const RecordControllerSync& c,
                      const DecisionContext&) {
    SY_TRY(known(s, c.sync.controller_id));
    if (c.sync.duration_ms < 0) return fail(Errc::Invalid, "duration_ms", "must not be negative");
    return Events{c.sync};
}

}  // namespace switchyard::core::hotspot
