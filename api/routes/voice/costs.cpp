// The pricing query (CGRateS GetCost, issue 12 item 4): `POST /v1/voice/costs` prices one call
// against the tariffs of the registry and explains every step. The subject is a voice customer
// (rated with the customer's effective rate card, as its CDRs are) or a subject of the rating
// profiles of every deck's current version; instead of a subject the body may name a deck (id or
// name), optionally with one of its rating plans, to price against that deck directly.
#include <algorithm>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/routes/voice/voice_support.hpp"
#include "core/voice/assignment.hpp"
#include "core/voice/money.hpp"
#include "core/voice/rating.hpp"

namespace switchyard::api::voice {

namespace json = boost::json;
using core::Errc;
using namespace core::voice;

namespace {

/// The called number as digits: blanks around, then one leading `+` or `00` stripped.
/// @errors Invalid naming `destination` when empty or not digits.
core::Result<std::string> normalised_number(std::string text, const char* field) {
    const auto b = text.find_first_not_of(" \t");
    const auto e = text.find_last_not_of(" \t");
    text = b == std::string::npos ? std::string() : text.substr(b, e - b + 1);
    if (text.starts_with('+'))
        text.erase(0, 1);
    else if (text.starts_with("00"))
        text.erase(0, 2);
    if (text.empty() || text.size() > 32 ||
        !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return core::fail(Errc::Invalid, field,
                          "must be a number in E.164 (digits, optionally after + or 00)");
    return text;
}

/// Prices `q` against one deck version: `plan` when named, else the subject's rating profiles
/// when `by_profile`, else the version's rating plan (as CDR rating does).
core::Result<Cost> price(const events::voice::DeckVersionView& v, const CostQuery& q,
                         const std::string& plan, bool by_profile) {
    if (!plan.empty()) return v.index->rate_plan(plan, q);
    if (by_profile || v.header.rating_plan_id.empty()) return v.index->rate(q);
    return v.index->rate_plan(v.header.rating_plan_id, q);
}

json::object answer_of(const Cost& c, const events::voice::DeckVersionView& v) {
    json::array explain;
    explain.push_back(
        json::object{{"step", "deck"},
                     {"deck_id", v.deck.deck_id},
                     {"deck_name", v.deck.name},
                     {"version", v.header.version},
                     {"effective_from", core::format_rfc3339(v.header.effective_from)}});
    json::object profile{{"step", "rating_plan"},
                         {"subject", c.subject},
                         {"rating_plan_id", c.rating_plan_id},
                         {"destination_rate_id", c.destination_rate_id}};
    profile["activation_time"] = c.activation_time
                                     ? json::value(core::format_rfc3339(*c.activation_time))
                                     : json::value(nullptr);
    explain.push_back(std::move(profile));
    explain.push_back(json::object{{"step", "match"},
                                   {"matched_prefix", c.matched_prefix},
                                   {"destination_id", c.destination_id},
                                   {"destination_name", c.destination_name}});
    explain.push_back(json::object{{"step", "connect_fee"},
                                   {"rate_id", c.rate_id},
                                   {"amount", price_text(c.connect_fee_micros)},
                                   {"amount_micros", c.connect_fee_micros}});
    for (const auto& s : c.segments) {
        explain.push_back(
            json::object{{"step", "segment"},
                         {"start", core::format_rfc3339(s.start)},
                         {"duration_seconds", s.duration_s},
                         {"timing_id", s.timing_id},
                         {"rate_id", s.rate_id},
                         {"group_interval_start_seconds", s.interval.group_interval_start_s},
                         {"rate", price_text(s.interval.rate_micros)},
                         {"rate_unit_seconds", s.interval.rate_unit_s},
                         {"rate_increment_seconds", s.interval.rate_increment_s},
                         {"increments", s.increments},
                         {"cost", price_text(s.cost_micros)},
                         {"cost_micros", s.cost_micros}});
    }
    explain.push_back(json::object{{"step", "rounding"},
                                   {"method", to_string(c.rounding)},
                                   {"decimals", c.rounding_decimals}});
    explain.push_back(json::object{{"step", "cap"},
                                   {"max_cost_applied", c.max_cost_applied},
                                   {"usage_seconds", c.usage_s},
                                   {"billed_usage_seconds", c.billed_usage_s},
                                   {"rated_usage_seconds", c.rated_usage_s}});
    return {{"cost", format_micros(c.cost_micros, std::clamp(c.rounding_decimals, 0, 6))},
            {"cost_micros", c.cost_micros},
            {"currency", c.currency.empty() ? v.header.currency : c.currency},
            {"matched_prefix", c.matched_prefix},
            {"destination_id", c.destination_id},
            {"destination_name", c.destination_name},
            {"rating_plan_id", c.rating_plan_id},
            {"subject", c.subject},
            {"deck_id", v.deck.deck_id},
            {"deck_version", v.header.version},
            {"usage_seconds", c.usage_s},
            {"billed_usage_seconds", c.billed_usage_s},
            {"explain", std::move(explain)}};
}

bool is_staff(const HttpRequest& r) {
    const auto role = caller_of(r).principal.role;
    return role == core::identity::Role::Admin || role == core::identity::Role::Support;
}

/// POST /v1/voice/costs
core::Result<HttpResponse> get_cost(VoiceApi& api, HttpRequest& r) {
    SY_TRY(current_tariffs(api));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"tenant", "category", "subject", "deck", "rating_plan", "destination", "caller",
                   "setup_time", "usage_seconds"}));
    CostQuery q;
    q.tenant = SY_TRY(b.opt_string("tenant")).value_or(api.ctx.tenant);
    q.category = SY_TRY(b.opt_string("category")).value_or("call");
    q.destination = SY_TRY(normalised_number(SY_TRY(b.string("destination")), "destination"));
    if (auto caller = SY_TRY(b.opt_string("caller")))
        q.caller = SY_TRY(normalised_number(*caller, "caller"));
    const auto setup = SY_TRY(b.string("setup_time"));
    auto at = core::parse_rfc3339(setup);
    if (!at)
        return core::fail(Errc::Invalid, "setup_time",
                          "must be an RFC 3339 time, e.g. 2026-01-01T10:00:00Z");
    q.setup_time = *at;
    auto usage = SY_TRY(b.opt_int("usage_seconds"));
    if (!usage || *usage < 0 || *usage > 31 * 86'400)
        return core::fail(Errc::Invalid, "usage_seconds",
                          "is required: whole seconds from 0 to 2678400 (31 days)");
    q.usage_s = *usage;
    auto subject = SY_TRY(b.opt_string("subject"));
    auto deck_name = SY_TRY(b.opt_string("deck"));
    const auto plan = SY_TRY(b.opt_string("rating_plan")).value_or("");
    if (!subject && !deck_name)
        return core::fail(Errc::Invalid, "subject", "name a subject or a deck to price against");
    if (!plan.empty() && !deck_name)
        return core::fail(Errc::Invalid, "rating_plan", "goes with deck");

    // A voice customer: its effective rate card, as its CDRs are rated.
    std::optional<Customer> customer;
    if (subject && !subject->empty() &&
        std::all_of(subject->begin(), subject->end(),
                    [](char c) { return c >= '0' && c <= '9'; }) &&
        subject->size() < 18) {
        const auto directory = SY_TRY(api.voice.directory());
        if (auto it = directory.customers.find(std::stoll(*subject));
            it != directory.customers.end()) {
            if (!may_see(r, it->second)) return not_found("customer", *subject, "subject");
            customer = it->second;
            if (deck_name) {
                // the card is the customer's; a deck named beside it would be ambiguous
                return core::fail(Errc::Invalid, "deck", "give a customer subject or a deck");
            }
            const auto effective = resolve(directory.assignments, directory.ref_of(it->second));
            const auto card = effective.value(ItemKind::RateCard);
            if (!card)
                return core::fail(Errc::Rejected, "subject",
                                  "customer " + *subject + " has no rate card assigned");
            auto v = api.tariffs.current(*card, q.setup_time);
            if (!v)
                return core::fail(Errc::Rejected, "subject",
                                  "rate card '" + *card + "' has no version effective at " + setup);
            auto c = SY_TRY(price(*v, q, "", false));
            return json_ok(answer_of(c, *v));
        }
    }
    // Resellers and customers price only for the voice customers they see.
    if (!is_staff(r))
        return core::fail(Errc::Forbidden, subject ? "subject" : "deck",
                          "resellers and customers price calls of their voice customers only "
                          "(subject = the customer id)");

    if (deck_name) {
        auto d = api.tariffs.deck(*deck_name);
        if (!d) d = api.tariffs.find(*deck_name);
        if (!d) return not_found("deck", *deck_name, "deck");
        auto v = api.tariffs.current(d->deck_id, q.setup_time);
        if (!v)
            return core::fail(Errc::Rejected, "deck",
                              "deck '" + d->deck_id + "' has no version effective at " + setup);
        if (subject) q.subject = *subject;
        auto c = SY_TRY(price(*v, q, plan, subject.has_value()));
        return json_ok(answer_of(c, *v));
    }

    // A subject of the rating profiles: the first deck (by id) whose current version rates it.
    q.subject = *subject;
    std::optional<core::Error> unrated;
    for (const auto& d : api.tariffs.decks()) {
        auto v = api.tariffs.current(d.deck_id, q.setup_time);
        if (!v) continue;
        auto c = v->index->rate(q);
        if (c) return json_ok(answer_of(*c, *v));
        if (c.error().field == "destination" && !unrated) unrated = c.error();
    }
    if (unrated)
        return core::fail(Errc::Rejected, "destination",
                          "no rating plan of subject '" + *subject + "' rates " + q.destination);
    return core::fail(Errc::Rejected, "subject",
                      "no rating profile of any deck matches tenant '" + q.tenant +
                          "', category '" + q.category + "', subject '" + *subject + "'");
}

}  // namespace

VoiceRoutes cost_routes() {
    return {
        {"POST", "/v1/voice/costs", voice_roles::customer_read, get_cost,
         "Prices one call (CGRateS GetCost) for a subject, a voice customer or against one deck, "
         "and explains every step."},
    };
}

}  // namespace switchyard::api::voice
