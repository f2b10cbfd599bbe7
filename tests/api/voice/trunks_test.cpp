// Customer SIP trunks over HTTP: create, read, change, remove; the digest password set and
// never shown; bad input answered 4xx naming the field with the log unchanged (bad CIDR,
// overlap with another customer's trunk, duplicate digest username, unknown codec set); the
// admission view.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "events/voice/trunk_service.hpp"
#include "tests/api/sign_in.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

/// A category, a group, two customers (ids 1 and 2), a codec and a codec set.
void voice_world(ApiFixture& f) {
    auto post = [&](const char* path, const std::string& body) {
        auto r = f.call("POST", path, body);
        REQUIRE_MESSAGE(r.status == 201, path, r.body);
    };
    post("/v1/voice/categories", R"({"category_id":"sip_trunk","name":"SIP Trunk"})");
    post("/v1/voice/groups", R"({"group_id":"gold","category_id":"sip_trunk","name":"Gold"})");
    for (const char* name : {"Acme", "Globex"})
        post("/v1/voice/customers", fmt::format(R"({{"name":"{}","country":"DE","currency":"EUR",)"
                                                R"("category_id":"sip_trunk","group_id":"gold"}})",
                                                name));
    post("/v1/voice/codecs", R"({"codec_id":"pcma","name":"PCMA","payload_type":8})");
    post("/v1/voice/codec-sets", R"({"codec_set_id":"g711","name":"G711","codecs":["pcma"]})");
}

app::VoiceModule& voice_module(ApiFixture& f) {
    for (auto& m : f.modules)
        if (auto* v = dynamic_cast<app::VoiceModule*>(m.get())) return *v;
    FAIL("no voice module");
    throw;
}

}  // namespace

TEST_CASE("trunks over HTTP: create, read, change, list by customer, remove") {
    ApiFixture f;
    voice_world(f);
    auto r = f.call("POST", "/v1/voice/trunks",
                    R"({"trunk_id":"acme-1","customer_id":1,"name":"Acme PBX",)"
                    R"("source_ips":["192.0.2.0/24"],"tech_prefix":"#77","codec_set_id":"g711",)"
                    R"("cli_prefixes":["4930555"],"channels":30,"cps":5})");
    REQUIRE_MESSAGE(r.status == 201, r.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, r.body);
    CHECK(str(doc, "trunk_id") == "acme-1");
    CHECK(num(doc, "channels") == 30);
    CHECK(str(doc, "cli_policy") == "reject");
    CHECK_FALSE(doc["password_set"].get_bool().value());
    r = f.call("PATCH", "/v1/voice/trunks/acme-1", R"({"cps":10,"status":"disabled"})");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    r = f.call("GET", "/v1/voice/trunks/acme-1");
    REQUIRE(r.status == 200);
    simdjson::dom::parser p2;
    auto got = parse_json(p2, r.body);
    CHECK(num(got, "cps") == 10);
    CHECK(str(got, "status") == "disabled");
    REQUIRE(f.call("POST", "/v1/voice/trunks",
                   R"({"trunk_id":"globex-1","customer_id":2,"name":"G","username":"globex"})")
                .status == 201);
    r = f.call("GET", "/v1/voice/trunks?customer_id=2");
    REQUIRE(r.status == 200);
    simdjson::dom::parser p3;
    auto list = parse_json(p3, r.body)["items"].get_array();
    REQUIRE(list.size() == 1);
    CHECK(str(list.at(0), "trunk_id") == "globex-1");
    r = f.call("DELETE", "/v1/voice/trunks/globex-1");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(f.call("GET", "/v1/voice/trunks/globex-1").status == 404);
}

TEST_CASE("the trunk password: set, answered without a secret, the HA1 Kamailio gets") {
    ApiFixture f;
    voice_world(f);
    REQUIRE(f.call("POST", "/v1/voice/trunks",
                   R"({"trunk_id":"acme-pbx","customer_id":1,"name":"PBX","username":"acme-pbx"})")
                .status == 201);
    const std::string password = "Very-Secret-9";
    auto r = f.call("POST", "/v1/voice/trunks/acme-pbx/password",
                    R"({"password":")" + password + R"("})");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.body.find(password) == std::string::npos);
    CHECK(r.body.find("sy1:") == std::string::npos);
    simdjson::dom::parser p;
    auto doc = parse_json(p, r.body);
    CHECK(doc["password_set"].get_bool().value());
    CHECK(str(doc, "realm") == "switchyard");
    auto& trunks = voice_module(f).trunk_service();
    const auto expected = events::voice::digest_ha1("acme-pbx", "switchyard", password);
    auto ha1 = trunks.ha1("acme-pbx", "switchyard");
    REQUIRE(ha1.has_value());
    CHECK(*ha1 == expected);
    CHECK(r.body.find(expected) == std::string::npos);
    auto all = f.store->read_all({}, 100000);
    REQUIRE(all.has_value());
    for (const auto& e : *all) {
        CHECK(e.data.find(password) == std::string::npos);
        CHECK(e.data.find(expected) == std::string::npos);
    }
    const auto before = f.log_size();
    check_problem(f, f.call("POST", "/v1/voice/trunks/acme-pbx/password", R"({"password":"x"})"),
                  400, "password", before);
}

TEST_CASE("bad trunk input is a 4xx naming the field, with nothing appended") {
    ApiFixture f;
    voice_world(f);
    REQUIRE(f.call("POST", "/v1/voice/trunks",
                   R"({"trunk_id":"acme-1","customer_id":1,"name":"A",)"
                   R"("source_ips":["192.0.2.0/24"],"username":"acme"})")
                .status == 201);
    const auto before = f.log_size();
    check_problem(f,
                  f.call("POST", "/v1/voice/trunks",
                         R"({"trunk_id":"t2","customer_id":1,"name":"B",)"
                         R"("source_ips":["192.0.2.1/24"]})"),
                  400, "source_ips", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/trunks",
                         R"({"trunk_id":"t2","customer_id":2,"name":"B",)"
                         R"("source_ips":["192.0.2.64/26"]})"),
                  409, "source_ips", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/trunks",
                         R"({"trunk_id":"t2","customer_id":2,"name":"B","username":"acme"})"),
                  409, "username", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/trunks",
                         R"({"trunk_id":"t2","customer_id":2,"name":"B","username":"g",)"
                         R"("codec_set_id":"nope"})"),
                  404, "codec_set_id", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/trunks",
                         R"({"trunk_id":"t2","customer_id":99,"name":"B","username":"g"})"),
                  404, "customer_id", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/trunks",
                         R"({"trunk_id":"t2","customer_id":2,"name":"B","username":"g",)"
                         R"("pai_policy":"maybe"})"),
                  400, "pai_policy", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/trunks",
                         R"({"trunk_id":"t2","customer_id":2,"name":"B","username":"g",)"
                         R"("colour":"red"})"),
                  400, "colour", before);
}

TEST_CASE("the admission view shows open calls, channels and reservations") {
    ApiFixture f;
    voice_world(f);
    auto& admission = voice_module(f).admission_service();
    admission.restore("call-1", 1, "acme-1", "carrier-a", 1'500'000, 900);
    auto r = f.call("GET", "/v1/voice/admission");
    REQUIRE_MESSAGE(r.status == 200, r.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, r.body);
    auto customers = doc["customers"].get_array();
    REQUIRE(customers.size() == 1);
    CHECK(num(customers.at(0), "channels") == 1);
    CHECK(str(customers.at(0), "reserved") == "1.500000");
    CHECK(num(doc["carrier_channels"], "carrier-a") == 1);
    admission.release("call-1");
    r = f.call("GET", "/v1/voice/admission");
    simdjson::dom::parser p2;
    CHECK(parse_json(p2, r.body)["customers"].get_array().size() == 0);
}
