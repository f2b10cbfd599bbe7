#include "core/voice/cdr_decider.hpp"

#include "core/overloaded.hpp"

namespace switchyard::core::voice {

const char* to_string(UnratedReason r) noexcept {
    switch (r) {
        case UnratedReason::UnknownCustomer:
            return "unknown_customer";
        case UnratedReason::BadDestination:
            return "bad_destination";
        case UnratedReason::NoDeck:
            return "no_deck";
        case UnratedReason::NoRate:
            return "no_rate";
        case UnratedReason::CurrencyMismatch:
            return "currency_mismatch";
        case UnratedReason::NoAccount:
            return "no_account";
    }
    return "no_rate";
}

bool parse_unrated_reason(std::string_view text, UnratedReason& out) noexcept {
    for (auto r :
         {UnratedReason::UnknownCustomer, UnratedReason::BadDestination, UnratedReason::NoDeck,
          UnratedReason::NoRate, UnratedReason::CurrencyMismatch, UnratedReason::NoAccount}) {
        if (text == to_string(r)) {
            out = r;
            return true;
        }
    }
    return false;
}

std::string cdr_id_source(const CallRecord& r) {
    return r.switch_name.empty() ? r.switch_key : r.switch_name + "/" + r.switch_key;
}

void evolve(CdrState& s, const CdrEvent& event) {
    std::visit(Overloaded{
                   [&](const CdrRated& e) {
                       s.status = CdrStatus::Rated;
                       s.cdr_id = e.cdr_id;
                       s.record = e.record;
                       s.customer_id = e.customer_id;
                       s.carrier_id = e.carrier_id;
                       s.destination = e.destination;
                       s.sell = e.sell;
                       s.buy = e.buy;
                       s.unrated_reason.reset();
                   },
                   [&](const CdrUnrated& e) {
                       if (s.status == CdrStatus::Rated) return;
                       s.status = CdrStatus::Unrated;
                       s.cdr_id = e.cdr_id;
                       s.record = e.record;
                       s.customer_id = e.customer_id;
                       s.unrated_reason = e.reason;
                   },
                   [&](const CdrRerated& e) {
                       s.sell = e.sell;
                       s.buy = e.buy;
                       s.reratings = e.rerating;
                   },
               },
               event);
}

Result<std::vector<CdrEvent>> decide(const CdrState& s, const RateCdr& c, const DecisionContext&) {
    if (c.rated.cdr_id.empty()) return fail(Errc::Invalid, "cdr_id", "is required");
    if (s.status == CdrStatus::Rated) return std::vector<CdrEvent>{};
    return std::vector<CdrEvent>{c.rated};
}

Result<std::vector<CdrEvent>> decide(const CdrState& s, const MarkCdrUnrated& c,
                                     const DecisionContext&) {
    if (c.unrated.cdr_id.empty()) return fail(Errc::Invalid, "cdr_id", "is required");
    if (s.status != CdrStatus::None) return std::vector<CdrEvent>{};
    return std::vector<CdrEvent>{c.unrated};
}

Result<std::vector<CdrEvent>> decide(const CdrState& s, const RerateCdr& c,
                                     const DecisionContext&) {
    if (s.status == CdrStatus::None) return fail(Errc::NotFound, "cdr_id", "no CDR " + c.cdr_id);
    if (s.status == CdrStatus::Unrated)
        return fail(Errc::Rejected, "cdr_id", "an unrated CDR is rated, not re-rated");
    if (c.sell.currency != s.sell.currency)
        return fail(Errc::Rejected, "currency",
                    "the new price is in " + c.sell.currency + ", the CDR in " + s.sell.currency);
    const auto old_buy = s.buy ? std::optional<Micros>(s.buy->cost_micros) : std::nullopt;
    const auto new_buy = c.buy ? std::optional<Micros>(c.buy->cost_micros) : std::nullopt;
    if (c.sell.cost_micros == s.sell.cost_micros && old_buy == new_buy)
        return std::vector<CdrEvent>{};
    CdrRerated e;
    e.cdr_id = s.cdr_id;
    e.rerating = s.reratings + 1;
    e.customer_id = s.customer_id;
    e.old_sell_micros = s.sell.cost_micros;
    e.old_buy_micros = old_buy;
    e.sell = c.sell;
    e.buy = c.buy;
    if (new_buy) e.margin_micros = c.sell.cost_micros - *new_buy;
    e.delta_micros = c.sell.cost_micros - s.sell.cost_micros;
    return std::vector<CdrEvent>{e};
}

}  // namespace switchyard::core::voice
