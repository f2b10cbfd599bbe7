// The enforcer against real components: a RocksDB log in a temp directory, HotspotService with
// a NAS whose Dynamic Authorization port is a real FreeRADIUS 3.2 with a `listen { type = coa }`
// section (the NAS's listener, as in dae_client_test.cpp: it records every request with the
// `detail` module, ACKs, NAKs with Error-Cause 503 for the user `gone`, stays silent for the
// user `silent`). Session events are appended as the accounting side appends them; the test
// then reads what arrived at the listener and what the enforcer recorded in the log.
#include "adapters/radius/enforcer.hpp"

#include <doctest/doctest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "adapters/radius/dictionary_loader.hpp"
#include "adapters/radius/nas_health.hpp"
#include "core/hotspot/account_decider.hpp"
#include "core/hotspot/catalog_decider.hpp"
#include "core/hotspot/dae.hpp"
#include "core/hotspot/session.hpp"
#include "events/command_handler.hpp"
#include "events/envelope_codec.hpp"
#include "events/hotspot/dae_codec.hpp"
#include "events/hotspot/session_codec.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "tests/support/freeradius_nas.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/wait_until.hpp"

using namespace switchyard;
using namespace switchyard::adapters::radius;
using namespace switchyard::core::hotspot;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

using namespace switchyard::testing;

namespace {

bool have_freeradius() {
    if (fs::exists(freeradius_binary()) && fs::exists("/usr/share/freeradius/dictionary"))
        return true;
    switchyard::testing::skip("freeradius is not installed (apt-get install freeradius)");
    return false;
}

const core::radius::Dictionary& dictionary() {
    static const auto d = [] {
        auto r = load_dictionary();
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
        return *r;
    }();
    return d;
}

/// The log, the tenant `op` with a NAS pointing at the fake NAS, the vendor profiles, the
/// enforcer (not started).
struct World {
    switchyard::testing::TempDir dir;
    FakeNas nas{dir.path()};
    std::unique_ptr<events::EventStore> store;
    events::MasterKeyring keyring = events::MasterKeyring::generate();
    std::unique_ptr<events::hotspot::HotspotService> hotspot;
    events::hotspot::VendorProfiles profiles;
    core::SystemClock clock;
    NasHealth health;
    std::unique_ptr<DaeClient> client;
    std::unique_ptr<Enforcer> enforcer;
    int sessions = 0;

    explicit World(Vendor vendor = Vendor::Generic, DaeOptions dae = {}) {
        fs::create_directories(dir.path() / "log");
        auto s = events::open_rocksdb_event_store(dir.path() / "log");
        REQUIRE_MESSAGE(s, (s ? "" : s.error().message));
        store = std::move(*s);
        hotspot = std::make_unique<events::hotspot::HotspotService>(*store, "op", keyring);
        auto p = events::hotspot::load_vendor_profiles(
            fs::path(SY_CONFIG_DIR) / "hotspot/vendors",
            [](std::string_view n) { return dictionary().attribute(n) != nullptr; });
        REQUIRE_MESSAGE(p, (p ? "" : p.error().message));
        profiles = std::move(*p);
        Nas n;
        n.nas_id = "lobby";
        n.name = "Lobby";
        n.vendor = vendor;
        n.address = "127.0.0.1";
        n.coa_port = nas.port();
        REQUIRE(hotspot->execute(DefineNas{n, kSecret, DefineMode::Create, "nas"}, ctx()));
        client = std::make_unique<DaeClient>(dictionary(), dae);
        EnforcerOptions o;
        o.workers = 4;
        o.max_timer_wait = 50ms;
        o.health = &health;
        enforcer = std::make_unique<Enforcer>(*store, *hotspot, profiles, *client, clock, o);
    }

    core::DecisionContext ctx(const std::string& correlation = "") const {
        core::DecisionContext c;
        c.now = clock.now();
        c.correlation_id = correlation;
        return c;
    }

    void plan(Plan p) {
        REQUIRE(hotspot->execute(DefinePlan{p, DefineMode::Create, "plan-" + p.plan_id}, ctx()));
    }
    void account(const std::string& username, const std::string& plan_id) {
        CreateAccount c;
        c.account.username = username;
        c.account.plan_id = plan_id;
        c.password = "pw-" + username;
        c.command_id = "acc-" + username;
        auto r = hotspot->execute(c, ctx());
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    }

    /// Appends session events as the accounting side does (stream hotspot_sessions-lobby).
    void append(const SessionEvent& e) {
        auto ne = events::make_new_event(events::hotspot::encode(e), ctx(), "op");
        auto r = store->append({{"hotspot_sessions-lobby", events::ExpectedRevision::any(), {ne}}});
        REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
    }
    /// Starts a session of `username`; returns it.
    Session start(const std::string& username) {
        ++sessions;
        Session s;
        s.unique_id = fmt::format("{:032x}", 0xabc000 + sessions);
        s.acct_session_id = fmt::format("8100000{}", sessions);
        s.username = username;
        s.nas_id = "lobby";
        s.nas_ip = "192.0.2.10";
        s.framed_ip = fmt::format("10.5.0.{}", 20 + sessions);
        s.calling_station_id = "aa:bb:cc:dd:ee:0" + std::to_string(sessions);
        s.started_at = s.updated_at = clock.now();
        s.counters = {1000, 2000, 10};
        append(SessionStarted{s});
        return s;
    }
    void interim(const Session& s, std::int64_t in, std::int64_t out, std::int64_t seconds) {
        append(SessionUpdated{s.unique_id, {in, out, seconds}, s.framed_ip, clock.now()});
    }

    /// The enforcement events of a session, in order.
    std::vector<DaeEvent> dae(const Session& s) {
        std::vector<DaeEvent> out;
        auto r = store->read_stream(dae_stream("op", s.unique_id), 0, 1000);
        REQUIRE(r);
        for (const auto& e : *r) {
            auto d = events::hotspot::decode_dae_event(e);
            REQUIRE_MESSAGE(d, e.type);
            out.push_back(*d);
        }
        return out;
    }
    template <class E>
    std::vector<E> of(const Session& s) {
        std::vector<E> out;
        for (const auto& e : dae(s))
            if (const auto* x = std::get_if<E>(&e)) out.push_back(*x);
        return out;
    }
    bool completed(const Session& s, std::size_t n = 1) { return of<DaeCompleted>(s).size() >= n; }
    /// Every event of the log as NDJSON envelopes (for the schema check).
    void keep_events(const std::string& name) {
        auto all = store->read_all(events::Checkpoint{}, 100000);
        REQUIRE(all);
        std::ofstream out(fs::path(SY_EVENTS_OUT_DIR) / ("enforcer-" + name + ".ndjson"));
        for (const auto& e : *all) out << events::encode_envelope(e) << "\n";
    }
};

/// 1 MB total, one hour from purchase, 2048/512 kbit/s.
Plan quota_plan() {
    Plan p;
    p.plan_id = "q1m";
    p.name = "1 MB";
    p.duration_seconds = 3600;
    p.time_from = TimeFrom::Purchase;
    p.data_limit_bytes = 1'000'000;
    p.download_kbps = 2048;
    p.upload_kbps = 512;
    p.shared_users = 4;
    return p;
}

}  // namespace

TEST_CASE("an Interim-Update past the data quota sends a Disconnect-Request and logs the ACK") {
    if (!have_freeradius()) return;
    World w;
    w.plan(quota_plan());
    w.account("alice", "q1m");
    w.enforcer->start();
    const auto s = w.start("alice");
    w.interim(s, 100'000, 400'000, 60);  // 500,000 of 1,000,000 bytes: nothing to do
    REQUIRE(w.enforcer->wait_idle(10s));
    CHECK(w.dae(s).empty());
    CHECK(w.nas.received().empty());
    CHECK(w.enforcer->open_sessions().size() == 1);

    const auto crossing = w.clock.now();
    w.interim(s, 200'000, 800'001, 120);  // 1,000,001 bytes: one past the quota
    REQUIRE(switchyard::testing::wait_until([&] { return w.completed(s); }, 10000ms));
    REQUIRE(w.enforcer->wait_idle(10s));

    // What the NAS's listener received, as FreeRADIUS decoded it (the generic profile's
    // identifying attributes: User-Name, Acct-Session-Id, Framed-IP-Address, NAS-IP-Address).
    const auto got = w.nas.received();
    REQUIRE(got.size() == 1);
    CHECK(got[0].get("Packet-Type") == "Disconnect-Request");
    CHECK(got[0].get("User-Name") == "alice");
    CHECK(got[0].get("Acct-Session-Id") == s.acct_session_id);
    CHECK(got[0].get("Framed-IP-Address") == s.framed_ip);
    CHECK(got[0].get("NAS-IP-Address") == "192.0.2.10");

    // The log: requested, one attempt ACKed, completed.
    const auto req = w.of<DaeRequested>(s);
    REQUIRE(req.size() == 1);
    CHECK(req[0].request_id == "data_used");
    CHECK(req[0].reason == EnforcementReason::DataUsed);
    CHECK(req[0].kind == DynamicAuthorization::Disconnect);
    CHECK(req[0].nas_id == "lobby");
    CHECK(req[0].address == "127.0.0.1");
    CHECK(req[0].port == w.nas.port());
    CHECK(req[0].attributes == std::vector<DaeSentAttribute>{{"User-Name", "alice"},
                                                             {"Acct-Session-Id", s.acct_session_id},
                                                             {"Framed-IP-Address", s.framed_ip},
                                                             {"NAS-IP-Address", "192.0.2.10"}});
    const auto att = w.of<DaeAttempted>(s);
    REQUIRE(att.size() == 1);
    CHECK(att[0].attempt == 1);
    CHECK(att[0].outcome == "ack");
    REQUIRE(att[0].round_trip_us.has_value());
    const auto done = w.of<DaeCompleted>(s);
    REQUIRE(done.size() == 1);
    CHECK(done[0].outcome == "ack");
    CHECK(done[0].session_gone);
    CHECK(done[0].attempts == 1);
    CHECK_FALSE(done[0].error_cause.has_value());
    // The budget (issue 13: crossing to Disconnect-Request on the wire within 1 s) is measured
    // in bench/hotspot_enforcement_bench; here it is only reported.
    WARN_MESSAGE(att[0].sent_at - crossing < 1s, "crossing to wire took ",
                 (att[0].sent_at - crossing).count(), " us");

    // The account is recorded as exhausted, so Access-Requests are refused from now on.
    auto st = w.hotspot->account_state("alice");
    REQUIRE(st);
    CHECK(st->first.exhausted);

    // Another Interim-Update past the quota sends nothing again.
    w.interim(s, 200'000, 900'000, 180);
    REQUIRE(w.enforcer->wait_idle(10s));
    std::this_thread::sleep_for(200ms);
    CHECK(w.nas.received().size() == 1);
    CHECK(w.of<DaeRequested>(s).size() == 1);

    // The NAS answered: reachable.
    const auto health = w.health.report({"lobby", "other"}, w.clock.now());
    CHECK(health[0].state == "reachable");
    CHECK(health[1].state == "unknown");

    // The Stop closes the session.
    w.append(SessionStopped{s.unique_id, {200'000, 900'000, 181}, "Admin-Reset", w.clock.now()});
    REQUIRE(w.enforcer->wait_idle(10s));
    CHECK(w.enforcer->open_sessions().empty());
    w.keep_events("quota");
}

TEST_CASE("a silent NAS gets every attempt with backoff, and the timeout is recorded") {
    if (!have_freeradius()) return;
    World w(Vendor::Generic, DaeOptions{.first_timeout = 200ms, .max_attempts = 3});
    w.plan(quota_plan());
    w.account("silent", "q1m");
    w.account("alice", "q1m");
    w.enforcer->start();
    const auto quiet = w.start("silent");
    const auto loud = w.start("alice");
    w.interim(quiet, 0, 2'000'000, 60);
    // While the silent NAS's request waits, another session is cut at once.
    w.interim(loud, 0, 2'000'000, 60);
    REQUIRE(switchyard::testing::wait_until([&] { return w.completed(loud); }, 10000ms));
    CHECK_FALSE(w.completed(quiet));
    REQUIRE(switchyard::testing::wait_until([&] { return w.completed(quiet); }, 10000ms));

    const auto att = w.of<DaeAttempted>(quiet);
    REQUIRE(att.size() == 3);
    for (int i = 0; i < 3; ++i) {
        CHECK(att[i].attempt == i + 1);
        CHECK(att[i].outcome == "timeout");
        CHECK_FALSE(att[i].round_trip_us.has_value());
    }
    CHECK(att[0].identifier != att[1].identifier);
    CHECK(att[1].identifier != att[2].identifier);
    // 200 ms, then 400 ms between the packets.
    CHECK(att[1].sent_at - att[0].sent_at >= 200ms);
    CHECK(att[2].sent_at - att[1].sent_at >= 400ms);
    const auto done = w.of<DaeCompleted>(quiet);
    REQUIRE(done.size() == 1);
    CHECK(done[0].outcome == "timeout");
    CHECK_FALSE(done[0].session_gone);
    CHECK(done[0].attempts == 3);
    CHECK(w.of<DaeCompleted>(loud)[0].outcome == "ack");
    // FreeRADIUS received all three packets of the silent one.
    int silent_packets = 0;
    for (const auto& r : w.nas.received()) silent_packets += r.get("User-Name") == "silent";
    CHECK(silent_packets == 3);
    // The last word from the NAS was a failure after the ACK of alice's request? The ACK came
    // first, the timeout last: the NAS is reported unreachable.
    CHECK(w.health.report({"lobby"}, w.clock.now())[0].state == "unreachable");
    w.keep_events("silent");
}

TEST_CASE("a Disconnect-NAK with Error-Cause 503 is recorded as the session gone, once") {
    if (!have_freeradius()) return;
    World w;
    w.plan(quota_plan());
    w.account("gone", "q1m");
    w.enforcer->start();
    const auto s = w.start("gone");
    w.interim(s, 0, 1'000'000, 60);
    REQUIRE(switchyard::testing::wait_until([&] { return w.completed(s); }, 10000ms));
    REQUIRE(w.enforcer->wait_idle(10s));
    const auto done = w.of<DaeCompleted>(s);
    REQUIRE(done.size() == 1);
    CHECK(done[0].outcome == "nak");
    CHECK(done[0].error_cause == 503);
    CHECK(done[0].error_cause_name == "Session-Context-Not-Found");
    CHECK(done[0].session_gone);
    CHECK(done[0].attempts == 1);
    CHECK(w.of<DaeAttempted>(s).size() == 1);
    CHECK(w.nas.received().size() == 1);
}

TEST_CASE("the wall-clock expiry timer cuts an open session and expires an idle account") {
    if (!have_freeradius()) return;
    World w;
    Plan p = quota_plan();
    p.plan_id = "2s";
    p.duration_seconds = 2;
    p.data_limit_bytes.reset();
    w.plan(p);
    w.account("bob", "2s");    // with a session open when the time runs out
    w.account("carol", "2s");  // with none
    w.enforcer->start();
    const auto s = w.start("bob");
    REQUIRE(w.enforcer->wait_idle(10s));
    CHECK(w.dae(s).empty());
    REQUIRE(switchyard::testing::wait_until([&] { return w.completed(s); }, 15000ms));
    const auto req = w.of<DaeRequested>(s);
    REQUIRE(req.size() == 1);
    CHECK(req[0].reason == EnforcementReason::Expired);
    CHECK(req[0].requested_at >= *w.hotspot->account("bob")->expires_at);
    CHECK(w.of<DaeCompleted>(s)[0].outcome == "ack");
    // Both accounts are expired in the log, so later Access-Requests are refused.
    REQUIRE(switchyard::testing::wait_until(
        [&] {
            return w.hotspot->account("bob")->status == AccountStatus::Expired &&
                   w.hotspot->account("carol")->status == AccountStatus::Expired;
        },
        10000ms));
    const auto got = w.nas.received();
    REQUIRE(got.size() == 1);
    CHECK(got[0].get("User-Name") == "bob");
    w.keep_events("expiry");
}

TEST_CASE("a plan change sends a CoA-Request with the new Mikrotik-Rate-Limit") {
    if (!have_freeradius()) return;
    World w(Vendor::Mikrotik);
    w.plan(quota_plan());
    Plan slow = quota_plan();
    slow.plan_id = "slow";
    slow.download_kbps = 1024;
    slow.upload_kbps = 256;
    w.plan(slow);
    w.account("dave", "q1m");
    w.enforcer->start();
    const auto s = w.start("dave");
    REQUIRE(w.enforcer->wait_idle(10s));
    REQUIRE(w.hotspot->execute(ChangePlan{"dave", "slow", "chg-1"}, w.ctx()));
    REQUIRE(switchyard::testing::wait_until([&] { return w.completed(s); }, 10000ms));
    const auto got = w.nas.received();
    REQUIRE(got.size() == 1);
    CHECK(got[0].get("Packet-Type") == "CoA-Request");
    CHECK(got[0].get("User-Name") == "dave");
    CHECK(got[0].get("Acct-Session-Id") == s.acct_session_id);
    CHECK(got[0].get("Framed-IP-Address") == s.framed_ip);
    // Rate-Limit rx/tx from the router's side: upload 256k, download 1024k.
    CHECK(got[0].get("Mikrotik-Rate-Limit") == "256k/1024k");
    const auto req = w.of<DaeRequested>(s);
    REQUIRE(req.size() == 1);
    CHECK(req[0].kind == DynamicAuthorization::Coa);
    CHECK(req[0].reason == EnforcementReason::SpeedChanged);
    const auto done = w.of<DaeCompleted>(s);
    CHECK(done[0].outcome == "ack");
    CHECK_FALSE(done[0].session_gone);  // a CoA-ACK leaves the session up

    // The plan itself redefined with another speed: a second CoA, with its own request id.
    slow.download_kbps = 512;
    slow.upload_kbps = 128;
    REQUIRE(w.hotspot->execute(DefinePlan{slow, DefineMode::Update, "plan-slow-2"}, w.ctx()));
    REQUIRE(switchyard::testing::wait_until([&] { return w.completed(s, 2); }, 10000ms));
    const auto again = w.nas.received();
    REQUIRE(again.size() == 2);
    CHECK(again[1].get("Packet-Type") == "CoA-Request");
    CHECK(again[1].get("Mikrotik-Rate-Limit") == "128k/512k");
    const auto reqs = w.of<DaeRequested>(s);
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[0].request_id != reqs[1].request_id);
    CHECK(reqs[1].request_id.rfind("speed_changed:", 0) == 0);
    w.keep_events("coa");
}

TEST_CASE("staff end a session: end_requested, then a Disconnect-Request, once") {
    if (!have_freeradius()) return;
    World w;
    w.plan(quota_plan());
    w.account("erin", "q1m");
    w.enforcer->start();
    const auto s = w.start("erin");
    REQUIRE(w.enforcer->wait_idle(10s));
    auto unknown = w.enforcer->request_end("nope", "", w.ctx("del-0"));
    REQUIRE_FALSE(unknown);
    CHECK(unknown.error().code == core::Errc::NotFound);
    CHECK(unknown.error().field == "session");
    auto long_note = w.enforcer->request_end(s.unique_id, std::string(300, 'x'), w.ctx("del-x"));
    REQUIRE_FALSE(long_note);
    CHECK(long_note.error().field == "note");

    auto r = w.enforcer->request_end(s.unique_id, "abuse report", w.ctx("del-1"));
    REQUIRE(r);
    CHECK(*r);
    auto again = w.enforcer->request_end(s.unique_id, "abuse report", w.ctx("del-1"));
    REQUIRE(again);
    CHECK_FALSE(*again);
    REQUIRE(switchyard::testing::wait_until([&] { return w.completed(s); }, 10000ms));
    REQUIRE(w.enforcer->wait_idle(10s));
    CHECK(w.of<SessionEndRequested>(s).size() == 1);
    const auto req = w.of<DaeRequested>(s);
    REQUIRE(req.size() == 1);
    CHECK(req[0].reason == EnforcementReason::StaffEnded);
    CHECK(w.nas.received().size() == 1);
    CHECK(w.nas.received()[0].get("User-Name") == "erin");
    w.keep_events("staff");
}

TEST_CASE("a restarted enforcer does not send a request the log already has") {
    if (!have_freeradius()) return;
    World w;
    w.plan(quota_plan());
    w.account("frank", "q1m");
    w.enforcer->start();
    const auto s = w.start("frank");
    w.interim(s, 0, 1'500'000, 60);
    REQUIRE(switchyard::testing::wait_until([&] { return w.completed(s); }, 10000ms));
    w.enforcer->stop();
    // A new enforcer reads the whole log again.
    Enforcer again(*w.store, *w.hotspot, w.profiles, *w.client, w.clock, {});
    again.start();
    REQUIRE(again.wait_idle(10s));
    std::this_thread::sleep_for(200ms);
    REQUIRE(again.wait_idle(10s));
    CHECK(again.open_sessions().size() == 1);
    CHECK(w.nas.received().size() == 1);
    CHECK(w.of<DaeRequested>(s).size() == 1);
}

TEST_CASE("staff disabling an account disconnects its sessions on every NAS session it has") {
    if (!have_freeradius()) return;
    World w;
    w.plan(quota_plan());
    w.account("gina", "q1m");
    w.enforcer->start();
    const auto a = w.start("gina");
    const auto b = w.start("gina");
    REQUIRE(w.enforcer->wait_idle(10s));
    REQUIRE(w.hotspot->execute(DisableAccount{"gina", "unpaid", "off-1"}, w.ctx()));
    REQUIRE(
        switchyard::testing::wait_until([&] { return w.completed(a) && w.completed(b); }, 10000ms));
    CHECK(w.of<DaeRequested>(a)[0].reason == EnforcementReason::Disabled);
    CHECK(w.of<DaeRequested>(b)[0].reason == EnforcementReason::Disabled);
    std::set<std::string> ids;
    for (const auto& r : w.nas.received()) ids.insert(r.get("Acct-Session-Id"));
    CHECK(ids == std::set<std::string>{a.acct_session_id, b.acct_session_id});
}

TEST_CASE("an end request the log has without its Disconnect is sent after a restart") {
    if (!have_freeradius()) return;
    World w;
    w.plan(quota_plan());
    w.account("hank", "q1m");
    w.enforcer->start();
    const auto s = w.start("hank");
    REQUIRE(w.enforcer->wait_idle(10s));
    w.enforcer->stop();
    // Appended while no enforcer runs (the API appended it, then the process stopped).
    auto ne = events::make_new_event(events::hotspot::encode(DaeEvent{SessionEndRequested{
                                         s.unique_id, "", "del-9", w.clock.now()}}),
                                     w.ctx(), "op");
    REQUIRE(w.store->append(
        {{dae_stream("op", s.unique_id), events::ExpectedRevision::no_stream(), {ne}}}));
    Enforcer again(*w.store, *w.hotspot, w.profiles, *w.client, w.clock, {});
    again.start();
    REQUIRE(switchyard::testing::wait_until([&] { return w.completed(s); }, 10000ms));
    CHECK(w.of<DaeRequested>(s)[0].reason == EnforcementReason::StaffEnded);
    CHECK(w.nas.received().size() == 1);
}

TEST_CASE("NAS reachability: reachable, silent, unreachable, unknown") {
    NasHealth h(std::chrono::seconds(600));
    const auto t = core::from_unix_seconds(1'790'000'000);
    h.heard("a", t, "accounting");
    h.heard("b", t, "dae");
    h.failed("b", t + 5s, "timeout after 4 attempts");
    h.heard("c", t - 601s, "accounting");
    const auto r = h.report({"a", "b", "c", "d"}, t + 10s);
    REQUIRE(r.size() == 4);
    CHECK(r[0].state == "reachable");
    CHECK(r[0].last_heard_from == "accounting");
    CHECK(r[1].state == "unreachable");
    CHECK(r[1].last_failure == "timeout after 4 attempts");
    CHECK(r[2].state == "silent");
    CHECK(r[3].state == "unknown");
    CHECK_FALSE(r[3].last_heard_at.has_value());
    // Heard again after the failure: reachable again; an older report time changes nothing.
    h.heard("b", t + 6s, "accounting");
    CHECK(h.report({"b"}, t + 10s)[0].state == "reachable");
    h.heard("a", t - 100s, "dae");
    CHECK(h.report({"a"}, t + 10s)[0].last_heard_at == t);
    CHECK(h.report(t + 10s).size() == 3);
}

namespace {

/// Replaces the world's enforcer (not started) by one with these repeat options.
void with_repeats(World& w, int max_repeats, std::chrono::milliseconds backoff) {
    EnforcerOptions o;
    o.workers = 4;
    o.max_timer_wait = 50ms;
    o.health = &w.health;
    o.max_repeats = max_repeats;
    o.repeat_backoff = backoff;
    w.enforcer =
        std::make_unique<Enforcer>(*w.store, *w.hotspot, w.profiles, *w.client, w.clock, o);
}

std::vector<std::string> request_ids(const std::vector<DaeRequested>& rs) {
    std::vector<std::string> out;
    for (const auto& r : rs) out.push_back(r.request_id);
    return out;
}

}  // namespace

TEST_CASE("a Disconnect that timed out is sent again on later Interim-Updates, at most N times") {
    if (!have_freeradius()) return;
    World w(Vendor::Generic, DaeOptions{.first_timeout = 100ms, .max_attempts = 2});
    with_repeats(w, 2, 0ms);
    w.plan(quota_plan());
    w.account("silent", "q1m");
    w.enforcer->start();
    const auto s = w.start("silent");
    std::int64_t out = 2'000'000;
    // The crossing, then one Interim-Update after each timed-out request: `data_used`, then
    // `data_used#2` and `data_used#3` (two repeats), then nothing more.
    for (std::size_t n = 1; n <= 3; ++n) {
        w.interim(s, 0, out += 1000, static_cast<std::int64_t>(60 * n));
        REQUIRE(switchyard::testing::wait_until([&] { return w.completed(s, n); }, 10000ms));
        REQUIRE(w.enforcer->wait_idle(10s));
    }
    w.interim(s, 0, out += 1000, 240);
    REQUIRE(w.enforcer->wait_idle(10s));
    std::this_thread::sleep_for(200ms);
    REQUIRE(w.enforcer->wait_idle(10s));
    CHECK(request_ids(w.of<DaeRequested>(s)) ==
          std::vector<std::string>{"data_used", "data_used#2", "data_used#3"});
    const auto done = w.of<DaeCompleted>(s);
    REQUIRE(done.size() == 3);
    CHECK(done[1].request_id == "data_used#2");
    for (const auto& d : done) CHECK(d.outcome == "timeout");
    // Each request made its two attempts: 3 x 2 packets reached the listener.
    int packets = 0;
    for (const auto& r : w.nas.received()) packets += r.get("User-Name") == "silent";
    CHECK(packets == 6);

    // A restarted enforcer reads the same from the log and sends nothing more either.
    w.enforcer->stop();
    with_repeats(w, 2, 0ms);
    w.enforcer->start();
    w.interim(s, 0, out += 1000, 300);
    REQUIRE(w.enforcer->wait_idle(10s));
    std::this_thread::sleep_for(200ms);
    REQUIRE(w.enforcer->wait_idle(10s));
    CHECK(w.of<DaeRequested>(s).size() == 3);
}

TEST_CASE("a timed-out Disconnect is not repeated before its backoff has passed") {
    if (!have_freeradius()) return;
    World w(Vendor::Generic, DaeOptions{.first_timeout = 100ms, .max_attempts = 1});
    with_repeats(w, 3, std::chrono::hours(1));
    w.plan(quota_plan());
    w.account("silent", "q1m");
    w.enforcer->start();
    const auto s = w.start("silent");
    w.interim(s, 0, 2'000'000, 60);
    REQUIRE(switchyard::testing::wait_until([&] { return w.completed(s); }, 10000ms));
    REQUIRE(w.enforcer->wait_idle(10s));
    w.interim(s, 0, 2'100'000, 120);
    REQUIRE(w.enforcer->wait_idle(10s));
    std::this_thread::sleep_for(200ms);
    REQUIRE(w.enforcer->wait_idle(10s));
    CHECK(request_ids(w.of<DaeRequested>(s)) == std::vector<std::string>{"data_used"});
}

TEST_CASE("disable, enable and disable again: each disable sends its own Disconnect-Request") {
    if (!have_freeradius()) return;
    World w;
    w.plan(quota_plan());
    w.account("hank", "q1m");
    w.enforcer->start();
    const auto s = w.start("hank");
    REQUIRE(w.enforcer->wait_idle(10s));
    REQUIRE(w.hotspot->execute(DisableAccount{"hank", "unpaid", "off-1"}, w.ctx()));
    REQUIRE(switchyard::testing::wait_until([&] { return w.completed(s); }, 10000ms));
    REQUIRE(w.enforcer->wait_idle(10s));
    // The NAS did not send the Stop (the session is still open in the log).
    REQUIRE(w.hotspot->execute(EnableAccount{"hank", "on-1"}, w.ctx()));
    REQUIRE(w.enforcer->wait_idle(10s));
    REQUIRE(w.hotspot->execute(DisableAccount{"hank", "unpaid again", "off-2"}, w.ctx()));
    REQUIRE(switchyard::testing::wait_until([&] { return w.completed(s, 2); }, 10000ms));
    REQUIRE(w.enforcer->wait_idle(10s));
    const auto reqs = w.of<DaeRequested>(s);
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[0].reason == EnforcementReason::Disabled);
    CHECK(reqs[1].reason == EnforcementReason::Disabled);
    CHECK(reqs[0].request_id.rfind("disabled:", 0) == 0);
    CHECK(reqs[0].request_id != reqs[1].request_id);
    CHECK(w.nas.received().size() == 2);
    // An Interim-Update while disabled sends nothing more.
    w.interim(s, 5000, 5000, 300);
    REQUIRE(w.enforcer->wait_idle(10s));
    std::this_thread::sleep_for(200ms);
    CHECK(w.of<DaeRequested>(s).size() == 2);
}
