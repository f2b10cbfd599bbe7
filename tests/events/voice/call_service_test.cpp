// The call path's command side with test-only trunks, router and admission
// (tests/support/call_path_stubs.hpp) and the real CDR service: the routing answer, appended
// before it is given and the same when asked again; refusals; failover; the CDR of an ended
// call rated and debited once; recovery after a restart. Also the call codec and the parsers
// of what Kamailio sends.
#include <doctest/doctest.h>

#include <simdjson.h>

#include "core/voice/cdr.hpp"
#include "events/voice/call_codec.hpp"
#include "events/voice/call_service.hpp"
#include "events/voice/kamailio_json.hpp"
#include "tests/events/voice/schema_keys.hpp"
#include "tests/support/call_ledger.hpp"
#include "tests/support/call_path_stubs.hpp"
#include "tests/support/codec_checks.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::voice;
using namespace switchyard::events;
using namespace switchyard::events::voice;
using namespace switchyard::testing;

namespace {

const Timestamp kSetup = from_unix_seconds(1'767'268'800);  // 2026-01-01T12:00:00Z

DecisionContext ctx_at(Timestamp t) {
    return {t, {ActorKind::ApiKey, "kamailio", ""}, "req", {}, {}};
}

CallSetup setup(std::string call_id, std::string dialled = "4915551234") {
    CallSetup s;
    s.call_id = std::move(call_id);
    s.source_ip = "127.0.0.1";
    s.source_port = 5060;
    s.ruri_user = std::move(dialled);
    s.from_user = "4930111";
    s.setup_at = kSetup;
    return s;
}

CallReport report(CallReport::Kind k, std::string call_id, Timestamp at, std::int64_t attempt = 0) {
    CallReport r;
    r.kind = k;
    r.call_id = std::move(call_id);
    r.event_at = at;
    r.attempt = attempt;
    return r;
}

struct World {
    CallLedger ledger;
    StubTrunks trunks;
    StubRouter router;
    StubAdmission admission;
    std::unique_ptr<CallService> calls;

    World() {
        router.gateways = {{"carrier_a", "127.0.0.1:15071"}, {"carrier_b", "127.0.0.1:15072"}};
        admission.max_duration_s = 2;
        restart();
    }
    void restart() {
        calls = std::make_unique<CallService>(ledger.store, trunks, router, admission, *ledger.cdrs,
                                              CallServiceOptions{});
    }
    std::vector<std::string> types(const std::string& call_id) {
        auto loaded = calls->load(call_id);
        REQUIRE(loaded);
        std::vector<std::string> out;
        for (const auto& e : loaded->second) out.push_back(e.type);
        return out;
    }
    std::int64_t log_size() { return ledger.store.head().total(); }
};

}  // namespace

TEST_CASE(
    "a routed call is in the log before its rtjson answer, and asking again appends nothing") {
    World w;
    auto a = w.calls->route(setup("a84b4c76e66710@pc33.example"), ctx_at(kSetup));
    REQUIRE(a);
    CHECK(a->action == "route");
    CHECK(a->max_duration_s == 2);
    CHECK(a->max_attempts == 2);
    REQUIRE(a->routes.size() == 2);
    CHECK(a->routes[0].uri == "sip:4915551234@127.0.0.1:15071");
    CHECK(w.types("a84b4c76e66710@pc33.example") == std::vector<std::string>{"voice.call.routed"});
    const auto size = w.log_size();
    auto again = w.calls->route(setup("a84b4c76e66710@pc33.example"), ctx_at(kSetup));
    REQUIRE(again);
    CHECK(write_routing_answer(*again) == write_routing_answer(*a));
    CHECK(w.log_size() == size);

    simdjson::dom::parser p;
    auto doc = p.parse(write_routing_answer(*a));
    REQUIRE(!doc.error());
    CHECK(doc["routing"].get_string().value() == "serial");
    CHECK(doc["routes"].at(1)["dst_uri"].get_string().value() == "sip:127.0.0.1:15072");
    CHECK(doc["routes"].at(0)["headers"]["extra"].get_string().value() ==
          "X-Sy-Carrier: carrier_a\r\n");
    CHECK(doc["explain"].at(0)["buy"].get_string().value() == "0.010000");
}

TEST_CASE(
    "refusals: the admission's code and reason are recorded and answered, a challenge is not "
    "recorded") {
    World w;
    w.admission.refuse_all = true;
    auto a = w.calls->route(setup("r1"), ctx_at(kSetup));
    REQUIRE(a);
    CHECK(a->action == "reject");
    CHECK(a->code == 402);
    CHECK(a->reason == "Balance exhausted");
    CHECK(w.types("r1") == std::vector<std::string>{"voice.call.rejected"});

    w.trunks.source_ip = "10.0.0.1";
    auto unknown = w.calls->route(setup("r2"), ctx_at(kSetup));
    REQUIRE(unknown);
    CHECK(unknown->code == 403);
    CHECK(unknown->refusal == "unknown_trunk");

    w.trunks.require_digest = true;
    const auto size = w.log_size();
    auto challenge = w.calls->route(setup("r3"), ctx_at(kSetup));
    REQUIRE(challenge);
    CHECK(challenge->action == "challenge");
    CHECK(w.log_size() == size);

    w.router.gateways.clear();
    w.trunks.require_digest = false;
    w.trunks.source_ip = "127.0.0.1";
    auto none = w.calls->route(setup("r4"), ctx_at(kSetup));
    REQUIRE(none);
    CHECK(none->code == 404);
}

TEST_CASE(
    "failover then answer then end: one rated CDR with billsec capped, the admission released "
    "once") {
    World w;
    REQUIRE(w.calls->route(setup("f1"), ctx_at(kSetup)));
    CHECK(w.admission.open() == 1);
    auto failed =
        report(CallReport::Kind::AttemptFailed, "f1", kSetup + std::chrono::milliseconds(50), 1);
    failed.sip_code = 503;
    REQUIRE(w.calls->report(failed, ctx_at(kSetup))->status == "recorded");
    CHECK(w.admission.moves == std::vector<std::string>{"f1->carrier_b"});
    REQUIRE(w.calls->report(
        report(CallReport::Kind::Answered, "f1", kSetup + std::chrono::milliseconds(400), 2),
        ctx_at(kSetup)));
    auto end = report(CallReport::Kind::Ended, "f1", kSetup + std::chrono::milliseconds(3'000));
    end.reason = "max_duration";
    auto ended = w.calls->report(end, ctx_at(kSetup));
    REQUIRE(ended);
    CHECK(ended->status == "recorded");
    CHECK(ended->cdr_status == "rated");
    CHECK(w.admission.open() == 0);
    CHECK(w.types("f1") == std::vector<std::string>{"voice.call.routed",
                                                    "voice.call.attempt_failed",
                                                    "voice.call.answered", "voice.call.ended"});
    // billsec = min(round(3.0 - 0.4), 2) = 2; one minute at 0.0200 EUR.
    auto loaded = w.calls->load("f1");
    REQUIRE(loaded);
    CHECK(loaded->first.ended->billsec == 2);
    CHECK(w.ledger.balance() == 1'000'000 - 20'000);
    const auto record = call_record_of(loaded->first, "kamailio");
    auto cdr = w.ledger.cdrs->load(CdrService::cdr_id_of(record));
    REQUIRE(cdr);
    CHECK(cdr->status == CdrStatus::Rated);
    CHECK(cdr->record.billsec == 2);
    CHECK(cdr->carrier_id == "carrier_b");

    // Kamailio sends the end again (it did not get the 200): nothing new, no second debit.
    const auto size = w.log_size();
    auto again = w.calls->report(end, ctx_at(kSetup));
    REQUIRE(again);
    CHECK(again->status == "duplicate");
    CHECK(again->cdr_status == "duplicate");
    CHECK(w.log_size() == size);
    CHECK(w.ledger.balance() == 1'000'000 - 20'000);
    CHECK(w.admission.released == std::vector<std::string>{"f1"});
}

TEST_CASE("reports for calls Switchyard did not route are ignored, not refused") {
    World w;
    w.admission.refuse_all = true;
    REQUIRE(w.calls->route(setup("x1"), ctx_at(kSetup)));
    auto failed = report(CallReport::Kind::Failed, "x1", kSetup);
    failed.sip_code = 402;
    auto r = w.calls->report(failed, ctx_at(kSetup));
    REQUIRE(r);
    CHECK(r->status == "ignored");
    auto unknown =
        w.calls->report(report(CallReport::Kind::Ended, "nobody", kSetup), ctx_at(kSetup));
    REQUIRE(unknown);
    CHECK(unknown->status == "ignored");
}

TEST_CASE("after a restart open calls are restored and an overdue one is closed with its CDR") {
    World w;
    REQUIRE(w.calls->route(setup("o1"), ctx_at(kSetup)));
    REQUIRE(w.calls->route(setup("o2"), ctx_at(kSetup)));
    REQUIRE(w.calls->report(report(CallReport::Kind::Answered, "o1", kSetup, 1), ctx_at(kSetup)));
    REQUIRE(w.calls->report(report(CallReport::Kind::Answered, "o2", kSetup, 1), ctx_at(kSetup)));
    w.admission.active.clear();
    w.restart();
    auto early = w.calls->recover(ctx_at(kSetup + std::chrono::seconds(10)));
    REQUIRE(early);
    CHECK(early->restored == 2);
    CHECK(early->closed == 0);
    CHECK(w.admission.open() == 2);
    // o2 ends for real; o1's end is lost. 2 s granted + 30 s margin.
    REQUIRE(w.calls->report(report(CallReport::Kind::Ended, "o2", kSetup + std::chrono::seconds(1)),
                            ctx_at(kSetup)));
    auto late = w.calls->recover(ctx_at(kSetup + std::chrono::seconds(32)));
    REQUIRE(late);
    CHECK(late->restored == 0);
    CHECK(late->closed == 1);
    CHECK(late->cdrs == 1);
    auto o1 = w.calls->load("o1");
    REQUIRE(o1);
    CHECK(o1->first.ended->reason == "estimated_max_duration");
    CHECK(o1->first.ended->billsec == 2);
    CHECK(w.admission.open() == 0);
    CHECK(w.ledger.balance() == 1'000'000 - 2 * 20'000);
    // A late real end of o1 changes nothing (first end wins).
    auto lost = w.calls->report(
        report(CallReport::Kind::Ended, "o1", kSetup + std::chrono::seconds(40)), ctx_at(kSetup));
    REQUIRE(lost);
    CHECK(lost->status == "duplicate");
    CHECK(w.ledger.balance() == 1'000'000 - 2 * 20'000);
}

TEST_CASE("call events round-trip through the codec and write exactly their schema's properties") {
    CallRouted routed;
    routed.setup = setup("c@h");
    routed.setup.codecs = {"PCMA"};
    routed.trunk.customer_id = 7;
    routed.trunk.route_group_id = "rg";
    routed.admission = {90, 1'500, 20'000};
    RouteOption o;
    o.carrier_id = "carrier_a";
    o.uri = "sip:1@h";
    routed.plan.routes = {o};
    routed.plan.skipped = {{"carrier_c", "gw", "margin_guard", "buy 0.03 > sell 0.02"}};
    routed.plan.route_group_id = "rg";
    routed.plan.route_id = "de";  // optional (absent in events written before route quality)
    routed.plan.route_prefix = "49";
    CallRejected rejected{setup("c@h"), 7, {402, "Balance exhausted", "balance_exhausted"}};
    CallAttemptFailed af{"c@h", 1, "carrier_a", "gw", 503, "Service Unavailable", kSetup};
    CallAnswered an{"c@h", 2, "carrier_b", "gw", kSetup, 420};
    CallEnded en{"c@h", kSetup, 30, "caller_bye"};
    CallFailed fa{"c@h", 486, "Busy Here", kSetup};
    // The call_path.hpp structs have no operator==: decoded and encoded again, the same JSON.
    for (const CallEvent& e : std::vector<CallEvent>{routed, rejected, af, an, en, fa}) {
        const auto encoded = encode(e);
        auto back = decode_call_event(recorded(encoded));
        REQUIRE_MESSAGE(back, encoded.type);
        CHECK(back->index() == e.index());
        CHECK(encode(*back).data == encoded.data);
        check_against_schema(encoded);
    }
    CHECK(encode(CallEvent{routed}).data.find("\"margin_guard\"") != std::string::npos);
    auto bad = decode_call_event(recorded("voice.call.ended", R"({"call_id":"c","billsec":"x"})"));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == Errc::Invalid);
}

TEST_CASE("what Kamailio sends is parsed, and bad input names the field") {
    const auto now = from_unix_seconds(1);
    auto s = parse_route_request(
        R"({"call_id":"a@b","source_ip":"127.0.0.1","source_port":5070,"ruri_user":"4915551234",)"
        R"("from_user":"4930111","pai":"<sip:+4930123@sy.example>","setup_ts":"1767268800.25"})",
        now);
    REQUIRE(s);
    CHECK(s->pai_user == "+4930123");
    CHECK(s->setup_at == kSetup + std::chrono::milliseconds(250));
    CHECK(s->source_port == 5070);
    auto field_of = [](auto r) { return r ? std::string("(ok)") : r.error().field; };
    CHECK(field_of(parse_route_request("{", now)) == "body");
    CHECK(field_of(parse_route_request(R"({"source_ip":"1.2.3.4","ruri_user":"1"})", now)) ==
          "call_id");
    CHECK(field_of(parse_route_request(
              R"({"call_id":"a","source_ip":"1.2.3.4","ruri_user":"1","source_port":"x"})", now)) ==
          "source_port");
    CHECK(field_of(parse_route_request(
              R"({"call_id":"a","source_ip":"1.2.3.4","ruri_user":"1","setup_ts":"12.x"})", now)) ==
          "setup_ts");
    auto r = parse_call_report(
        R"({"kind":"ended","call_id":"a@b","event_ts":"1767268802.5","start_ts":1767268800,)"
        R"("sip_code":0,"reason":"caller_bye","from_uri":"sip:x@y"})",
        now);
    REQUIRE(r);
    CHECK(r->kind == CallReport::Kind::Ended);
    CHECK(r->answered_at == kSetup);
    CHECK(r->event_at == kSetup + std::chrono::milliseconds(2'500));
    CHECK(field_of(parse_call_report(R"({"kind":"hung","call_id":"a"})", now)) == "kind");
    CHECK(field_of(parse_call_report(R"({"kind":"ended","call_id":"a","sip_code":900})", now)) ==
          "sip_code");
    CHECK(field_of(parse_credentials_request(R"({"username":"alice"})")) == "realm");
}
