// CDRs over HTTP: a prepaid customer topped up, the shared Asterisk CDRs imported and rated
// (costs computed here from billsec and the hand-built rate card; the PBX dials local Ulan-Ude
// numbers without the area code 3012), the balance, the same file
// again as duplicates, a re-rating after a new card version with its deltas, the read models
// rebuilt from the log equal to the live ones, the CSV export, and bad input refused with the
// log unchanged.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "app/modules/voice_cdr_cli.hpp"
#include "events/voice/deck_service.hpp"
#include "projections/voice/balances.hpp"
#include "projections/voice/cdrs.hpp"
#include "projections/voice/usage.hpp"
#include "tests/api/sign_in.hpp"
#include "tests/projections/projector_harness.hpp"

using namespace switchyard;
using namespace switchyard::testing;
using namespace switchyard::core::voice;

namespace {

const std::string kSample =
    std::string(SY_SHARED_DATA) + "/voip/cdr/asterisk_Master_newcdrcolumns_mineevburyat.csv";

std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE_MESSAGE(in, path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

core::Timestamp at(std::int64_t s) { return core::from_unix_seconds(s); }
const core::Timestamp kDeckFrom = at(1'704'067'200);  // 2024-01-01T00:00:00Z

/// One rating plan: per-minute increments (60/60), one prefix at `rate` per minute.
Tariff per_minute(const std::string& prefix, Micros rate) {
    Tariff t;
    t.currency = "EUR";
    t.destinations.push_back({"D" + prefix, "", {prefix}});
    t.rate_groups.push_back({"R" + prefix, 0, {{0, rate, 60, 60}}});
    t.destination_rates.push_back({"DR", "D" + prefix, "R" + prefix});
    t.rating_plans = {{"PLAN", "DR", "*any", 10}};
    return t;
}

api::VoiceApi& voice_api(ApiFixture& f) {
    for (auto& m : f.modules)
        if (auto* v = dynamic_cast<app::VoiceModule*>(m.get())) return v->api_state();
    FAIL("no voice module");
    throw;
}

core::DecisionContext ctx_of(ApiFixture& f) {
    core::DecisionContext ctx;
    ctx.now = f.clock.now();
    ctx.actor = core::Actor{core::ActorKind::System, "test", ""};
    ctx.correlation_id = "test";
    return ctx;
}

void import_version(ApiFixture& f, const std::string& deck, Tariff t) {
    ImportDeckVersion c;
    c.deck_id = deck;
    c.tariff = std::move(t);
    c.effective_from = kDeckFrom;
    auto r = voice_api(f).decks.import_version(std::move(c), ctx_of(f));
    REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
}

/// Categories, a group, the carrier `stadion` (its PBX trunk host), a sell card (7: 0.0600/min)
/// and the carrier's buy deck (7: 0.0200/min), a prepaid customer in Russia with accountcode
/// `stadion` and the card assigned. Returns the customer id.
std::int64_t set_up(ApiFixture& f) {
    for (auto& m : f.modules)
        if (auto* voice = dynamic_cast<app::VoiceModule*>(m.get())) REQUIRE(voice->seed(ctx_of(f)));
    REQUIRE(f.call("POST", "/v1/voice/groups",
                   R"({"group_id":"gold","category_id":"sip_trunk","name":"Gold"})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/voice/carriers",
                   R"({"carrier_id":"stadion","name":"Stadion PBX","trunk_hosts":["stadionpbx"],)"
                   R"("currency":"EUR"})")
                .status == 201);
    auto& api = voice_api(f);
    REQUIRE(api.decks.create(CreateDeck{{"card", "Retail", DeckKind::Sell, "", "EUR",
                                         DeckFormat::Csv, "", std::nullopt}},
                             ctx_of(f)));
    REQUIRE(api.decks.create(CreateDeck{{"stadion-buy", "Stadion buy", DeckKind::Buy, "stadion",
                                         "EUR", DeckFormat::Csv, "", std::nullopt}},
                             ctx_of(f)));
    import_version(f, "card", per_minute("7", 60'000));
    import_version(f, "stadion-buy", per_minute("7", 20'000));
    auto created = f.call("POST", "/v1/voice/customers",
                          R"({"name":"Stadion","country":"RU","currency":"EUR",)"
                          R"("billing_type":"prepaid","accountcodes":["stadion"],)"
                          R"("category_id":"sip_trunk","group_id":"gold"})");
    REQUIRE_MESSAGE(created.status == 201, created.body);
    simdjson::dom::parser p;
    const auto id = num(parse_json(p, created.body), "customer_id");
    REQUIRE(f.call("POST", "/v1/voice/assignments",
                   fmt::format(R"({{"kind":"rate_card","value":"card","scope":"customer",)"
                               R"("target":"{}"}})",
                               id))
                .status == 201);
    f.settle();
    return id;
}

struct Listed {
    std::int64_t count = 0;
    Micros sell = 0;      ///< Sum of the listed sell costs.
    Micros expected = 0;  ///< The same computed here: whole minutes of billsec at `rate`.
    std::string first_id;
    std::string with_buy_id;       ///< A CDR that went out through the carrier's trunk.
    std::int64_t buy_minutes = 0;  ///< Minutes of the CDRs with a buy side.
};

/// Every rated CDR through the paginated search, checking each cost against `rate` per minute.
Listed list_rated(ApiFixture& f, Micros rate) {
    Listed out;
    std::string cursor;
    do {
        auto r = f.call("GET", "/v1/voice/cdrs?status=rated&limit=20" +
                                   (cursor.empty() ? "" : "&cursor=" + cursor));
        REQUIRE_MESSAGE(r.status == 200, r.body);
        simdjson::dom::parser p;
        auto doc = parse_json(p, r.body);
        for (auto item : doc["items"].get_array()) {
            ++out.count;
            if (out.first_id.empty()) out.first_id = str(item, "cdr_id");
            CHECK(str(item, "status") == "rated");
            CHECK(str(item, "customer_id") != "");
            const auto billsec = num(item, "billsec");
            const auto cost = num(item["sell"], "cost_micros");
            CHECK(cost == (billsec + 59) / 60 * rate);
            CHECK(str(item, "destination").starts_with("7"));
            if (!item["buy"].is_null()) {
                // Only the legs dialled out through the carrier's trunk host have a buy side.
                CHECK(str(item, "carrier_id") == "stadion");
                CHECK(num(item["buy"], "cost_micros") == (billsec + 59) / 60 * 20'000);
                out.buy_minutes += (billsec + 59) / 60;
                if (out.with_buy_id.empty()) out.with_buy_id = str(item, "cdr_id");
            }
            out.sell += cost;
            out.expected += (billsec + 59) / 60 * rate;
        }
        cursor = doc["next_cursor"].is_null() ? "" : str(doc, "next_cursor");
    } while (!cursor.empty());
    return out;
}

Micros balance_of(ApiFixture& f, std::int64_t customer) {
    auto r = f.call("GET", fmt::format("/v1/voice/customers/{}/balance", customer));
    REQUIRE_MESSAGE(r.status == 200, r.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, r.body);
    CHECK(str(doc, "currency") == "EUR");
    CHECK(str(doc, "kind") == "prepaid");
    CHECK(str(doc, "balance") == format_micros(num(doc, "balance_micros"), 6));
    return num(doc, "balance_micros");
}

/// Every key and value of a read model.
std::map<std::string, std::string> rows_of(const projections::ReadModelView& view) {
    std::map<std::string, std::string> out;
    view.scan("", "", [&](std::string_view k, std::string_view v) {
        out.emplace(std::string(k), std::string(v));
        return true;
    });
    return out;
}

/// A fresh projector fed every event of the fixture's log through the harness.
std::map<std::string, std::string> rebuilt(ApiFixture& f,
                                           std::unique_ptr<projections::Projector> projector) {
    ProjectorHarness h(std::move(projector));
    auto all = f.store->read_all(events::Checkpoint{}, 1'000'000);
    REQUIRE(all);
    for (const auto& e : *all) h.append(e.stream, events::EncodedEvent{e.type, e.schema, e.data});
    return rows_of(h.view());
}

const char* kImport =
    "/v1/voice/cdrs/imports?format=asterisk&file=Master.csv&utc_offset=%2B08:00"
    "&accountcode=stadion&area_code=3012";

}  // namespace

TEST_CASE("CDRs: import the Asterisk sample, balance, duplicates, re-rating, rebuild, CSV") {
    ApiFixture f;
    const auto customer = set_up(f);
    CHECK(balance_of(f, customer) == 0);  // the account opened with the customer

    // Given a top-up of 10.00 EUR.
    auto top = f.call("POST", fmt::format("/v1/voice/customers/{}/top-ups", customer),
                      R"({"amount":"10.00","reason":"bank transfer","reference":"pay-1"})");
    REQUIRE_MESSAGE(top.status == 201, top.body);
    CHECK(balance_of(f, customer) == 10'000'000);

    // When the Asterisk file is imported (no accountcode in it: ?accountcode= applies).
    const auto file = read_text(kSample);
    auto imported = f.call("POST", kImport, file, true, {{"content-type", "text/csv"}});
    REQUIRE_MESSAGE(imported.status == 200, imported.body.substr(0, 2000));
    simdjson::dom::parser p;
    auto report = parse_json(p, imported.body);
    const auto rated = num(report, "rated");
    CHECK(rated + num(report, "unrated") == 84);
    CHECK(num(report, "duplicates") == 0);
    CHECK(num(report, "failed") == 0);
    CHECK(num(report, "refused") == 0);
    CHECK(rated > 0);
    if (rated == 0) MESSAGE(imported.body.substr(0, 3000));

    // Then the rated CDRs cost whole minutes at 0.06, and the balance is the top-up minus them.
    const auto listed = list_rated(f, 60'000);
    CHECK(listed.count == rated);
    CHECK(listed.sell == listed.expected);
    CHECK(listed.sell > 0);
    CHECK(str(report["totals"]["EUR"], "sell") == format_micros(listed.sell, 6));
    CHECK(balance_of(f, customer) == 10'000'000 - listed.sell);

    // The detail of one CDR explains both sides.
    REQUIRE(!listed.with_buy_id.empty());
    auto one = f.call("GET", "/v1/voice/cdrs/" + listed.with_buy_id);
    REQUIRE(one.status == 200);
    auto cdr = parse_json(p, one.body);
    CHECK(str(cdr["sell"], "matched_prefix") == "7");
    CHECK(str(cdr["sell"], "deck_id") == "card");
    CHECK(str(cdr["buy"], "deck_id") == "stadion-buy");
    CHECK(str(cdr, "carrier_id") == "stadion");
    CHECK(f.call("GET", "/v1/voice/cdrs/nope").status == 404);

    // Usage per day sums the same costs.
    auto usage = f.call("GET", fmt::format("/v1/voice/usage?customer={}&from=2024-01-01"
                                           "&to=2024-01-31&group_by=day",
                                           customer));
    REQUIRE(usage.status == 200);
    Micros usage_sell = 0;
    std::int64_t usage_calls = 0;
    for (auto item : parse_json(p, usage.body)["items"].get_array()) {
        CHECK(str(item, "day").starts_with("2024-01-2"));
        usage_sell += num(item, "sell_micros");
        usage_calls += num(item, "calls");
    }
    CHECK(usage_sell == listed.sell);
    CHECK(usage_calls == rated);

    // The same file again: every record a duplicate, nothing appended, the balance unchanged.
    const auto size = f.log_size();
    auto again = f.call("POST", kImport, file, true, {{"content-type", "text/csv"}});
    REQUIRE(again.status == 200);
    auto second = parse_json(p, again.body);
    CHECK(num(second, "duplicates") == 84);
    CHECK(num(second, "rated") == 0);
    CHECK(f.log_size() == size);
    CHECK(balance_of(f, customer) == 10'000'000 - listed.sell);

    // A new card version (7 at 0.0900/min) and a re-rating: each CDR's delta is its minutes at
    // 0.03.
    import_version(f, "card", per_minute("7", 90'000));
    auto rerate = f.call("POST", "/v1/voice/reratings",
                         R"({"from":"2024-01-01T00:00:00Z","to":"2024-02-01T00:00:00Z"})");
    REQUIRE_MESSAGE(rerate.status == 200, rerate.body);
    auto rr = parse_json(p, rerate.body);
    const auto minutes = listed.sell / 60'000;
    const auto id = std::to_string(customer);
    CHECK(num(rr, "considered") == rated);
    CHECK(num(rr["customers"][id], "old_total_micros") == listed.sell);
    CHECK(num(rr["customers"][id], "new_total_micros") == minutes * 90'000);
    CHECK(num(rr["customers"][id], "delta_micros") == minutes * 30'000);
    CHECK(str(rr["customers"][id], "delta") == format_micros(minutes * 30'000, 6));
    CHECK(balance_of(f, customer) == 10'000'000 - minutes * 90'000);
    const auto after = list_rated(f, 90'000);
    CHECK(after.sell == minutes * 90'000);
    // Re-rating again with the same tariffs changes nothing.
    const auto before_second = f.log_size();
    auto twice = f.call("POST", "/v1/voice/reratings",
                        R"({"from":"2024-01-01T00:00:00Z","to":"2024-02-01T00:00:00Z"})");
    REQUIRE(twice.status == 200);
    CHECK(num(parse_json(p, twice.body), "rerated") == 0);
    CHECK(f.log_size() == before_second);

    // Usage and margins carry the new costs: margin = sell - buy (buy at 0.02/min).
    f.settle();
    auto margins = f.call("GET", "/v1/voice/margins?by=customer");
    REQUIRE(margins.status == 200);
    auto m = parse_json(p, margins.body)["items"].at(0);
    CHECK(num(m, "sell_micros") == minutes * 90'000);
    CHECK(num(m, "buy_micros") == listed.buy_minutes * 20'000);
    // The margin counts the CDRs whose buy side is known.
    CHECK(num(m, "margin_micros") == listed.buy_minutes * 70'000);
    auto costs = f.call("GET", "/v1/voice/carriers/stadion/costs");
    REQUIRE(costs.status == 200);
    Micros buy = 0;
    for (auto item : parse_json(p, costs.body)["items"].get_array()) buy += num(item, "buy_micros");
    CHECK(buy == listed.buy_minutes * 20'000);

    // The balances list: the account, not low (no threshold) and not exhausted.
    auto balances = f.call("GET", "/v1/voice/balances");
    REQUIRE(balances.status == 200);
    auto b = parse_json(p, balances.body)["items"].at(0);
    CHECK(num(b, "balance_micros") == 10'000'000 - minutes * 90'000);
    CHECK(!b["exhausted"].get_bool().value());

    // The read models rebuilt from the log equal the live ones.
    f.settle();
    for (auto* name : {projections::voice::kVoiceCdrs, projections::voice::kVoiceUsage,
                       projections::voice::kVoiceBalances}) {
        std::unique_ptr<projections::Projector> fresh;
        if (std::string(name) == projections::voice::kVoiceCdrs)
            fresh = projections::voice::make_voice_cdrs_projector();
        else if (std::string(name) == projections::voice::kVoiceUsage)
            fresh = projections::voice::make_voice_usage_projector();
        else
            fresh = projections::voice::make_voice_balances_projector();
        const auto* live = f.runner->view(name);
        REQUIRE(live != nullptr);
        const auto live_rows = rows_of(*live);
        CHECK(!live_rows.empty());
        CHECK_MESSAGE(rebuilt(f, std::move(fresh)) == live_rows, name);
    }

    // The CSV export: the header line, then the first CDR's row.
    auto csv = f.call("GET", "/v1/voice/cdrs.csv?status=rated&limit=1");
    REQUIRE(csv.status == 200);
    CHECK(csv.content_type.starts_with("text/csv"));
    const auto header_end = csv.body.find("\r\n");
    CHECK(csv.body.substr(0, header_end).starts_with("cdr_id,status,customer_id,carrier_id,start"));
    const auto row = csv.body.substr(header_end + 2);
    CHECK(row.starts_with(listed.first_id + ",rated," + id + ","));
    CHECK(row.find(",2024-01-2") != std::string::npos);
    CHECK(row.find(",EUR,") != std::string::npos);
    bool has_next = false;
    for (const auto& [k, v] : csv.headers) has_next = has_next || k == "X-Switchyard-Next-Cursor";
    CHECK(has_next == (rated > 1));
    CHECK(f.call("GET", "/v1/voice/cdrs?format=csv&limit=1").body.starts_with("cdr_id,"));
}

TEST_CASE("CDRs: bad input is refused naming the field, the log unchanged") {
    ApiFixture f;
    set_up(f);
    const auto before = f.log_size();
    const auto file = read_text(kSample);
    check_problem(f, f.call("POST", "/v1/voice/cdrs/imports?format=cdrtool", file), 400, "format",
                  before);
    check_problem(f, f.call("POST", "/v1/voice/cdrs/imports?format=asterisk&utc_offset=Mars", file),
                  400, "utc_offset", before);
    check_problem(f, f.call("POST", "/v1/voice/cdrs/imports?format=auto", "x;y\n"), 400, "format",
                  before);
    // A CDR that ends before it starts: the file is refused (422) with the line.
    const std::string backwards =
        R"("","89247239112","211474","stadion-pstn","x","SIP/211474-0","","Hangup","",)"
        R"("2024-01-27 15:07:24","2024-01-27 15:07:24","2024-01-27 15:06:51",27,27,"ANSWERED",)"
        R"("DOCUMENTATION","1706368044.0","","","1706368044.0",0)"
        "\n";
    auto refused =
        f.call("POST", "/v1/voice/cdrs/imports?format=asterisk&file=x.csv&accountcode=stadion",
               file + backwards);
    CHECK(refused.status == 422);
    simdjson::dom::parser p;
    auto doc = parse_json(p, refused.body);
    auto first = doc["refused_rows"].at(0);
    CHECK(str(first, "file") == "x.csv");
    CHECK(num(first, "line") == 85);
    CHECK(str(doc, "detail").find(str(doc, "field")) != std::string::npos);
    CHECK(f.log_size() == before);
    // With partial=true the good rows go in and the bad one is reported.
    auto partial =
        f.call("POST",
               "/v1/voice/cdrs/imports?format=asterisk&file=x.csv&partial=true&accountcode=stadion",
               file + backwards);
    REQUIRE_MESSAGE(partial.status == 200, partial.body.substr(0, 500));
    CHECK(num(parse_json(p, partial.body), "refused") == 1);
    CHECK(f.log_size() > before);
    // Re-ratings and balances.
    const auto now = f.log_size();
    check_problem(f, f.call("POST", "/v1/voice/reratings", R"({"from":"yesterday","to":"x"})"), 400,
                  "from", now);
    check_problem(
        f,
        f.call("POST", "/v1/voice/customers/1/top-ups", R"({"amount":"1.0000001","reason":"x"})"),
        400, "amount", now);
    check_problem(
        f, f.call("POST", "/v1/voice/customers/1/top-ups", R"({"amount":"-1","reason":"x"})"), 400,
        "amount", now);
    check_problem(f, f.call("GET", "/v1/voice/cdrs?destination=49a"), 400, "destination", now);
}

TEST_CASE("CDRs: a JSON batch from a switch, rating again after the customer appears") {
    ApiFixture f;
    const auto customer = set_up(f);
    const std::string batch = R"({"cdrs":[{"id":"sw-1","accountcode":"later","caller":"1",)"
                              R"("destination":"+79247239112","start":"2024-01-27T10:00:00Z",)"
                              R"("answer":"2024-01-27T10:00:05Z","end":"2024-01-27T10:01:35Z",)"
                              R"("billsec":90}]})";
    auto r = f.call("POST", "/v1/voice/cdrs", batch);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    simdjson::dom::parser p;
    CHECK(num(parse_json(p, r.body), "unrated") == 1);
    CHECK(str(parse_json(p, r.body)["outcomes"].at(0), "reason") == "unknown_customer");
    // The customer claims the accountcode; rating again prices the CDR: 2 minutes at 0.06.
    REQUIRE(f.call("PATCH", fmt::format("/v1/voice/customers/{}", customer),
                   R"({"accountcodes":["stadion","later"]})")
                .status == 200);
    auto again = f.call("POST", "/v1/voice/cdrs/rate-again", "{}");
    REQUIRE_MESSAGE(again.status == 200, again.body);
    CHECK(num(parse_json(p, again.body), "rated") == 1);
    CHECK(balance_of(f, customer) == -120'000);
    auto listed = f.call("GET", "/v1/voice/cdrs?status=unrated");
    CHECK(parse_json(p, listed.body)["items"].get_array().size() == 0);
}

TEST_CASE("CDRs: without an accountcode the customer is found by trunk, source address, caller") {
    ApiFixture f;
    const auto customer = set_up(f);
    // Given the customer's trunk, its source block and a caller rule for its DID range
    REQUIRE(f.call("PATCH", fmt::format("/v1/voice/customers/{}", customer),
                   R"({"trunks":["stadion-in"],"source_ips":["192.0.2.0/24"],)"
                   R"("caller_prefixes":["7495"]})")
                .status == 200);
    // When a switch sends four CDRs without an accountcode
    auto cdr = [](const std::string& id, const std::string& extra) {
        return R"({"id":")" + id + R"(","caller":"+7 495 123 4567",)" + extra +
               R"("destination":"+79247239112","start":"2024-01-27T10:00:00Z",)"
               R"("answer":"2024-01-27T10:00:05Z","end":"2024-01-27T10:01:35Z","billsec":90})";
    };
    const std::string batch =
        R"({"cdrs":[)" + cdr("by-trunk", R"("trunk":"stadion-in",)") + "," +
        cdr("by-source", R"("source_ip":"192.0.2.10",)") + "," + cdr("by-caller", "") + "," +
        R"({"id":"nobody","caller":"+1 212 555 0100","destination":"+79247239112",)"
        R"("start":"2024-01-27T10:00:00Z","answer":"2024-01-27T10:00:05Z",)"
        R"("end":"2024-01-27T10:01:35Z","billsec":90}]})";
    auto r = f.call("POST", "/v1/voice/cdrs", batch);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    simdjson::dom::parser p;
    // Then three are the customer's (2 minutes at 0.06 each) and the stranger's is unrated
    CHECK(num(parse_json(p, r.body), "rated") == 3);
    CHECK(num(parse_json(p, r.body), "unrated") == 1);
    CHECK(balance_of(f, customer) == -3 * 120'000);
    // And another customer cannot claim the same trunk
    auto other =
        f.call("POST", "/v1/voice/customers",
               R"({"name":"Other","country":"RU","currency":"EUR","trunks":["stadion-in"],)"
               R"("category_id":"sip_trunk","group_id":"gold"})");
    CHECK(other.status == 409);
    CHECK(other.body.find("trunks") != std::string::npos);
    auto bad = f.call("PATCH", fmt::format("/v1/voice/customers/{}", customer),
                      R"({"caller_prefixes":["+7495"]})");
    CHECK(bad.status == 400);
    CHECK(bad.body.find("caller_prefixes") != std::string::npos);
}

TEST_CASE("CDRs: an open account's threshold changes through PUT, its kind does not") {
    ApiFixture f;
    const auto customer = set_up(f);
    const auto path = fmt::format("/v1/voice/customers/{}/account", customer);
    REQUIRE(f.call("PUT", path, "{}").status == 200);
    // When the threshold is raised on the open prepaid account
    auto changed = f.call("PUT", path, R"({"low_balance_threshold":"1.50"})");
    REQUIRE_MESSAGE(changed.status == 200, changed.body);
    auto balance = f.call("GET", fmt::format("/v1/voice/customers/{}/balance", customer));
    simdjson::dom::parser p;
    CHECK(num(parse_json(p, balance.body), "low_balance_threshold_micros") == 1'500'000);
    // Then a credit limit on a prepaid account is refused naming it, and nothing is appended
    const auto head = f.store->head();
    auto bad = f.call("PUT", path, R"({"credit_limit":"10"})");
    CHECK(bad.status == 400);
    CHECK(bad.body.find("credit_limit") != std::string::npos);
    CHECK(f.store->head() == head);
    // And a customer turned postpaid cannot change its open prepaid account's kind
    REQUIRE(f.call("PATCH", fmt::format("/v1/voice/customers/{}", customer),
                   R"({"billing_type":"postpaid"})")
                .status == 200);
    auto kind = f.call("PUT", path, R"({"credit_limit":"10"})");
    CHECK(kind.status == 409);
    CHECK(kind.body.find("kind") != std::string::npos);
}

TEST_CASE("CDRs: the CLI's batches keep the header line and count lines over the whole file") {
    const std::string text = "accountcode,src,dst\na,1,2\nb,1,2\nc,1,2\n\nd,1,2";
    const auto batches = app::cdr_batches(text, 2);
    REQUIRE(batches.size() == 2);
    CHECK(batches[0].first == 2);  // line 1 is the header
    CHECK(batches[0].second == "accountcode,src,dst\na,1,2\nb,1,2\n");
    CHECK(batches[1].first == 4);
    CHECK(batches[1].second == "accountcode,src,dst\nc,1,2\n\nd,1,2");
    // Without a header: plain slices.
    const auto plain = app::cdr_batches("x\ny\nz\n", 2);
    REQUIRE(plain.size() == 2);
    CHECK(plain[0].second == "x\ny\n");
    CHECK(plain[1].first == 3);
    CHECK(plain[1].second == "z\n");
}

TEST_CASE("CDRs: a reseller sees its subtree's CDRs and usage, a customer user its own") {
    ApiFixture f;
    set_up(f);
    create_user(f, f.key, "res1", "reseller");
    create_user(f, f.key, "res2", "reseller");
    const auto r1 = sign_in(f, "res1");
    const auto r2 = sign_in(f, "res2");
    const auto user = create_user(f, r1, "mine-user", "customer");
    auto mine = as(f, r1, "POST", "/v1/voice/customers",
                   fmt::format(R"({{"name":"Mine","country":"RU","currency":"EUR",)"
                               R"("accountcodes":["mine"],"category_id":"sip_trunk",)"
                               R"("group_id":"gold","user_id":"{}"}})",
                               user));
    REQUIRE_MESSAGE(mine.status == 201, mine.body);
    simdjson::dom::parser p;
    const auto mine_id = num(parse_json(p, mine.body), "customer_id");
    REQUIRE(f.call("POST", "/v1/voice/assignments",
                   fmt::format(R"({{"kind":"rate_card","value":"card","scope":"customer",)"
                               R"("target":"{}"}})",
                               mine_id))
                .status == 201);
    auto cdr = [](const char* id, const char* account) {
        return fmt::format(R"({{"id":"{}","accountcode":"{}","caller":"1",)"
                           R"("destination":"+79247239112","start":"2024-01-27T10:00:00Z",)"
                           R"("answer":"2024-01-27T10:00:05Z","end":"2024-01-27T10:01:05Z",)"
                           R"("billsec":60}})",
                           id, account);
    };
    auto posted =
        f.call("POST", "/v1/voice/cdrs",
               R"({"cdrs":[)" + cdr("op-1", "stadion") + "," + cdr("mine-1", "mine") + "]}");
    REQUIRE_MESSAGE(posted.status == 200, posted.body);
    CHECK(num(parse_json(p, posted.body), "rated") == 2);
    f.settle();
    auto count = [&](const std::string& token, const std::string& target) {
        auto r = as(f, token, "GET", target);
        REQUIRE_MESSAGE(r.status == 200, r.body);
        simdjson::dom::parser q;
        return parse_json(q, r.body)["items"].get_array().size();
    };
    const auto me = sign_in(f, "mine-user");
    CHECK(count(f.key, "/v1/voice/cdrs") == 2);
    CHECK(count(r1, "/v1/voice/cdrs") == 1);
    CHECK(count(r2, "/v1/voice/cdrs") == 0);
    CHECK(count(me, "/v1/voice/cdrs") == 1);
    CHECK(count(me, "/v1/voice/cdrs?customer=1") == 0);
    CHECK(count(me, "/v1/voice/usage") == 1);
    CHECK(count(r2, "/v1/voice/usage") == 0);
    // The operator's CDR does not exist for the customer user; its own does.
    auto all = f.call("GET", "/v1/voice/cdrs");
    std::string op_id, mine_cdr;
    for (auto item : parse_json(p, all.body)["items"].get_array())
        (str(item, "customer_id") == "1" ? op_id : mine_cdr) = str(item, "cdr_id");
    CHECK(as(f, me, "GET", "/v1/voice/cdrs/" + op_id).status == 404);
    CHECK(as(f, me, "GET", "/v1/voice/cdrs/" + mine_cdr).status == 200);
    CHECK(as(f, me, "GET", "/v1/voice/customers/1/balance").status == 404);
    // One minute at 0.06 from an account opened at 0 (prepaid): -0.06.
    auto balance = as(f, me, "GET", fmt::format("/v1/voice/customers/{}/balance", mine_id));
    REQUIRE(balance.status == 200);
    CHECK(num(parse_json(p, balance.body), "balance_micros") == -60'000);
    CHECK(parse_json(p, balance.body)["exhausted"].get_bool().value());
    // The customer user reads its own rate card (7 at 0.0600/min), not the operator's customer's
    auto card = as(f, me, "GET", fmt::format("/v1/voice/customers/{}/rate-card", mine_id));
    REQUIRE_MESSAGE(card.status == 200, card.body);
    auto items = parse_json(p, card.body)["items"].get_array();
    REQUIRE(items.size() == 1);
    CHECK(str(items.at(0), "prefix") == "7");
    CHECK(str(items.at(0), "rate_per_minute") == "0.0600");
    CHECK(as(f, me, "GET", "/v1/voice/customers/1/rate-card").status == 404);
    CHECK(as(f, r2, "GET", fmt::format("/v1/voice/customers/{}/rate-card", mine_id)).status == 404);
    CHECK(as(f, r1, "GET", fmt::format("/v1/voice/customers/{}/rate-card", mine_id)).status == 200);
    // Nor may it top itself up, nor a reseller ingest.
    CHECK(as(f, me, "POST", fmt::format("/v1/voice/customers/{}/top-ups", mine_id),
             R"({"amount":"5.00","reason":"x"})")
              .status == 403);
    CHECK(as(f, r1, "POST", "/v1/voice/cdrs", R"({"cdrs":[]})").status == 403);
}
