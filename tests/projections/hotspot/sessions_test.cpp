// The hotspot_sessions and hotspot_reports read models fed through a ProjectionRunner from what
// HotspotService and SessionService append: sessions by NAS, plan and user with cursor pages,
// history, usage per day across midnight, usage by plan, NAS and hour, top users, voucher sales.
// Every expected number is summed by hand from the requests below.
#include <doctest/doctest.h>

#include "events/hotspot/hotspot_service.hpp"
#include "events/hotspot/session_service.hpp"
#include "events/memory_event_store.hpp"
#include "projections/hotspot/hotspot_reports.hpp"
#include "projections/hotspot/hotspot_sessions.hpp"
#include "projections/projection_runner.hpp"
#include "tests/core/hotspot/hotspot_fixtures.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::core::hotspot;
using namespace switchyard::projections::hotspot;
using switchyard::testing::TempDir;
using switchyard::testing::hotspot::at;

namespace {

template <class R>
void ok(const R& r) {
    REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().field + " " + r.error().message));
}

AccountingRequest acct(AcctStatus status, const std::string& id, const std::string& user,
                       std::int64_t in, std::int64_t out, std::int64_t secs) {
    AccountingRequest r;
    r.status = status;
    r.unique_id = id;
    r.acct_session_id = id;
    r.username = user;
    r.nas_id = "lobby";
    r.nas_ip = "192.0.2.10";
    r.input_octets = in;
    r.output_octets = out;
    r.session_seconds = secs;
    return r;
}

/// At 1,790,000,000 = 2026-09-21T14:13:20Z: alice (plan 1h) s1 14:13 to 15:13 and s3 after
/// midnight (open); bob (plan 1d) s2 open; a batch `dec` of 4 vouchers of plan 1d (5.00 EUR),
/// one redeemed, then the batch revoked (3 unused).
void write_history(events::EventStore& store) {
    const auto keyring = events::MasterKeyring::generate();
    events::hotspot::HotspotService h(store, "op", keyring);
    events::hotspot::SessionService s(store, "op");
    auto lobby = switchyard::testing::hotspot::lobby();
    lobby.secret_sealed.clear();
    ok(h.execute(DefineNas{lobby, "radius-secret-1", DefineMode::Create, "n1"}, at()));
    ok(h.execute(DefinePlan{switchyard::testing::hotspot::hour(), DefineMode::Create, "p1"}, at()));
    ok(h.execute(DefinePlan{switchyard::testing::hotspot::day(), DefineMode::Create, "p2"}, at()));
    Account a;
    a.username = "alice";
    a.plan_id = "1h";
    ok(h.execute(CreateAccount{a, "wonderland1", "a1"}, at()));
    a.username = "bob";
    a.plan_id = "1d";
    ok(h.execute(CreateAccount{a, "builder123", "a2"}, at()));
    auto apply = [&](AccountingRequest r, std::int64_t t) {
        r.now = at(t).now;
        ok(s.apply(r, at(t)));
    };
    apply(acct(AcctStatus::Start, "s1", "alice", 0, 0, 0), 0);
    apply(acct(AcctStatus::InterimUpdate, "s1", "alice", 100, 1000, 60), 60);
    apply(acct(AcctStatus::Start, "s2", "bob", 0, 0, 0), 100);
    apply(acct(AcctStatus::InterimUpdate, "s2", "bob", 10, 20, 100), 200);
    apply(acct(AcctStatus::InterimUpdate, "s2", "bob", 10, 20, 100), 201);  // a repeat
    apply(acct(AcctStatus::Stop, "s1", "alice", 300, 5000, 3600), 3600);
    apply(acct(AcctStatus::Start, "s3", "alice", 0, 0, 0), 40000);  // 2026-09-22T01:20:00Z
    apply(acct(AcctStatus::InterimUpdate, "s3", "alice", 1, 2, 60), 40060);
    VoucherBatch b;
    b.batch_id = "dec";
    b.plan_id = "1d";
    b.count = 4;
    b.length = 8;
    auto gen = h.execute(GenerateVoucherBatch{b, {}, "g1"}, at());
    ok(gen);
    ok(h.execute(RedeemVoucher{gen->codes[0], "", "", "r1"}, at(10)));
    ok(h.execute(RevokeVoucherBatch{"dec", "lost", "v1"}, at(20)));
}

std::vector<std::unique_ptr<projections::Projector>> projectors() {
    std::vector<std::unique_ptr<projections::Projector>> out;
    out.push_back(make_hotspot_sessions_projector());
    out.push_back(make_hotspot_reports_projector());
    return out;
}

struct Models {
    std::unique_ptr<events::EventStore> store = events::make_memory_event_store();
    TempDir dir;
    std::unique_ptr<projections::ProjectionRunner> runner;
    Models() {
        write_history(*store);
        auto r = projections::ProjectionRunner::open(dir.path(), projectors());
        REQUIRE(r);
        runner = std::move(*r);
        REQUIRE(runner->catch_up(*store, std::nullopt));
    }
    const projections::ReadModelView& sessions() { return *runner->view(kHotspotSessions); }
    const projections::ReadModelView& reports() { return *runner->view(kHotspotReports); }
};

std::vector<std::string> ids(const SessionPage& p) {
    std::vector<std::string> out;
    for (const auto& r : p.sessions) out.push_back(r.session.unique_id);
    return out;
}

}  // namespace

TEST_CASE("sessions by NAS, plan and user, open or not, in cursor pages") {
    Models m;
    const auto& v = m.sessions();
    auto s1 = find_session(v, "s1");
    REQUIRE(s1);
    CHECK_FALSE(s1->session.active);
    CHECK(s1->session.counters == SessionCounters{300, 5000, 3600});
    CHECK(s1->plan_id == "1h");
    CHECK(find_session(v, "s2")->plan_id == "1d");
    CHECK_FALSE(find_session(v, "nope"));

    CHECK(ids(list_sessions(v, {}, "", 10)) == std::vector<std::string>{"s1", "s2", "s3"});
    SessionFilter open;
    open.active = true;
    CHECK(ids(list_sessions(v, open, "", 10)) == std::vector<std::string>{"s2", "s3"});
    SessionFilter closed;
    closed.active = false;
    CHECK(ids(list_sessions(v, closed, "", 10)) == std::vector<std::string>{"s1"});
    SessionFilter alice;
    alice.username = "alice";
    CHECK(ids(list_sessions(v, alice, "", 10)) == std::vector<std::string>{"s1", "s3"});
    SessionFilter other_nas;
    other_nas.nas_ids = {"pool"};
    CHECK(list_sessions(v, other_nas, "", 10).sessions.empty());

    auto first = list_sessions(v, {}, "", 2);
    CHECK(ids(first) == std::vector<std::string>{"s1", "s2"});
    REQUIRE_FALSE(first.next.empty());
    auto second = list_sessions(v, {}, first.next, 2);
    CHECK(ids(second) == std::vector<std::string>{"s3"});
    CHECK(second.next.empty());

    CHECK(active_on_nas(v, "lobby") == 2);
    CHECK(active_on_plan(v, "1h") == 1);
    CHECK(active_on_plan(v, "1d") == 1);
    CHECK(active_of_user(v, "alice") == 1);
    CHECK(active_of_user(v, "bob") == 1);
}

TEST_CASE("usage per user per day splits at UTC midnight") {
    Models m;
    const auto days = usage_by_day(m.sessions(), "alice");
    REQUIRE(days.size() == 2);
    CHECK(days[0].day == "2026-09-21");
    CHECK(days[0].usage == Usage{300, 5000, 3600});
    CHECK(days[1].day == "2026-09-22");
    CHECK(days[1].usage == Usage{1, 2, 60});
    CHECK(usage_by_day(m.sessions(), "alice", "2026-09-22").size() == 1);
    CHECK(usage_by_day(m.sessions(), "alice", "", "2026-09-21").size() == 1);
    CHECK(usage_by_day(m.sessions(), "bob") ==
          std::vector<DailyUsage>{{"2026-09-21", Usage{10, 20, 100}}});
}

TEST_CASE("usage by plan, NAS and hour of day, top users, voucher sales") {
    Models m;
    const auto& v = m.reports();
    CHECK(usage_by_plan(v) ==
          std::vector<UsageRow>{{"1d", 1, 10, 20, 100}, {"1h", 2, 301, 5002, 3660}});
    CHECK(usage_by_nas(v) == std::vector<UsageRow>{{"lobby", 3, 311, 5022, 3760}});
    // Hours at the lobby (Europe/Berlin, CEST = UTC+2 in September): 16h (14h UTC): s1 and s2
    // started, 100/1000/60 + 10/20/100; 17h: s1's stop adds 200/4000/3540; 03h: s3 started,
    // 1/2/60.
    CHECK(usage_by_hour(v) == std::vector<UsageRow>{{"03", 1, 1, 2, 60},
                                                    {"16", 2, 110, 1020, 160},
                                                    {"17", 0, 200, 4000, 3540}});
    CHECK(top_users(v, 1) == std::vector<UsageRow>{{"alice", 2, 301, 5002, 3660}});
    CHECK(top_users(v, 5).size() == 2);
    const auto sales = voucher_sales(v);
    REQUIRE(sales.size() == 1);
    CHECK(sales[0].batch_id == "dec");
    CHECK(sales[0].count == 4);
    CHECK(sales[0].redeemed == 1);
    CHECK(sales[0].revoked == 3);
    CHECK(sales[0].price_micros == 5'000'000);
    CHECK(sales[0].currency == "EUR");
    CHECK(sales[0].revenue_micros == 5'000'000);
}

TEST_CASE("a rebuild from the log gives the same rows as the live models") {
    Models live;
    TempDir dir;
    auto rebuilt = projections::ProjectionRunner::open(dir.path(), projectors());
    REQUIRE(rebuilt);
    REQUIRE((*rebuilt)->catch_up(*live.store, std::nullopt));
    for (const char* name : {kHotspotSessions, kHotspotReports}) {
        std::vector<std::pair<std::string, std::string>> a, b;
        live.runner->view(name)->scan("", "", [&](std::string_view k, std::string_view x) {
            a.emplace_back(k, x);
            return true;
        });
        (*rebuilt)->view(name)->scan("", "", [&](std::string_view k, std::string_view x) {
            b.emplace_back(k, x);
            return true;
        });
        CHECK(a.size() > 5);
        CHECK(a == b);
    }
}

TEST_CASE("usage by hour counts each session's hours in its NAS's timezone, across a DST change") {
    auto store = events::make_memory_event_store();
    {
        const auto keyring = events::MasterKeyring::generate();
        events::hotspot::HotspotService h(*store, "op", keyring);
        events::hotspot::SessionService s(*store, "op");
        auto ber = switchyard::testing::hotspot::lobby();
        ber.secret_sealed.clear();
        ber.nas_id = "ber";
        ber.timezone = "Europe/Berlin";
        ok(h.execute(DefineNas{ber, "radius-secret-1", DefineMode::Create, "n1"}, at()));
        auto irk = ber;
        irk.nas_id = "irk";
        irk.address = "192.0.2.20";
        irk.timezone = "Asia/Irkutsk";
        ok(h.execute(DefineNas{irk, "radius-secret-2", DefineMode::Create, "n2"}, at()));
        auto apply = [&](AccountingRequest r, const std::string& nas, std::int64_t t) {
            r.nas_id = nas;
            r.now = at(t).now;
            ok(s.apply(r, at(t)));
        };
        // 2888200 s after at() = 2026-10-25T00:30:00Z; Berlin leaves CEST (+2) for CET (+1) at
        // 01:00Z, so 00:30Z and 01:30Z are both 02:30 local, 02:30Z is 03:30.
        apply(acct(AcctStatus::Start, "b1", "alice", 0, 0, 0), "ber", 2888200);
        apply(acct(AcctStatus::InterimUpdate, "b1", "alice", 10, 100, 3600), "ber", 2891800);
        apply(acct(AcctStatus::Stop, "b1", "alice", 20, 300, 7200), "ber", 2895400);
        // Irkutsk is UTC+8 all year: 00:30Z = 08:30, 01:30Z = 09:30.
        apply(acct(AcctStatus::Start, "k1", "bob", 0, 0, 0), "irk", 2888200);
        apply(acct(AcctStatus::InterimUpdate, "k1", "bob", 5, 50, 3600), "irk", 2891800);
    }
    TempDir dir;
    auto runner = projections::ProjectionRunner::open(dir.path(), projectors());
    REQUIRE(runner);
    REQUIRE((*runner)->catch_up(*store, std::nullopt));
    CHECK(usage_by_hour(*(*runner)->view(kHotspotReports)) ==
          std::vector<UsageRow>{{"02", 1, 10, 100, 3600},
                                {"03", 0, 10, 200, 3600},
                                {"08", 1, 0, 0, 0},
                                {"09", 0, 5, 50, 3600}});
}
