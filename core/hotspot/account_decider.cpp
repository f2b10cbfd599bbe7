#include "core/hotspot/account_decider.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "core/hotspot/catalog_decider.hpp"
#include "core/identity/user.hpp"
#include "core/overloaded.hpp"
#include "core/text.hpp"

namespace switchyard::core::hotspot {

const char* to_string(ExhaustedLimit l) noexcept {
    return l == ExhaustedLimit::Data ? "data" : "session_time";
}
bool parse_exhausted_limit(std::string_view text, ExhaustedLimit& out) noexcept {
    if (text == "data") {
        out = ExhaustedLimit::Data;
        return true;
    }
    if (text == "session_time") {
        out = ExhaustedLimit::SessionTime;
        return true;
    }
    return false;
}

namespace {

void remember(AccountState& s, const std::string& command_id) {
    if (!command_id.empty()) s.command_ids.insert(command_id);
}

}  // namespace

void evolve(AccountState& state, const AccountEvent& event) {
    auto& a = state.account;
    std::visit(Overloaded{
                   [&](const AccountCreated& e) {
                       state.exists = true;
                       a = e.account;
                       if (!a.voucher_code.empty()) state.voucher_codes.push_back(a.voucher_code);
                       remember(state, e.command_id);
                   },
                   [&](const AccountPlanChanged& e) {
                       a.plan_id = e.plan_id;
                       a.service = e.service;
                       a.expires_at = e.expires_at;
                       a.status = e.status;
                       a.extra_data_bytes = 0;
                       a.extra_session_seconds = 0;
                       a.usage_base = Usage{e.usage_base_input_bytes, e.usage_base_output_bytes,
                                            e.usage_base_online_seconds};
                       state.exhausted = false;
                       state.pending_seconds = 0;
                       remember(state, e.command_id);
                   },
                   [&](const AccountPasswordChanged& e) {
                       a.password_sealed = e.password_sealed;
                       remember(state, e.command_id);
                   },
                   [&](const AccountMacBound& e) {
                       a.mac = e.mac;
                       remember(state, e.command_id);
                   },
                   [&](const AccountMacUnbound& e) {
                       a.mac.clear();
                       remember(state, e.command_id);
                   },
                   [&](const AccountDisabled& e) {
                       a.status = AccountStatus::Disabled;
                       remember(state, e.command_id);
                   },
                   [&](const AccountEnabled& e) {
                       a.status = e.status;
                       remember(state, e.command_id);
                   },
                   [&](const AccountStarted& e) {
                       a.first_login_at = e.first_login_at;
                       a.expires_at = e.expires_at;
                       state.pending_seconds = 0;
                       remember(state, e.command_id);
                   },
                   [&](const AccountExpired& e) {
                       if (a.status != AccountStatus::Disabled) a.status = AccountStatus::Expired;
                       remember(state, e.command_id);
                   },
                   [&](const AccountExhausted& e) {
                       state.exhausted = true;
                       if (a.status == AccountStatus::Active) a.status = AccountStatus::Exhausted;
                       remember(state, e.command_id);
                   },
                   [&](const AccountExtended& e) {
                       a.extra_data_bytes += e.add_data_bytes;
                       a.extra_session_seconds += e.add_session_seconds;
                       if (e.add_data_bytes > 0 || e.add_session_seconds > 0)
                           state.exhausted = false;
                       if (!a.expires_at && !e.expires_at) state.pending_seconds += e.add_seconds;
                       a.expires_at = e.expires_at;
                       a.status = e.status;
                       if (!e.voucher_code.empty()) state.voucher_codes.push_back(e.voucher_code);
                       remember(state, e.command_id);
                   },
               },
               event);
}

bool valid_username(std::string_view u) noexcept {
    return !u.empty() && u.size() <= 64 && std::all_of(u.begin(), u.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '.' || ch == '_' || ch == '@' || ch == '+' || ch == '-';
    });
}

std::optional<std::string> normalize_mac(std::string_view text) {
    std::string hex;
    auto is_hex = [](char ch) {
        return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
    };
    if (text.size() == 17) {  // aa:bb:cc:dd:ee:ff or aa-bb-cc-dd-ee-ff
        const char sep = text[2];
        if (sep != ':' && sep != '-') return std::nullopt;
        for (std::size_t i = 0; i < 17; ++i) {
            if (i % 3 == 2) {
                if (text[i] != sep) return std::nullopt;
            } else {
                if (!is_hex(text[i])) return std::nullopt;
                hex += text[i];
            }
        }
    } else if (text.size() == 14) {  // aabb.ccdd.eeff
        for (std::size_t i = 0; i < 14; ++i) {
            if (i == 4 || i == 9) {
                if (text[i] != '.') return std::nullopt;
            } else {
                if (!is_hex(text[i])) return std::nullopt;
                hex += text[i];
            }
        }
    } else if (text.size() == 12) {
        if (!std::all_of(text.begin(), text.end(), is_hex)) return std::nullopt;
        hex = std::string(text);
    } else {
        return std::nullopt;
    }
    std::string out;
    for (std::size_t i = 0; i < 12; ++i) {
        if (i > 0 && i % 2 == 0) out += ':';
        const char ch = hex[i];
        out += (ch >= 'A' && ch <= 'F') ? static_cast<char>(ch - 'A' + 'a') : ch;
    }
    return out;
}

AccountStatus natural_status(const AccountState& s, Timestamp now) {
    if (s.account.expires_at && *s.account.expires_at <= now) return AccountStatus::Expired;
    if (s.exhausted) return AccountStatus::Exhausted;
    return AccountStatus::Active;
}

Result<Plan> usable_plan(const CatalogState& catalog, const std::string& plan_id,
                         const std::string& owner_path, Timestamp now, const char* field) {
    auto it = catalog.plans.find(plan_id);
    if (it == catalog.plans.end())
        return fail(Errc::NotFound, field, fmt::format("plan '{}' does not exist", plan_id));
    const auto& p = it->second;
    if (p.retired) return fail(Errc::Rejected, field, fmt::format("plan '{}' is retired", plan_id));
    if (p.valid_from && now < *p.valid_from)
        return fail(
            Errc::Rejected, field,
            fmt::format("plan '{}' is valid from {}", plan_id, format_rfc3339(*p.valid_from)));
    if (p.valid_until && now >= *p.valid_until)
        return fail(
            Errc::Rejected, field,
            fmt::format("plan '{}' was valid until {}", plan_id, format_rfc3339(*p.valid_until)));
    if (!identity::in_scope(p.owner_path, owner_path))
        return fail(Errc::Rejected, field,
                    fmt::format("plan '{}' belongs to another reseller", plan_id));
    return p;
}

namespace {

using Events = std::vector<AccountEvent>;

bool seen(const AccountState& s, const std::string& command_id) {
    return !command_id.empty() && s.command_ids.count(command_id) > 0;
}

Result<void> exists(const AccountState& s, const std::string& username) {
    if (!s.exists)
        return fail(Errc::NotFound, "username",
                    fmt::format("account '{}' does not exist", username));
    return {};
}

Result<void> check_password(std::string_view p) {
    if (p.size() < 4 || p.size() > 128)
        return fail(Errc::Invalid, "password",
                    "must be 4 to 128 characters (RFC 2865 5.2 User-Password holds 128)");
    if (!is_valid_utf8(p) || has_control_chars(p))
        return fail(Errc::Invalid, "password", "must not hold control characters");
    return {};
}

bool valid_text(std::string_view s, std::size_t max) {
    return s.size() <= max && is_valid_utf8(s) && !has_control_chars(s);
}

Timestamp plus_seconds(Timestamp t, std::int64_t seconds) {
    return t + std::chrono::seconds(seconds);
}

}  // namespace

Result<Events> decide(const AccountState& s, const CatalogState& catalog, const CreateAccount& c,
                      const DecisionContext& ctx) {
    if (seen(s, c.command_id)) return Events{};
    if (!valid_text(c.command_id, 128))
        return fail(Errc::Invalid, "command_id", "must be at most 128 printable characters");
    Account a = c.account;
    if (!valid_username(a.username))
        return fail(Errc::Invalid, "username", "must be 1 to 64 of [A-Za-z0-9._@+-]");
    SY_TRY(check_password(c.password));
    if (a.password_sealed.empty())
        return fail(Errc::Invalid, "password", "was not sealed before the decision");
    if (!a.mac.empty()) {
        auto mac = normalize_mac(a.mac);
        if (!mac)
            return fail(Errc::Invalid, "mac",
                        fmt::format("'{}' is not a MAC address such as aa:bb:cc:dd:ee:ff", a.mac));
        a.mac = *mac;
    }
    if (!valid_owner_path(a.owner_path))
        return fail(Errc::Invalid, "owner_path", "must start and end with '/'");
    if (!valid_text(a.voucher_code, 64))
        return fail(Errc::Invalid, "voucher_code", "must be at most 64 characters");
    const auto plan = SY_TRY(usable_plan(catalog, a.plan_id, a.owner_path, ctx.now, "plan_id"));
    if (s.exists)
        return fail(Errc::Conflict, "username",
                    fmt::format("account '{}' already exists", a.username));
    a.service = plan.service;
    a.status = AccountStatus::Active;
    a.created_at = ctx.now;
    a.first_login_at.reset();
    a.expires_at.reset();
    a.extra_data_bytes = 0;
    a.extra_session_seconds = 0;
    if (plan.duration_seconds && plan.time_from == TimeFrom::Purchase)
        a.expires_at = plus_seconds(ctx.now, *plan.duration_seconds);
    return Events{AccountCreated{a, c.command_id}};
}

Result<Events> decide(const AccountState& s, const CatalogState& catalog, const ChangePlan& c,
                      const DecisionContext& ctx) {
    if (seen(s, c.command_id)) return Events{};
    SY_TRY(exists(s, c.username));
    const auto& a = s.account;
    const auto plan = SY_TRY(usable_plan(catalog, c.plan_id, a.owner_path, ctx.now, "plan_id"));
    const bool spent = a.status == AccountStatus::Expired || a.status == AccountStatus::Exhausted;
    if (plan.plan_id == a.plan_id && !spent) return Events{};
    AccountPlanChanged e{a.username,   plan.plan_id,          plan.service,
                         std::nullopt, AccountStatus::Active, c.command_id};
    // The new allowance runs from now when the time already runs or is counted from purchase;
    // otherwise it starts at the first login.
    if (plan.duration_seconds && (plan.time_from == TimeFrom::Purchase || a.first_login_at))
        e.expires_at = plus_seconds(ctx.now, *plan.duration_seconds);
    if (a.status == AccountStatus::Disabled) e.status = AccountStatus::Disabled;
    // The usage totals never go down; a base below the one in force is a stale reading.
    const Usage base{std::max(c.usage.input_bytes, a.usage_base.input_bytes),
                     std::max(c.usage.output_bytes, a.usage_base.output_bytes),
                     std::max(c.usage.online_seconds, a.usage_base.online_seconds)};
    e.usage_base_input_bytes = base.input_bytes;
    e.usage_base_output_bytes = base.output_bytes;
    e.usage_base_online_seconds = base.online_seconds;
    return Events{e};
}

Result<Events> decide(const AccountState& s, const ChangePassword& c, const DecisionContext&) {
    if (seen(s, c.command_id)) return Events{};
    SY_TRY(exists(s, c.username));
    SY_TRY(check_password(c.password));
    if (c.password_sealed.empty())
        return fail(Errc::Invalid, "password", "was not sealed before the decision");
    return Events{AccountPasswordChanged{s.account.username, c.password_sealed, c.command_id}};
}

Result<Events> decide(const AccountState& s, const BindMac& c, const DecisionContext&) {
    if (seen(s, c.command_id)) return Events{};
    SY_TRY(exists(s, c.username));
    if (c.mac.empty()) {
        if (s.account.mac.empty()) return Events{};
        return Events{AccountMacUnbound{s.account.username, c.command_id}};
    }
    auto mac = normalize_mac(c.mac);
    if (!mac)
        return fail(Errc::Invalid, "mac",
                    fmt::format("'{}' is not a MAC address such as aa:bb:cc:dd:ee:ff", c.mac));
    if (*mac == s.account.mac) return Events{};
    return Events{AccountMacBound{s.account.username, *mac, c.command_id}};
}

Result<Events> decide(const AccountState& s, const DisableAccount& c, const DecisionContext&) {
    if (seen(s, c.command_id)) return Events{};
    SY_TRY(exists(s, c.username));
    if (!valid_text(c.reason, 256))
        return fail(Errc::Invalid, "reason", "must be at most 256 printable characters");
    if (s.account.status == AccountStatus::Disabled) return Events{};
    return Events{AccountDisabled{s.account.username, c.reason, c.command_id}};
}

Result<Events> decide(const AccountState& s, const EnableAccount& c, const DecisionContext& ctx) {
    if (seen(s, c.command_id)) return Events{};
    SY_TRY(exists(s, c.username));
    if (s.account.status != AccountStatus::Disabled) return Events{};
    return Events{AccountEnabled{s.account.username, natural_status(s, ctx.now), c.command_id}};
}

Result<Events> decide(const AccountState& s, const CatalogState& catalog, const RecordFirstLogin& c,
                      const DecisionContext&) {
    if (seen(s, c.command_id)) return Events{};
    SY_TRY(exists(s, c.username));
    const auto& a = s.account;
    if (a.first_login_at) return Events{};
    AccountStarted e{a.username, c.at, a.expires_at, c.command_id};
    if (!a.expires_at) {
        // Time counted from the first login starts now (a retired plan keeps serving its
        // accounts, so it is looked up without the sale checks).
        auto it = catalog.plans.find(a.plan_id);
        if (it != catalog.plans.end() && it->second.duration_seconds &&
            it->second.time_from == TimeFrom::FirstLogin)
            e.expires_at = plus_seconds(c.at, *it->second.duration_seconds + s.pending_seconds);
    }
    return Events{e};
}

Result<Events> decide(const AccountState& s, const ExpireAccount& c, const DecisionContext& ctx) {
    if (seen(s, c.command_id)) return Events{};
    SY_TRY(exists(s, c.username));
    const auto& a = s.account;
    if (a.status == AccountStatus::Expired) return Events{};
    if (!a.expires_at)
        return fail(Errc::Rejected, "expires_at",
                    fmt::format("account '{}' has no expiry", a.username));
    if (*a.expires_at > ctx.now)
        return fail(Errc::Rejected, "expires_at",
                    fmt::format("account '{}' expires only at {}", a.username,
                                format_rfc3339(*a.expires_at)));
    return Events{AccountExpired{a.username, *a.expires_at, c.command_id}};
}

Result<Events> decide(const AccountState& s, const MarkExhausted& c, const DecisionContext&) {
    if (seen(s, c.command_id)) return Events{};
    SY_TRY(exists(s, c.username));
    if (s.exhausted) return Events{};
    return Events{AccountExhausted{s.account.username, c.limit, c.command_id}};
}

Result<Events> decide(const AccountState& s, const ExtendAccount& c, const DecisionContext& ctx) {
    if (seen(s, c.command_id)) return Events{};
    SY_TRY(exists(s, c.username));
    constexpr std::int64_t kTenYears = 10LL * 366 * 86400;
    if (c.add_seconds < 0 || c.add_seconds > kTenYears)
        return fail(Errc::Invalid, "add_seconds", "must be 0 to ten years");
    if (c.add_data_bytes < 0 || c.add_data_bytes > (std::int64_t{1} << 60))
        return fail(Errc::Invalid, "add_data_bytes", "must be 0 to 2^60 bytes");
    if (c.add_session_seconds < 0 || c.add_session_seconds > kTenYears)
        return fail(Errc::Invalid, "add_session_seconds", "must be 0 to ten years");
    if (c.add_seconds == 0 && c.add_data_bytes == 0 && c.add_session_seconds == 0)
        return fail(Errc::Invalid, "add_seconds",
                    "at least one of add_seconds, add_data_bytes, add_session_seconds is needed");
    const auto& a = s.account;
    AccountExtended e{a.username,   c.add_seconds, c.add_data_bytes, c.add_session_seconds,
                      a.expires_at, a.status,      c.voucher_code,   c.command_id};
    if (a.expires_at && c.add_seconds > 0)
        e.expires_at = plus_seconds(std::max(*a.expires_at, ctx.now), c.add_seconds);
    // The status after it: what the account would be without staff holding it.
    AccountState after = s;
    evolve(after, e);
    if (a.status != AccountStatus::Disabled) e.status = natural_status(after, ctx.now);
    return Events{e};
}

}  // namespace switchyard::core::hotspot
