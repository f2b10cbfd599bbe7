#pragma once
/// DIDs (issue 14 item 5, DIDTron's DID inventory): the countries DIDs are sold in with the KYC
/// documents each requires, the providers DIDs are bought from, the inventory of numbers, their
/// ordering by a voice customer, KYC documents and their decisions, the fees charged (setup and
/// monthly, read by billing), inbound routing to a customer's trunk or a SIP URI with failover,
/// and porting status. One aggregate per tenant, `voice_dids-<tenant>`.
///
/// The life of a DID (DidStatus):
///
///     available --reserve--> reserved --order--> pending_kyc --all KYC approved--> active
///     available --order--> pending_kyc (the country requires KYC) | active (it does not)
///     active --suspend--> suspended --resume--> active
///     reserved | pending_kyc | active | suspended --release--> released
///     released --imported again--> available (a restock: customer, routing, KYC and fees reset)
///
/// A DID is never active before every document type its country requires has an approved
/// document. Activation charges the setup fee and the month's monthly fee
/// (`voice.did.fee_charged`); `ChargeMonthly` charges each active or suspended DID once per
/// calendar month.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.hpp"
#include "core/voice/call_path.hpp"
#include "core/voice/money.hpp"

namespace switchyard::core::voice {

/// The kind of number. Wire names `local`, `national`, `mobile`, `tollfree`.
enum class DidType { Local, National, Mobile, TollFree };
const char* to_string(DidType t) noexcept;
bool parse_did_type(std::string_view text, DidType& out) noexcept;

/// Where a DID is in its life. Wire names `available`, `reserved`, `pending_kyc`, `active`,
/// `suspended`, `released`.
enum class DidStatus { Available, Reserved, PendingKyc, Active, Suspended, Released };
const char* to_string(DidStatus s) noexcept;
bool parse_did_status(std::string_view text, DidStatus& out) noexcept;

/// Number portability. Wire names `none`, `port_in_requested`, `port_in_completed`,
/// `port_out_requested`, `ported_out`. Allowed changes: none -> port_in_requested ->
/// port_in_completed; port_in_requested -> none (cancelled); none | port_in_completed ->
/// port_out_requested (the DID active or suspended) -> ported_out (the DID is released) or
/// back to none (cancelled).
enum class PortStatus { None, PortInRequested, PortInCompleted, PortOutRequested, PortedOut };
const char* to_string(PortStatus s) noexcept;
bool parse_port_status(std::string_view text, PortStatus& out) noexcept;

/// A KYC document's decision. Wire names `submitted`, `approved`, `rejected`.
enum class KycStatus { Submitted, Approved, Rejected };
const char* to_string(KycStatus s) noexcept;
bool parse_kyc_status(std::string_view text, KycStatus& out) noexcept;

/// What a fee is for. Wire names `setup`, `monthly`.
enum class FeeKind { Setup, Monthly };
const char* to_string(FeeKind k) noexcept;
bool parse_fee_kind(std::string_view text, FeeKind& out) noexcept;

/// What an inbound route points at. Wire names `trunk`, `uri`, `extension`, `ring_group` (the
/// last two: an extension or ring group of the DID's customer, core/voice/extension.hpp).
enum class DidTargetKind { Trunk, Uri, Extension, RingGroup };
const char* to_string(DidTargetKind k) noexcept;
bool parse_did_target_kind(std::string_view text, DidTargetKind& out) noexcept;

/// A country DIDs are sold in, and the KYC documents a DID there needs before activation.
struct DidCountry {
    std::string country;  ///< ISO 3166-1 alpha-2, upper case (`DE`).
    std::string name;     ///< 1 to 64 printable characters.
    /// Required document types, each `[a-z0-9_]{1,32}` (`id`, `proof_of_address`,
    /// `business_registration`), at most 8, no repeats. Empty: no KYC.
    std::vector<std::string> kyc_documents;
    friend bool operator==(const DidCountry&, const DidCountry&) = default;
};

/// A provider DIDs are bought from.
struct DidProvider {
    std::string provider_id;  ///< `[a-z0-9_-]{1,32}`.
    std::string name;         ///< 1 to 64 printable characters.
    std::string currency;     ///< ISO 4217 of its costs; the default currency of its DIDs.
    std::string api_notes;    ///< Free text for operators, at most 2,000 characters.
    friend bool operator==(const DidProvider&, const DidProvider&) = default;
};

/// A number in the inventory as imported: what it costs (buy) and what it sells for.
struct DidInventory {
    std::string number;       ///< E.164 digits without `+`, 6 to 15 digits, not starting with 0.
    std::string country;      ///< A defined DidCountry.
    std::string provider_id;  ///< A defined DidProvider.
    DidType type = DidType::Local;
    std::string area;           ///< City or area, free text, at most 64 characters; may be empty.
    std::string currency;       ///< ISO 4217 of the costs and prices.
    Micros setup_cost = 0;      ///< Buy, once per order, 0 or more.
    Micros monthly_cost = 0;    ///< Buy, per month, 0 or more.
    Micros setup_price = 0;     ///< Sell, charged at activation, 0 or more.
    Micros monthly_price = 0;   ///< Sell, charged once per calendar month, 0 or more.
    std::int64_t channels = 1;  ///< Concurrent inbound calls, 1 to 10,000.
    friend bool operator==(const DidInventory&, const DidInventory&) = default;
};

/// One inbound route of a DID: a customer trunk (its id, resolved to host:port by the trunk
/// directory when the call comes), a SIP URI (`sip:` or `sips:`, RFC 3261 §19.1), or an
/// extension or ring group id of the DID's customer.
struct DidTarget {
    DidTargetKind kind = DidTargetKind::Uri;
    std::string value;  ///< Trunk id (1 to 64 of `[A-Za-z0-9_.-]`) or the URI (at most 256).
    friend bool operator==(const DidTarget&, const DidTarget&) = default;
};

/// A KYC document submitted for a DID and its decision.
struct KycDocument {
    std::int64_t document_id = 0;  ///< Tenant-wide, from 1.
    std::string doc_type;          ///< One of the country's required types.
    std::string sha256;            ///< Lowercase hex SHA-256 of the file.
    std::string content_type;      ///< `application/pdf`, `image/png` or `image/jpeg`.
    std::int64_t size_bytes = 0;
    KycStatus status = KycStatus::Submitted;
    std::string reason;  ///< Why it was rejected; empty otherwise.
    Timestamp submitted_at;
    std::optional<Timestamp> decided_at;
    friend bool operator==(const KycDocument&, const KycDocument&) = default;
};

/// A DID and everything that happened to it since it was (re)stocked.
struct Did {
    DidInventory inventory;
    DidStatus status = DidStatus::Available;
    Timestamp status_since;
    std::int64_t customer_id = 0;  ///< 0 when available or released.
    bool kyc_required = false;     ///< The country required KYC when it was ordered.
    PortStatus port_status = PortStatus::None;
    std::optional<Timestamp> port_status_since;
    std::vector<DidTarget> routing;  ///< In failover order; empty = no inbound route.
    std::vector<KycDocument> kyc;    ///< In submission order.
    std::optional<Timestamp> activated_at;
    bool setup_charged = false;
    std::set<std::string> monthly_charged;  ///< Periods `YYYY-MM` charged since the order.
    friend bool operator==(const Did&, const Did&) = default;
};

/// The DIDs of a tenant.
struct DidState {
    std::map<std::string, DidCountry> countries;
    std::map<std::string, DidProvider> providers;
    std::map<std::string, Did> dids;  ///< By number.
    std::int64_t next_document_id = 1;
    std::set<std::string> import_commands;  ///< Command ids of the imports that wrote events.
};

inline std::string did_stream(const std::string& tenant) { return "voice_dids-" + tenant; }

// ---- events (every one carries `at`, the command's time) ----

struct DidCountryDefined {
    static constexpr std::string_view kType = "voice.did_country.defined";
    DidCountry country;
};
struct DidProviderDefined {
    static constexpr std::string_view kType = "voice.did_provider.defined";
    DidProvider provider;
};
/// A number was put in the inventory, or its inventory fields changed (a re-import with other
/// values). A released number imported again is available again.
struct DidImported {
    static constexpr std::string_view kType = "voice.did.imported";
    DidInventory did;
    std::string command_id;  ///< The import that wrote it (a retry with it imports nothing).
    Timestamp at;
};
struct DidReserved {
    static constexpr std::string_view kType = "voice.did.reserved";
    std::string number;
    std::int64_t customer_id = 0;
    Timestamp at;
};
/// A customer ordered the number: pending its KYC (`kyc_required`) or activated by the
/// `voice.did.activated` that follows in the same command.
struct DidOrdered {
    static constexpr std::string_view kType = "voice.did.ordered";
    std::string number;
    std::int64_t customer_id = 0;
    bool kyc_required = false;
    Timestamp at;
};
struct DidActivated {
    static constexpr std::string_view kType = "voice.did.activated";
    std::string number;
    std::int64_t customer_id = 0;
    Timestamp at;
};
struct DidSuspended {
    static constexpr std::string_view kType = "voice.did.suspended";
    std::string number;
    std::string reason;
    Timestamp at;
};
struct DidResumed {
    static constexpr std::string_view kType = "voice.did.resumed";
    std::string number;
    Timestamp at;
};
struct DidReleased {
    static constexpr std::string_view kType = "voice.did.released";
    std::string number;
    std::int64_t customer_id = 0;  ///< Who held it.
    Timestamp at;
};
struct DidRoutingSet {
    static constexpr std::string_view kType = "voice.did.routing_set";
    std::string number;
    std::vector<DidTarget> targets;
    Timestamp at;
};
struct DidPortStatusChanged {
    static constexpr std::string_view kType = "voice.did.port_status_changed";
    std::string number;
    PortStatus port_status = PortStatus::None;
    Timestamp at;
};
/// A fee for billing (issue 16 reads these): the sell price, in the DID's currency.
struct DidFeeCharged {
    static constexpr std::string_view kType = "voice.did.fee_charged";
    std::string number;
    std::int64_t customer_id = 0;
    FeeKind kind = FeeKind::Setup;
    std::string period;  ///< `YYYY-MM`: the month charged (setup: the month of activation).
    Micros amount_micros = 0;
    std::string currency;
    Timestamp at;
};
struct KycSubmitted {
    static constexpr std::string_view kType = "voice.kyc.submitted";
    std::string number;
    std::int64_t customer_id = 0;
    std::int64_t document_id = 0;
    std::string doc_type;
    std::string sha256;
    std::string content_type;
    std::int64_t size_bytes = 0;
    Timestamp at;
};
struct KycApproved {
    static constexpr std::string_view kType = "voice.kyc.approved";
    std::string number;
    std::int64_t document_id = 0;
    Timestamp at;
};
struct KycRejected {
    static constexpr std::string_view kType = "voice.kyc.rejected";
    std::string number;
    std::int64_t document_id = 0;
    std::string reason;
    Timestamp at;
};

using DidEvent =
    std::variant<DidCountryDefined, DidProviderDefined, DidImported, DidReserved, DidOrdered,
                 DidActivated, DidSuspended, DidResumed, DidReleased, DidRoutingSet,
                 DidPortStatusChanged, DidFeeCharged, KycSubmitted, KycApproved, KycRejected>;

// ---- pure helpers ----

/// The E.164 digits of `text`: one leading `+` dropped, then 6 to 15 digits not starting with
/// 0. None otherwise.
std::optional<std::string> did_number(std::string_view text);

/// The calendar month `YYYY-MM` (UTC) of `t`.
std::string month_of(Timestamp t);

/// True for a period `YYYY-MM` (month 01 to 12, year 2000 to 9999).
bool valid_period(std::string_view period) noexcept;

/// Resolves a customer trunk id to the `host:port` its inbound calls go to; none when unknown.
using TrunkResolver = std::function<std::optional<std::string>(const std::string& trunk_id)>;

/// The inbound routing plan of `did`: one RouteOption per routing target in order, `uri` the
/// target's SIP URI or `sip:<number>@<host:port>` of the resolved trunk (`gateway_id` = the
/// trunk id), `why` = `did inbound #<n>` (n = the target's 1-based position). A trunk the
/// resolver does not know (or no resolver) goes to `skipped` with reason `unresolved_trunk`.
/// An extension or ring group target is a route with `uri` `extension:<id>` or
/// `ring_group:<id>` and the DID's customer id in `carrier_id`, for the extension service to
/// replace by its plan (events/voice/extension_service.hpp expand).
/// Strategy `priority`, route group `did:<number>`, max_attempts = the number of routes.
/// @returns none when the DID is not active or has no routing targets.
std::optional<RoutePlan> inbound_plan(const Did& did, const TrunkResolver& resolve);

}  // namespace switchyard::core::voice
