#pragma once
/// The enforcement decision, pure: whether an account's open sessions must be cut
/// (Disconnect-Request) or changed (CoA-Request) now, with which attributes for each session's
/// NAS vendor, and when to look again. The adapter (adapters/radius/) sends the requests,
/// retries them and records the outcome; this file only decides.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hotspot/model.hpp"
#include "core/hotspot/vendor_profile.hpp"
#include "core/time.hpp"

namespace switchyard::core::hotspot {

/// Why a session is cut or changed. Wire names `data_used`, `time_used`, `expired`,
/// `disabled`, `speed_changed`, `staff_ended`.
enum class EnforcementReason { DataUsed, TimeUsed, Expired, Disabled, SpeedChanged, StaffEnded };
std::string_view enforcement_reason_name(EnforcementReason r) noexcept;

/// The RFC 5176 request to send: Disconnect-Request (code 40) or CoA-Request (code 43).
enum class DynamicAuthorization { Disconnect, Coa };

/// One open session of the account, with the NAS it is on and that NAS's vendor profile.
struct SessionTarget {
    Session session;
    Nas nas;
    VendorProfile profile;
};

/// One request to send to a NAS.
struct EnforcementAction {
    DynamicAuthorization kind = DynamicAuthorization::Disconnect;
    EnforcementReason reason = EnforcementReason::Expired;
    std::string unique_id;  ///< The session's Acct-Unique-Session-Id.
    std::string nas_id;
    std::string address;        ///< Where to send: Nas::coa_address, else Nas::address.
    std::uint16_t port = 3799;  ///< Nas::coa_port.
    /// The identifying attributes of the vendor (VendorProfile::disconnect_attributes, each
    /// only when the session knows its value), then for a CoA the new speed attributes.
    std::vector<ReplyAttribute> attributes;
};

/// What enforce() is given.
struct EnforcementInput {
    const Account* account = nullptr;
    const Plan* plan = nullptr;
    Usage usage;  ///< Across all its sessions, up to the last interim update.
    std::vector<SessionTarget> sessions;  ///< Its open sessions.
    Timestamp now{};
    /// The plan's speed before a change (download, upload kbit/s and burst), set when the
    /// caller reacts to a plan change; a different speed in `plan` gives a CoA.
    std::optional<Plan> previous_plan;
    bool staff_ended = false;  ///< Staff ended the sessions (DELETE /v1/hotspot/sessions/...).
};

/// The decision.
struct EnforcementDecision {
    /// Set when a limit is crossed (or staff ended it, or the speed changed).
    std::optional<EnforcementReason> reason;
    std::vector<EnforcementAction> actions;  ///< One per open session; empty when none.
    /// The next instant a time limit falls (wall-clock expiry, or now + online time left
    /// divided by the open sessions, which all consume it), for a timer. None = no time limit
    /// or no open session.
    std::optional<Timestamp> next_deadline;
};

/// Which limit `account` has crossed at `now`, checking disabled, expiry, online time, data.
/// @returns nullopt when none is.
std::optional<EnforcementReason> limit_crossed(const Plan& plan, const Account& account,
                                               const Usage& usage, Timestamp now);

/// The identifying attributes of a session for a vendor, in the order of
/// VendorProfile::disconnect_attributes, from the session's fields (User-Name,
/// Acct-Session-Id, Framed-IP-Address, NAS-IP-Address, Calling-Station-Id,
/// Called-Station-Id); an attribute whose value the session lacks is left out.
/// @source RFC 5176 section 3 (session identification attributes).
std::vector<ReplyAttribute> identifying_attributes(const VendorProfile& profile,
                                                   const Session& session);

/// The enforcement decision: staff_ended or a crossed limit gives a Disconnect-Request for each
/// open session; otherwise a speed change (previous_plan differs in download, upload or burst)
/// gives a CoA-Request with identifying and speed attributes (a Disconnect-Request for a
/// vendor whose profile has no speed attribute); otherwise no action. The next
/// deadline is computed in every case.
EnforcementDecision enforce(const EnforcementInput& in);

}  // namespace switchyard::core::hotspot
