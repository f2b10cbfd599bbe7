#include "app/modules/service_switches.hpp"

#include <charconv>

namespace switchyard::app {

namespace {

/// A numeric id of the line's own. @errors Invalid naming `service_id`.
core::Result<std::int64_t> numeric_id(const std::string& text, const char* what) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id < 1)
        return core::fail(core::Errc::Invalid, "service_id",
                          std::string("must be ") + what + " (a number from 1)");
    return id;
}

/// A lookup's result with NotFound renamed to `service_id` (the field the caller named).
template <class T>
core::Result<T> as_service(core::Result<T> found) {
    if (!found && found.error().code == core::Errc::NotFound) {
        auto e = found.error();
        e.field = "service_id";
        return core::fail(std::move(e));
    }
    return found;
}

/// The hotspot account named `username`. @errors NotFound naming `service_id`.
core::Result<core::hotspot::Account> hotspot_account(events::hotspot::HotspotService& hotspot,
                                                     const std::string& username) {
    return as_service(hotspot.account(username));
}

/// The voice customer `service_id`'s configuration. @errors Invalid / NotFound naming
/// `service_id`.
core::Result<events::voice::CustomerConfig> voice_customer(events::voice::VoiceService& voice,
                                                           const std::string& service_id) {
    return as_service(
        voice.effective_config(SY_TRY(numeric_id(service_id, "a voice customer id"))));
}

}  // namespace

ServiceSwitch iptv_service_switch(events::iptv::IptvService& lines,
                                  events::iptv::ConnectionService& connections) {
    return [&lines, &connections](const std::string& service_id, bool on,
                                  const core::DecisionContext& ctx) -> core::Result<bool> {
        const auto line_id = SY_TRY(numeric_id(service_id, "an IPTV line id"));
        const auto line = SY_TRY(lines.line(line_id));
        if (!line.exists || line.deleted)
            return core::fail(core::Errc::NotFound, "service_id", "no IPTV line " + service_id);
        using core::iptv::LineStatus;
        bool changed = false;
        const auto status = line.settings.status;
        if (on ? status == LineStatus::Disabled : status == LineStatus::Active) {
            core::iptv::UpdateLine update;
            update.line_id = line_id;
            update.status = on ? LineStatus::Active : LineStatus::Disabled;
            changed = SY_TRY(lines.execute(update, ctx)).changed;
        }
        if (!on) {
            const auto open = SY_TRY(connections.leases(line_id));
            for (const auto& [lease_id, lease] : open.leases) {
                SY_TRY(connections.close(line_id, lease_id, "unpaid", ctx));
                changed = true;
            }
        }
        return changed;
    };
}

ServiceOwner iptv_service_owner(events::iptv::IptvService& lines) {
    return [&lines](const std::string& service_id) -> core::Result<std::string> {
        const auto line_id = SY_TRY(numeric_id(service_id, "an IPTV line id"));
        const auto line = SY_TRY(lines.line(line_id));
        if (!line.exists || line.deleted)
            return core::fail(core::Errc::NotFound, "service_id", "no IPTV line " + service_id);
        return line.owner_path;
    };
}

ServiceOwner vpn_service_owner(events::vpn::VpnService& vpn) {
    return [&vpn](const std::string& customer_id) -> core::Result<std::string> {
        const auto customer = SY_TRY(vpn.customer(customer_id));
        if (customer.plan_id.empty() && customer.devices.empty())
            return core::fail(core::Errc::NotFound, "service_id", "no VPN customer " + customer_id);
        return customer.owner_path;
    };
}

ServiceOwner hotspot_service_owner(events::hotspot::HotspotService& hotspot) {
    return [&hotspot](const std::string& username) -> core::Result<std::string> {
        return SY_TRY(hotspot_account(hotspot, username)).owner_path;
    };
}

ServiceOwner voice_service_owner(events::voice::VoiceService& voice) {
    return [&voice](const std::string& service_id) -> core::Result<std::string> {
        return SY_TRY(voice_customer(voice, service_id)).customer.owner_path;
    };
}

ServiceSwitch vpn_service_switch(events::vpn::VpnService& vpn) {
    return [&vpn](const std::string& customer_id, bool on,
                  const core::DecisionContext& ctx) -> core::Result<bool> {
        const auto customer = SY_TRY(vpn.customer(customer_id));
        if (customer.plan_id.empty() && customer.devices.empty())
            return core::fail(core::Errc::NotFound, "service_id", "no VPN customer " + customer_id);
        using core::vpn::DisableReason;
        bool changed = false;
        for (const auto& [device_id, peer] : customer.peers) {
            if (on && !peer.enabled && peer.disabled_reason == DisableReason::Unpaid) {
                core::vpn::UpdatePeer update{customer_id, device_id, true, std::nullopt};
                changed |= SY_TRY(vpn.execute(update, ctx)).changed;
            } else if (!on && peer.enabled) {
                core::vpn::DisablePeer disable{customer_id, device_id, DisableReason::Unpaid};
                changed |= SY_TRY(vpn.execute(disable, ctx)).changed;
            }
        }
        return changed;
    };
}

ServiceSwitch hotspot_service_switch(events::hotspot::HotspotService& hotspot) {
    return [&hotspot](const std::string& username, bool on,
                      const core::DecisionContext& ctx) -> core::Result<bool> {
        SY_TRY(hotspot_account(hotspot, username));
        if (on)
            return SY_TRY(hotspot.execute(core::hotspot::EnableAccount{username, ""}, ctx)).changed;
        return SY_TRY(hotspot.execute(core::hotspot::DisableAccount{username, "unpaid", ""}, ctx))
            .changed;
    };
}

ServiceSwitch voice_service_switch(events::voice::VoiceService& voice) {
    return [&voice](const std::string& service_id, bool on,
                    const core::DecisionContext& ctx) -> core::Result<bool> {
        const auto config = SY_TRY(voice_customer(voice, service_id));
        using core::voice::CustomerStatus;
        const auto wanted = on ? CustomerStatus::Active : CustomerStatus::Suspended;
        if (config.customer.status == wanted) return false;
        core::voice::UpdateCustomer update{config.customer};
        update.customer.status = wanted;
        return SY_TRY(voice.execute(update, ctx)).changed;
    };
}

}  // namespace switchyard::app
