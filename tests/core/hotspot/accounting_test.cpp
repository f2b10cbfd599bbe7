// Accounting requests applied to a NAS's sessions: 64-bit counters, idempotent retransmissions,
// counters going backwards, a Stop without a Start, Accounting-On/Off.
#include "core/hotspot/accounting.hpp"

#include <doctest/doctest.h>

#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::hotspot;
using switchyard::testing::error_of;

namespace {

Timestamp at(std::int64_t s) { return from_unix_seconds(s); }

AccountingRequest request(AcctStatus status, std::string id, std::int64_t in, std::int64_t out,
                          std::int64_t secs, std::int64_t now) {
    AccountingRequest r;
    r.status = status;
    r.unique_id = std::move(id);
    r.acct_session_id = "81000001";
    r.username = "bob";
    r.nas_id = "lobby";
    r.nas_ip = "192.0.2.1";
    r.input_octets = in;
    r.output_octets = out;
    r.session_seconds = secs;
    r.now = at(now);
    return r;
}

/// Applies `r` to `book` and returns the events.
std::vector<SessionEvent> apply(SessionBook& book, const AccountingRequest& r) {
    auto events = decide_accounting(book, r);
    REQUIRE_MESSAGE(events.has_value(), (events ? std::string() : events.error().message));
    for (const auto& e : *events) evolve(book, e);
    return *events;
}

}  // namespace

TEST_CASE("counters are octets plus 2^32 times gigawords") {
    auto r = request(AcctStatus::InterimUpdate, "u1", 5, 7, 60, 0);
    r.input_gigawords = 1;
    r.output_gigawords = 3;
    const auto c = counters_of(r);
    REQUIRE(c);
    CHECK(c->input_bytes == 4294967296 + 5);
    CHECK(c->output_bytes == 3 * 4294967296 + 7);
    CHECK(c->session_seconds == 60);
    r.output_gigawords = 4294967296;
    CHECK(error_of(counters_of(r)).field == "Acct-Output-Gigawords");
    r.output_gigawords = 0;
    r.input_octets = -1;
    CHECK(error_of(counters_of(r)).field == "Acct-Input-Octets");
}

TEST_CASE("start, interim and stop give started, updated and stopped") {
    SessionBook book;
    auto e = apply(book, request(AcctStatus::Start, "u1", 0, 0, 0, 1000));
    REQUIRE(e.size() == 1);
    REQUIRE(std::holds_alternative<SessionStarted>(e[0]));
    CHECK(std::get<SessionStarted>(e[0]).session.started_at == at(1000));
    e = apply(book, request(AcctStatus::InterimUpdate, "u1", 100, 2000, 60, 1060));
    REQUIRE(e.size() == 1);
    CHECK(std::get<SessionUpdated>(e[0]).counters == SessionCounters{100, 2000, 60});
    auto stop = request(AcctStatus::Stop, "u1", 150, 3000, 90, 1090);
    stop.terminate_cause = "User-Request";
    e = apply(book, stop);
    REQUIRE(e.size() == 1);
    CHECK(std::get<SessionStopped>(e[0]).terminate_cause == "User-Request");
    CHECK_FALSE(book.sessions.at("u1").active);
    CHECK(book.sessions.at("u1").counters == SessionCounters{150, 3000, 90});
}

TEST_CASE("retransmitted and duplicate accounting requests append nothing") {
    SessionBook book;
    apply(book, request(AcctStatus::Start, "u1", 0, 0, 0, 1000));
    CHECK(apply(book, request(AcctStatus::Start, "u1", 0, 0, 0, 1001)).empty());
    apply(book, request(AcctStatus::InterimUpdate, "u1", 100, 2000, 60, 1060));
    CHECK(apply(book, request(AcctStatus::InterimUpdate, "u1", 100, 2000, 60, 1061)).empty());
    // A late Interim-Update older than the one applied.
    CHECK(apply(book, request(AcctStatus::InterimUpdate, "u1", 50, 1000, 30, 1062)).empty());
    apply(book, request(AcctStatus::Stop, "u1", 150, 3000, 90, 1090));
    CHECK(apply(book, request(AcctStatus::Stop, "u1", 150, 3000, 90, 1091)).empty());
    CHECK(apply(book, request(AcctStatus::InterimUpdate, "u1", 100, 2000, 60, 1092)).empty());
}

TEST_CASE("a byte counter going backwards while time moves on is refused, naming it") {
    SessionBook book;
    apply(book, request(AcctStatus::Start, "u1", 0, 0, 0, 1000));
    apply(book, request(AcctStatus::InterimUpdate, "u1", 100, 2000, 60, 1060));
    auto err = error_of(
        decide_accounting(book, request(AcctStatus::InterimUpdate, "u1", 100, 1999, 120, 1120)));
    CHECK(err.code == Errc::Invalid);
    CHECK(err.field == "Acct-Output-Octets");
    CHECK(err.message.find("from 2000 to 1999") != std::string::npos);
    err = error_of(
        decide_accounting(book, request(AcctStatus::InterimUpdate, "u1", 99, 2500, 120, 1120)));
    CHECK(err.field == "Acct-Input-Octets");
    err = error_of(
        decide_accounting(book, request(AcctStatus::InterimUpdate, "u1", 200, 2500, 30, 1120)));
    CHECK(err.field == "Acct-Session-Time");
}

TEST_CASE("gigawords make a 64-bit counter that passes 4 GiB without going backwards") {
    SessionBook book;
    apply(book, request(AcctStatus::Start, "u1", 0, 0, 0, 0));
    apply(book, request(AcctStatus::InterimUpdate, "u1", 0, 4294967000, 60, 60));
    auto wrapped = request(AcctStatus::InterimUpdate, "u1", 0, 704, 120, 120);
    wrapped.output_gigawords = 1;
    const auto e = apply(book, wrapped);
    REQUIRE(e.size() == 1);
    CHECK(std::get<SessionUpdated>(e[0]).counters.output_bytes == 4294967296 + 704);
}

TEST_CASE("a stop for an unknown session creates and closes it") {
    SessionBook book;
    const auto e = apply(book, request(AcctStatus::Stop, "u9", 10, 20, 300, 5000));
    REQUIRE(e.size() == 2);
    const auto& started = std::get<SessionStarted>(e[0]).session;
    CHECK(started.started_at == at(4700));
    CHECK(std::holds_alternative<SessionStopped>(e[1]));
    CHECK_FALSE(book.sessions.at("u9").active);
}

TEST_CASE("an interim update for an unknown session starts it with its counters") {
    SessionBook book;
    const auto e = apply(book, request(AcctStatus::InterimUpdate, "u2", 10, 20, 60, 600));
    REQUIRE(e.size() == 1);
    CHECK(std::get<SessionStarted>(e[0]).session.counters == SessionCounters{10, 20, 60});
    CHECK(book.sessions.at("u2").active);
}

TEST_CASE("Accounting-On closes every open session of that NAS and no other") {
    SessionBook book;
    apply(book, request(AcctStatus::Start, "u1", 0, 0, 0, 0));
    apply(book, request(AcctStatus::Start, "u2", 0, 0, 0, 0));
    auto other = request(AcctStatus::Start, "u3", 0, 0, 0, 0);
    other.nas_id = "pool-bar";
    apply(book, other);
    apply(book, request(AcctStatus::Stop, "u2", 1, 1, 1, 1));
    AccountingRequest on;
    on.status = AcctStatus::AccountingOn;
    on.nas_id = "lobby";
    on.now = at(100);
    const auto e = apply(book, on);
    REQUIRE(e.size() == 1);
    CHECK(std::get<SessionClosedByNas>(e[0]).unique_id == "u1");
    CHECK(book.sessions.at("u1").terminate_cause == "NAS-Reboot");
    CHECK(book.sessions.at("u3").active);
    // Applying it again finds nothing open.
    CHECK(apply(book, on).empty());
}

TEST_CASE("a request without Acct-Unique-Session-Id is refused, naming it") {
    SessionBook book;
    const auto err = error_of(decide_accounting(book, request(AcctStatus::Start, "", 0, 0, 0, 0)));
    CHECK(err.field == "Acct-Unique-Session-Id");
}
