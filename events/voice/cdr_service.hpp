#pragma once
/// CDR rating: each call record is priced on the sell side (the customer's rate card) and the
/// buy side (the carrier's rate deck) against the tariff registry, and appended once, together
/// with the debit of the customer's account, in one atomic append. Also rates unrated CDRs
/// again after a fix, and re-rates rated ones against the current tariffs.
///
/// Streams: `voice_cdr-<cdr id>` (cdr_id_of) and `voice_account-<customer id>`. A CDR is
/// appended with the expectation "no stream", so the same record sent twice (a retried batch,
/// two importers) is appended once and answered as a duplicate the second time; the account is
/// appended with its expected revision, and a conflict there is decided again.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/call_record.hpp"
#include "core/voice/cdr_decider.hpp"
#include "events/event_store.hpp"
#include "events/voice/tariff_registry.hpp"

namespace switchyard::events::voice {

/// What the customer side of a CDR needs, as the customer read model gives it.
struct CustomerTerms {
    std::string customer_id;
    std::string currency;      ///< ISO 4217; the account's and the sell card's.
    std::string sell_deck_id;  ///< The rate card reached through the assignment system.
    std::string country;       ///< ISO 3166 alpha-2, for national numbers (`DE`).
    std::vector<std::string> tech_prefixes;  ///< Stripped from the dialled number first.
    std::string subject;  ///< Rating-profile subject when the card has no plan id; default id.
};

/// What the buy side of a CDR needs.
struct CarrierTerms {
    std::string carrier_id;
    std::string buy_deck_id;
};

/// Finds the customer of a record (accountcode, trunk, source IP, caller rules).
/// NotFound (or any error) makes the CDR unrated with reason `unknown_customer`.
using CustomerResolver = std::function<core::Result<CustomerTerms>(const core::voice::CallRecord&)>;
/// Finds the carrier a record went out through; an error leaves the buy side empty.
using CarrierResolver = std::function<core::Result<CarrierTerms>(const core::voice::CallRecord&)>;
/// Normalises a dialled number to E.164 digits without `+` (core/voice/number.hpp `to_e164`
/// once wired). An error makes the CDR unrated with reason `bad_destination`.
using DestinationNormaliser =
    std::function<core::Result<std::string>(std::string_view dialled, const CustomerTerms&)>;

/// The fallback normaliser: strips a tech prefix of the customer, then `+` or `00`, and
/// requires 1 to 15 digits (E.164's maximum) after.
/// @errors Invalid naming `destination` otherwise.
core::Result<std::string> international_digits(std::string_view dialled,
                                               const CustomerTerms& customer);

struct CdrServiceOptions {
    std::string tenant;
    CustomerResolver customer;
    CarrierResolver carrier;  ///< May be empty: no buy side.
    DestinationNormaliser normalise = international_digits;
    /// Unanswered calls (billsec 0) are kept at no cost unless this is set: then they are
    /// priced for 0 s of usage (the connect fee), CGRateS's and carriers' "connect on attempt".
    bool charge_unanswered = false;
};

/// What became of one record. Status wire names `rated`, `unrated`, `duplicate`, `failed`.
struct CdrIngestOutcome {
    std::string cdr_id;
    std::string status;
    std::string reason;  ///< Unrated: the UnratedReason wire name; failed: the error.
    core::voice::Micros sell_micros = 0;
    std::int64_t line = 0;  ///< The record's line in its file.
};

/// Totals of rated CDRs in one currency (sell = revenue, buy = cost where known).
struct CurrencyTotals {
    std::int64_t cdrs = 0;
    core::voice::Micros sell_micros = 0;
    core::voice::Micros buy_micros = 0;
    core::voice::Micros margin_micros = 0;  ///< Over the CDRs whose buy side is known.
};

/// The report of ingest and rate_again.
struct IngestReport {
    std::int64_t rated = 0, unrated = 0, duplicates = 0, unanswered = 0, failed = 0;
    std::map<std::string, CurrencyTotals> totals;  ///< By currency.
    std::vector<CdrIngestOutcome> outcomes;        ///< One per record, in order.
    std::vector<Position> positions;               ///< Last positions written (read-your-writes).
};

/// Which CDRs rate_again and rerate consider: call start in [from, to), a customer, a deck
/// (sell or buy). Empty fields select all.
struct CdrFilter {
    std::optional<core::Timestamp> from, to;
    std::string customer_id;
    std::string deck_id;
    /// Rerate: choose the tariff versions effective at this instant instead of at each call's
    /// start (the call's start still picks peak/off-peak timings).
    std::optional<core::Timestamp> tariffs_at;
};

/// One customer's part of a re-rating.
struct RerateTotals {
    std::string currency;
    std::int64_t rerated = 0;
    core::voice::Micros old_micros = 0, new_micros = 0, delta_micros = 0;
};

/// The report of rerate: CDRs considered, re-rated (cost changed), unchanged, failed (no
/// longer rateable; the reason is in `errors`), totals per customer and per currency.
struct RerateReport {
    std::int64_t considered = 0, rerated = 0, unchanged = 0, failed = 0;
    std::map<std::string, RerateTotals> customers;   ///< By customer id.
    std::map<std::string, RerateTotals> currencies;  ///< By currency.
    std::vector<std::string> errors;                 ///< `<cdr id>: <reason>`.
    std::vector<Position> positions;
};

/// CDR commands of one tenant.
/// @thread safe: batches may be ingested from several threads at once.
class CdrService {
  public:
    /// @param registry must outlive the service; it is brought up to date before each batch.
    CdrService(EventStore& store, TariffRegistry& registry, CdrServiceOptions options);
    ~CdrService();

    /// The id of a record's CDR: the first 32 hex digits of the SHA-256 of
    /// core::voice::cdr_id_source (switch name and switch key).
    static std::string cdr_id_of(const core::voice::CallRecord& record);

    /// Rates and appends each record (see the file comment): up to 1,000 records go in one
    /// append (one fsync), and a group that cannot (a duplicate, a concurrent debit) goes record
    /// by record. A record that fails on a store error is reported `failed` and the batch goes
    /// on.
    /// @errors the store's, when the registry cannot be brought up to date.
    core::Result<IngestReport> ingest(const std::vector<core::voice::CallRecord>& records,
                                      const core::DecisionContext& ctx);

    /// Rates again the unrated CDRs the filter selects (after a customer, deck or rate was
    /// added); those that rate now get `voice.cdr.rated` and their debit, the others stay
    /// unrated (counted `unrated`).
    /// @errors the store's.
    core::Result<IngestReport> rate_again(const CdrFilter& filter,
                                          const core::DecisionContext& ctx);

    /// Prices the rated CDRs the filter selects again with the current tariffs; where a cost
    /// changed appends `voice.cdr.rerated` and debits the account with the delta (a credit when
    /// it went down). Running it twice with the same tariffs changes nothing the second time.
    /// @errors the store's.
    core::Result<RerateReport> rerate(const CdrFilter& filter, const core::DecisionContext& ctx);

    /// The CDR's state as the log has it (status None when unknown).
    core::Result<core::voice::CdrState> load(const std::string& cdr_id);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::voice
