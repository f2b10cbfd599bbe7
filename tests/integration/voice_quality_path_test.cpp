// Issue 14 item 6 end to end with the real parts: `switchyard serve` (a child process, RocksDB
// log in a temp dir, the voice module as in production) set up through its HTTP API only, the
// shipped kamailio.cfg in front of it, SIPp as the customer and as two carriers, and a
// loopback HTTP listener playing the operator's webhook. Carrier a (49 at 0.0050/min) is the
// cheaper, b (0.0080) the other; route group `std` tries one carrier per call, so a call a
// refuses fails. A route quality rule (ASR under 20% over at least 20 calls on a route:
// disable) sees 20 calls carrier a answers 503, opens an alert, disables a on route `de` and
// notifies the webhook; the next call skips a (`quality_disabled`) and reaches b; once the rule
// is deleted the action is restored and a gets the next call again. Skipped when
// Kamailio or SIPp is missing, failing under CI=true.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <mutex>
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

/// The operator's webhook: an HTTP/1.1 listener on 127.0.0.1 answering 200 to every request
/// and keeping each request's body.
class Webhook {
  public:
    Webhook() {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd_ >= 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
        REQUIRE(::listen(fd_, 16) == 0);
        socklen_t len = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~Webhook() {
        ::shutdown(fd_, SHUT_RDWR);
        ::close(fd_);
        thread_.join();
    }
    std::string url() const { return fmt::format("http://127.0.0.1:{}/alerts", port_); }
    std::vector<std::string> bodies() {
        std::lock_guard lock(mu_);
        return bodies_;
    }

  private:
    void serve() {
        for (;;) {
            const int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0) return;
            std::string req;
            char buf[4096];
            std::size_t need = std::string::npos, body_at = 0;
            while (need == std::string::npos || req.size() < need) {
                const auto got = ::recv(c, buf, sizeof buf, 0);
                if (got <= 0) break;
                req.append(buf, static_cast<std::size_t>(got));
                const auto end = req.find("\r\n\r\n");
                if (end != std::string::npos && need == std::string::npos) {
                    std::size_t length = 0;
                    auto cl = req.find("Content-Length: ");
                    if (cl == std::string::npos) cl = req.find("content-length: ");
                    if (cl != std::string::npos) length = std::stoul(req.substr(cl + 16));
                    body_at = end + 4;
                    need = body_at + length;
                }
            }
            {
                std::lock_guard lock(mu_);
                bodies_.push_back(body_at ? req.substr(body_at) : req);
            }
            const std::string answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
            (void)!::send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
            ::close(c);
        }
    }
    int fd_ = -1;
    int port_ = 0;
    std::thread thread_;
    std::mutex mu_;
    std::vector<std::string> bodies_;
};

/// The whole stack on loopback: the webhook, Switchyard, Kamailio, carrier ports a and b.
struct Stack {
    TempDir dir;
    Webhook webhook;
    int http_port = free_port();
    std::unique_ptr<Server> server;
    std::string key;
    std::unique_ptr<Kamailio> kamailio;
    int port_a = free_sip_port(), port_b = free_sip_port();
    std::int64_t customer = 0;

    Stack() {
        while (port_b == port_a) port_b = free_sip_port();
        server = std::make_unique<Server>(
            dir.path() / "data", http_port, std::string{},
            std::vector<std::string>{"--rate-authenticated", "0", "--voice-quality-webhook",
                                     webhook.url()});
        const auto key_text = slurp(dir.path() / "data" / "admin.key");
        key = key_text.substr(0, key_text.find('\n'));
        REQUIRE(key.rfind("sy_", 0) == 0);
        kamailio = std::make_unique<Kamailio>(
            fs::path(SY_SOURCE_DIR) / "adapters" / "kamailio" / "kamailio.cfg",
            dir.path() / "kamailio",
            "http://kamailio:" + key + "@127.0.0.1:" + std::to_string(http_port));
        REQUIRE_MESSAGE(kamailio->start(), kamailio->log());
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
    json::value get(const std::string& path) {
        auto r = call("GET", path);
        REQUIRE_MESSAGE(r.status == 200, path, " ", r.body);
        return json::parse(r.body);
    }

    /// A CSV deck (`Code;Rate` rows, 60/60) through POST /v1/voice/decks/imports.
    std::string deck(const std::string& name, const std::string& kind,
                     const std::string& carrier_id, const std::string& rows) {
        json::object body{{"name", name},
                          {"kind", kind},
                          {"currency", "EUR"},
                          {"format", "csv"},
                          {"effective_from", "2026-01-01T00:00:00Z"},
                          {"files", json::array{json::object{{"name", "rates.csv"},
                                                             {"content", "Code;Rate\n" + rows}}}},
                          {"mapping", json::object{{"prefix", "Code"}, {"rate", "Rate"}}}};
        if (!carrier_id.empty()) body["carrier_id"] = carrier_id;
        return text(find_key(post("/v1/voice/decks/imports", json::serialize(body)), "deck_id"));
    }

    void carrier(const std::string& id, int port, const std::string& rate) {
        post("/v1/voice/carriers",
             fmt::format(R"({{"carrier_id":"{}","name":"Carrier {}","trunk_hosts":["{}.example"],)"
                         R"("currency":"EUR"}})",
                         id, id, id));
        deck("Buy " + id, "buy", id, "49;" + rate + "\n");
        post(
            "/v1/voice/gateways",
            fmt::format(R"({{"gateway_id":"{}-1","carrier_id":"{}","host":"127.0.0.1","port":{}}})",
                        id, id, port));
    }

    /// Carriers a and b; route group `std` (least cost, one attempt per call) with route `de`
    /// (49: a, b); a postpaid customer with the sell card and the group, its IP trunk.
    void world() {
        carrier("a", port_a, "0.0050");
        carrier("b", port_b, "0.0080");
        const auto card = deck("Retail", "sell", "", "49;0.6000\n");
        post("/v1/voice/route-groups",
             R"({"route_group_id":"std","name":"Standard","max_attempts":1})");
        post("/v1/voice/routes", R"({"route_id":"de","route_group_id":"std","prefix":"49",)"
                                 R"("carriers":[{"carrier_id":"a"},{"carrier_id":"b"}]})");
        post("/v1/voice/groups", R"({"group_id":"gold","category_id":"sip_trunk","name":"Gold"})");
        auto created =
            post("/v1/voice/customers", R"({"name":"Acme","country":"DE","currency":"EUR",)"
                                        R"("billing_type":"postpaid","category_id":"sip_trunk",)"
                                        R"("group_id":"gold"})");
        customer = find_key(created, "customer_id")->as_int64();
        assign("rate_card", card);
        assign("route_group", "std");
        post("/v1/voice/trunks",
             fmt::format(R"({{"trunk_id":"acme-1","customer_id":{},"name":"Acme PBX",)"
                         R"("source_ips":["127.0.0.1/32"]}})",
                         customer));
    }
    void assign(const std::string& kind, const std::string& value) {
        post("/v1/voice/assignments",
             fmt::format(R"({{"kind":"{}","value":"{}","scope":"customer","target":"{}"}})", kind,
                         value, customer));
    }

    /// Every event of the log (GET /v1/events), as envelopes.
    std::vector<json::object> events() {
        std::vector<json::object> out;
        std::string from = "0:0";
        for (;;) {
            auto doc = get("/v1/events?limit=5000&from=" + from).as_object();
            const auto& batch = doc.at("events").as_array();
            if (batch.empty()) break;
            for (const auto& e : batch) out.push_back(e.as_object());
            from = std::string(doc.at("next").as_string());
        }
        return out;
    }
    std::vector<json::object> of_type(const std::string& type) {
        std::vector<json::object> out;
        for (auto& e : events())
            if (e.at("type").as_string() == type) out.push_back(e);
        return out;
    }
    bool wait_for(const std::string& type, std::size_t n, std::chrono::seconds limit = 15s) {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < until) {
            if (of_type(type).size() >= n) return true;
            std::this_thread::sleep_for(100ms);
        }
        return false;
    }

    /// A carrier answering `scenario` on `port` for `calls` calls, at most `timeout_s`.
    std::unique_ptr<Sipp> uas(int port, const std::string& scenario, int calls,
                              int timeout_s = 20) {
        auto s = std::make_unique<Sipp>(
            dir.path(), scenario,
            std::vector<std::string>{"-i", "127.0.0.1", "-p", std::to_string(port), "-m",
                                     std::to_string(calls), "-timeout",
                                     std::to_string(timeout_s) + "s", "-timeout_error"});
        s->start();
        return s;
    }
    /// The customer dialling 4915551234 through Kamailio: `calls` calls at `rate` per second,
    /// each hung up `pause_ms` after the answer.
    std::unique_ptr<Sipp> uac(int calls, int rate, int pause_ms, int timeout_s = 20) {
        return std::make_unique<Sipp>(dir.path(), "uac_rr.xml",
                                      std::vector<std::string>{kamailio->address(),
                                                               "-s",
                                                               "4915551234",
                                                               "-i",
                                                               "127.0.0.1",
                                                               "-p",
                                                               std::to_string(free_sip_port()),
                                                               "-m",
                                                               std::to_string(calls),
                                                               "-r",
                                                               std::to_string(rate),
                                                               "-l",
                                                               std::to_string(calls),
                                                               "-d",
                                                               std::to_string(pause_ms),
                                                               "-timeout",
                                                               std::to_string(timeout_s) + "s",
                                                               "-timeout_error",
                                                               "-trace_msg",
                                                               "-message_file",
                                                               "messages.log"});
    }
};

}  // namespace

TEST_CASE(
    "20 calls carrier a fails open an alert and disable a on route de, so the next call "
    "reaches b") {
    if (!can_run()) return;
    Stack s;
    s.world();
    auto rule = s.post("/v1/voice/quality/rules",
                       R"({"rule_id":"asr-de","name":"ASR under 20% on a route",)"
                       R"("metric":"asr","comparison":"below","threshold":20,"window_s":900,)"
                       R"("min_calls":20,"scope":"route","action":"disable"})");
    CHECK(text(find_key(rule, "action")) == "disable");

    // 20 calls, each refused 503 by carrier a (the only attempt): every one fails.
    {
        auto a = s.uas(s.port_a, "uas_503.xml", 20);
        std::this_thread::sleep_for(200ms);
        auto caller = s.uac(20, 20, 500);
        CHECK_MESSAGE(caller->run() == 1, caller->output(), s.kamailio->log());
        CHECK(caller->stat("FailedCall(C)") == 20);
        CHECK(a->wait() == 0);
    }
    REQUIRE(s.wait_for("voice.call.attempt_failed", 20));

    // The alert opens and the route action is applied (the service follows the log).
    REQUIRE(s.wait_for("voice.quality.route_action_applied", 1));
    const auto alerts = s.get("/v1/voice/quality/alerts?status=active");
    const auto& items = alerts.at("items").as_array();
    REQUIRE(items.size() == 1);
    const auto& alert = items[0].as_object();
    CHECK(text(&alert.at("alert_id")) == "asr-de-1");
    CHECK(text(&alert.at("key")) == "route:de/a");
    CHECK(text(&alert.at("status")) == "open");
    CHECK(alert.at("calls").as_int64() == 20);
    CHECK(alert.at("action_active").as_bool());
    CHECK(s.of_type("voice.quality.alert_opened").size() == 1);

    // The figures show it.
    const auto figures = s.get("/v1/voice/quality/figures?scope=route");
    bool seen = false;
    for (const auto& f : figures.at("items").as_array()) {
        if (text(find_key(f, "key")) != "route:de/a") continue;
        seen = true;
        CHECK(f.at("attempts").as_int64() == 20);
        CHECK(f.at("asr_percent").to_number<double>() == doctest::Approx(0.0));
    }
    CHECK(seen);

    // The webhook got the alert, and its delivery is in the log.
    REQUIRE(s.wait_for("voice.quality.notification_delivered", 1));
    const auto bodies = s.webhook.bodies();
    REQUIRE(!bodies.empty());
    const auto hook = json::parse(bodies[0]);
    CHECK(text(find_key(hook, "event")) == "voice.quality.alert_opened");
    CHECK(text(find_key(hook, "alert_id")) == "asr-de-1");

    // The next call skips a and reaches b.
    {
        auto a = s.uas(s.port_a, "uas_rr.xml", 1, 6);
        auto b = s.uas(s.port_b, "uas_rr.xml", 1);
        std::this_thread::sleep_for(200ms);
        auto caller = s.uac(1, 1, 500);
        CHECK_MESSAGE(caller->run() == 0, caller->output(), s.kamailio->log());
        CHECK(b->wait() == 0);
        CHECK(a->wait() != 0);  // carrier a never got the call: its -timeout_error
    }
    const auto routed = s.of_type("voice.call.routed");
    REQUIRE(routed.size() == 21);
    const auto& last = routed.back().at("data");
    const auto& routes = find_key(last, "routes")->as_array();
    REQUIRE(routes.size() == 1);
    CHECK(text(find_key(routes[0], "carrier_id")) == "b");
    bool skipped_a = false;
    for (const auto& k : find_key(last, "skipped")->as_array())
        if (text(find_key(k, "carrier_id")) == "a")
            skipped_a = text(find_key(k, "reason")) == "quality_disabled";
    CHECK(skipped_a);

    // Acknowledged by the operator: the action stays.
    auto ack = s.post("/v1/voice/quality/alerts/asr-de-1/acknowledge", "", 200);
    CHECK(text(find_key(ack, "status")) == "acknowledged");
    CHECK(s.of_type("voice.quality.alert_acknowledged").size() == 1);

    // The rule deleted: the alert resolves, the action is restored, a gets calls again.
    REQUIRE(s.call("DELETE", "/v1/voice/quality/rules/asr-de").status == 200);
    REQUIRE(s.wait_for("voice.quality.route_action_restored", 1));
    {
        auto a = s.uas(s.port_a, "uas_rr.xml", 1);
        auto b = s.uas(s.port_b, "uas_rr.xml", 1, 6);
        std::this_thread::sleep_for(200ms);
        auto caller = s.uac(1, 1, 500);
        CHECK_MESSAGE(caller->run() == 0, caller->output(), s.kamailio->log());
        CHECK(a->wait() == 0);
        CHECK(b->wait() != 0);
    }
    const auto resolved = s.of_type("voice.quality.alert_resolved");
    REQUIRE(resolved.size() == 1);
    CHECK(text(find_key(resolved[0].at("data"), "resolution")) == "rule_deleted");
}
