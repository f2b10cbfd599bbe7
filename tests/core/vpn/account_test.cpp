// A customer's VPN account as the API reaches it (core/vpn/account.hpp): whose account a
// request acts on, the subscribed plan and its limits in use, lookups by id, access URLs.
#include <doctest/doctest.h>

#include "core/vpn/account.hpp"
#include "core/vpn/customer_decider.hpp"

using namespace switchyard;
using namespace switchyard::core::vpn;
using core::Errc;
using core::identity::Principal;
using core::identity::Role;

namespace {

Principal customer(const std::string& id) { return {id, Role::Customer, "/r_1/" + id, id}; }
Principal staff(Role role, const std::string& scope) { return {"k_staff", role, scope, "u_s"}; }

Device device(const std::string& id, const std::string& type, DeviceCategory category) {
    Device d;
    d.device_id = id;
    d.name = "Device " + id;
    d.classification.type = type;
    d.classification.category = category;
    return d;
}

CustomerState account_with(std::initializer_list<Device> devices) {
    CustomerState s;
    evolve(s, PlanSubscribed{"family", "/r_1"});
    for (const auto& d : devices) evolve(s, DeviceAdded{d});
    return s;
}

/// Checks that `r` failed with `code` naming `field`. @returns the error's message.
template <class R>
std::string refused(const R& r, Errc code, const std::string& field) {
    REQUIRE_FALSE(r);
    CHECK(r.error().code == code);
    CHECK(r.error().field == field);
    return r.error().message;
}

NetworkState offer() {
    NetworkState n;
    Plan family{"family", "Family", 5, 3, {{"ip_camera", 2}, {"nas", 1}}};
    n.plans[family.plan_id] = family;
    Server v4;
    v4.server_id = "nyc";
    v4.endpoint_host = "nyc.vpn.example.net";
    n.servers[v4.server_id] = v4;
    Server v6;
    v6.server_id = "ams";
    v6.endpoint_host = "2001:db8::7";
    n.servers[v6.server_id] = v6;
    return n;
}

}  // namespace

TEST_CASE("a customer acts on their own account and cannot even see another's") {
    auto own = account_customer_id(customer("u_1"), "");
    REQUIRE(own);
    CHECK(*own == "u_1");
    CHECK(account_customer_id(customer("u_1"), "u_1").value() == "u_1");
    refused(account_customer_id(customer("u_1"), "u_2"), Errc::NotFound, "customer_id");
}

TEST_CASE("staff must name the customer a VPN request acts for") {
    refused(account_customer_id(staff(Role::Admin, "/"), ""), Errc::Invalid, "customer_id");
    CHECK(account_customer_id(staff(Role::Support, "/"), "u_9").value() == "u_9");
}

TEST_CASE("an account outside the caller's scope does not exist for it, a non-customer is 422") {
    const AccountHolder mine{"customer", "/r_1/u_1"};
    CHECK(check_account_holder(staff(Role::Reseller, "/r_1"), "u_1", mine));
    CHECK(check_account_holder(customer("u_1"), "u_1", mine));

    refused(check_account_holder(staff(Role::Reseller, "/r_2"), "u_1", mine), Errc::NotFound,
            "customer_id");

    refused(check_account_holder(staff(Role::Admin, "/"), "u_0", std::nullopt), Errc::NotFound,
            "customer_id");

    CHECK(refused(check_account_holder(staff(Role::Admin, "/"), "r_1", {{"reseller", "/r_1"}}),
                  Errc::Rejected, "customer_id") == "user 'r_1' is a reseller, not a customer");
}

TEST_CASE("the subscribed plan is found, or NotFound naming plan_id") {
    const auto n = offer();
    auto s = account_with({});
    auto plan = subscribed_plan(s, n, "u_1");
    REQUIRE(plan);
    CHECK((*plan)->name == "Family");
    CHECK(refused(subscribed_plan(CustomerState{}, n, "u_1"), Errc::NotFound, "plan_id") ==
          "customer 'u_1' has no plan");
}

TEST_CASE("plan limits count devices per category and per type, with what remains") {
    const auto n = offer();
    auto plan = n.plans.at("family");
    plan.personal_max.reset();  // unlimited
    auto s = account_with({device("c1", "ip_camera", DeviceCategory::HomeNetwork),
                           device("c2", "ip_camera", DeviceCategory::HomeNetwork),
                           device("l1", "laptop", DeviceCategory::Personal)});
    auto limits = plan_limits(plan, s);
    REQUIRE(limits.size() == 4);
    CHECK(limits[0].name == "home_network_devices");
    CHECK(limits[0].current == 2);
    CHECK(limits[0].max == 5);
    CHECK(limits[0].remaining == 3);
    CHECK(limits[1].name == "personal_devices");
    CHECK(limits[1].current == 1);
    CHECK_FALSE(limits[1].max);
    CHECK_FALSE(limits[1].remaining);
    CHECK(limits[2].name == "ip_camera");
    CHECK(limits[2].remaining == 0);
    CHECK(limits[3].name == "nas");
    CHECK(limits[3].current == 0);
    CHECK(limits[3].remaining == 1);

    SUBCASE("more in use than allowed leaves nothing, never a negative") {
        plan.type_max["ip_camera"] = 1;
        CHECK(plan_limits(plan, s)[2].remaining == 0);
    }
}

TEST_CASE("devices, peers and forwards are found by id, naming the request's field when not") {
    auto s = account_with({device("cam", "ip_camera", DeviceCategory::HomeNetwork)});
    CHECK(find_device(s, "cam").value()->name == "Device cam");
    CHECK(refused(find_device(s, "tv", "id"), Errc::NotFound, "id") ==
          "device 'tv' does not exist");

    CHECK(refused(find_peer(s, "cam"), Errc::NotFound, "device_id") == "device 'cam' has no peer");
    evolve(s, PeerCreated{"cam", Peer{}});
    CHECK(find_peer(s, "cam"));

    PortForward f;
    f.forward_id = 4;
    evolve(s, PortForwardCreated{f});
    CHECK(find_forward(s, 4).value()->forward_id == 4);
    CHECK(refused(find_forward(s, 5, "id"), Errc::NotFound, "id") ==
          "port forward 5 does not exist");
}

TEST_CASE("an access URL brackets an IPv6 endpoint and falls back to the server id") {
    const auto n = offer();
    PortForward f;
    f.external_port = 55400;
    f.server_id = "nyc";
    CHECK(forward_access_url(n, f) == "nyc.vpn.example.net:55400");
    f.server_id = "ams";
    CHECK(forward_access_url(n, f) == "[2001:db8::7]:55400");
    f.server_id = "gone";
    CHECK(forward_access_url(n, f) == "gone:55400");
}
