#pragma once
// CDR events built by hand for the voice read-model tests (cdrs, usage).
#include <string>

#include "core/voice/cdr.hpp"
#include "events/voice/cdr_codec.hpp"
#include "tests/projections/projector_harness.hpp"

namespace switchyard::testing::voice_cdrs {

using namespace core::voice;

/// A call of `billsec` seconds starting at `start` (Unix seconds).
inline CallRecord call(const std::string& key, std::int64_t start, std::int64_t billsec) {
    CallRecord r;
    r.switch_key = key;
    r.destination = "004930123";
    r.start = core::from_unix_seconds(start);
    if (billsec > 0) r.answer = r.start;
    r.end = core::from_unix_seconds(start + billsec);
    r.duration_s = billsec;
    r.billsec = billsec;
    r.disposition = billsec > 0 ? Disposition::Answered : Disposition::NoAnswer;
    return r;
}

inline SideCost side(const std::string& deck, Micros cost, const std::string& destination = "DE") {
    SideCost s;
    s.deck_id = deck;
    s.deck_version = 1;
    s.currency = "EUR";
    s.cost_micros = cost;
    s.matched_prefix = "49";
    s.destination_id = destination;
    return s;
}

/// A CDR rated for `customer` through carrier `carrier`: sell and buy costs, margin.
inline CdrRated rated(const std::string& id, const std::string& customer,
                      const std::string& carrier, const CallRecord& r, Micros sell, Micros buy) {
    CdrRated e;
    e.cdr_id = id;
    e.record = r;
    e.customer_id = customer;
    e.carrier_id = carrier;
    e.destination = "4930123";
    e.sell = side("card", sell);
    e.buy = side("buy", buy);
    e.margin_micros = sell - buy;
    e.debit_micros = sell;
    return e;
}

inline CdrRerated rerated(const std::string& id, const std::string& customer, Micros old_sell,
                          Micros sell, Micros buy) {
    CdrRerated e;
    e.cdr_id = id;
    e.rerating = 1;
    e.customer_id = customer;
    e.old_sell_micros = old_sell;
    e.sell = side("card", sell);
    e.buy = side("buy", buy);
    e.margin_micros = sell - buy;
    e.delta_micros = sell - old_sell;
    return e;
}

inline void add(ProjectorHarness& h, const CdrEvent& e) {
    const auto id = std::visit([](const auto& x) { return x.cdr_id; }, e);
    h.append(cdr_stream(id), events::voice::encode(e));
}

}  // namespace switchyard::testing::voice_cdrs
