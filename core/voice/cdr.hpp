#pragma once
/// A call detail record in the log: one aggregate per CDR, stream `voice_cdr-<cdr id>`, where
/// the CDR id is derived from what identifies the record at its switch (cdr_id_source below;
/// the hash itself is taken by the command side, events/voice/cdr_service). The first event is
/// `voice.cdr.rated` (with the buy and sell costs) or `voice.cdr.unrated` (with the reason); an
/// unrated CDR may later be rated (`voice.cdr.rated` again, after a fix), a rated one re-rated
/// (`voice.cdr.rerated` with the old and new costs).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/voice/call_record.hpp"
#include "core/voice/money.hpp"

namespace switchyard::core::voice {

/// One side's price of a call (sell: what the customer pays on its rate card; buy: what the
/// carrier charges on its rate deck), with where it came from.
struct SideCost {
    std::string deck_id;
    std::int64_t deck_version = 0;
    std::string currency;
    Micros cost_micros = 0;
    std::string matched_prefix;
    std::string destination_id;
    std::string rating_plan_id;
    std::string rate_id;
    std::int64_t billed_usage_s = 0;
    std::string explain;  ///< Compact explanation: segments, connect fee, rounding, cap.
    friend bool operator==(const SideCost&, const SideCost&) = default;
};

/// Why a CDR could not be rated. Wire names `unknown_customer`, `bad_destination`, `no_deck`,
/// `no_rate`, `currency_mismatch`, `no_account`.
enum class UnratedReason {
    UnknownCustomer,
    BadDestination,
    NoDeck,
    NoRate,
    CurrencyMismatch,
    NoAccount
};
const char* to_string(UnratedReason r) noexcept;
bool parse_unrated_reason(std::string_view text, UnratedReason& out) noexcept;

/// The text hashed into a CDR id: `switch_key`, prefixed by `switch_name` and `/` when the
/// record names its switch (two Asterisk boxes may both write uniqueid `1700000000.1`).
std::string cdr_id_source(const CallRecord& r);

// ---- events (stream `voice_cdr-<cdr id>`) ----

/// A CDR priced. `buy` is absent when no carrier or buy deck was found (`buy_error` says why);
/// the margin is `sell - buy` when both are known.
struct CdrRated {
    static constexpr std::string_view kType = "voice.cdr.rated";
    std::string cdr_id;
    CallRecord record;
    std::string customer_id;
    std::string carrier_id;
    std::string destination;  ///< The B-number normalised to E.164 digits (no `+`).
    SideCost sell;
    std::optional<SideCost> buy;
    std::string buy_error;
    std::optional<Micros> margin_micros;
    Micros debit_micros = 0;  ///< Charged to the customer's account with this event.
    friend bool operator==(const CdrRated&, const CdrRated&) = default;
};

/// A CDR kept without a price.
struct CdrUnrated {
    static constexpr std::string_view kType = "voice.cdr.unrated";
    std::string cdr_id;
    CallRecord record;
    std::string customer_id;  ///< Empty when the customer is unknown.
    UnratedReason reason = UnratedReason::NoRate;
    std::string message;
    friend bool operator==(const CdrUnrated&, const CdrUnrated&) = default;
};

/// A rated CDR priced again with the current tariffs; the account gets the delta.
struct CdrRerated {
    static constexpr std::string_view kType = "voice.cdr.rerated";
    std::string cdr_id;
    std::int64_t rerating = 0;  ///< 1 for the first re-rating of this CDR, then 2, ...
    std::string customer_id;
    Micros old_sell_micros = 0;
    std::optional<Micros> old_buy_micros;
    SideCost sell;
    std::optional<SideCost> buy;
    std::optional<Micros> margin_micros;
    Micros delta_micros = 0;  ///< new sell - old sell, debited from the account.
    friend bool operator==(const CdrRerated&, const CdrRerated&) = default;
};

using CdrEvent = std::variant<CdrRated, CdrUnrated, CdrRerated>;

enum class CdrStatus { None, Rated, Unrated };

struct CdrState {
    CdrStatus status = CdrStatus::None;
    std::string cdr_id;
    CallRecord record;
    std::string customer_id;
    std::string carrier_id;
    std::string destination;
    SideCost sell;
    std::optional<SideCost> buy;
    std::optional<UnratedReason> unrated_reason;
    std::int64_t reratings = 0;
};

inline std::string cdr_stream(const std::string& cdr_id) { return "voice_cdr-" + cdr_id; }

}  // namespace switchyard::core::voice
