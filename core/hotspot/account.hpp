#pragma once
/// A hotspot or PPPoE account: one aggregate per account, stream
/// `hotspot_account-<tenant>-<username>`. Staff commands (create, change plan or password,
/// bind a MAC, disable, extend) and the accounting side's facts (first login, expiry, a used-up
/// quota) are all events of this stream, so an account's state is one fold.
///
/// Every event carries the username (read models need no stream name) and the command id that
/// caused it (a retried command decides nothing).

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/hotspot/model.hpp"
#include "core/time.hpp"

namespace switchyard::core::hotspot {

/// Which allowance ran out. Wire names `data` (data_limit_bytes plus extra data), `session_time`
/// (session_time_seconds plus extra online time).
enum class ExhaustedLimit { Data, SessionTime };
const char* to_string(ExhaustedLimit l) noexcept;
bool parse_exhausted_limit(std::string_view text, ExhaustedLimit& out) noexcept;

// ---- events ----

/// An account was created (by staff, or by redeeming a voucher: then username = password =
/// the voucher code and `voucher_code` is set). Its password is sealed.
struct AccountCreated {
    static constexpr std::string_view kType = "hotspot.account.created";
    Account account;
    std::string command_id;
};
/// The account moved to another plan: a fresh allowance counted from the event's time.
struct AccountPlanChanged {
    static constexpr std::string_view kType = "hotspot.account.plan_changed";
    std::string username;
    std::string plan_id;
    ServiceType service = ServiceType::Hotspot;
    std::optional<Timestamp> expires_at;           ///< After the change.
    AccountStatus status = AccountStatus::Active;  ///< After the change.
    std::string command_id;
    /// The account's usage totals across all its sessions at the change (ChangePlan::usage):
    /// the new plan's allowance counts what is used beyond them. Absent in events written
    /// before it (read as 0: the plan then counts every session, as it did).
    std::int64_t usage_base_input_bytes = 0;
    std::int64_t usage_base_output_bytes = 0;
    std::int64_t usage_base_online_seconds = 0;
};
struct AccountPasswordChanged {
    static constexpr std::string_view kType = "hotspot.account.password_changed";
    std::string username;
    std::string password_sealed;
    std::string command_id;
};
/// The account was bound to one device (Calling-Station-Id); other devices are refused.
struct AccountMacBound {
    static constexpr std::string_view kType = "hotspot.account.mac_bound";
    std::string username;
    std::string mac;  ///< `aa:bb:cc:dd:ee:ff`, lower case.
    std::string command_id;
};
/// The MAC binding was removed: any device may log in.
struct AccountMacUnbound {
    static constexpr std::string_view kType = "hotspot.account.mac_unbound";
    std::string username;
    std::string command_id;
};
/// Staff disabled the account (its sessions are to be disconnected).
struct AccountDisabled {
    static constexpr std::string_view kType = "hotspot.account.disabled";
    std::string username;
    std::string reason;
    std::string command_id;
};
struct AccountEnabled {
    static constexpr std::string_view kType = "hotspot.account.enabled";
    std::string username;
    AccountStatus status = AccountStatus::Active;  ///< After it: active, expired or exhausted.
    std::string command_id;
};
/// The account's time started running at its first login (plans counted from first login).
struct AccountStarted {
    static constexpr std::string_view kType = "hotspot.account.started";
    std::string username;
    Timestamp first_login_at{};
    std::optional<Timestamp> expires_at;
    std::string command_id;
};
/// The account's wall-clock time ran out (expires_at passed).
struct AccountExpired {
    static constexpr std::string_view kType = "hotspot.account.expired";
    std::string username;
    Timestamp expires_at{};
    std::string command_id;
};
/// The account's data or online time is used up.
struct AccountExhausted {
    static constexpr std::string_view kType = "hotspot.account.exhausted";
    std::string username;
    ExhaustedLimit limit = ExhaustedLimit::Data;
    std::string command_id;
};
/// Time, data or online time was added (a stacked voucher or staff).
struct AccountExtended {
    static constexpr std::string_view kType = "hotspot.account.extended";
    std::string username;
    std::int64_t add_seconds = 0;  ///< Wall-clock time added to expires_at.
    std::int64_t add_data_bytes = 0;
    std::int64_t add_session_seconds = 0;
    std::optional<Timestamp> expires_at;           ///< After it.
    AccountStatus status = AccountStatus::Active;  ///< After it.
    std::string voucher_code;                      ///< The stacked voucher; empty for staff.
    std::string command_id;
};

using AccountEvent =
    std::variant<AccountCreated, AccountPlanChanged, AccountPasswordChanged, AccountMacBound,
                 AccountMacUnbound, AccountDisabled, AccountEnabled, AccountStarted, AccountExpired,
                 AccountExhausted, AccountExtended>;

/// An account as its events leave it.
struct AccountState {
    bool exists = false;
    Account account;
    bool exhausted = false;  ///< A limit is used up (kept while disabled).
    /// Wall-clock time added before the first login (plans counted from first login): added to
    /// expires_at when the time starts.
    std::int64_t pending_seconds = 0;
    /// The vouchers it came from and those stacked onto it, in order (they expire with it).
    std::vector<std::string> voucher_codes;
    std::set<std::string> command_ids;
};

/// The stream of an account.
inline std::string account_stream(const std::string& tenant, const std::string& username) {
    return "hotspot_account-" + tenant + "-" + username;
}

}  // namespace switchyard::core::hotspot
