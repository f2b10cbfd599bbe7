// The voice line over HTTP: the seeded categories and tiers, customers and the assignment
// system with the effective view, resellers' subtrees, customer users, reference data, and bad
// input answered 4xx naming the field with the log unchanged.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include <fmt/format.h>

#include "tests/api/sign_in.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

const char* kAcme =
    R"({"name":"Acme","company":"Acme Telecom GmbH","country":"DE","currency":"EUR",)"
    R"("billing_type":"prepaid","accountcodes":["acme-1"],"source_ips":["192.0.2.10",)"
    R"("198.51.100.0/24"],"tech_prefix":"4411#","category_id":"sip_trunk","group_id":"gold"})";

std::int64_t created_id(const api::HttpResponse& r, const char* key) {
    REQUIRE_MESSAGE(r.status == 201, r.body);
    simdjson::dom::parser p;
    return num(parse_json(p, r.body), key);
}

/// The `items[].<key>` of a list answer.
std::vector<std::string> item_strings(const api::HttpResponse& r, const char* key) {
    REQUIRE_MESSAGE(r.status == 200, r.body);
    simdjson::dom::parser p;
    std::vector<std::string> out;
    for (auto item : parse_json(p, r.body)["items"].get_array()) out.push_back(str(item, key));
    return out;
}

/// The effective item of `kind`: {value, assignment scope, assignment id} or empties.
struct Effective {
    std::string value, scope;
    std::int64_t assignment_id = 0;
};
Effective effective_of(ApiFixture& f, std::int64_t customer, const std::string& kind) {
    auto r = f.call("GET", fmt::format("/v1/voice/customers/{}/effective", customer));
    REQUIRE_MESSAGE(r.status == 200, r.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, r.body);
    CHECK(num(doc, "customer_id") == customer);
    Effective out;
    int kinds = 0;
    for (auto item : doc["items"].get_array()) {
        ++kinds;
        if (str(item, "kind") != kind) continue;
        if (item["value"].is_null()) {
            CHECK(item["assignment"].is_null());
            continue;
        }
        out.value = str(item, "value");
        auto a = item["assignment"];
        out.scope = str(a, "scope");
        out.assignment_id = num(a, "assignment_id");
        CHECK(str(a, "created_at").ends_with("Z"));
    }
    CHECK(kinds == 6);
    return out;
}

/// Seeds the shipped categories and tiers, as the first start of `serve` does (the fixture
/// starts without them).
void seed_voice(ApiFixture& f) {
    for (auto& m : f.modules)
        if (auto* voice = dynamic_cast<app::VoiceModule*>(m.get())) {
            core::DecisionContext ctx;
            ctx.now = f.clock.now();
            ctx.correlation_id = "seed";
            auto seeded = voice->seed(ctx);
            REQUIRE_MESSAGE(seeded, (seeded ? "" : seeded.error().message));
        }
    f.settle();
}

void gold_group(ApiFixture& f) {
    auto r = f.call("POST", "/v1/voice/groups",
                    R"({"group_id":"gold","category_id":"sip_trunk","name":"Gold"})");
    REQUIRE_MESSAGE(r.status == 201, r.body);
}

}  // namespace

TEST_CASE("the first start seeds DIDTron's public categories and the four voice tiers") {
    ApiFixture f;
    seed_voice(f);
    CHECK(item_strings(f.call("GET", "/v1/voice/categories"), "name") ==
          std::vector<std::string>{"Call Center", "Enterprise", "Individual", "SIP Trunk"});
    CHECK(item_strings(f.call("GET", "/v1/voice/tiers"), "tier_id") ==
          std::vector<std::string>{"call_center", "economy", "premium", "standard"});
    auto one = f.call("GET", "/v1/voice/categories/sip_trunk");
    REQUIRE(one.status == 200);
    CHECK(one.body.find(R"("public":true)") != std::string::npos);
    CHECK(f.call("GET", "/v1/voice/categories/wholesale").status == 404);
}

TEST_CASE(
    "assignments at every level: the effective view shows the most specific, then the "
    "latest") {
    ApiFixture f;
    seed_voice(f);
    gold_group(f);
    const auto acme = created_id(f.call("POST", "/v1/voice/customers", kAcme), "customer_id");
    const auto beta = created_id(
        f.call("POST", "/v1/voice/customers",
               R"({"name":"Beta","country":"GB","currency":"GBP","category_id":"sip_trunk",)"
               R"("group_id":"gold"})"),
        "customer_id");
    CHECK(acme == 1);
    CHECK(beta == 2);
    CHECK(effective_of(f, acme, "rate_card").value.empty());

    auto assign = [&](const std::string& scope, const std::string& target,
                      const std::string& value) {
        auto body =
            target.empty()
                ? fmt::format(R"({{"kind":"rate_card","value":"{}","scope":"{}"}})", value, scope)
                : fmt::format(R"({{"kind":"rate_card","value":"{}","scope":"{}","target":"{}"}})",
                              value, scope, target);
        return created_id(f.call("POST", "/v1/voice/assignments", body), "assignment_id");
    };
    const auto to_all = assign("all", "", "deck-all");
    auto e = effective_of(f, acme, "rate_card");
    CHECK(e.value == "deck-all");
    CHECK(e.scope == "all");
    CHECK(e.assignment_id == to_all);
    assign("category", "sip_trunk", "deck-trunks");
    CHECK(effective_of(f, acme, "rate_card").value == "deck-trunks");
    const auto to_gold = assign("group", "gold", "deck-gold");
    CHECK(effective_of(f, acme, "rate_card").value == "deck-gold");
    const auto to_acme = assign("customer", std::to_string(acme), "deck-acme");
    e = effective_of(f, acme, "rate_card");
    CHECK(e.value == "deck-acme");
    CHECK(e.scope == "customer");
    CHECK(e.assignment_id == to_acme);
    // A later assignment to all does not beat the more specific ones.
    assign("all", "", "deck-all-2");
    CHECK(effective_of(f, acme, "rate_card").value == "deck-acme");
    // Beta is in the same group but not named: the group's card.
    CHECK(effective_of(f, beta, "rate_card").value == "deck-gold");
    // A second group assignment, later: the latest of equals wins for Beta.
    f.clock.advance(std::chrono::seconds(5));
    const auto to_gold_2 = assign("group", "gold", "deck-gold-2");
    e = effective_of(f, beta, "rate_card");
    CHECK(e.value == "deck-gold-2");
    CHECK(e.assignment_id == to_gold_2);
    // Deleting the customer's own assignment lets the group's take over.
    auto del = f.call("DELETE", fmt::format("/v1/voice/assignments/{}", to_acme));
    REQUIRE_MESSAGE(del.status == 200, del.body);
    CHECK(effective_of(f, acme, "rate_card").value == "deck-gold-2");
    CHECK(f.call("DELETE", fmt::format("/v1/voice/assignments/{}", to_acme)).status == 200);
    CHECK(f.call("DELETE", "/v1/voice/assignments/999").status == 404);
    // The list, filtered by scope.
    auto groups = f.call("GET", "/v1/voice/assignments?scope=group");
    simdjson::dom::parser p;
    std::set<std::int64_t> ids;
    for (auto item : parse_json(p, groups.body)["items"].get_array())
        ids.insert(num(item, "assignment_id"));
    CHECK(ids == std::set<std::int64_t>{to_gold, to_gold_2});
    // Reference items assigned by id: the seeded premium tier to the category.
    auto tier = f.call("POST", "/v1/voice/assignments",
                       R"({"kind":"voice_tier","value":"premium","scope":"category",)"
                       R"("target":"sip_trunk"})");
    REQUIRE_MESSAGE(tier.status == 201, tier.body);
    CHECK(effective_of(f, beta, "voice_tier").value == "premium");
}

TEST_CASE("a retried create answers 200 with the same customer and appends nothing") {
    ApiFixture f;
    seed_voice(f);
    gold_group(f);
    auto first = f.call("POST", "/v1/voice/customers", kAcme, true,
                        {{"idempotency-key", "k-1"}, {"authorization", "Bearer " + f.key}});
    REQUIRE_MESSAGE(first.status == 201, first.body);
    const auto size = f.log_size();
    auto again = f.call("POST", "/v1/voice/customers", kAcme, true,
                        {{"idempotency-key", "k-1"}, {"authorization", "Bearer " + f.key}});
    CHECK_MESSAGE(again.status == 200, again.body);
    simdjson::dom::parser p;
    CHECK(num(parse_json(p, again.body), "customer_id") == 1);
    CHECK(f.log_size() == size);
}

TEST_CASE("customers list with filters, a customer's fields change with PATCH") {
    ApiFixture f;
    seed_voice(f);
    gold_group(f);
    REQUIRE(f.call("POST", "/v1/voice/groups",
                   R"({"group_id":"cc","category_id":"call_center","name":"CC"})")
                .status == 201);
    created_id(f.call("POST", "/v1/voice/customers", kAcme), "customer_id");
    const auto callco = created_id(f.call("POST", "/v1/voice/customers",
                                          R"({"name":"Call Co","country":"US","currency":"USD",)"
                                          R"("category_id":"call_center","group_id":"cc"})"),
                                   "customer_id");
    CHECK(item_strings(f.call("GET", "/v1/voice/customers"), "name") ==
          std::vector<std::string>{"Acme", "Call Co"});
    CHECK(item_strings(f.call("GET", "/v1/voice/customers?category_id=call_center"), "name") ==
          std::vector<std::string>{"Call Co"});
    CHECK(item_strings(f.call("GET", "/v1/voice/customers?group_id=gold"), "name") ==
          std::vector<std::string>{"Acme"});
    auto page = f.call("GET", "/v1/voice/customers?limit=1");
    CHECK(item_strings(page, "name") == std::vector<std::string>{"Acme"});
    CHECK(page.body.find(R"("next_cursor":"1")") != std::string::npos);
    CHECK(item_strings(f.call("GET", "/v1/voice/customers?limit=1&cursor=1"), "name") ==
          std::vector<std::string>{"Call Co"});
    auto patched = f.call("PATCH", fmt::format("/v1/voice/customers/{}", callco),
                          R"({"status":"suspended","billing_type":"postpaid"})");
    REQUIRE_MESSAGE(patched.status == 200, patched.body);
    CHECK(patched.body.find(R"("status":"suspended")") != std::string::npos);
    CHECK(item_strings(f.call("GET", "/v1/voice/customers?status=suspended"), "name") ==
          std::vector<std::string>{"Call Co"});
    auto one = f.call("GET", fmt::format("/v1/voice/customers/{}", callco));
    REQUIRE(one.status == 200);
    CHECK(one.body.find(R"("billing_type":"postpaid")") != std::string::npos);
    CHECK(one.body.find(R"("owner_path":"/")") != std::string::npos);
}

TEST_CASE("a reseller reaches its own subtree's customers only, a customer user itself only") {
    ApiFixture f;
    seed_voice(f);
    gold_group(f);
    create_user(f, f.key, "res1", "reseller");
    create_user(f, f.key, "res2", "reseller");
    const auto r1 = sign_in(f, "res1");
    const auto r2 = sign_in(f, "res2");
    const auto cust_user = create_user(f, r1, "acme-user", "customer");
    const auto other_user = create_user(f, r2, "beta-user", "customer");
    // r1 cannot link r2's customer user.
    auto foreign =
        as(f, r1, "POST", "/v1/voice/customers",
           fmt::format(R"({{"name":"X","country":"DE","currency":"EUR","category_id":"sip_trunk",)"
                       R"("group_id":"gold","user_id":"{}"}})",
                       other_user));
    const auto before = f.log_size();
    check_problem(f, foreign, 404, "user_id", before);
    auto mine = as(f, r1, "POST", "/v1/voice/customers",
                   fmt::format(R"({{"name":"Acme","country":"DE","currency":"EUR",)"
                               R"("category_id":"sip_trunk","group_id":"gold","user_id":"{}"}})",
                               cust_user));
    const auto acme = created_id(mine, "customer_id");
    CHECK(mine.body.find(R"("owner_path":"/)") != std::string::npos);
    const auto beta =
        created_id(as(f, r2, "POST", "/v1/voice/customers",
                      R"({"name":"Beta","country":"GB","currency":"GBP","category_id":"sip_trunk",)"
                      R"("group_id":"gold"})"),
                   "customer_id");
    const auto op = created_id(f.call("POST", "/v1/voice/customers", kAcme), "customer_id");
    f.settle();
    auto names = [&](const std::string& token) {
        return item_strings(as(f, token, "GET", "/v1/voice/customers"), "name");
    };
    CHECK(names(r1) == std::vector<std::string>{"Acme"});
    CHECK(names(r2) == std::vector<std::string>{"Beta"});
    CHECK(names(f.key).size() == 3);
    const auto acme_path = fmt::format("/v1/voice/customers/{}", acme);
    CHECK(as(f, r1, "GET", acme_path).status == 200);
    CHECK(as(f, r2, "GET", acme_path).status == 404);
    CHECK(as(f, r2, "GET", acme_path + "/effective").status == 404);
    CHECK(as(f, r2, "PATCH", acme_path, R"({"name":"Taken"})").status == 404);
    CHECK(as(f, r1, "GET", fmt::format("/v1/voice/customers/{}", op)).status == 404);
    CHECK(as(f, r1, "PATCH", acme_path, R"({"name":"Acme 2"})").status == 200);
    // The customer user sees its own customer and its configuration, nothing else.
    const auto me = sign_in(f, "acme-user");
    CHECK(as(f, me, "GET", acme_path).status == 200);
    CHECK(as(f, me, "GET", acme_path + "/effective").status == 200);
    CHECK(as(f, me, "GET", fmt::format("/v1/voice/customers/{}", beta)).status == 404);
    CHECK(as(f, me, "GET", "/v1/voice/customers").status == 403);
    CHECK(as(f, me, "PATCH", acme_path, R"({"name":"Mine"})").status == 403);
    // Resellers do not assign, nor see carriers.
    CHECK(as(f, r1, "POST", "/v1/voice/assignments",
             R"({"kind":"rate_card","value":"d","scope":"all"})")
              .status == 403);
    CHECK(as(f, r1, "GET", "/v1/voice/carriers").status == 403);
}

TEST_CASE("reference items: create, retry, change, retire, a retired item is not assignable") {
    ApiFixture f;
    seed_voice(f);
    const char* pop = R"({"pop_id":"fra1","name":"Frankfurt 1","region":"eu-central",)"
                      R"("sip_addresses":["sip.fra1.example.net:5060"]})";
    auto created = f.call("POST", "/v1/voice/pops", pop);
    REQUIRE_MESSAGE(created.status == 201, created.body);
    CHECK(created.body.find(R"("retired":false)") != std::string::npos);
    CHECK(f.call("POST", "/v1/voice/pops", pop).status == 200);  // the same again: a retry
    auto clash = f.call("POST", "/v1/voice/pops",
                        R"({"pop_id":"fra1","name":"Other","sip_addresses":["a.example:5060"]})");
    CHECK(clash.status == 409);
    auto changed = f.call("PATCH", "/v1/voice/pops/fra1", R"({"region":"eu-west"})");
    REQUIRE_MESSAGE(changed.status == 200, changed.body);
    CHECK(changed.body.find(R"("region":"eu-west")") != std::string::npos);
    CHECK(changed.body.find(R"("name":"Frankfurt 1")") != std::string::npos);
    auto got = f.call("GET", "/v1/voice/pops/fra1");
    REQUIRE(got.status == 200);
    CHECK(got.body.find(R"("region":"eu-west")") != std::string::npos);
    REQUIRE(f.call("POST", "/v1/voice/codecs",
                   R"({"codec_id":"pcmu","name":"PCMU","payload_type":0,"clock_rate":8000})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/voice/codec-sets",
                   R"({"codec_set_id":"g711","name":"G.711","codecs":["pcmu"]})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/voice/channel-plans",
                   R"({"channel_plan_id":"c30","name":"30","channels":30,"cps":5})")
                .status == 201);
    auto carrier = f.call("POST", "/v1/voice/carriers",
                          R"({"carrier_id":"acme","name":"Acme","trunk_hosts":["198.51.100.7"],)"
                          R"("currency":"USD"})");
    REQUIRE_MESSAGE(carrier.status == 201, carrier.body);
    CHECK(carrier.body.find(R"("status":"active")") != std::string::npos);
    CHECK(f.call("PATCH", "/v1/voice/carriers/acme", R"({"status":"suspended"})").status == 200);
    // Retiring: gone from the list, shown with ?retired=true, no longer assignable.
    REQUIRE(f.call("DELETE", "/v1/voice/pops/fra1").status == 200);
    CHECK(f.call("DELETE", "/v1/voice/pops/fra1").status == 200);
    CHECK(item_strings(f.call("GET", "/v1/voice/pops"), "pop_id").empty());
    CHECK(item_strings(f.call("GET", "/v1/voice/pops?retired=true"), "pop_id") ==
          std::vector<std::string>{"fra1"});
    const auto before = f.log_size();
    check_problem(
        f,
        f.call("POST", "/v1/voice/assignments", R"({"kind":"pop","value":"fra1","scope":"all"})"),
        422, "value", before);
    CHECK(f.call("POST", "/v1/voice/assignments",
                 R"({"kind":"codec_set","value":"g711","scope":"all"})")
              .status == 201);
    CHECK(f.call("DELETE", "/v1/voice/carriers/none").status == 404);
}

TEST_CASE("bad input is answered 4xx naming the field, and nothing is appended") {
    ApiFixture f;
    seed_voice(f);
    gold_group(f);
    REQUIRE(f.call("POST", "/v1/voice/customers", kAcme).status == 201);
    REQUIRE(f.call("POST", "/v1/voice/pops",
                   R"({"pop_id":"fra1","name":"F","sip_addresses":["192.0.2.1:5060"]})")
                .status == 201);
    f.settle();
    const auto before = f.log_size();
    // A valid customer body with one member replaced or added (raw JSON values).
    auto customer = [&](const std::string& key, const std::string& value) {
        std::map<std::string, std::string> members{{"name", R"("Other")"},
                                                   {"country", R"("DE")"},
                                                   {"currency", R"("EUR")"},
                                                   {"category_id", R"("sip_trunk")"},
                                                   {"group_id", R"("gold")"}};
        members[key] = value;
        std::string body = "{";
        for (const auto& [k, v] : members)
            body += (body.size() > 1 ? "," : "") + ("\"" + k + "\":" + v);
        return f.call("POST", "/v1/voice/customers", body + "}");
    };
    check_problem(f, customer("country", R"("UK")"), 400, "country", before);
    check_problem(f, customer("currency", R"("euro")"), 400, "currency", before);
    check_problem(f, customer("billing_type", R"("credit")"), 400, "billing_type", before);
    check_problem(f, customer("source_ips", R"(["10.0.0.0/40"])"), 400, "source_ips", before);
    check_problem(f, customer("tech_prefix", R"("12ab")"), 400, "tech_prefix", before);
    check_problem(f, customer("group_id", R"("nope")"), 404, "group_id", before);
    check_problem(f, customer("colour", R"("red")"), 400, "colour", before);
    check_problem(
        f,
        f.call("POST", "/v1/voice/customers",
               R"({"name":"Dup","country":"DE","currency":"EUR",)"
               R"("category_id":"sip_trunk","group_id":"gold","accountcodes":["acme-1"]})"),
        409, "accountcodes", before);
    check_problem(f, f.call("PATCH", "/v1/voice/customers/1", R"({"status":"closed"})"), 400,
                  "status", before);
    check_problem(
        f, f.call("POST", "/v1/voice/assignments", R"({"kind":"trunk","value":"x","scope":"all"})"),
        400, "kind", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/assignments",
                         R"({"kind":"voice_tier","value":"gold-plated","scope":"all"})"),
                  404, "value", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/assignments",
                         R"({"kind":"rate_card","value":"d","scope":"group","target":"tin"})"),
                  404, "target", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/pops",
                         R"({"pop_id":"lon1","name":"L","sip_addresses":["sip.example"]})"),
                  400, "sip_addresses", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/codecs",
                         R"({"codec_id":"x","name":"X","payload_type":"zero","clock_rate":8000})"),
                  400, "payload_type", before);
    check_problem(f, f.call("PATCH", "/v1/voice/tiers/premium", R"({"asr_percent":101})"), 400,
                  "asr_percent", before);
    check_problem(f, f.call("PATCH", "/v1/voice/pops/fra1", R"({"pop_id":"fra2"})"), 400, "pop_id",
                  before);
    check_problem(f,
                  f.call("POST", "/v1/voice/carriers",
                         R"({"carrier_id":"c","name":"C","trunk_hosts":["h.example"],)"
                         R"("currency":"usd"})"),
                  400, "currency", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/codec-sets",
                         R"({"codec_set_id":"s","name":"S","codecs":["opus"]})"),
                  404, "codecs", before);
    check_problem(
        f,
        f.call("POST", "/v1/voice/groups", R"({"group_id":"g2","category_id":"nope","name":"G"})"),
        404, "category_id", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/categories", R"({"category_id":"Bad Id","name":"B"})"),
                  400, "category_id", before);
}
