// /v1/voice/cdrs and the usage queries: CDR files and JSON batches ingested (parsed with
// events/voice/cdr_json.hpp parse_cdrs, rated and appended by the CDR service), unrated CDRs
// rated again, CDR search and detail, the CSV export, usage and cost per customer, day and
// destination, carrier cost and margins. Staff see every CDR; a reseller its subtree's
// customers', a customer user its own; nobody but the operator's staff ingests or sees buy
// costs by carrier.
#include <map>
#include <tuple>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/report_table.hpp"
#include "api/routes/voice/voice_support.hpp"
#include "core/text.hpp"
#include "core/voice/cdr_formats.hpp"
#include "events/voice/cdr_json.hpp"
#include "projections/voice/cdrs.hpp"
#include "projections/voice/usage.hpp"

namespace switchyard::api::voice {

namespace json = boost::json;
using core::Errc;
using namespace core::voice;

namespace {

/// Per-record outcomes an ingest answer lists at most (the counts cover all).
constexpr std::size_t kMaxOutcomes = 1000;

const projections::ReadModelView* view_of(ApiContext& ctx, const char* name) {
    return ctx.runner.view(name);
}

core::Result<const projections::ReadModelView*> model(ApiContext& ctx, const char* name) {
    const auto* v = view_of(ctx, name);
    if (!v) return core::fail(Errc::Unavailable, name, "the read model is not open");
    return v;
}

json::object row_error_json(const RowError& e) {
    return {{"file", e.file}, {"line", e.line}, {"field", e.field}, {"reason", e.reason}};
}

json::object totals_json(const std::map<std::string, events::voice::CurrencyTotals>& totals) {
    json::object out;
    for (const auto& [currency, t] : totals)
        out[currency] = json::object{{"cdrs", t.cdrs},
                                     {"sell", money_text(t.sell_micros)},
                                     {"sell_micros", t.sell_micros},
                                     {"buy", money_text(t.buy_micros)},
                                     {"buy_micros", t.buy_micros},
                                     {"margin", money_text(t.margin_micros)},
                                     {"margin_micros", t.margin_micros}};
    return out;
}

/// The answer of an ingest or rate-again: counts, totals per currency, refused rows, outcomes.
json::object report_json(const events::voice::IngestReport& report,
                         const std::vector<RowError>& refused) {
    json::array rows;
    for (const auto& e : refused) rows.push_back(row_error_json(e));
    json::array outcomes;
    for (std::size_t i = 0; i < report.outcomes.size() && i < kMaxOutcomes; ++i) {
        const auto& o = report.outcomes[i];
        outcomes.push_back(json::object{{"cdr_id", o.cdr_id},
                                        {"status", o.status},
                                        {"reason", o.reason},
                                        {"sell", money_text(o.sell_micros)},
                                        {"sell_micros", o.sell_micros},
                                        {"line", o.line}});
    }
    return {{"rated", report.rated},
            {"unrated", report.unrated},
            {"duplicates", report.duplicates},
            {"unanswered", report.unanswered},
            {"failed", report.failed},
            {"refused", refused.size()},
            {"totals", totals_json(report.totals)},
            {"refused_rows", std::move(rows)},
            {"outcomes", std::move(outcomes)},
            {"outcomes_truncated", report.outcomes.size() > kMaxOutcomes}};
}

/// `?partial=true|false` (default false).
core::Result<bool> partial_query(const HttpRequest& r) {
    return SY_TRY(enum_query(r, "partial", {"true", "false"}, "false")) == "true";
}

/// Defaults an import applies to its records (query parameters of the CDR routes).
struct ImportDefaults {
    /// The accountcode of the records that have none (a switch that does not write one, such
    /// as the PBX of the shared Asterisk sample).
    std::string accountcode;
    /// Digits put in front of local numbers (all digits, at most 7): a PBX's local calls
    /// dialled without the area code (`3012` for Ulan-Ude), then read in the customer's
    /// country like any national number.
    std::string area_code;
};

/// True for a local number: 1 to 7 digits, nothing else.
bool is_local_number(std::string_view n) {
    return !n.empty() && n.size() <= 7 && n.find_first_not_of("0123456789") == std::string::npos;
}

/// Rates and appends parsed records, with `defaults` applied. Refused rows refuse the whole
/// file (422, nothing appended) unless `partial`.
core::Result<HttpResponse> ingest_parsed(VoiceApi& api, HttpRequest& r, Parsed<CallRecord> parsed,
                                         bool partial, const ImportDefaults& defaults) {
    if (!parsed.errors.empty() && !partial) {
        const auto& first = parsed.errors.front();
        json::array rows;
        for (const auto& e : parsed.errors) rows.push_back(row_error_json(e));
        core::Error error{Errc::Rejected, first.field.empty() ? "rows" : first.field,
                          fmt::format("{}: {} row(s) refused, nothing appended; first: {}:{}: {}",
                                      first.field.empty() ? "rows" : first.field,
                                      parsed.errors.size(), first.file, first.line, first.reason)};
        return problem(error, json::object{{"refused", parsed.errors.size()},
                                           {"lines_read", parsed.lines_read},
                                           {"refused_rows", std::move(rows)}});
    }
    for (auto& record : parsed.rows) {
        core::voice::to_valid_utf8(record);
        if (!defaults.accountcode.empty() && record.accountcode.empty())
            record.accountcode = defaults.accountcode;
        if (!defaults.area_code.empty() && is_local_number(record.destination))
            record.destination = defaults.area_code + record.destination;
    }
    const auto ctx = context_of(api, r);
    auto report = SY_TRY(api.cdrs.ingest(parsed.rows, ctx));
    auto body = report_json(report, parsed.errors);
    body["lines_read"] = parsed.lines_read;
    return answer(200, std::move(body), report.positions);
}

/// `?utc_offset=` (default UTC). @errors Invalid naming `utc_offset`.
core::Result<std::chrono::seconds> utc_offset_query(const HttpRequest& r) {
    const auto& text = r.query_param("utc_offset");
    if (text.empty()) return std::chrono::seconds(0);
    auto offset = parse_utc_offset(text);
    if (!offset)
        return core::fail(Errc::Invalid, "utc_offset",
                          "must be a fixed UTC offset such as +03:00, -0500 or UTC");
    return *offset;
}

/// `?accountcode=`: checked like a customer's accountcode. @errors Invalid naming it.
core::Result<std::string> accountcode_query(const HttpRequest& r) {
    const auto& code = r.query_param("accountcode");
    if (code.size() > 80 || code.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstu"
                                                   "vwxyz0123456789_.@-") != std::string::npos)
        return core::fail(Errc::Invalid, "accountcode", "must be 1 to 80 of [A-Za-z0-9_.@-]");
    return code;
}

/// `?accountcode=&area_code=`. @errors Invalid naming the parameter.
core::Result<ImportDefaults> defaults_query(const HttpRequest& r) {
    ImportDefaults d;
    d.accountcode = SY_TRY(accountcode_query(r));
    d.area_code = r.query_param("area_code");
    if (d.area_code.size() > 6 || d.area_code.find_first_not_of("0123456789") != std::string::npos)
        return core::fail(Errc::Invalid, "area_code", "must be 1 to 6 digits");
    return d;
}

/// POST /v1/voice/cdrs/imports?format=&file=&utc_offset=&partial=&accountcode=&area_code=: a
/// CDR file's bytes as the body.
core::Result<HttpResponse> import_cdrs(VoiceApi& api, HttpRequest& r) {
    const auto format_name = SY_TRY(enum_query(
        r, "format", {"auto", "asterisk", "freeswitch-csv", "freeswitch-json", "json"}, "auto"));
    CdrFormat format{};
    parse_cdr_format(format_name, format);
    CdrParseOptions options;
    options.file_name = r.query_param("file").empty() ? "body" : r.query_param("file");
    options.utc_offset = SY_TRY(utc_offset_query(r));
    const auto partial = SY_TRY(partial_query(r));
    const auto defaults = SY_TRY(defaults_query(r));
    if (r.body.find_first_not_of(" \t\r\n") == std::string::npos)
        return core::fail(Errc::Invalid, "body", "is empty: send the CDR file's bytes");
    auto parsed = SY_TRY(events::voice::parse_cdrs(r.body, format, options));
    return ingest_parsed(api, r, std::move(parsed), partial, defaults);
}

/// POST /v1/voice/cdrs: the JSON batch of a switch (events/voice/cdr_json.hpp).
core::Result<HttpResponse> post_cdrs(VoiceApi& api, HttpRequest& r) {
    const auto partial = SY_TRY(partial_query(r));
    CdrParseOptions options;
    options.file_name = "body";
    auto parsed = SY_TRY(events::voice::parse_json_batch(r.body, options));
    return ingest_parsed(api, r, std::move(parsed), partial, {});
}

/// An RFC 3339 instant from a body or query. @errors Invalid naming `field`.
core::Result<std::optional<core::Timestamp>> instant(const std::optional<std::string>& text,
                                                     const char* field) {
    if (!text || text->empty()) return std::optional<core::Timestamp>();
    auto t = core::parse_rfc3339(*text);
    if (!t) return core::fail(Errc::Invalid, field, "must be an RFC 3339 time");
    return t;
}

/// POST /v1/voice/cdrs/rate-again {"customer_id"?, "from"?, "to"?}
core::Result<HttpResponse> rate_again(VoiceApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"customer_id", "from", "to"}));
    events::voice::CdrFilter filter;
    filter.customer_id = SY_TRY(b.opt_string("customer_id")).value_or("");
    filter.from = SY_TRY(instant(SY_TRY(b.opt_string("from")), "from"));
    filter.to = SY_TRY(instant(SY_TRY(b.opt_string("to")), "to"));
    const auto ctx = context_of(api, r);
    auto report = SY_TRY(api.cdrs.rate_again(filter, ctx));
    return answer(200, report_json(report, {}), report.positions);
}

/// The search of `?customer=&carrier=&from=&to=&destination=&disposition=&status=&cursor=`.
core::Result<projections::voice::CdrSearch> search_of(VoiceApi& api, const HttpRequest& r,
                                                      const PageRequest& page) {
    projections::voice::CdrSearch s;
    s.customer_id = r.query_param("customer");
    s.carrier_id = r.query_param("carrier");
    s.from = SY_TRY(instant(r.query_param("from"), "from"));
    s.to = SY_TRY(instant(r.query_param("to"), "to"));
    s.destination_prefix = r.query_param("destination");
    if (s.destination_prefix.find_first_not_of("0123456789") != std::string::npos)
        return core::fail(Errc::Invalid, "destination", "must be E.164 digits (a prefix)");
    s.disposition = SY_TRY(enum_query(
        r, "disposition", {"answered", "no_answer", "busy", "failed", "congestion"}, ""));
    s.status = SY_TRY(enum_query(r, "status", {"rated", "unrated"}, ""));
    s.reach = SY_TRY(customer_reach(api, r));
    s.after = page.cursor;
    if (!s.after.empty() && (s.after.size() < 22 || s.after[20] != '/'))
        return core::fail(Errc::Invalid, "cursor", "is not a cursor from a previous page");
    return s;
}

constexpr const char* kCsvHeader =
    "cdr_id,status,customer_id,carrier_id,start,answer,end,duration_s,billsec,disposition,"
    "caller,dialled,destination,sell_currency,sell_cost,sell_prefix,sell_destination_id,"
    "buy_currency,buy_cost,margin,unrated_reason\r\n";

/// One row of the CSV export.
std::string csv_line(const json::object& row) {
    auto text = [](const json::value* v) -> std::string {
        if (!v || v->is_null()) return {};
        if (v->is_string()) return std::string(v->as_string());
        if (v->is_int64()) return std::to_string(v->as_int64());
        return json::serialize(*v);
    };
    auto side = [&](const char* name, const char* key) -> std::string {
        const auto* s = row.if_contains(name);
        if (!s || !s->is_object()) return {};
        return text(s->as_object().if_contains(key));
    };
    std::string margin;
    if (const auto* m = row.if_contains("margin_micros"); m && m->is_int64())
        margin = money_text(m->as_int64());
    std::vector<std::string> fields{text(row.if_contains("cdr_id")),
                                    text(row.if_contains("status")),
                                    text(row.if_contains("customer_id")),
                                    text(row.if_contains("carrier_id")),
                                    text(row.if_contains("start")),
                                    text(row.if_contains("answer")),
                                    text(row.if_contains("end")),
                                    text(row.if_contains("duration_s")),
                                    text(row.if_contains("billsec")),
                                    text(row.if_contains("disposition")),
                                    text(row.if_contains("caller")),
                                    text(row.if_contains("dialled")),
                                    text(row.if_contains("destination")),
                                    side("sell", "currency"),
                                    side("sell", "cost"),
                                    side("sell", "matched_prefix"),
                                    side("sell", "destination_id"),
                                    side("buy", "currency"),
                                    side("buy", "cost"),
                                    margin,
                                    text(row.if_contains("unrated_reason"))};
    std::string out;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i) out += ',';
        out += core::csv_field(fields[i]);
    }
    return out + "\r\n";
}

/// GET /v1/voice/cdrs (and `.csv`, or `?format=csv`): the CDRs the caller may see in call
/// start order, cursor-paginated; as CSV the page's rows after a header line, the next cursor
/// in `X-Switchyard-Next-Cursor`.
core::Result<HttpResponse> list_cdrs_as(VoiceApi& api, HttpRequest& r, bool csv) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto page = SY_TRY(page_query(r, csv ? 10'000 : 100, csv ? 10'000 : 1000));
    const auto search = SY_TRY(search_of(api, r, page));
    const auto* view = SY_TRY(model(api.ctx, projections::voice::kVoiceCdrs));
    const auto hits = projections::voice::search_cdrs(*view, search, page.limit + 1);
    if (!csv) {
        PageWriter out(page);
        for (const auto& hit : hits)
            if (!out.add(hit.json, hit.cursor)) break;
        return json_response(200, out.body());
    }
    std::string body = kCsvHeader;
    for (std::size_t i = 0; i < hits.size() && i < page.limit; ++i)
        body += csv_line(json::parse(hits[i].json).as_object());
    HttpResponse out;
    out.status = 200;
    out.content_type = "text/csv; charset=utf-8";
    out.body = std::move(body);
    if (hits.size() > page.limit)
        out.headers.emplace_back("X-Switchyard-Next-Cursor", hits[page.limit - 1].cursor);
    return out;
}

core::Result<HttpResponse> list_cdrs(VoiceApi& api, HttpRequest& r) {
    const auto format = SY_TRY(enum_query(r, "format", {"json", "csv"}, "json"));
    return list_cdrs_as(api, r, format == "csv");
}

core::Result<HttpResponse> export_cdrs(VoiceApi& api, HttpRequest& r) {
    return list_cdrs_as(api, r, true);
}

/// GET /v1/voice/cdrs/{id}: the CDR's row with both sides' explanations.
core::Result<HttpResponse> get_cdr(VoiceApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto id = SY_TRY(text_param(r));
    const auto* view = SY_TRY(model(api.ctx, projections::voice::kVoiceCdrs));
    auto text = projections::voice::find_cdr(*view, id);
    if (!text) return not_found("CDR", id);
    auto row = json::parse(*text).as_object();
    const auto reach = SY_TRY(customer_reach(api, r));
    if (reach && !reach->count(std::string(row.at("customer_id").as_string())))
        return not_found("CDR", id);
    return json_ok(row);
}

/// `?from=&to=` as inclusive UTC days (`YYYY-MM-DD`, or an RFC 3339 time whose day counts).
core::Result<std::string> day_query(const HttpRequest& r, const char* name) {
    const auto& text = r.query_param(name);
    if (text.empty()) return std::string();
    auto t =
        text.size() == 10 ? core::parse_rfc3339(text + "T00:00:00Z") : core::parse_rfc3339(text);
    if (!t) return core::fail(Errc::Invalid, name, "must be a day YYYY-MM-DD or an RFC 3339 time");
    return core::format_rfc3339(*t).substr(0, 10);
}

json::object usage_json(const projections::voice::UsageTotals& t) {
    return {{"calls", t.calls},
            {"answered", t.answered},
            {"billsec", t.billsec},
            {"sell", money_text(t.sell_micros)},
            {"sell_micros", t.sell_micros},
            {"buy", money_text(t.buy_micros)},
            {"buy_micros", t.buy_micros},
            {"margin", money_text(t.margin_micros)},
            {"margin_micros", t.margin_micros}};
}

/// Sums facts by a key of (name, value) pairs; answers `{"items":[...]}` in key order.
template <class KeyOf>
HttpResponse grouped(const std::vector<projections::voice::UsageFact>& facts, KeyOf key_of) {
    std::map<std::vector<std::pair<std::string, std::string>>, projections::voice::UsageTotals>
        groups;
    for (const auto& f : facts) groups[key_of(f)] += f.totals;
    json::array items;
    for (const auto& [key, totals] : groups) {
        auto item = usage_json(totals);
        for (const auto& [name, value] : key) item[name] = value;
        items.push_back(std::move(item));
    }
    return json_ok(json::object{{"items", std::move(items)}});
}

core::Result<projections::voice::UsageQuery> usage_query_of(const HttpRequest& r) {
    projections::voice::UsageQuery q;
    q.from_day = SY_TRY(day_query(r, "from"));
    q.to_day = SY_TRY(day_query(r, "to"));
    q.customer_id = r.query_param("customer");
    q.carrier_id = r.query_param("carrier");
    return q;
}

/// GET /v1/voice/usage?customer=&carrier=&from=&to=&group_by=day|destination: usage and cost
/// per customer and day (or destination) and currency, of the CDRs the caller may see.
core::Result<HttpResponse> get_usage(VoiceApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    auto q = SY_TRY(usage_query_of(r));
    const auto by = SY_TRY(enum_query(r, "group_by", {"day", "destination"}, "day"));
    q.reach = SY_TRY(customer_reach(api, r));
    if (q.reach && !q.carrier_id.empty())
        return core::fail(Errc::Forbidden, "carrier", "carrier costs are the operator's");
    const auto facts = projections::voice::usage_facts(
        *SY_TRY(model(api.ctx, projections::voice::kVoiceUsage)), q);
    return grouped(facts, [&](const projections::voice::UsageFact& f) {
        std::vector<std::pair<std::string, std::string>> key{{"customer_id", f.customer_id}};
        key.emplace_back(by, by == "day" ? f.day : f.destination);
        key.emplace_back("currency", f.currency);
        return key;
    });
}

/// GET /v1/voice/carriers/{id}/costs?from=&to=&group_by=day|destination: what the carrier
/// charged (buy side), per day or destination and the buy currency.
core::Result<HttpResponse> carrier_costs(VoiceApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    auto q = SY_TRY(usage_query_of(r));
    q.carrier_id = SY_TRY(text_param(r));
    const auto by = SY_TRY(enum_query(r, "group_by", {"day", "destination"}, "day"));
    const auto facts = projections::voice::usage_facts(
        *SY_TRY(model(api.ctx, projections::voice::kVoiceUsage)), q);
    return grouped(facts, [&](const projections::voice::UsageFact& f) {
        return std::vector<std::pair<std::string, std::string>>{
            {"carrier_id", f.carrier_id},
            {by, by == "day" ? f.day : f.destination},
            {"currency", f.buy_currency}};
    });
}

/// GET /v1/voice/margins?by=destination|carrier|customer&from=&to=: sell, buy and margin per
/// destination, carrier or customer and (sell) currency.
core::Result<HttpResponse> get_margins(VoiceApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    auto q = SY_TRY(usage_query_of(r));
    const auto by =
        SY_TRY(enum_query(r, "by", {"destination", "carrier", "customer"}, "destination"));
    const auto facts = projections::voice::usage_facts(
        *SY_TRY(model(api.ctx, projections::voice::kVoiceUsage)), q);
    return grouped(facts, [&](const projections::voice::UsageFact& f) {
        const auto& value = by == "destination" ? f.destination
                            : by == "carrier"   ? f.carrier_id
                                                : f.customer_id;
        return std::vector<std::pair<std::string, std::string>>{
            {by == "destination" ? "destination" : by + "_id", value}, {"currency", f.currency}};
    });
}

}  // namespace

VoiceRoutes cdr_routes() {
    return {
        {"POST", "/v1/voice/cdrs/imports", voice_roles::operator_read, import_cdrs,
         "Rates and appends a CDR file (?format=asterisk|freeswitch-csv|freeswitch-json|json|auto,"
         " ?file=, ?utc_offset=, ?partial=, ?accountcode= for records without one, ?area_code= for "
         "local numbers)."},
        {"POST", "/v1/voice/cdrs", voice_roles::operator_read, post_cdrs,
         "Rates and appends a switch's JSON batch of CDRs."},
        {"POST", "/v1/voice/cdrs/rate-again", voice_roles::operator_read, rate_again,
         "Rates the unrated CDRs again (after a customer, deck or rate was added)."},
        {"GET", "/v1/voice/cdrs", voice_roles::customer_read, list_cdrs,
         "Searches the CDRs the caller may see (customer, carrier, time, destination prefix, "
         "disposition, status), cursor-paginated; ?format=csv exports them."},
        {"GET", "/v1/voice/cdrs.csv", voice_roles::customer_read, export_cdrs,
         "The CDR search as CSV with a header line, paginated by X-Switchyard-Next-Cursor."},
        {"GET", "/v1/voice/cdrs/{id}", voice_roles::customer_read, get_cdr,
         "One CDR with its buy and sell costs and their explanations."},
        {"GET", "/v1/voice/usage", voice_roles::customer_read, get_usage,
         "Usage and cost per customer and day or destination."},
        {"GET", "/v1/voice/carriers/{id}/costs", voice_roles::operator_read, carrier_costs,
         "What a carrier charged, per day or destination."},
        {"GET", "/v1/voice/margins", voice_roles::operator_read, get_margins,
         "Sell, buy and margin per destination, carrier or customer."},
    };
}

}  // namespace switchyard::api::voice
