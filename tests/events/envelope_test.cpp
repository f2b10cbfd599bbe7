#include <doctest/doctest.h>

#include "events/envelope_codec.hpp"
#include "events/uuid.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::events;
using switchyard::testing::error_of;

TEST_CASE("an envelope round-trips through its JSON text") {
    RecordedEvent e;
    e.id = new_uuid_v7(core::from_unix_seconds(1'790'000'000));
    e.type = "iptv.line.created";
    e.schema = 1;
    e.stream = "line-42";
    e.revision = 3;
    e.position = Position{3, 1234, "switchyard.iptv.events"};
    e.time = *core::parse_rfc3339("2026-11-21T13:40:00.123456Z");
    e.actor = core::Actor{core::ActorKind::ApiKey, "k_1", "::1"};
    e.correlation_id = "req \"1\"";
    e.causation_id = "";
    e.tenant = "op";
    e.data = R"({"line_id":42,"name":"Zoë \"q\""})";
    auto text = encode_envelope(e);
    auto back = decode_envelope(text);
    REQUIRE(back);
    CHECK(back->id == e.id);
    CHECK(back->type == e.type);
    CHECK(back->stream == e.stream);
    CHECK(back->revision == 3);
    CHECK(back->position == e.position);
    CHECK(back->time == e.time);
    CHECK(back->actor.kind == core::ActorKind::ApiKey);
    CHECK(back->actor.ip == "::1");
    CHECK(back->correlation_id == e.correlation_id);
    CHECK(back->data == e.data);
    CHECK(encode_envelope(*back) == text);
}

TEST_CASE("a damaged envelope is refused, naming the problem") {
    CHECK_FALSE(decode_envelope("{"));
    CHECK(error_of(decode_envelope(R"({"type":"a.b.c","data":{}})")).field == "id");
    CHECK(error_of(decode_envelope(R"({"id":"x","type":"a.b.c","time":"yesterday","data":{}})"))
              .field == "time");
}

TEST_CASE("UUIDv7 ids are version 7, variant 10, and sort by time") {
    auto a = new_uuid_v7(core::from_unix_seconds(1'000));
    auto b = new_uuid_v7(core::from_unix_seconds(2'000));
    CHECK(a.size() == 36);
    CHECK(a[14] == '7');
    CHECK((a[19] == '8' || a[19] == '9' || a[19] == 'a' || a[19] == 'b'));
    CHECK(a < b);
    CHECK(new_uuid_v7(core::from_unix_seconds(1'000)) != a);
}

TEST_CASE("a read-your-writes position is a partition and a non-negative offset") {
    for (const char* bad : {"-1", "x", "0:-5", "0:-1", "-1:3", "0:", ":4", "0:1,", "1e3", "+5"}) {
        auto p = parse_positions(bad);
        CHECK_MESSAGE(!p, bad);
        if (!p) CHECK(p.error().field == "after");
    }
    CHECK(parse_positions("0").value() == std::vector<Position>{Position{0, 0}});
    CHECK(parse_positions("0:0,1:7").value().size() == 2);
}

TEST_CASE("checkpoints and positions have a text form") {
    Checkpoint c;
    c.advance(Position{0, 41});
    c.advance(Position{2, 7});
    CHECK(c.to_string() == "0:42,2:8");
    auto back = Checkpoint::parse(c.to_string());
    REQUIRE(back);
    CHECK(*back == c);
    CHECK(c.covers(Position{0, 41}));
    CHECK_FALSE(c.covers(Position{0, 42}));
    CHECK_FALSE(c.covers(Position{1, 0}));
    auto p = parse_positions("17");
    REQUIRE(p);
    CHECK((*p)[0] == Position{0, 17});
    CHECK(error_of(parse_positions("0:x")).field == "after");
    CHECK(format_positions({{0, 5}, {1, 9}}) == "0:5,1:9");
    Position k{2, 7, "switchyard.iptv.events"};
    CHECK(format_positions({k}) == "switchyard.iptv.events/2:7");
    auto parsed = parse_positions("switchyard.iptv.events/2:7,0:3");
    REQUIRE(parsed);
    CHECK((*parsed)[0] == k);
    CHECK((*parsed)[1] == Position{0, 3});
    Checkpoint kc;
    kc.advance(k);
    CHECK(kc.to_string() == "switchyard.iptv.events/2:8");
    CHECK(*Checkpoint::parse(kc.to_string()) == kc);
    CHECK(kc.covers(k));
    CHECK_FALSE(kc.covers(Position{2, 7}));
}
