// Subscriptions act on every line, as `serve` starts the modules: an IPTV line, a VPN
// customer's peer, a hotspot account and a voice customer, each sold by a monthly plan without
// auto-renewal; at the period end the renewal worker expires them and the billing enforcer turns
// each service off through the line's own commands (line disabled, peer disabled as unpaid,
// account disabled, customer suspended), and paying turns each on again. The lines' events name
// the subscription that caused them.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <mutex>

#include "app/modules/billing_module.hpp"
#include "app/modules/hotspot_module.hpp"
#include "app/modules/iptv_module.hpp"
#include "app/modules/voice_module.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/api/sign_in.hpp"
#include "tests/support/wait_until.hpp"

using namespace switchyard;
using namespace switchyard::testing;
using namespace std::chrono_literals;

namespace {

template <class M>
M& module_of(ApiFixture& f) {
    for (auto& m : f.modules)
        if (auto* found = dynamic_cast<M*>(m.get())) return *found;
    FAIL("module not found");
    throw;
}

std::string posted(ApiFixture& f, const std::string& target, const std::string& body,
                   int status = 201) {
    auto r = f.call("POST", target, body);
    REQUIRE_MESSAGE(r.status == status, target, ": ", r.body);
    return r.body;
}

std::string str_field(const std::string& body, const char* key) {
    simdjson::dom::parser p;
    auto v = parse_json(p, body)[key];
    if (v.is_int64()) return std::to_string(v.get_int64().value());
    return std::string(v.get_string().value());
}

}  // namespace

TEST_CASE("an expired subscription turns its line's service off, and paying turns it on") {
    ApiFixture f;
    // IPTV: a line.
    const auto line_id =
        str_field(posted(f, "/v1/iptv/lines", R"({"username":"viewer1"})"), "line_id");
    // VPN: a customer on the family plan with a laptop and its peer on New York.
    core::DecisionContext d;
    d.now = f.clock.now();
    REQUIRE(f.vpn->seed_default_plans(d));
    REQUIRE(f.call("PUT", "/v1/vpn/servers/nyc",
                   R"({"name":"New York","endpoint_host":"nyc.vpn.example.net",
                       "ipv4_pool":"10.8.1.0/24","dns":["10.8.1.1"]})")
                .status == 200);
    const auto vpn_customer = create_user(f, f.key, "vpnuser", "customer");
    REQUIRE(
        f.call("PUT", "/v1/vpn/subscription?customer_id=" + vpn_customer, R"({"plan_id":"family"})")
            .status == 200);
    const auto token = sign_in(f, "vpnuser");
    REQUIRE(as(f, token, "POST", "/v1/vpn/devices", R"({"id":"laptop","type":"laptop"})").status ==
            201);
    REQUIRE(as(f, token, "POST", "/v1/vpn/devices/laptop/peer", "{}").status == 201);
    // Hotspot: an account on a one-hour plan.
    posted(f, "/v1/hotspot/plans", R"({"plan_id":"hs","name":"HS","duration_seconds":3600})");
    posted(f, "/v1/hotspot/accounts",
           R"({"username":"guest1","password":"guest-password","plan_id":"hs"})");
    // Voice: a customer.
    posted(f, "/v1/voice/categories", R"({"category_id":"sip_trunk","name":"SIP Trunk"})");
    posted(f, "/v1/voice/groups", R"({"group_id":"gold","category_id":"sip_trunk","name":"G"})");
    const auto voice_customer =
        str_field(posted(f, "/v1/voice/customers",
                         R"({"name":"Carrier","country":"DE","currency":"EUR",
                             "category_id":"sip_trunk","group_id":"gold"})"),
                  "customer_id");

    // Billing: a plan per line, a wallet that pays one month of each, no auto-renewal.
    posted(f, "/v1/billing/accounts", R"({"account":"wallet:c1","currency":"EUR"})");
    posted(f, "/v1/billing/entries",
           R"({"entry_id":"t1","currency":"EUR","memo":"top-up","postings":[
               {"account":"gateway_clearing:bank","debit_micros":100000000},
               {"account":"wallet:c1","credit_micros":100000000}]})");
    const std::map<std::string, std::string> service_of{
        {"iptv", line_id}, {"vpn", vpn_customer}, {"hotspot", "guest1"}, {"voice", voice_customer}};
    for (const auto& [line, service_id] : service_of) {
        posted(f, "/v1/billing/plans",
               fmt::format(R"({{"plan_id":"{0}-monthly","name":"{0}","line":"{0}",
                               "prices":[{{"currency":"EUR","amount_micros":5000000}}]}})",
                           line));
        posted(f, "/v1/billing/subscriptions",
               fmt::format(R"({{"subscription_id":"sub-{0}","customer_id":"c1",
                               "plan_id":"{0}-monthly","currency":"EUR","payer":"wallet:c1",
                               "service_id":"{1}","auto_renew":false}})",
                           line, service_id));
    }
    f.settle();

    auto& billing = module_of<app::BillingModule>(f);
    app::ServiceEnforcer enforcer(*f.store, billing.subscriptions(), f.host->service_switches,
                                  f.runner.get(), f.clock);
    std::mutex mu;
    std::vector<app::ServiceSwitched> switched;
    std::map<std::string, std::chrono::steady_clock::time_point> switched_at;  // by line
    enforcer.on_switch = [&](const app::ServiceSwitched& s) {
        std::lock_guard lock(mu);
        switched.push_back(s);
        switched_at[s.line] = std::chrono::steady_clock::now();
    };
    enforcer.start();  // reconciles: everything paid, nothing to change
    {
        std::lock_guard lock(mu);
        CHECK(switched.size() == 4);
        for (const auto& s : switched) CHECK((s.on && !s.changed));
        switched.clear();
    }

    auto changed_count = [&](bool on) {
        std::lock_guard lock(mu);
        return std::count_if(switched.begin(), switched.end(),
                             [&](const auto& s) { return s.on == on && s.changed; });
    };
    auto& vpn = *f.vpn;
    auto& hotspot = module_of<app::HotspotModule>(f).service();
    auto& voice = module_of<app::VoiceModule>(f).service();
    auto all_off = [&] {
        auto line = f.call("GET", "/v1/iptv/lines/" + line_id);
        auto peer = vpn.customer(vpn_customer)->peers.at("laptop");
        auto account = hotspot.account("guest1");
        auto customer = voice.effective_config(std::stoll(voice_customer));
        CHECK(str_field(line.body, "status") == "disabled");
        CHECK(!peer.enabled);
        CHECK(peer.disabled_reason == core::vpn::DisableReason::Unpaid);
        CHECK(account->status == core::hotspot::AccountStatus::Disabled);
        CHECK(customer->customer.status == core::voice::CustomerStatus::Suspended);
    };

    // A viewer watching on the IPTV line: an open connection lease.
    auto& connections = module_of<app::IptvModule>(f).connections();
    core::iptv::OpenConnection watch;
    watch.lease_id = "lease-1";
    watch.line_id = std::stoll(line_id);
    watch.stream_id = 1;
    watch.output = "ts";
    watch.remote_ip = "192.0.2.7";
    watch.user_agent = "VLC/3.0.18";
    d.now = f.clock.now();
    REQUIRE(connections.open(watch, 1, d));
    REQUIRE(connections.leases(watch.line_id)->leases.size() == 1);

    // The period end: the worker expires the four subscriptions; the enforcer switches off.
    app::RenewalWorker worker(billing.subscriptions(), *f.runner, f.clock);
    f.clock.advance(std::chrono::hours(24 * 31));
    f.settle();
    const auto expiring = std::chrono::steady_clock::now();
    CHECK(worker.run_once() == 4);
    REQUIRE(wait_until([&] { return changed_count(false) == 4; }, 10s));
    {
        std::lock_guard lock(mu);
        for (const auto& [line, at] : switched_at)
            MESSAGE(line, ": expiry to the line's service off (wall time, debug build): ",
                    std::chrono::duration_cast<std::chrono::microseconds>(at - expiring).count(),
                    " us");
    }
    f.settle();
    all_off();
    CHECK(connections.leases(watch.line_id)->leases.empty());  // the viewer is cut off

    // The lines' events name the subscription and the enforcer.
    auto log = f.store->read_all({}, 100'000);
    REQUIRE(log);
    int by_billing = 0;
    for (const auto& e : *log)
        if (e.correlation_id.starts_with("billing:sub-") && e.actor.id == "billing-enforcer") {
            ++by_billing;
            CHECK(!e.type.starts_with("billing."));
        }
    CHECK(by_billing >= 4);

    // Paying turns each on again.
    for (const auto& [line, service_id] : service_of)
        REQUIRE(f.call("POST", "/v1/billing/subscriptions/sub-" + line + "/renewal").status == 200);
    REQUIRE(wait_until([&] { return changed_count(true) == 4; }, 10s));
    f.settle();
    CHECK(str_field(f.call("GET", "/v1/iptv/lines/" + line_id).body, "status") == "active");
    CHECK(vpn.customer(vpn_customer)->peers.at("laptop").enabled);
    CHECK(hotspot.account("guest1")->status == core::hotspot::AccountStatus::Active);
    CHECK(voice.effective_config(std::stoll(voice_customer))->customer.status ==
          core::voice::CustomerStatus::Active);
    enforcer.stop();
}
