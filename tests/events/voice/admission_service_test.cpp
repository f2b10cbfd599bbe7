// Call admission: channels, CPS and prepaid money held per customer, trunk and carrier, with a
// real rating index and figures computed by hand; N threads admitting at once against one
// balance never hold more than it.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "events/voice/admission_service.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using namespace switchyard::events::voice;
using namespace std::chrono_literals;

namespace {

core::Timestamp t0() { return core::parse_rfc3339("2026-03-02T10:00:00Z").value(); }

/// Berlin: 0.06 per minute billed per second (0.001 per second). Germany: connect fee 0.10,
/// 0.60 per minute billed per minute.
std::shared_ptr<const RatingIndex> sell_card() {
    Tariff t;
    t.destinations = {{"DE", "GERMANY", {"49"}}, {"DE_BERLIN", "GERMANY BERLIN", {"4930"}}};
    t.rate_groups = {RateGroup{.id = "R60",
                               .connect_fee_micros = 100'000,
                               .intervals = {RateInterval{.group_interval_start_s = 0,
                                                          .rate_micros = 600'000,
                                                          .rate_unit_s = 60,
                                                          .rate_increment_s = 60}}},
                     RateGroup{.id = "R6_SEC",
                               .connect_fee_micros = 0,
                               .intervals = {RateInterval{.group_interval_start_s = 0,
                                                          .rate_micros = 60'000,
                                                          .rate_unit_s = 60,
                                                          .rate_increment_s = 1}}}};
    DestinationRate a, b;
    a.id = b.id = "DR";
    a.destination_id = "DE";
    a.rate_id = "R60";
    b.destination_id = "DE_BERLIN";
    b.rate_id = "R6_SEC";
    a.rounding_decimals = b.rounding_decimals = 4;
    t.destination_rates = {a, b};
    t.rating_plans = {{"SELL", "DR", "*any", 10}};
    auto r = RatingIndex::build(std::move(t));
    REQUIRE(r.has_value());
    return *r;
}

/// Sources of one world: limits and funds a test sets, the sell card above.
struct World {
    CallLimits customer{0, 0};
    CallLimits trunk{0, 0};
    Funds funds{10'000'000, 0, true};
    std::shared_ptr<const RatingIndex> card = sell_card();
    core::Timestamp now = t0();

    AdmissionService make(std::int64_t max_duration_s = 3600) {
        AdmissionSources s;
        s.customer_limits = [this](std::int64_t) -> core::Result<CallLimits> { return customer; };
        s.trunk_limits = [this](const std::string&) -> core::Result<CallLimits> { return trunk; };
        s.funds = [this](std::int64_t) -> core::Result<Funds> { return funds; };
        s.sell_price = [this](const TrunkMatch&,
                              core::Timestamp) -> core::Result<std::optional<SellPrice>> {
            return std::optional<SellPrice>{SellPrice{card, "SELL"}};
        };
        AdmissionOptions o;
        o.max_duration_s = max_duration_s;
        o.now = [this] { return now; };
        return AdmissionService(std::move(s), std::move(o));
    }
};

CallSetup setup(std::string call_id) {
    CallSetup s;
    s.call_id = std::move(call_id);
    s.setup_at = t0();
    return s;
}

TrunkMatch berlin(std::int64_t customer = 7, std::string trunk = "acme") {
    TrunkMatch m;
    m.customer_id = customer;
    m.trunk_id = std::move(trunk);
    m.destination = "4930123456";
    m.sell_deck_id = "card";
    return m;
}

RoutePlan via(std::string carrier) {
    RoutePlan p;
    RouteOption r;
    r.carrier_id = std::move(carrier);
    p.routes.push_back(r);
    return p;
}

std::variant<Admission, CallRefusal> admit(AdmissionService& a, const std::string& call_id,
                                           const TrunkMatch& m = berlin(),
                                           const RoutePlan& p = via("carrier-a")) {
    auto r = a.admit(setup(call_id), m, p);
    REQUIRE(r.has_value());
    return *r;
}

std::string code_of(const std::variant<Admission, CallRefusal>& v) {
    return std::holds_alternative<CallRefusal>(v) ? std::get<CallRefusal>(v).code : "admitted";
}

}  // namespace

TEST_CASE("prepaid: the grant is the longest duration the balance pays, and it is held") {
    World w;
    w.funds = {1'000'000, 0, true};  // 1.00 at 0.001/s: 1000 s
    auto a = w.make(3600);
    auto first = admit(a, "c1");
    REQUIRE(std::holds_alternative<Admission>(first));
    CHECK(std::get<Admission>(first).max_duration_s == 1000);
    CHECK(std::get<Admission>(first).reserved_micros == 1'000'000);
    CHECK(std::get<Admission>(first).sell_per_minute == 60'000);
    // Everything is held: the next call cannot pay its first second.
    auto second = admit(a, "c2");
    CHECK(code_of(second) == "balance_exhausted");
    CHECK(std::get<CallRefusal>(second).sip_code == 402);
    a.release("c1");
    CHECK(code_of(admit(a, "c2")) == "admitted");
}

TEST_CASE(
    "postpaid with a credit limit is held against it, and without one the cap, nothing held") {
    World w;
    w.funds = {-500'000, -2'000'000, true};  // 1.50 of credit left at 0.001/s: 1500 s
    auto a = w.make(3600);
    auto g = admit(a, "c1");
    REQUIRE(std::holds_alternative<Admission>(g));
    CHECK(std::get<Admission>(g).max_duration_s == 1500);
    CHECK(std::get<Admission>(g).reserved_micros == 1'500'000);
    World open;
    open.funds = {-50'000'000, 0, false};
    auto b = open.make(3600);
    auto u = admit(b, "c1");
    REQUIRE(std::holds_alternative<Admission>(u));
    CHECK(std::get<Admission>(u).max_duration_s == 3600);
    CHECK(std::get<Admission>(u).reserved_micros == 0);
}

TEST_CASE("admit is idempotent on the call id: the same grant, nothing held twice") {
    World w;
    w.funds = {5'000'000, 0, true};
    w.customer = {1, 1};
    auto a = w.make(3600);
    auto first = admit(a, "c1");
    auto again = admit(a, "c1");
    REQUIRE(std::holds_alternative<Admission>(again));
    CHECK(std::get<Admission>(again).max_duration_s == std::get<Admission>(first).max_duration_s);
    CHECK(std::get<Admission>(again).reserved_micros == 3'600'000);
    const auto snap = a.snapshot();
    REQUIRE(snap.customers.size() == 1);
    CHECK(snap.customers[0].channels == 1);
    CHECK(snap.customers[0].reserved_micros == 3'600'000);
    a.release("c1");
    a.release("c1");
    CHECK(a.snapshot().customers.empty());
}

TEST_CASE("channels per customer and per trunk: 503 channel_limit, freed on release") {
    World w;
    w.customer = {2, 0};
    w.trunk = {1, 0};
    auto a = w.make();
    CHECK(code_of(admit(a, "c1", berlin(7, "t1"))) == "admitted");
    auto r = admit(a, "c2", berlin(7, "t1"));
    CHECK(code_of(r) == "channel_limit");
    CHECK(std::get<CallRefusal>(r).sip_code == 503);
    CHECK(code_of(admit(a, "c3", berlin(7, "t2"))) == "admitted");
    CHECK(code_of(admit(a, "c4", berlin(7, "t3"))) == "channel_limit");  // customer: 2
    a.release("c1");
    CHECK(code_of(admit(a, "c4", berlin(7, "t3"))) == "admitted");
}

TEST_CASE("11 calls within one second against 10 CPS: exactly one refused 503 cps_limit") {
    World w;
    w.customer = {0, 10};
    w.funds = {0, 0, false};  // postpaid without a limit: only CPS can refuse
    auto a = w.make();
    int refused = 0;
    for (int i = 0; i < 11; ++i) {
        w.now = t0() + std::chrono::milliseconds(i * 5);
        auto r = admit(a, "c" + std::to_string(i));
        if (code_of(r) == "cps_limit") {
            ++refused;
            CHECK(std::get<CallRefusal>(r).sip_code == 503);
        }
    }
    CHECK(refused == 1);
    w.now = t0() + 1s;
    CHECK(code_of(admit(a, "later")) == "admitted");
}

TEST_CASE("carrier channels follow the first route and moved()") {
    World w;
    auto a = w.make();
    admit(a, "c1", berlin(), via("carrier-a"));
    admit(a, "c2", berlin(), via("carrier-a"));
    CHECK(a.carrier_channels("carrier-a") == 2);
    a.moved("c1", "carrier-b");
    CHECK(a.carrier_channels("carrier-a") == 1);
    CHECK(a.carrier_channels("carrier-b") == 1);
    a.release("c1");
    CHECK(a.carrier_channels("carrier-b") == 0);
}

TEST_CASE("a destination the rate card does not price is refused 404 no_route") {
    World w;
    auto a = w.make();
    auto m = berlin();
    m.destination = "3312345678";
    CHECK(code_of(admit(a, "c1", m)) == "no_route");
}

TEST_CASE("restore rebuilds an open call: its channel and money count again") {
    World w;
    w.funds = {1'000'000, 0, true};
    auto a = w.make();
    a.restore("old", 7, "acme", "carrier-a", 800'000, 800);
    auto g = admit(a, "new");  // 0.20 left: 200 s
    REQUIRE(std::holds_alternative<Admission>(g));
    CHECK(std::get<Admission>(g).max_duration_s == 200);
    CHECK(a.carrier_channels("carrier-a") == 2);
    REQUIRE(a.call("old").has_value());
    CHECK(a.call("old")->admission.reserved_micros == 800'000);
}

TEST_CASE("N threads admitting at once never hold more than the balance") {
    // 10.00 at 0.001/s with a 3600 s cap: 3.60 + 3.60 + 2.80 (2800 s), then nothing is left.
    World w;
    w.funds = {10'000'000, 0, true};
    auto a = w.make(3600);
    constexpr int kThreads = 16;
    std::atomic<int> admitted{0}, exhausted{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i)
        threads.emplace_back([&, i] {
            while (!go.load()) std::this_thread::yield();
            auto r = a.admit(setup("call-" + std::to_string(i)), berlin(), via("carrier-a"));
            if (r && std::holds_alternative<Admission>(*r)) ++admitted;
            if (r && std::holds_alternative<CallRefusal>(*r) &&
                std::get<CallRefusal>(*r).code == "balance_exhausted")
                ++exhausted;
        });
    go = true;
    for (auto& t : threads) t.join();
    CHECK(admitted.load() == 3);
    CHECK(exhausted.load() == kThreads - 3);
    const auto snap = a.snapshot();
    REQUIRE(snap.customers.size() == 1);
    CHECK(snap.customers[0].reserved_micros == 10'000'000);
    core::voice::Micros sum = 0;
    std::int64_t seconds = 0;
    for (const auto& c : snap.customers[0].calls) {
        sum += c.admission.reserved_micros;
        seconds += c.admission.max_duration_s;
    }
    CHECK(sum <= w.funds.balance_micros);
    CHECK(seconds == 3600 + 3600 + 2800);
}
