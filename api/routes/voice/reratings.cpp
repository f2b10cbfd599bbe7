// /v1/voice/reratings: rated CDRs priced again with the current tariffs (or those effective at
// `tariffs_at`), for a time range, a customer or a deck (events/voice/cdr_service.hpp rerate).
// The changed CDRs get `voice.cdr.rerated` and their accounts the delta; the same re-rating
// twice changes nothing the second time.
#include <boost/json.hpp>

#include "api/routes/voice/voice_support.hpp"

namespace switchyard::api::voice {

namespace json = boost::json;
using core::Errc;

namespace {

json::object totals_json(const events::voice::RerateTotals& t) {
    return {{"currency", t.currency},
            {"rerated", t.rerated},
            {"old_total", money_text(t.old_micros)},
            {"old_total_micros", t.old_micros},
            {"new_total", money_text(t.new_micros)},
            {"new_total_micros", t.new_micros},
            {"delta", money_text(t.delta_micros)},
            {"delta_micros", t.delta_micros}};
}

core::Result<core::Timestamp> required_instant(const JsonBody& b, const char* field) {
    const auto text = SY_TRY(b.string(field));
    auto t = core::parse_rfc3339(text);
    if (!t) return core::fail(Errc::Invalid, field, "must be an RFC 3339 time");
    return *t;
}

/// POST /v1/voice/reratings {"from", "to", "customer_id"?, "deck_id"?, "tariffs_at"?}
core::Result<HttpResponse> post_rerating(VoiceApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"from", "to", "customer_id", "deck_id", "tariffs_at"}));
    events::voice::CdrFilter filter;
    filter.from = SY_TRY(required_instant(b, "from"));
    filter.to = SY_TRY(required_instant(b, "to"));
    if (*filter.to <= *filter.from) return core::fail(Errc::Invalid, "to", "must be after from");
    filter.customer_id = SY_TRY(b.opt_string("customer_id")).value_or("");
    filter.deck_id = SY_TRY(b.opt_string("deck_id")).value_or("");
    if (b.has("tariffs_at")) filter.tariffs_at = SY_TRY(required_instant(b, "tariffs_at"));
    const auto ctx = context_of(api, r);
    const auto report = SY_TRY(api.cdrs.rerate(filter, ctx));
    json::object customers, currencies;
    for (const auto& [id, t] : report.customers) customers[id] = totals_json(t);
    for (const auto& [currency, t] : report.currencies) currencies[currency] = totals_json(t);
    json::array errors;
    for (const auto& e : report.errors) errors.push_back(json::string(e));
    return answer(200,
                  {{"considered", report.considered},
                   {"rerated", report.rerated},
                   {"unchanged", report.unchanged},
                   {"failed", report.failed},
                   {"customers", std::move(customers)},
                   {"currencies", std::move(currencies)},
                   {"errors", std::move(errors)}},
                  report.positions);
}

}  // namespace

VoiceRoutes rerating_routes() {
    return {
        {"POST", "/v1/voice/reratings", voice_roles::operator_read, post_rerating,
         "Prices the rated CDRs of a time range (a customer, a deck) again with the current "
         "tariffs; answers count, old and new totals and the delta per customer."},
    };
}

}  // namespace switchyard::api::voice
