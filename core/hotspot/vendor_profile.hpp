#pragma once
/// Vendor profiles: which RADIUS reply attributes a NAS vendor reads for speed, data quota,
/// session and idle time and the address pool, which attributes identify a session in a
/// Disconnect-Request or CoA-Request, its default CoA port and its captive portal's
/// parameters. The profiles are data (config/hotspot/vendors/<vendor>.json, loaded by
/// events/hotspot/vendor_profiles.hpp); this header is the pure model and the function that
/// turns a plan, an account and its usage into reply attributes. Pure: no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/hotspot/model.hpp"
#include "core/time.hpp"

namespace switchyard::core::hotspot {

/// How a vendor's speed attributes are written.
/// Wire names (in the profile files): `none`, `mikrotik_rate_limit`, `bits_per_second`,
/// `kilobits_per_second`.
enum class SpeedFormat {
    None,               ///< The vendor takes no speed attribute.
    MikrotikRateLimit,  ///< One string `rx/tx [burst-rx/burst-tx threshold-rx/threshold-tx
                        ///< time-rx/time-tx]` (RouterOS RADIUS client, Mikrotik-Rate-Limit);
                        ///< rx is the client's upload, tx its download.
    BitsPerSecond,      ///< Two integers in bit/s (WISPr-Bandwidth-Max-Up/Down, Ascend-*-Rate).
    KilobitsPerSecond,  ///< Two integers in kbit/s (ChilliSpot-Bandwidth-Max-Up/Down).
};

/// The wire name of a speed format (see SpeedFormat).
std::string_view speed_format_name(SpeedFormat f) noexcept;
/// Reads a speed format's wire name. @returns false for an unknown name.
bool parse_speed_format(std::string_view text, SpeedFormat& out) noexcept;

/// A data quota carried in two attributes: the low 32 bits (octets) and the number of 2^32
/// units (gigawords), as Mikrotik-Total-Limit + Mikrotik-Total-Limit-Gigawords. An empty
/// gigawords name = the vendor has none; the quota is then capped at 2^32 - 1 octets and the
/// rest is enforced from interim accounting.
struct QuotaAttributes {
    std::string octets;     ///< e.g. `Mikrotik-Total-Limit`; empty = no such quota attribute.
    std::string gigawords;  ///< e.g. `Mikrotik-Total-Limit-Gigawords`; may be empty.
    friend bool operator==(const QuotaAttributes&, const QuotaAttributes&) = default;
};

/// One vendor's profile (config/hotspot/vendors/<vendor>.json). Attribute names are spelled
/// as the FreeRADIUS dictionaries spell them (/usr/share/freeradius/dictionary.*).
struct VendorProfile {
    std::string vendor;  ///< Wire name: `mikrotik`, `omada`, ... (core/hotspot/model.hpp Vendor).
    SpeedFormat speed_format = SpeedFormat::None;
    /// MikrotikRateLimit: the one attribute (`Mikrotik-Rate-Limit`).
    std::string rate_limit_attribute;
    /// BitsPerSecond / KilobitsPerSecond: the download (to the user) attribute.
    std::string download_speed_attribute;
    /// BitsPerSecond / KilobitsPerSecond: the upload (from the user) attribute.
    std::string upload_speed_attribute;
    QuotaAttributes total_quota;     ///< Download + upload bytes.
    QuotaAttributes download_quota;  ///< Bytes to the user (Acct-Output-Octets side).
    QuotaAttributes upload_quota;    ///< Bytes from the user (Acct-Input-Octets side).
    std::string session_timeout_attribute = "Session-Timeout";  ///< RFC 2865 5.27.
    std::string idle_timeout_attribute = "Idle-Timeout";        ///< RFC 2865 5.28.
    std::string pool_attribute = "Framed-Pool";                 ///< RFC 2869 5.18.
    /// Acct-Interim-Interval (RFC 2869 5.16) sent with every Accept, in seconds, so that a
    /// quota crossing is seen within that time. 0 = not sent. Default: 60.
    std::int64_t acct_interim_interval_seconds = 60;
    /// The attributes a Disconnect-Request / CoA-Request carries to identify the session
    /// (RFC 5176 section 3): any of `User-Name`, `Acct-Session-Id`, `Framed-IP-Address`,
    /// `NAS-IP-Address`, `Calling-Station-Id`, `Called-Station-Id`.
    std::vector<std::string> disconnect_attributes;
    /// The Dynamic Authorization port (UDP) unless the NAS says otherwise: 3799 (RFC 5176),
    /// 1700 on MikroTik.
    std::uint16_t coa_port = 3799;
    /// The query parameters its captive portal redirect carries (e.g. MikroTik `mac`, `ip`,
    /// `link-login-only`, `chap-id`, `chap-challenge`).
    std::vector<std::string> portal_parameters;
    /// Where the facts come from (vendor documents, dictionary files).
    std::vector<std::string> sources;
    friend bool operator==(const VendorProfile&, const VendorProfile&) = default;
};

/// One attribute of a reply (or of a CoA/Disconnect request): its dictionary name and its
/// value, an integer for integer attributes and text for the rest.
struct ReplyAttribute {
    std::string name;
    std::variant<std::int64_t, std::string> value;
    friend bool operator==(const ReplyAttribute&, const ReplyAttribute&) = default;
};

// Usage (what an account has used across its sessions) is in core/hotspot/model.hpp.

/// What is left of an account's allowances at an instant. None = that allowance is unlimited.
/// Values may be zero or negative when used up.
struct Remaining {
    std::optional<std::int64_t> data_bytes;      ///< Plan limit + extra - used (by direction).
    std::optional<std::int64_t> online_seconds;  ///< Plan online time + extra - used.
    /// When the wall-clock time runs out: the account's expires_at, else computed from the
    /// plan's duration and time_from (first login not yet made = starting now).
    std::optional<Timestamp> expires_at;
    /// min(online_seconds, expires_at - now), never below 0. None = no time limit.
    std::optional<std::int64_t> seconds_left;
    friend bool operator==(const Remaining&, const Remaining&) = default;
};

/// What is left of `account`'s allowances under `plan` at `now`. `usage` is the account's total
/// across all its sessions; what counts against the plan is `usage - account.usage_base` (the
/// totals at its last plan change), so a new plan starts a fresh allowance.
/// @source Plan and Account fields (core/hotspot/model.hpp).
Remaining remaining(const Plan& plan, const Account& account, const Usage& usage, Timestamp now);

/// The Mikrotik-Rate-Limit text of a plan: `<up>k/<down>k`, and when the plan has a burst,
/// `<up>k/<down>k <burst-up>k/<burst-down>k <threshold-up>k/<threshold-down>k <s>/<s>`
/// (rx = upload, tx = download, from the router's side; 1k = 1,000 bit/s).
/// @returns nullopt when the plan has neither download_kbps nor upload_kbps.
/// @source MikroTik RouterOS RADIUS client, "Mikrotik-Rate-Limit" format.
std::optional<std::string> mikrotik_rate_limit(const Plan& plan);

/// The speed attributes of a plan for a vendor (what a CoA-Request sends when a plan's speed
/// changes): Mikrotik-Rate-Limit, or download/upload attributes in bit/s or kbit/s. An absent
/// direction is left out. Empty when the vendor takes no speed attribute.
std::vector<ReplyAttribute> speed_attributes(const VendorProfile& profile, const Plan& plan);

/// A byte count split into the two 32-bit halves RADIUS carries (RFC 2869 5.1): `octets` =
/// bytes mod 2^32, `gigawords` = bytes / 2^32. Negative counts split as 0.
struct OctetsGigawords {
    std::int64_t octets = 0;
    std::int64_t gigawords = 0;
    friend bool operator==(const OctetsGigawords&, const OctetsGigawords&) = default;
};
OctetsGigawords split_octets(std::int64_t bytes) noexcept;

/// The reply attributes of an Access-Accept for an active account: speed (speed_attributes),
/// the remaining data as octets + gigawords in the quota attributes of the plan's data
/// direction, Session-Timeout = seconds left of wall-clock or online time (at least 1),
/// Idle-Timeout, the plan's address pool, Acct-Interim-Interval. Attributes the vendor has no
/// name for are left out (the limit is then enforced from accounting).
std::vector<ReplyAttribute> reply_attributes(const VendorProfile& profile, const Plan& plan,
                                             const Account& account, const Usage& usage,
                                             Timestamp now);

/// The reply attributes of an Access-Accept into the plan's expired pool (walled garden): the
/// pool attribute set to `plan.expired_pool`, Acct-Interim-Interval, nothing else.
std::vector<ReplyAttribute> expired_pool_attributes(const VendorProfile& profile, const Plan& plan);

}  // namespace switchyard::core::hotspot
