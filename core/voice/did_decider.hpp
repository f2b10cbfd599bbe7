#pragma once
/// Decide and evolve for DIDs (pure; the rules are in core/voice/did.hpp). Every decide
/// rejects with the field at fault; a command whose effect is already in the state decides
/// nothing (a retry).

#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/did.hpp"
#include "core/voice/import_report.hpp"

namespace switchyard::core::voice {

/// Creates or replaces a country.
struct DefineDidCountry {
    DidCountry country;
};
/// Creates or replaces a provider.
struct DefineDidProvider {
    DidProvider provider;
};
/// One row of an inventory import and the line it came from (for its error).
struct DidImportRow {
    std::int64_t line = 0;
    DidInventory did;
};
/// Imports rows into the inventory: a new number or changed fields append
/// `voice.did.imported`; a number with the same fields appends nothing.
struct ImportDids {
    std::string file;  ///< As the caller named it, for the row errors.
    /// Idempotency: an import whose command id already wrote events decides nothing.
    std::string command_id;
    std::vector<DidImportRow> rows;
};
struct ReserveDid {
    std::string number;
    std::int64_t customer_id = 0;
};
struct OrderDid {
    std::string number;
    std::int64_t customer_id = 0;
};
struct SuspendDid {
    std::string number;
    std::string reason;  ///< 1 to 256 printable characters.
};
struct ResumeDid {
    std::string number;
};
struct ReleaseDid {
    std::string number;
};
struct SetDidRouting {
    std::string number;
    std::vector<DidTarget> targets;  ///< 0 to 8; empty removes inbound routing.
};
struct SetPortStatus {
    std::string number;
    PortStatus port_status = PortStatus::None;
};
/// Charges the monthly fee of `period` to every active or suspended DID activated before the
/// period ended and not yet charged for it.
struct ChargeMonthly {
    std::string period;  ///< `YYYY-MM`.
};
/// A KYC document stored (events/voice/kyc_store.hpp) and submitted for a DID.
struct SubmitKyc {
    std::string number;
    std::string doc_type;
    std::string sha256;
    std::string content_type;
    std::int64_t size_bytes = 0;
};
struct ApproveKyc {
    std::string number;
    std::int64_t document_id = 0;
};
struct RejectKyc {
    std::string number;
    std::int64_t document_id = 0;
    std::string reason;  ///< Required: 1 to 512 printable characters.
};

/// What an import decided: the events and the rows it refused (by line and field).
struct DidImportDecision {
    std::vector<DidEvent> events;
    std::vector<RowError> errors;
    std::int64_t imported = 0;   ///< New numbers.
    std::int64_t updated = 0;    ///< Numbers whose fields changed (or restocked).
    std::int64_t unchanged = 0;  ///< Numbers already there with the same fields.
    bool replayed = false;       ///< The command id was seen: nothing decided.
};

void evolve(DidState& state, const DidEvent& event);

/// @errors Invalid naming `country`, `name` or `kyc_documents`.
Result<std::vector<DidEvent>> decide(const DidState& s, const DefineDidCountry& c,
                                     const DecisionContext& ctx);
/// @errors Invalid naming `provider_id`, `name`, `currency` or `api_notes`.
Result<std::vector<DidEvent>> decide(const DidState& s, const DefineDidProvider& c,
                                     const DecisionContext& ctx);
/// Never fails: each bad row (fields, unknown country or provider, a number twice in the file)
/// is refused on its own with its line; the rest are decided.
DidImportDecision decide_import(const DidState& s, const ImportDids& c, const DecisionContext& ctx);
/// @errors Invalid naming `number` or `customer_id`; NotFound naming `number`; Rejected
///         naming `status` when the DID is not available (or reserved by another customer).
Result<std::vector<DidEvent>> decide(const DidState& s, const ReserveDid& c,
                                     const DecisionContext& ctx);
/// From available, or reserved for the same customer. Without KYC: ordered, activated, fees.
/// @errors as ReserveDid.
Result<std::vector<DidEvent>> decide(const DidState& s, const OrderDid& c,
                                     const DecisionContext& ctx);
/// @errors Invalid naming `number` or `reason`; NotFound; Rejected naming `status` unless active.
Result<std::vector<DidEvent>> decide(const DidState& s, const SuspendDid& c,
                                     const DecisionContext& ctx);
/// @errors NotFound; Rejected naming `status` unless suspended.
Result<std::vector<DidEvent>> decide(const DidState& s, const ResumeDid& c,
                                     const DecisionContext& ctx);
/// @errors NotFound; Rejected naming `status` when available; released decides nothing.
Result<std::vector<DidEvent>> decide(const DidState& s, const ReleaseDid& c,
                                     const DecisionContext& ctx);
/// @errors Invalid naming `targets` (count, a malformed trunk id or URI); NotFound; Rejected
///         naming `status` when the DID has no customer (available or released).
Result<std::vector<DidEvent>> decide(const DidState& s, const SetDidRouting& c,
                                     const DecisionContext& ctx);
/// @errors NotFound; Rejected naming `port_status` for a change the table in did.hpp does not
///         allow.
Result<std::vector<DidEvent>> decide(const DidState& s, const SetPortStatus& c,
                                     const DecisionContext& ctx);
/// @errors Invalid naming `period`.
Result<std::vector<DidEvent>> decide(const DidState& s, const ChargeMonthly& c,
                                     const DecisionContext& ctx);
/// @errors Invalid naming `doc_type`, `sha256`, `content_type` or `size_bytes`; NotFound;
///         Rejected naming `status` unless reserved or pending_kyc; Rejected naming `doc_type`
///         when the country does not ask for it; Conflict naming `doc_type` when a document of
///         that type is submitted or approved (only a rejected one may be submitted again).
///         The same file (sha256) already submitted for that type decides nothing.
Result<std::vector<DidEvent>> decide(const DidState& s, const SubmitKyc& c,
                                     const DecisionContext& ctx);
/// Approving the last missing type of a pending_kyc DID activates it (and charges its fees).
/// @errors NotFound naming `number` or `document_id`; Rejected naming `document_id` when the
///         document was rejected. Approved already decides nothing.
Result<std::vector<DidEvent>> decide(const DidState& s, const ApproveKyc& c,
                                     const DecisionContext& ctx);
/// @errors Invalid naming `reason` when empty or too long; NotFound as ApproveKyc; Rejected
///         naming `document_id` when it was approved. Rejected already decides nothing.
Result<std::vector<DidEvent>> decide(const DidState& s, const RejectKyc& c,
                                     const DecisionContext& ctx);

/// The field problems of one inventory row alone (Invalid naming the field).
Result<void> check_inventory(const DidInventory& d);

/// The required document types of `did`'s country that have no approved document.
std::vector<std::string> missing_kyc(const DidState& s, const Did& did);

}  // namespace switchyard::core::voice
