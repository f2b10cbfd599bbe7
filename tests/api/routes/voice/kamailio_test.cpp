// The HTTP surface Kamailio calls: who may call it (an API key as HTTP Basic or Bearer, scoped
// or an unrestricted admin key; no sessions), bad input answered 400 naming the field with
// nothing appended, the module's own call path refusing an unknown source (403), and a call's
// detail for staff.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "api/routes/voice/kamailio.hpp"
#include "events/voice/call_service.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/support/call_ledger.hpp"
#include "tests/support/call_path_stubs.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

std::string base64(const std::string& in) {
    static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    int val = 0, bits = -6;
    for (unsigned char c : in) {
        val = (val << 8) + c;
        bits += 8;
        while (bits >= 0) {
            out.push_back(a[(val >> bits) & 0x3F]);
            bits -= 6;
        }
    }
    if (bits > -6) out.push_back(a[((val << 8) >> (bits + 8)) & 0x3F]);
    while (out.size() % 4) out.push_back('=');
    return out;
}

std::map<std::string, std::string> basic(const std::string& key) {
    return {{"authorization", "Basic " + base64("kamailio:" + key)}};
}

const char* kRoute =
    R"({"call_id":"a84b4c76e66710@pc33.example","source_ip":"127.0.0.1","source_port":5060,)"
    R"("ruri_user":"4915551234","from_user":"4930111","setup_ts":"1790000000.5"})";

}  // namespace

TEST_CASE(
    "Kamailio authenticates with an API key as HTTP Basic, scoped or admin, sessions and no key "
    "get 401") {
    ApiFixture f;
    auto none = f.call("POST", "/v1/voice/kamailio/events", "{}", false);
    CHECK(none.status == 401);
    bool challenge = false;
    for (const auto& [k, v] : none.headers)
        challenge |= k == "WWW-Authenticate" && v.find("Basic") != std::string::npos;
    CHECK(challenge);
    // The admin key as Basic: passes, and `{}` is a bad event.
    CHECK(f.call("POST", "/v1/voice/kamailio/events", "{}", false, basic(f.key)).status == 400);
    auto scoped =
        f.call("POST", "/v1/api-keys",
               R"({"name":"kamailio","role":"support","route_prefixes":["/v1/voice/kamailio"]})");
    REQUIRE_MESSAGE(scoped.status == 201, scoped.body);
    simdjson::dom::parser p;
    const auto key = str(parse_json(p, scoped.body), "key");
    f.settle();
    auto ok = f.call("POST", "/v1/voice/kamailio/events",
                     R"({"kind":"ended","call_id":"nobody@x","event_ts":"1790000001.0"})", false,
                     basic(key));
    CHECK_MESSAGE(ok.status == 200, ok.body);
    CHECK(ok.body.find(R"("status":"ignored")") != std::string::npos);
    auto other = f.call("POST", "/v1/api-keys",
                        R"({"name":"lines","role":"admin","route_prefixes":["/v1/iptv/lines"]})");
    REQUIRE(other.status == 201);
    simdjson::dom::parser p2;
    const auto lines_key = str(parse_json(p2, other.body), "key");
    f.settle();
    CHECK(f.call("POST", "/v1/voice/kamailio/events", "{}", false, basic(lines_key)).status == 401);
    CHECK(f.call("POST", "/v1/voice/kamailio/events", "{}", false, basic("wrong")).status == 401);
}

TEST_CASE("bad requests from Kamailio are 400 naming the field, and nothing is appended") {
    ApiFixture f;
    f.settle();
    const auto before = f.log_size();
    check_problem(f, f.call("POST", "/v1/voice/kamailio/route", "{nope", false, basic(f.key)), 400,
                  "body", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/kamailio/route",
                         R"({"call_id":"c","source_ip":"1.2.3.4"})", false, basic(f.key)),
                  400, "ruri_user", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/kamailio/events", R"({"kind":"x","call_id":"c"})",
                         false, basic(f.key)),
                  400, "kind", before);
    check_problem(
        f,
        f.call("POST", "/v1/voice/kamailio/events",
               R"({"kind":"ended","call_id":"c","event_ts":"yesterday"})", false, basic(f.key)),
        400, "event_ts", before);
    check_problem(f,
                  f.call("POST", "/v1/voice/kamailio/credentials", R"({"username":"u"})", false,
                         basic(f.key)),
                  400, "realm", before);
}

TEST_CASE(
    "the module's own trunk directory refuses a call from an unknown source: 403 unknown_trunk, "
    "recorded once") {
    ApiFixture f;
    f.settle();
    const auto before = f.log_size();
    auto r = f.call("POST", "/v1/voice/kamailio/route", kRoute, false, basic(f.key));
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.body.find(R"("action":"reject")") != std::string::npos);
    CHECK(r.body.find(R"("code":403)") != std::string::npos);
    f.settle();
    CHECK(f.log_size() == before + 1);  // voice.call.rejected
    // Kamailio asking again for the same Call-ID gets the same answer, nothing appended.
    auto again = f.call("POST", "/v1/voice/kamailio/route", kRoute, false, basic(f.key));
    CHECK(again.body == r.body);
    f.settle();
    CHECK(f.log_size() == before + 1);
    CHECK(f.call("POST", "/v1/voice/kamailio/credentials",
                 R"({"username":"alice","realm":"switchyard"})", false, basic(f.key))
              .status == 404);
}

TEST_CASE("with the call path parts: the rtjson answer, the HA1, and the call's detail for staff") {
    ApiFixture f;
    CallLedger ledger(*f.store);
    StubTrunks trunks;
    trunks.digest_user = "alice";
    trunks.digest_realm = "switchyard";
    trunks.digest_ha1 = "0123456789abcdef0123456789abcdef";
    StubRouter router;
    router.gateways = {{"carrier_b", "192.0.2.10:5060"}};
    StubAdmission admission;
    events::voice::CallService calls(*f.store, trunks, router, admission, *ledger.cdrs);
    api::KamailioApi kapi{*f.ctx, calls};
    api::Router r;
    api::add_kamailio_routes(r, kapi);
    auto send = [&](const std::string& method, const std::string& target, const std::string& body,
                    std::map<std::string, std::string> headers) {
        api::HttpRequest q;
        q.method = method;
        q.target = target;
        q.body = body;
        q.remote_ip = "127.0.0.1";
        q.headers = std::move(headers);
        q.headers["content-type"] = "application/json";
        REQUIRE(api::parse_target(q));
        return r.dispatch(q);
    };
    auto routed = send("POST", "/v1/voice/kamailio/route", kRoute, basic(f.key));
    REQUIRE_MESSAGE(routed.status == 200, routed.body);
    simdjson::dom::parser p;
    auto doc = parse_json(p, routed.body);
    CHECK(str(doc, "action") == "route");
    CHECK(num(doc, "max_duration") == 60);
    CHECK(str(doc["routes"].at(0), "uri") == "sip:4915551234@192.0.2.10:5060");
    auto ha1 =
        send("POST", "/v1/voice/kamailio/credentials",
             R"({"username":"alice","realm":"switchyard","source_ip":"10.0.0.1"})", basic(f.key));
    REQUIRE(ha1.status == 200);
    simdjson::dom::parser p2;
    CHECK(str(parse_json(p2, ha1.body), "ha1") == trunks.digest_ha1);
    auto detail = send("GET", "/v1/voice/calls/a84b4c76e66710%40pc33.example", "",
                       {{"authorization", "Bearer " + f.key}});
    REQUIRE_MESSAGE(detail.status == 200, detail.body);
    simdjson::dom::parser p3;
    auto d = parse_json(p3, detail.body);
    CHECK(str(d, "status") == "routed");
    CHECK(str(d["events"].at(0), "type") == "voice.call.routed");
    CHECK(send("GET", "/v1/voice/calls/unknown", "", {}).status == 404);
}
