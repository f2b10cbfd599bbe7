// The RouterOS API word codec against the encoding table of MikroTik's API documentation
// (help.mikrotik.com "API", "Protocol" and "API words"): the expected bytes below are written
// from that table by hand, not printed by the code.
#include "core/hotspot/routeros_api.hpp"

#include <doctest/doctest.h>

#include <string>

#include "tests/support/result_checks.hpp"

using namespace switchyard::core::hotspot::routeros;
using switchyard::core::Errc;
using switchyard::testing::error_of;

namespace {
std::string bytes(std::initializer_list<unsigned> b) {
    std::string s;
    for (unsigned v : b) s.push_back(static_cast<char>(v));
    return s;
}
}  // namespace

TEST_CASE("a word length is encoded in 1 to 5 bytes by the 0x80/0xC0/0xE0/0xF0 prefixes") {
    CHECK(encode_length(0) == bytes({0x00}));
    CHECK(encode_length(0x7F) == bytes({0x7F}));
    CHECK(encode_length(0x80) == bytes({0x80, 0x80}));
    CHECK(encode_length(0x3FFF) == bytes({0xBF, 0xFF}));
    CHECK(encode_length(0x4000) == bytes({0xC0, 0x40, 0x00}));
    CHECK(encode_length(0x1FFFFF) == bytes({0xDF, 0xFF, 0xFF}));
    CHECK(encode_length(0x200000) == bytes({0xE0, 0x20, 0x00, 0x00}));
    CHECK(encode_length(0xFFFFFFF) == bytes({0xEF, 0xFF, 0xFF, 0xFF}));
    CHECK(encode_length(0x10000000) == bytes({0xF0, 0x10, 0x00, 0x00, 0x00}));
    CHECK(encode_length(0xFFFFFFFF) == bytes({0xF0, 0xFF, 0xFF, 0xFF, 0xFF}));
}

TEST_CASE("the documented login sentence is framed byte for byte") {
    // "/login" (6 bytes), "=name=admin" (11), "=password=" (10), then the zero-length word.
    const auto encoded =
        encode_command({.path = "/login", .attributes = {{"name", "admin"}, {"password", ""}}});
    REQUIRE(encoded);
    CHECK(*encoded == std::string("\x06/login\x0b=name=admin\x0a=password=\x00", 31));
}

TEST_CASE("a 0x80-byte word and a 0x4000-byte word decode from their 2- and 3-byte lengths") {
    const std::string w80(0x80, 'a');
    const std::string w4000(0x4000, 'b');
    const std::string wire =
        bytes({0x80, 0x80}) + w80 + bytes({0xC0, 0x40, 0x00}) + w4000 + bytes({0x00});
    SentenceDecoder d;
    REQUIRE(d.feed(wire));
    auto s = d.next();
    REQUIRE(s);
    REQUIRE(s->size() == 2);
    CHECK((*s)[0] == w80);
    CHECK((*s)[1] == w4000);
    CHECK_FALSE(d.next());
    CHECK_FALSE(d.partial());
}

TEST_CASE("the decoder accepts the bytes one at a time and several sentences at once") {
    const std::string wire = encode_sentence({"!re", "=.id=*1", "=name=alice"}) +
                             encode_sentence({"!re", "=.id=*2", "=name=bob"}) +
                             encode_sentence({"!done"});
    SentenceDecoder one_by_one;
    int sentences = 0;
    for (char c : wire) {
        REQUIRE(one_by_one.feed(std::string_view(&c, 1)));
        while (auto s = one_by_one.next()) {
            ++sentences;
            if (sentences == 2) CHECK((*s)[2] == "=name=bob");
        }
    }
    CHECK(sentences == 3);
    CHECK_FALSE(one_by_one.partial());

    SentenceDecoder all;
    REQUIRE(all.feed(wire));
    CHECK(all.next()->at(1) == "=.id=*1");
    CHECK(all.next()->at(1) == "=.id=*2");
    CHECK(all.next()->at(0) == "!done");
    CHECK_FALSE(all.next());
}

TEST_CASE("a half-received word stays buffered until its last byte arrives") {
    SentenceDecoder d;
    REQUIRE(d.feed(bytes({0x05}) + "!do"));
    CHECK_FALSE(d.next());
    CHECK(d.partial());
    REQUIRE(d.feed("ne" + bytes({0x00})));
    CHECK(d.next() == Sentence{"!done"});
}

TEST_CASE("reserved control bytes 0xF8-0xFF as a length are refused and the decoder stays failed") {
    for (unsigned c = 0xF8; c <= 0xFF; ++c) {
        SentenceDecoder d;
        const auto r = d.feed(bytes({c, 0x00}));
        CHECK(error_of(r).code == Errc::Invalid);
        CHECK(error_of(r).field == "length");
        CHECK(error_of(d.feed(bytes({0x00}))).field == "length");
    }
    SentenceDecoder d;
    CHECK(error_of(d.feed(bytes({0xF3, 0, 0, 0, 1}))).field == "length");
}

TEST_CASE("a word longer than the decoder's bound is refused before it is buffered") {
    SentenceDecoder d(1024);
    const auto r = d.feed(bytes({0xF0, 0x7F, 0xFF, 0xFF, 0xFF}));
    CHECK(error_of(r).code == Errc::Invalid);
    CHECK(error_of(r).message.find("2147483647") != std::string::npos);
}

TEST_CASE("a reply is read into its type, tag and ordered attributes") {
    const auto r = parse_reply({"!re", "=.id=*1", "=name=alice", "=comment=a=b", ".tag=7"});
    REQUIRE(r);
    CHECK(r->type == ReplyType::Re);
    CHECK(r->tag == "7");
    REQUIRE(r->attributes.size() == 3);
    CHECK(r->attributes[0] == std::pair<std::string, std::string>{".id", "*1"});
    CHECK(r->get("comment") == "a=b");
    CHECK_FALSE(r->get("password"));

    const auto trap =
        parse_reply({"!trap", "=category=1", "=message=input does not match any value"});
    REQUIRE(trap);
    CHECK(trap->type == ReplyType::Trap);
    CHECK(trap->get("message") == "input does not match any value");

    const auto fatal = parse_reply({"!fatal", "session terminated on request"});
    REQUIRE(fatal);
    CHECK(fatal->type == ReplyType::Fatal);
    CHECK(fatal->other_words == std::vector<std::string>{"session terminated on request"});

    CHECK(parse_reply({"!empty"})->type == ReplyType::Empty);
    CHECK(error_of(parse_reply({"!bogus"})).field == "reply");
    CHECK(error_of(parse_reply({})).field == "reply");
    CHECK(error_of(parse_reply({"!re", "=novalue"})).field == "attribute");
}

TEST_CASE("a command carries attribute, query and tag words in order") {
    const auto words = command_words({.path = "/ip/hotspot/user/print",
                                      .attributes = {{".proplist", ".id,name"}},
                                      .queries = {"name=alice"},
                                      .tag = "3"});
    REQUIRE(words);
    CHECK(*words ==
          Sentence{"/ip/hotspot/user/print", "=.proplist=.id,name", "?name=alice", ".tag=3"});
    CHECK(error_of(command_words({.path = "ip/hotspot"})).field == "path");
    CHECK(error_of(command_words({.path = "/ip hotspot"})).field == "path");
    CHECK(error_of(command_words({.path = "/x", .attributes = {{"a=b", "c"}}})).field ==
          "attribute");
    CHECK(error_of(command_words({.path = "/x", .queries = {""}})).field == "query");
}

TEST_CASE("RouterOS durations read both the unit form and hh:mm:ss") {
    CHECK(parse_duration("1h") == 3600);
    CHECK(parse_duration("1d1h1m1s") == 90061);
    CHECK(parse_duration("1w2d") == 7 * 86400 + 2 * 86400);
    CHECK(parse_duration("00:30:00") == 1800);
    CHECK(parse_duration("1d02:00:00") == 86400 + 7200);
    CHECK(parse_duration("5s300ms") == 5);
    CHECK_FALSE(parse_duration(""));
    CHECK_FALSE(parse_duration("1x"));
    CHECK_FALSE(parse_duration("1s1h"));
    CHECK_FALSE(parse_duration("12"));
    CHECK_FALSE(parse_duration("1h00:10:00"));
    CHECK(format_duration(3600) == "1h");
    CHECK(format_duration(90061) == "1d1h1m1s");
    CHECK(format_duration(0) == "0s");
    CHECK(format_duration(604800 + 30) == "1w30s");
}

TEST_CASE("the challenge login hashes a zero byte, the password and the decoded challenge") {
    const auto in = challenge_hash_input("pw", "ebdd");
    REQUIRE(in);
    CHECK(*in == std::string("\0pw\xeb\xdd", 5));
    CHECK(error_of(challenge_hash_input("pw", "abc")).field == "ret");
    CHECK(error_of(challenge_hash_input("pw", "zz")).field == "ret");
}
