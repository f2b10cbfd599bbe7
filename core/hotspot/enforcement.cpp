#include "core/hotspot/enforcement.hpp"

#include <algorithm>
#include <chrono>

namespace switchyard::core::hotspot {

std::string_view enforcement_reason_name(EnforcementReason r) noexcept {
    switch (r) {
        case EnforcementReason::DataUsed:
            return "data_used";
        case EnforcementReason::TimeUsed:
            return "time_used";
        case EnforcementReason::Expired:
            return "expired";
        case EnforcementReason::Disabled:
            return "disabled";
        case EnforcementReason::SpeedChanged:
            return "speed_changed";
        case EnforcementReason::StaffEnded:
            return "staff_ended";
    }
    return "expired";
}

std::optional<EnforcementReason> limit_crossed(const Plan& plan, const Account& account,
                                               const Usage& usage, Timestamp now) {
    if (account.status == AccountStatus::Disabled) return EnforcementReason::Disabled;
    const auto left = remaining(plan, account, usage, now);
    if (account.status == AccountStatus::Expired || (left.expires_at && *left.expires_at <= now))
        return EnforcementReason::Expired;
    if (left.online_seconds && *left.online_seconds <= 0) return EnforcementReason::TimeUsed;
    if (left.data_bytes && *left.data_bytes <= 0) return EnforcementReason::DataUsed;
    return std::nullopt;
}

std::vector<ReplyAttribute> identifying_attributes(const VendorProfile& profile, const Session& s) {
    std::vector<ReplyAttribute> out;
    for (const auto& name : profile.disconnect_attributes) {
        const std::string* value = nullptr;
        if (name == "User-Name")
            value = &s.username;
        else if (name == "Acct-Session-Id")
            value = &s.acct_session_id;
        else if (name == "Framed-IP-Address")
            value = &s.framed_ip;
        else if (name == "NAS-IP-Address")
            value = &s.nas_ip;
        else if (name == "Calling-Station-Id")
            value = &s.calling_station_id;
        else if (name == "Called-Station-Id")
            value = &s.called_station_id;
        if (value && !value->empty()) out.push_back({name, *value});
    }
    return out;
}

namespace {

bool same_speed(const Plan& a, const Plan& b) {
    return a.download_kbps == b.download_kbps && a.upload_kbps == b.upload_kbps &&
           a.burst == b.burst;
}

EnforcementAction action_for(const SessionTarget& t, DynamicAuthorization kind,
                             EnforcementReason reason) {
    EnforcementAction a;
    a.kind = kind;
    a.reason = reason;
    a.unique_id = t.session.unique_id;
    a.nas_id = t.nas.nas_id;
    a.address = t.nas.coa_address.empty() ? t.nas.address : t.nas.coa_address;
    a.port = t.nas.coa_port;
    a.attributes = identifying_attributes(t.profile, t.session);
    return a;
}

}  // namespace

EnforcementDecision enforce(const EnforcementInput& in) {
    EnforcementDecision d;
    if (in.account == nullptr || in.plan == nullptr) return d;
    const auto& plan = *in.plan;
    const auto open = std::count_if(in.sessions.begin(), in.sessions.end(),
                                    [](const SessionTarget& t) { return t.session.active; });

    if (in.staff_ended) {
        d.reason = EnforcementReason::StaffEnded;
    } else if (auto crossed = limit_crossed(plan, *in.account, in.usage, in.now)) {
        d.reason = crossed;
    } else if (in.previous_plan && !same_speed(*in.previous_plan, plan)) {
        d.reason = EnforcementReason::SpeedChanged;
    }
    if (d.reason) {
        const auto kind = *d.reason == EnforcementReason::SpeedChanged
                              ? DynamicAuthorization::Coa
                              : DynamicAuthorization::Disconnect;
        for (const auto& t : in.sessions) {
            if (!t.session.active) continue;
            auto speed = kind == DynamicAuthorization::Coa ? speed_attributes(t.profile, plan)
                                                           : std::vector<ReplyAttribute>{};
            // A vendor that takes no speed attribute cannot be changed by CoA: the session is
            // disconnected and the next login gets the new plan.
            auto a =
                action_for(t, speed.empty() ? DynamicAuthorization::Disconnect : kind, *d.reason);
            for (auto& attr : speed) a.attributes.push_back(std::move(attr));
            d.actions.push_back(std::move(a));
        }
    }

    if (open > 0 && (!d.reason || *d.reason == EnforcementReason::SpeedChanged)) {
        const auto left = remaining(plan, *in.account, in.usage, in.now);
        std::optional<Timestamp> deadline = left.expires_at;
        if (left.online_seconds) {
            const auto per_session = std::max<std::int64_t>(*left.online_seconds, 0) / open;
            const auto t = in.now + std::chrono::seconds(per_session);
            if (!deadline || t < *deadline) deadline = t;
        }
        d.next_deadline = deadline;
    }
    return d;
}

}  // namespace switchyard::core::hotspot
