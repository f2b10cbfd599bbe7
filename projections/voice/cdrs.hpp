#pragma once
/// The `voice_cdrs` read model: every CDR of the log (rated or unrated) as a flat JSON row with
/// its buy and sell costs, for CDR search, the CDR detail and the CSV export of the API. A
/// re-rated CDR's row carries the new costs (the old ones are in the `voice.cdr.rerated`
/// event).
///
/// Keys (all text):
/// - `c/<cdr id>` -> the row (cdr_row_json below);
/// - `t/<start>/<cdr id>` -> empty, the CDRs in call start order;
/// - `u/<customer id>/<start>/<cdr id>` -> empty, one customer's CDRs in call start order;
/// where `<start>` is the call start in microseconds since the Unix epoch, written with 20
/// digits so that text order is time order. A search's cursor is `<start>/<cdr id>`.
///
/// Row fields: `cdr_id`, `status` (`rated`/`unrated`), `customer_id`, `carrier_id`, `source`,
/// `switch_name`, `switch_key`, `accountcode`, `caller`, `dialled` (as the switch wrote it),
/// `destination` (E.164 digits, rated only), `start`, `answer` (null when unanswered), `end`
/// (RFC 3339 UTC), `duration_s`, `billsec`, `disposition`, `hangup_cause`, `trunk`,
/// `source_ip`, `line`, `sell` and `buy` (null or `{deck_id, deck_version, currency,
/// cost_micros, cost (decimal), matched_prefix, destination_id, rating_plan_id, rate_id,
/// billed_usage_s, explain}`), `margin_micros` (null when unknown), `reratings`,
/// `unrated_reason` and `message` (unrated only), `start_key` (the `<start>` of the keys).

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::voice {

inline constexpr const char* kVoiceCdrs = "voice_cdrs.v1";

std::unique_ptr<Projector> make_voice_cdrs_projector();

/// What a CDR search keeps; empty members match everything.
struct CdrSearch {
    std::optional<core::Timestamp> from, to;  ///< Call start in [from, to).
    std::string customer_id;
    std::string carrier_id;
    std::string destination_prefix;  ///< E.164 digits the normalised destination starts with.
    std::string disposition;         ///< core::voice::Disposition wire name.
    std::string status;              ///< `rated` or `unrated`.
    /// The customers the caller may see (a reseller's subtree, a customer user's own); nullopt
    /// for the operator's staff, who see every CDR (also those of no known customer).
    std::optional<std::set<std::string>> reach;
    std::string after;  ///< A cursor from a previous page; empty = from the start.
};

/// One CDR found: its cursor and its row's JSON text.
struct CdrHit {
    std::string cursor;
    std::string json;
};

/// Up to `limit` CDRs that `search` keeps, in call start order (then CDR id).
std::vector<CdrHit> search_cdrs(const ReadModelView& view, const CdrSearch& search,
                                std::size_t limit);
/// The row of one CDR as JSON text, or nullopt.
std::optional<std::string> find_cdr(const ReadModelView& view, const std::string& cdr_id);

/// The start part of the keys: `t` in microseconds since the epoch, 20 digits.
std::string start_key(core::Timestamp t);

}  // namespace switchyard::projections::voice
