#include "core/hotspot/authorize.hpp"

#include <algorithm>
#include <chrono>

namespace switchyard::core::hotspot {

namespace {

AuthorizeDecision reject(RejectReason r) {
    AuthorizeDecision d;
    d.accept = false;
    d.reason = r;
    d.reply_message = std::string(reject_message(r));
    return d;
}

}  // namespace

std::string_view reject_reason_name(RejectReason r) noexcept {
    switch (r) {
        case RejectReason::UnknownNas:
            return "unknown_nas";
        case RejectReason::UnknownUser:
            return "unknown_user";
        case RejectReason::UnknownPlan:
            return "unknown_plan";
        case RejectReason::Disabled:
            return "disabled";
        case RejectReason::Expired:
            return "expired";
        case RejectReason::TimeUsed:
            return "time_used";
        case RejectReason::QuotaUsed:
            return "quota_used";
        case RejectReason::TooManySessions:
            return "too_many_sessions";
        case RejectReason::MacMismatch:
            return "mac_mismatch";
        case RejectReason::PlanNotValidYet:
            return "plan_not_valid_yet";
        case RejectReason::PlanNotValidAnymore:
            return "plan_not_valid_anymore";
        case RejectReason::WrongService:
            return "wrong_service";
        case RejectReason::WrongPassword:
            return "wrong_password";
    }
    return "unknown_user";
}

std::string_view reject_message(RejectReason r) noexcept {
    switch (r) {
        case RejectReason::UnknownNas:
            return "This access point is not registered.";
        case RejectReason::UnknownUser:
            return "Unknown username or voucher.";
        case RejectReason::UnknownPlan:
            return "Your account has no plan.";
        case RejectReason::Disabled:
            return "Your account is disabled.";
        case RejectReason::Expired:
            return "Your time has expired.";
        case RejectReason::TimeUsed:
            return "Your online time is used up.";
        case RejectReason::QuotaUsed:
            return "Your data quota is used up.";
        case RejectReason::TooManySessions:
            return "Too many devices are logged in already.";
        case RejectReason::MacMismatch:
            return "This account is bound to another device.";
        case RejectReason::PlanNotValidYet:
            return "Your plan is not valid yet.";
        case RejectReason::PlanNotValidAnymore:
            return "Your plan is no longer valid.";
        case RejectReason::WrongService:
            return "This account is not for this service.";
        case RejectReason::WrongPassword:
            return "Wrong password.";
    }
    return "Access denied.";
}

bool password_matches(std::string_view given, std::string_view cleartext) noexcept {
    // Length is not secret (RFC 2865 PAP pads it to 16 anyway); the content is compared in
    // full whatever the first difference.
    unsigned char diff = given.size() == cleartext.size() ? 0 : 1;
    const auto n = given.size() < cleartext.size() ? given.size() : cleartext.size();
    for (std::size_t i = 0; i < n; ++i) diff |= static_cast<unsigned char>(given[i] ^ cleartext[i]);
    return diff == 0;
}

AuthorizeDecision authorize(const AuthorizeInput& in) {
    if (in.nas == nullptr || in.nas->disabled || in.profile == nullptr)
        return reject(RejectReason::UnknownNas);
    if (in.account == nullptr) return reject(RejectReason::UnknownUser);
    if (in.plan == nullptr) return reject(RejectReason::UnknownPlan);
    const auto& account = *in.account;
    const auto& plan = *in.plan;
    if (account.status == AccountStatus::Disabled) return reject(RejectReason::Disabled);
    if (!account.mac.empty()) {
        const auto bound = normalize_mac(account.mac);
        const auto seen = normalize_mac(in.calling_station_id);
        if (!bound || !seen || *bound != *seen) return reject(RejectReason::MacMismatch);
    }
    if (plan.valid_from && in.now < *plan.valid_from) return reject(RejectReason::PlanNotValidYet);
    if (plan.valid_until && in.now >= *plan.valid_until)
        return reject(RejectReason::PlanNotValidAnymore);

    const auto left = remaining(plan, account, in.usage, in.now);
    std::optional<RejectReason> used_up;
    if (account.status == AccountStatus::Expired || (left.expires_at && *left.expires_at <= in.now))
        used_up = RejectReason::Expired;
    else if (left.online_seconds && *left.online_seconds <= 0)
        used_up = RejectReason::TimeUsed;
    else if (left.data_bytes && *left.data_bytes <= 0)
        used_up = RejectReason::QuotaUsed;
    else if (account.status == AccountStatus::Exhausted)
        used_up = plan.data_limit_bytes ? RejectReason::QuotaUsed : RejectReason::TimeUsed;
    if (used_up) {
        if (plan.expired_pool.empty()) return reject(*used_up);
        AuthorizeDecision d;
        d.accept = true;
        d.reason = *used_up;
        d.expired_pool = true;
        d.cleartext_password = in.cleartext_password;
        d.reply = expired_pool_attributes(*in.profile, plan);
        return d;
    }
    if (in.active_sessions >= std::max<std::int64_t>(plan.shared_users, 1))
        return reject(RejectReason::TooManySessions);

    AuthorizeDecision d;
    d.accept = true;
    d.cleartext_password = in.cleartext_password;
    d.reply = reply_attributes(*in.profile, plan, account, in.usage, in.now);
    if (plan.time_from == TimeFrom::FirstLogin && !account.first_login_at) {
        d.first_login = true;
        if (plan.duration_seconds && !account.expires_at)
            d.expires_at = in.now + std::chrono::seconds(*plan.duration_seconds);
    }
    return d;
}

AuthorizeDecision authenticate(const AuthorizeInput& in, std::string_view given_password) {
    auto d = authorize(in);
    if (d.accept && !password_matches(given_password, in.cleartext_password))
        return reject(RejectReason::WrongPassword);
    return d;
}

}  // namespace switchyard::core::hotspot
