// Issue 14 item 7 end to end: what Kamailio does without a media server. `switchyard serve` (a
// child process, set up through its HTTP API only), the shipped kamailio.cfg with its registrar,
// SIPp phones that REGISTER with digest credentials (reg_auth.xml) and then answer on the port
// they registered (uas_rr.xml, uas_486.xml, uas_ring_cancel.xml), and a SIPp caller that is
// itself an extension (uac_auth.xml answering the 407). Skipped when Kamailio or SIPp is
// missing, failing under CI=true.
#include <doctest/doctest.h>

#include <boost/json.hpp>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "tests/integration/processes.hpp"
#include "tests/support/kamailio.hpp"
#include "tests/support/sipp.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/voice_e2e.hpp"

using namespace switchyard;
using namespace switchyard::testing;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

constexpr const char* kPassword = "phone-secret-1";

/// Switchyard and Kamailio on loopback, one customer with extensions.
struct Stack {
    TempDir dir;
    int http_port = free_port();
    std::unique_ptr<Server> server;
    std::string key;
    std::unique_ptr<Kamailio> kamailio;
    std::int64_t customer = 0;

    Stack() {
        server = std::make_unique<Server>(dir.path() / "data", http_port, std::string{},
                                          std::vector<std::string>{"--rate-authenticated", "0"});
        const auto key_text = slurp(dir.path() / "data" / "admin.key");
        key = key_text.substr(0, key_text.find('\n'));
        REQUIRE(key.rfind("sy_", 0) == 0);
        kamailio = std::make_unique<Kamailio>(
            fs::path(SY_SOURCE_DIR) / "adapters" / "kamailio" / "kamailio.cfg",
            dir.path() / "kamailio",
            "http://kamailio:" + key + "@127.0.0.1:" + std::to_string(http_port));
        REQUIRE_MESSAGE(kamailio->start(), kamailio->log());
        post("/v1/voice/groups", R"({"group_id":"gold","category_id":"sip_trunk","name":"Gold"})");
        auto created =
            post("/v1/voice/customers", R"({"name":"Acme","country":"DE","currency":"EUR",)"
                                        R"("billing_type":"postpaid","category_id":"sip_trunk",)"
                                        R"("group_id":"gold"})");
        customer = find_key(created, "customer_id")->as_int64();
    }
    ~Stack() { kamailio->stop(); }

    Response call(const std::string& method, const std::string& path,
                  const std::string& body = {}) {
        return http(method, server->base + path, body, key);
    }
    json::value post(const std::string& path, const std::string& body, long status = 201) {
        auto r = call("POST", path, body);
        REQUIRE_MESSAGE(r.status == status, path, " ", r.body);
        return r.body.empty() ? json::value() : json::parse(r.body);
    }

    /// Extension `number` (id `ext-<number>`, username = number) with `forwards` (JSON array)
    /// and the test password.
    void extension(const std::string& number, const std::string& forwards = "[]") {
        post("/v1/voice/extensions",
             fmt::format(R"({{"extension_id":"ext-{}","customer_id":{},"number":"{}",)"
                         R"("name":"Phone {}","forwards":{}}})",
                         number, customer, number, number, forwards));
        post(fmt::format("/v1/voice/extensions/ext-{}/password", number),
             fmt::format(R"({{"password":"{}"}})", kPassword), 200);
    }

    /// A phone on `port` registering as `username`. @returns SIPp's exit code.
    int register_phone(const std::string& username, int port,
                       const std::string& password = kPassword) {
        Sipp reg(
            dir.path(), "reg_auth.xml",
            {kamailio->address(), "-s", username, "-i", "127.0.0.1", "-p", std::to_string(port),
             "-au", username, "-ap", password, "-m", "1", "-timeout", "5s", "-timeout_error"});
        return reg.run(10s);
    }

    /// A phone answering with `scenario` on `port` for one call.
    std::unique_ptr<Sipp> phone(int port, const std::string& scenario, int timeout_s = 15) {
        auto s = std::make_unique<Sipp>(
            dir.path(), scenario,
            std::vector<std::string>{"-i", "127.0.0.1", "-p", std::to_string(port), "-m", "1",
                                     "-timeout", std::to_string(timeout_s) + "s",
                                     "-timeout_error"});
        s->start();
        return s;
    }

    /// Extension `user` dialling `number` (digest on the 407), hanging up 500 ms after the
    /// answer.
    std::unique_ptr<Sipp> caller(const std::string& user, const std::string& number) {
        return std::make_unique<Sipp>(dir.path(), "uac_auth.xml",
                                      std::vector<std::string>{kamailio->address(),
                                                               "-s",
                                                               number,
                                                               "-i",
                                                               "127.0.0.1",
                                                               "-p",
                                                               std::to_string(free_sip_port()),
                                                               "-au",
                                                               user,
                                                               "-ap",
                                                               kPassword,
                                                               "-m",
                                                               "1",
                                                               "-d",
                                                               "500",
                                                               "-timeout",
                                                               "15s",
                                                               "-timeout_error",
                                                               "-trace_msg",
                                                               "-message_file",
                                                               "messages.log"});
    }

    /// The `voice.call.routed` events' data.
    std::vector<json::value> routed() {
        std::vector<json::value> out;
        auto r = call("GET", "/v1/events?limit=5000&from=0:0");
        REQUIRE_MESSAGE(r.status == 200, r.body);
        const auto doc = json::parse(r.body);
        for (const auto& e : doc.as_object().at("events").as_array())
            if (e.at("type").as_string() == "voice.call.routed") out.push_back(e.at("data"));
        return out;
    }
};

/// Two free SIP ports that differ from each other.
std::pair<int, int> two_ports() {
    const int a = free_sip_port();
    int b = free_sip_port();
    while (b == a) b = free_sip_port();
    return {a, b};
}

}  // namespace

TEST_CASE("a phone registers as extension 201 with its digest password and receives its calls") {
    if (!can_run()) return;
    Stack s;
    s.extension("200");
    s.extension("201");
    const auto [port, other] = two_ports();
    // A wrong password is challenged again: SIPp gets a second 401 and fails.
    CHECK(s.register_phone("201", other, "not-the-password") != 0);
    REQUIRE_MESSAGE(s.register_phone("201", port) == 0, s.kamailio->log());
    auto phone = s.phone(port, "uas_rr.xml");
    std::this_thread::sleep_for(200ms);
    auto caller = s.caller("200", "201");
    CHECK_MESSAGE(caller->run() == 0, caller->output(), s.kamailio->log());
    CHECK(phone->wait() == 0);
    const auto routed = s.routed();
    REQUIRE(routed.size() == 1);
    const auto& route = find_key(routed[0], "routes")->as_array().at(0);
    CHECK(route.at("location").as_bool());
    CHECK(route.at("uri").as_string() == "sip:201@switchyard");
    // Nobody registered as 202: the caller is told 480.
    s.extension("202");
    auto unanswered = s.caller("200", "202");
    CHECK(unanswered->run() != 0);
    CHECK(unanswered->file("messages.log").find("SIP/2.0 480") != std::string::npos);
}

TEST_CASE("a busy extension forwards the call to its busy target") {
    if (!can_run()) return;
    Stack s;
    s.extension("200");
    s.extension("203");
    s.extension("202", R"([{"condition":"busy","kind":"extension","value":"ext-203"}])");
    const auto [busy_port, forward_port] = two_ports();
    REQUIRE(s.register_phone("202", busy_port) == 0);
    REQUIRE(s.register_phone("203", forward_port) == 0);
    auto busy = s.phone(busy_port, "uas_486.xml");
    auto forward = s.phone(forward_port, "uas_rr.xml");
    std::this_thread::sleep_for(200ms);
    auto caller = s.caller("200", "202");
    CHECK_MESSAGE(caller->run() == 0, caller->output(), s.kamailio->log());
    CHECK(busy->wait() == 0);     // it got the call and said 486
    CHECK(forward->wait() == 0);  // then the forward target answered
}

TEST_CASE("a parallel ring group rings both registered members at once") {
    if (!can_run()) return;
    Stack s;
    s.extension("200");
    s.extension("204");
    s.extension("205");
    s.post("/v1/voice/ring-groups",
           fmt::format(R"({{"ring_group_id":"sales","customer_id":{},"number":"600",)"
                       R"("name":"Sales","strategy":"parallel","ring_s":15,)"
                       R"("members":[{{"extension_id":"ext-204"}},{{"extension_id":"ext-205"}}]}})",
                       s.customer));
    const auto [ringing_port, answering_port] = two_ports();
    REQUIRE(s.register_phone("204", ringing_port) == 0);
    REQUIRE(s.register_phone("205", answering_port) == 0);
    auto ringing = s.phone(ringing_port, "uas_ring_cancel.xml");
    auto answering = s.phone(answering_port, "uas_rr.xml");
    std::this_thread::sleep_for(200ms);
    auto caller = s.caller("200", "600");
    CHECK_MESSAGE(caller->run() == 0, caller->output(), s.kamailio->log());
    CHECK(answering->wait() == 0);
    CHECK_MESSAGE(ringing->wait() == 0, ringing->output());  // rang, then was cancelled
    const auto routed = s.routed();
    REQUIRE(routed.size() == 1);
    const auto& routes = find_key(routed[0], "routes")->as_array();
    REQUIRE(routes.size() == 1);
    CHECK(routes.at(0).at("ring").as_array().size() == 2);
}

TEST_CASE("a sequential ring group moves to the next member when the first does not answer") {
    if (!can_run()) return;
    Stack s;
    s.extension("200");
    s.extension("206");
    s.extension("207");
    s.post("/v1/voice/ring-groups",
           fmt::format(R"({{"ring_group_id":"desk","customer_id":{},"number":"700",)"
                       R"("name":"Desk","strategy":"sequential",)"
                       R"("members":[{{"extension_id":"ext-206","ring_s":5}},)"
                       R"({{"extension_id":"ext-207","ring_s":20}}]}})",
                       s.customer));
    const auto [first_port, second_port] = two_ports();
    REQUIRE(s.register_phone("206", first_port) == 0);
    REQUIRE(s.register_phone("207", second_port) == 0);
    auto first = s.phone(first_port, "uas_ring_cancel.xml", 20);
    auto second = s.phone(second_port, "uas_rr.xml", 20);
    std::this_thread::sleep_for(200ms);
    const auto started = std::chrono::steady_clock::now();
    auto caller = s.caller("200", "700");
    CHECK_MESSAGE(caller->run(30s) == 0, caller->output(), s.kamailio->log());
    CHECK_MESSAGE(first->wait() == 0, first->output());  // rang 5 s, then was cancelled
    CHECK(second->wait() == 0);
    CHECK(std::chrono::steady_clock::now() - started >= 5s);
}

TEST_CASE("a call to a DID pointing at an extension reaches the registered phone") {
    if (!can_run()) return;
    Stack s;
    s.extension("201");
    REQUIRE(s.call("PUT", "/v1/voice/did-countries/DE", R"({"name":"Germany"})").status == 200);
    REQUIRE(s.call("PUT", "/v1/voice/did-providers/didco", R"({"name":"DID Co","currency":"EUR"})")
                .status == 200);
    const std::string csv =
        "number,country,provider,type,area,setup_price,monthly_price,channels\n"
        "493055500001,DE,didco,local,Berlin,0,0,2\n";
    s.post("/v1/voice/dids",
           json::serialize(json::object{{"file", "stock.csv"}, {"content", csv}}));
    s.post("/v1/voice/dids/493055500001/order", fmt::format(R"({{"customer_id":{}}})", s.customer),
           200);
    auto routed = s.call("PUT", "/v1/voice/dids/493055500001/routing",
                         R"({"targets":[{"kind":"extension","value":"ext-201"}]})");
    REQUIRE_MESSAGE(routed.status == 200, routed.body);
    const int port = free_sip_port();
    REQUIRE(s.register_phone("201", port) == 0);
    auto phone = s.phone(port, "uas_rr.xml");
    std::this_thread::sleep_for(200ms);
    Sipp caller(s.dir.path(), "uac_rr.xml",
                {s.kamailio->address(), "-s", "493055500001", "-i", "127.0.0.1", "-p",
                 std::to_string(free_sip_port()), "-m", "1", "-d", "500", "-timeout", "15s",
                 "-timeout_error"});
    CHECK_MESSAGE(caller.run() == 0, caller.output(), s.kamailio->log());
    CHECK(phone->wait() == 0);
    const auto events = s.routed();
    REQUIRE(events.size() == 1);
    CHECK(find_key(events[0], "routes")->as_array().at(0).at("uri").as_string() ==
          "sip:201@switchyard");
}
