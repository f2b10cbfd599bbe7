#pragma once
/// Extensions, ring groups and media server targets (issue 14 item 7: what Kamailio can do
/// without a media server). One aggregate per tenant, `voice_pbx-<tenant>`, so that extension
/// numbers (per customer) and SIP usernames (per tenant) are decided unique against all of them.
///
/// An extension is a customer's internal number (`201`) that a phone registers through
/// Kamailio's registrar (digest: HA1 = lowercase hex MD5(`username:realm:password`), RFC 2617
/// §3.2.2.2, sealed at rest like a trunk's; the password is never kept). Its forwarding rules
/// (unconditional, busy = 486/600, no answer after N seconds, unavailable = not registered or
/// unreachable) send the call to another extension, a ring group, an E.164 number or a SIP URI.
/// A ring group rings its members in parallel (one fork) or one after the other.
///
/// IVR, queues, voicemail and recording need a media server (Debian 12 packages neither
/// Asterisk nor FreeSWITCH): a media server here is only a named SIP URI calls can be sent to.
///
/// plan_for() turns a target into the call path's RoutePlan (core/voice/call_path.hpp): routes
/// with `location` set are resolved by Kamailio (`lookup("location")` of each AoR in `ring`),
/// and each route's `on_busy` / `on_no_answer` / `on_unavailable` names the 1-based route to go
/// on with (0 = the call fails with that answer).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "core/voice/call_path.hpp"

namespace switchyard::core::voice {

/// When a forwarding rule applies. Wire names `always` (unconditional), `busy` (486/600),
/// `no_answer` (no answer within `after_s`), `unavailable` (not registered, or 404/5xx).
enum class ForwardCondition { Always, Busy, NoAnswer, Unavailable };
const char* to_string(ForwardCondition c) noexcept;
bool parse_forward_condition(std::string_view text, ForwardCondition& out) noexcept;

/// What a forward (or a ring group's fallback, or a DID) points at. Wire names `none`,
/// `extension`, `ring_group`, `number` (E.164 digits, through the carriers), `uri` (`sip:` or
/// `sips:`), `media_server`.
enum class TargetKind { None, Extension, RingGroup, Number, Uri, MediaServer };
const char* to_string(TargetKind k) noexcept;
bool parse_target_kind(std::string_view text, TargetKind& out) noexcept;

/// How a ring group rings. Wire names `parallel` (every member at once), `sequential`.
enum class RingStrategy { Parallel, Sequential };
const char* to_string(RingStrategy s) noexcept;
bool parse_ring_strategy(std::string_view text, RingStrategy& out) noexcept;

/// What a media server is for. Wire names `ivr`, `queue`, `voicemail`, `recording`.
enum class MediaPurpose { Ivr, Queue, Voicemail, Recording };
const char* to_string(MediaPurpose p) noexcept;
bool parse_media_purpose(std::string_view text, MediaPurpose& out) noexcept;

/// One forwarding rule of an extension.
struct ForwardRule {
    ForwardCondition condition = ForwardCondition::Always;
    TargetKind kind = TargetKind::Extension;
    std::string value;         ///< Extension id, ring group id, E.164 digits, URI, media server id.
    std::int64_t after_s = 0;  ///< no_answer: ring time in seconds, 5 to 120 (0 = 20).
    friend bool operator==(const ForwardRule&, const ForwardRule&) = default;
};

/// A customer's extension.
struct Extension {
    std::string extension_id;  ///< `[a-z0-9_-]{1,32}`, unique per tenant.
    std::int64_t customer_id = 0;
    std::string number;  ///< 2 to 8 digits, unique per customer (extensions and ring groups).
    std::string name;    ///< Display name, 0 to 64 printable characters.
    /// The SIP digest username its phone registers with: `[A-Za-z0-9_.-]{1,64}`, unique per
    /// tenant; defaults to the number. The AoR is `sip:<username>@<realm>`.
    std::string username;
    std::vector<ForwardRule> forwards;  ///< At most one per condition.
    Timestamp created_at{};
    friend bool operator==(const Extension&, const Extension&) = default;
};

/// An extension's digest credential: its HA1 sealed under the master key, for one realm.
struct ExtensionCredential {
    std::string username;
    std::string realm;
    std::string ha1_sealed;  ///< `sy1:...` (events/secret_box.hpp); never the clear HA1.
    friend bool operator==(const ExtensionCredential&, const ExtensionCredential&) = default;
};

/// One member of a ring group.
struct RingMember {
    std::string extension_id;
    std::int64_t ring_s = 20;  ///< sequential: how long this member rings, 5 to 120 s.
    friend bool operator==(const RingMember&, const RingMember&) = default;
};

/// A customer's ring group.
struct RingGroup {
    std::string ring_group_id;  ///< `[a-z0-9_-]{1,32}`, unique per tenant.
    std::int64_t customer_id = 0;
    std::string number;  ///< Dialable number (2 to 8 digits) or empty.
    std::string name;
    RingStrategy strategy = RingStrategy::Parallel;
    std::int64_t ring_s = 20;         ///< parallel: how long the group rings, 5 to 120 s.
    std::vector<RingMember> members;  ///< 1 to 16 extensions of the same customer.
    /// Where the call goes when no member answers (busy, no answer, none registered).
    TargetKind fallback_kind = TargetKind::None;
    std::string fallback_value;
    friend bool operator==(const RingGroup&, const RingGroup&) = default;
};

/// A media server calls can be sent to (IVR, queue, voicemail, recording live there).
struct MediaServer {
    std::string media_server_id;   ///< `[a-z0-9_-]{1,32}`, unique per tenant.
    std::int64_t customer_id = 0;  ///< 0: any customer's forwards may use it.
    std::string name;
    std::string uri;  ///< `sip:` or `sips:` URI, at most 256 characters.
    MediaPurpose purpose = MediaPurpose::Voicemail;
    friend bool operator==(const MediaServer&, const MediaServer&) = default;
};

// ---- events (stream `voice_pbx-<tenant>`) ----

/// An extension was created or replaced (all fields after the change).
struct ExtensionDefined {
    static constexpr std::string_view kType = "voice.extension.defined";
    Extension extension;
};
/// An extension's password was set: only its sealed HA1 is recorded.
struct ExtensionPasswordSet {
    static constexpr std::string_view kType = "voice.extension.password_set";
    std::string extension_id;
    ExtensionCredential credential;
};
/// An extension was removed; its id, number and username are free again.
struct ExtensionRemoved {
    static constexpr std::string_view kType = "voice.extension.removed";
    std::string extension_id;
};
/// A ring group was created or replaced.
struct RingGroupDefined {
    static constexpr std::string_view kType = "voice.ring_group.defined";
    RingGroup ring_group;
};
/// A ring group was removed.
struct RingGroupRemoved {
    static constexpr std::string_view kType = "voice.ring_group.removed";
    std::string ring_group_id;
};
/// A media server target was created or replaced.
struct MediaServerDefined {
    static constexpr std::string_view kType = "voice.media_server.defined";
    MediaServer media_server;
};
/// A media server target was removed.
struct MediaServerRemoved {
    static constexpr std::string_view kType = "voice.media_server.removed";
    std::string media_server_id;
};

using PbxEvent =
    std::variant<ExtensionDefined, ExtensionPasswordSet, ExtensionRemoved, RingGroupDefined,
                 RingGroupRemoved, MediaServerDefined, MediaServerRemoved>;

/// One extension as the log has it.
struct ExtensionEntry {
    Extension extension;
    std::optional<ExtensionCredential> credential;  ///< None until a password is set.
};

struct PbxState {
    std::map<std::string, ExtensionEntry> extensions;  ///< By extension id.
    std::map<std::string, RingGroup> ring_groups;      ///< By ring group id.
    std::map<std::string, MediaServer> media_servers;  ///< By media server id.
    std::map<std::string, std::string> usernames;      ///< Digest username -> extension id.
    /// `<customer id>/<number>` -> `extension:<id>` or `ring_group:<id>`.
    std::map<std::string, std::string> numbers;
    std::int64_t version = 0;  ///< Events folded so far.
};

inline std::string pbx_stream(const std::string& tenant) { return "voice_pbx-" + tenant; }

// ---- commands ----

/// Creates or replaces an extension (its customer never changes; the credential is dropped
/// when the username changes).
struct DefineExtension {
    Extension extension;
};
/// Records an extension's credential (the service computed and sealed the HA1).
struct SetExtensionPassword {
    std::string extension_id;
    ExtensionCredential credential;
};
struct RemoveExtension {
    std::string extension_id;
};
struct DefineRingGroup {
    RingGroup ring_group;
};
struct RemoveRingGroup {
    std::string ring_group_id;
};
struct DefineMediaServer {
    MediaServer media_server;
};
struct RemoveMediaServer {
    std::string media_server_id;
};

void evolve(PbxState& state, const PbxEvent& event);

/// @errors Invalid naming `extension_id`, `number`, `name`, `username`, `forwards` (more than
///         4, a repeated condition, a bad target or `after_s`); Conflict naming `number` (taken
///         in the customer), `username` (taken in the tenant); Rejected naming `customer_id`
///         when a replace moves it; NotFound naming `forwards` for an unknown target.
Result<std::vector<PbxEvent>> decide(const PbxState& s, const DefineExtension& c,
                                     const DecisionContext& ctx);
/// @errors NotFound naming `extension_id`; Rejected naming `username` when the credential was
///         made for another username; Invalid naming `realm` or `ha1_sealed` when empty.
Result<std::vector<PbxEvent>> decide(const PbxState& s, const SetExtensionPassword& c,
                                     const DecisionContext& ctx);
/// @errors NotFound naming `extension_id`; Conflict naming `extension_id` while a ring group
///         or another extension's forward points at it.
Result<std::vector<PbxEvent>> decide(const PbxState& s, const RemoveExtension& c,
                                     const DecisionContext& ctx);
/// @errors Invalid naming `ring_group_id`, `number`, `name`, `strategy`, `ring_s`, `members`
///         (none, more than 16, repeated, `ring_s` out of 5 to 120), `fallback`; NotFound
///         naming `members` (an extension of another customer counts as unknown) or
///         `fallback`; Conflict naming `number`; Rejected naming `customer_id` when moved.
Result<std::vector<PbxEvent>> decide(const PbxState& s, const DefineRingGroup& c,
                                     const DecisionContext& ctx);
/// @errors NotFound naming `ring_group_id`; Conflict while a forward points at it.
Result<std::vector<PbxEvent>> decide(const PbxState& s, const RemoveRingGroup& c,
                                     const DecisionContext& ctx);
/// @errors Invalid naming `media_server_id`, `name`, `uri`, `customer_id` (negative).
Result<std::vector<PbxEvent>> decide(const PbxState& s, const DefineMediaServer& c,
                                     const DecisionContext& ctx);
/// @errors NotFound naming `media_server_id`; Conflict while a forward points at it.
Result<std::vector<PbxEvent>> decide(const PbxState& s, const RemoveMediaServer& c,
                                     const DecisionContext& ctx);

// ---- routing ----

/// The carrier routes of an E.164 number a customer forwards to; empty when none.
using NumberRoutes =
    std::function<std::vector<RouteOption>(std::int64_t customer_id, const std::string& number)>;

/// How plan_for builds AoRs and how far it follows forwards.
struct PbxPlanOptions {
    std::string domain = "switchyard";  ///< The AoR host: `sip:<username>@<domain>`.
    int max_hops = 4;                   ///< Forwards followed from the first target.
    std::size_t max_routes = 16;        ///< Routes in one plan at most.
    NumberRoutes number_routes;         ///< Unset: forwards to numbers are skipped.
};

/// The AoR of an extension: `sip:<username>@<domain>`.
std::string aor_of(const Extension& e, const std::string& domain);

/// The plan of a call to `kind`/`value` of `customer_id`'s PBX (see the file comment).
/// Strategy `extension`, route group `pbx:<customer id>`, max_attempts = the routes. Targets
/// that cannot be reached (unknown, a forward loop past max_hops, a number without routes)
/// go to `skipped`. @returns none when nothing could be routed.
std::optional<RoutePlan> plan_for(const PbxState& s, std::int64_t customer_id, TargetKind kind,
                                  const std::string& value, const PbxPlanOptions& options);

/// What `number` dialled inside `customer_id` is: an extension or ring group number.
/// @returns the kind and id, or none.
std::optional<std::pair<TargetKind, std::string>> find_number(const PbxState& s,
                                                              std::int64_t customer_id,
                                                              const std::string& number);

/// True for `[A-Za-z0-9_.-]{1,64}`.
bool valid_extension_username(std::string_view name) noexcept;

}  // namespace switchyard::core::voice
