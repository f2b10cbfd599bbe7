#pragma once
/// The hotspot line's data model (WiFight, wifight-isp-plan-part2.md): NAS devices and
/// controllers, plans, accounts (PPPoE and hotspot), voucher batches and vouchers, and RADIUS
/// accounting sessions. Pure values; the deciders (core/hotspot/*_decider.hpp) turn commands
/// into the events below, and `evolve` folds them.
///
/// Units: bytes are 64-bit octet counts (RADIUS Acct-Input-Octets plus 2^32 x
/// Acct-Input-Gigawords, RFC 2869 5.1); speeds are kbit/s (1,000 bit/s); durations are whole
/// seconds; money is integer micro-units (DESIGN.md), currency ISO 4217.
///
/// Ownership follows identity's owner path (core/identity/user.hpp): `/` for the operator's own
/// objects, `<reseller owner path><reseller id>/` for a reseller's, so a reseller manages its
/// own NAS, plans and vouchers only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace switchyard::core::hotspot {

/// Micro-units of a currency (1 EUR = 1,000,000).
using Micros = std::int64_t;

/// The NAS vendor; selects the vendor profile (config/hotspot/vendors/<wire name>.json) that
/// says which reply attributes carry speed and quota and which parameters its captive portal
/// sends. Wire names: `mikrotik`, `omada`, `ruijie`, `meraki`, `chillispot` (CoovaChilli and
/// ChilliSpot), `cisco`, `generic`.
enum class Vendor { Mikrotik, Omada, Ruijie, Meraki, Chillispot, Cisco, Generic };
const char* to_string(Vendor v) noexcept;
bool parse_vendor(std::string_view text, Vendor& out) noexcept;

/// The Dynamic Authorization port a vendor listens on unless told otherwise: 1700 for MikroTik
/// (RouterOS `/radius incoming` default), 3799 for every other (RFC 5176 section 3).
std::uint16_t default_coa_port(Vendor v) noexcept;

/// A RADIUS client: a router or access point (MikroTik, Ruijie, CoovaChilli) or a controller
/// that sends RADIUS on behalf of its access points (Omada, Meraki).
struct Nas {
    std::string nas_id;  ///< `[a-z0-9_-]{1,32}`, e.g. `lobby`.
    std::string name;    ///< 1 to 64 characters.
    Vendor vendor = Vendor::Generic;
    /// The source address of its RADIUS packets: an IPv4/IPv6 address or a CIDR block. The
    /// rlm_rest surface finds the NAS by the request's NAS-IP-Address (or Packet-Src-IP-Address).
    std::string address;
    /// The RADIUS shared secret, sealed under the master key (events/secret_box.hpp) in the
    /// event; the events layer opens it. Never shown by the API after creation.
    std::string secret_sealed;
    /// Where Disconnect-Request and CoA-Request go (UDP). Default: default_coa_port(vendor).
    std::uint16_t coa_port = 3799;
    /// The address Disconnect/CoA requests are sent to; empty = `address` when it is a single
    /// host.
    std::string coa_address;
    std::string site;              ///< Free text, e.g. `Hotel Aurora lobby`.
    std::string timezone = "UTC";  ///< IANA name, e.g. `Europe/Berlin`; shown in reports.
    std::string owner_path = "/";  ///< See the top of this file.
    bool disabled = false;         ///< A disabled NAS's requests are refused (unknown NAS).
    friend bool operator==(const Nas&, const Nas&) = default;
};

/// What a plan serves. Wire names `hotspot`, `pppoe`.
enum class ServiceType { Hotspot, Pppoe };
const char* to_string(ServiceType s) noexcept;
bool parse_service_type(std::string_view text, ServiceType& out) noexcept;

/// When a plan's time starts to run. Wire names `first_login`, `purchase`.
enum class TimeFrom { FirstLogin, Purchase };
const char* to_string(TimeFrom t) noexcept;
bool parse_time_from(std::string_view text, TimeFrom& out) noexcept;

/// Which bytes count against a data limit. Wire names `total`, `download`, `upload`.
/// Download is what the NAS sends to the user (Acct-Output-Octets, RFC 2866 5.4), upload what
/// it receives from the user (Acct-Input-Octets, 5.3).
enum class DataDirection { Total, Download, Upload };
const char* to_string(DataDirection d) noexcept;
bool parse_data_direction(std::string_view text, DataDirection& out) noexcept;

/// MikroTik burst parameters (RouterOS queue `burst-limit`, `burst-threshold`, `burst-time`),
/// sent inside Mikrotik-Rate-Limit: `rx/tx burst-rx/burst-tx threshold-rx/threshold-tx
/// time-rx/time-tx`. Zero everywhere = no burst.
struct Burst {
    std::int64_t download_kbps = 0;
    std::int64_t upload_kbps = 0;
    std::int64_t threshold_download_kbps = 0;
    std::int64_t threshold_upload_kbps = 0;
    std::int64_t seconds = 0;
    friend bool operator==(const Burst&, const Burst&) = default;
};

/// A plan (WiFight `plans`): what an account or voucher buys. An absent limit is unlimited.
struct Plan {
    std::string plan_id;  ///< `[a-z0-9_-]{1,32}`.
    std::string name;     ///< 1 to 64 characters.
    ServiceType service = ServiceType::Hotspot;
    /// Time allowed: wall-clock validity from `time_from` (minutes to months). None = no limit.
    std::optional<std::int64_t> duration_seconds;
    TimeFrom time_from = TimeFrom::FirstLogin;
    /// Online time allowed (the sum of Acct-Session-Time), independent of the wall clock.
    std::optional<std::int64_t> session_time_seconds;
    std::optional<std::int64_t> data_limit_bytes;
    DataDirection data_direction = DataDirection::Total;
    std::optional<std::int64_t> download_kbps;
    std::optional<std::int64_t> upload_kbps;
    Burst burst;
    std::int64_t shared_users = 1;  ///< Concurrent sessions per account, at least 1.
    std::optional<std::int64_t> idle_timeout_seconds;
    std::optional<Timestamp> valid_from;   ///< The plan is sold and usable from then.
    std::optional<Timestamp> valid_until;  ///< ... and until then.
    Micros price_micros = 0;
    std::string currency = "USD";
    std::string address_pool;  ///< Framed-Pool (or the vendor's) for active users; may be empty.
    /// Where an expired user lands instead of a reject: a pool with a walled garden (MikroTik
    /// `expired` pool). Empty = expired users are rejected.
    std::string expired_pool;
    /// A voucher of this plan may be redeemed onto an account that has time left, adding to it.
    bool allow_stacking = false;
    std::string owner_path = "/";
    bool retired = false;  ///< No longer sold; existing accounts keep it.
    friend bool operator==(const Plan&, const Plan&) = default;
};

/// An account's state. Wire names `active`, `expired` (its time ran out), `exhausted` (its data
/// or online time is used up), `disabled` (by staff).
enum class AccountStatus { Active, Expired, Exhausted, Disabled };
const char* to_string(AccountStatus s) noexcept;
bool parse_account_status(std::string_view text, AccountStatus& out) noexcept;

/// An account (PPPoE or hotspot user). A redeemed voucher becomes an account whose username
/// and password are the voucher code.
/// What an account has used so far across all its sessions (closed and open).
struct Usage {
    std::int64_t input_bytes = 0;     ///< From the user (upload), Acct-Input-Octets + gigawords.
    std::int64_t output_bytes = 0;    ///< To the user (download), Acct-Output-Octets + gigawords.
    std::int64_t online_seconds = 0;  ///< Sum of Acct-Session-Time.
    friend bool operator==(const Usage&, const Usage&) = default;
};

/// `total - base`, field by field, never below zero (what was used since `base` was taken).
inline Usage usage_since(const Usage& total, const Usage& base) noexcept {
    auto minus = [](std::int64_t a, std::int64_t b) { return a > b ? a - b : std::int64_t{0}; };
    return {minus(total.input_bytes, base.input_bytes),
            minus(total.output_bytes, base.output_bytes),
            minus(total.online_seconds, base.online_seconds)};
}

struct Account {
    std::string username;  ///< RADIUS User-Name, 1 to 64 of `[A-Za-z0-9._@+-]`.
    /// The password, sealed under the master key in the event (authorize answers it as
    /// control:Cleartext-Password so that PAP and CHAP both work).
    std::string password_sealed;
    std::string mac;  ///< Bound MAC `aa:bb:cc:dd:ee:ff` (lower case), or empty = any device.
    std::string plan_id;
    ServiceType service = ServiceType::Hotspot;
    AccountStatus status = AccountStatus::Active;
    Timestamp created_at{};
    std::optional<Timestamp> first_login_at;  ///< First Accounting-Start or Access-Accept.
    /// When the time runs out (from the plan's duration and time_from; extended by a stacked
    /// voucher). None = no wall-clock limit or not started yet.
    std::optional<Timestamp> expires_at;
    /// Extra allowances added by stacked vouchers, on top of the plan's.
    std::int64_t extra_data_bytes = 0;
    std::int64_t extra_session_seconds = 0;
    /// The account's usage totals (all its sessions) when its current plan began: zero from
    /// creation, set by each plan change (hotspot.account.plan_changed `usage_base_*`). The
    /// plan's allowance counts usage minus this (remaining(), core/hotspot/vendor_profile.hpp).
    Usage usage_base;
    std::string voucher_code;  ///< The voucher it came from; empty for a staff-made account.
    std::string owner_path = "/";
    friend bool operator==(const Account&, const Account&) = default;
};

/// A voucher's state. Wire names `unused`, `active` (redeemed, time left), `expired`,
/// `revoked`.
enum class VoucherState { Unused, Active, Expired, Revoked };
const char* to_string(VoucherState s) noexcept;
bool parse_voucher_state(std::string_view text, VoucherState& out) noexcept;

/// The alphabet voucher codes are drawn from: digits and upper-case letters without the
/// look-alikes 0/O, 1/I/L, 2/Z, 5/S, 8/B (25 characters).
inline constexpr std::string_view kVoucherAlphabet = "34679ACDEFGHJKMNPQRTUVWXY";

/// A batch of vouchers generated together.
struct VoucherBatch {
    std::string batch_id;  ///< `[a-z0-9_-]{1,32}`, or generated.
    std::string plan_id;
    std::int64_t count = 0;   ///< 1 to 10,000.
    std::string prefix;       ///< Upper-case letters/digits put before each code; may be empty.
    std::int64_t length = 8;  ///< Random characters per code, 6 to 16.
    std::string note;         ///< e.g. `Reception, December`.
    Timestamp created_at{};
    std::string owner_path = "/";
    friend bool operator==(const VoucherBatch&, const VoucherBatch&) = default;
};

/// The RADIUS Acct-Status-Type values an accounting request carries (RFC 2866 5.1, RFC 2866
/// 5.1 values 1, 2, 3, 7, 8).
enum class AcctStatus {
    Start = 1,
    Stop = 2,
    InterimUpdate = 3,
    AccountingOn = 7,
    AccountingOff = 8
};

/// Counters of one session, as the NAS reports them (cumulative since the session started).
struct SessionCounters {
    std::int64_t input_bytes = 0;   ///< From the user (upload).
    std::int64_t output_bytes = 0;  ///< To the user (download).
    std::int64_t session_seconds = 0;
    friend bool operator==(const SessionCounters&, const SessionCounters&) = default;
};

/// One accounting session. Identified by Acct-Unique-Session-Id (FreeRADIUS computes it from
/// User-Name, Acct-Session-Id, NAS-IP-Address, NAS-Identifier, NAS-Port), so retransmissions
/// and duplicates map to the same session.
struct Session {
    std::string unique_id;        ///< Acct-Unique-Session-Id.
    std::string acct_session_id;  ///< Acct-Session-Id (RFC 2866 5.5), what the NAS knows.
    std::string username;
    std::string nas_id;
    std::string nas_ip;              ///< NAS-IP-Address.
    std::string framed_ip;           ///< Framed-IP-Address; may be empty.
    std::string calling_station_id;  ///< The user's MAC (hotspot) or caller id (PPPoE).
    std::string called_station_id;   ///< The NAS/AP MAC and SSID.
    Timestamp started_at{};
    Timestamp updated_at{};
    SessionCounters counters;
    bool active = true;
    std::string terminate_cause;  ///< Acct-Terminate-Cause name (RFC 2866 5.10) when stopped.
    friend bool operator==(const Session&, const Session&) = default;
};

}  // namespace switchyard::core::hotspot
