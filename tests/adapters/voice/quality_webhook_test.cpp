// The route quality webhook against a loopback HTTP listener the test runs: a notification is
// POSTed as JSON, retried on a 5xx, and its outcome recorded (delivered after 2 tries; failed
// after every try answered 503).
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "adapters/voice/quality_webhook.hpp"
#include "tests/support/fixed_clock.hpp"

using namespace switchyard;
using namespace switchyard::core::voice;
using switchyard::adapters::voice::QualityWebhook;
using switchyard::adapters::voice::QualityWebhookOptions;

namespace {

/// A one-thread HTTP/1.1 listener on 127.0.0.1 (a free port) answering the statuses given, in
/// order (the last one repeats), and keeping each request's text.
class Listener {
  public:
    explicit Listener(std::vector<int> statuses) : statuses_(std::move(statuses)) {
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
    ~Listener() {
        stop_ = true;
        ::shutdown(fd_, SHUT_RDWR);
        ::close(fd_);
        thread_.join();
    }
    std::string url() const {
        return "http://hook:secret@127.0.0.1:" + std::to_string(port_) + "/hook";
    }
    std::vector<std::string> requests() {
        std::lock_guard lock(mu_);
        return requests_;
    }

  private:
    void serve() {
        std::size_t n = 0;
        while (!stop_) {
            const int c = ::accept(fd_, nullptr, nullptr);
            if (c < 0) return;
            std::string text;
            char buf[4096];
            std::size_t need = std::string::npos;
            while (need == std::string::npos || text.size() < need) {
                const auto got = ::recv(c, buf, sizeof buf, 0);
                if (got <= 0) break;
                text.append(buf, static_cast<std::size_t>(got));
                const auto end = text.find("\r\n\r\n");
                if (end != std::string::npos && need == std::string::npos) {
                    std::size_t length = 0;
                    auto cl = text.find("Content-Length: ");
                    if (cl == std::string::npos) cl = text.find("content-length: ");
                    if (cl != std::string::npos) length = std::stoul(text.substr(cl + 16));
                    need = end + 4 + length;
                }
            }
            const int status = statuses_[std::min(n++, statuses_.size() - 1)];
            {
                std::lock_guard lock(mu_);
                requests_.push_back(text);
            }
            const auto answer = "HTTP/1.1 " + std::to_string(status) +
                                " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            (void)!::send(c, answer.data(), answer.size(), MSG_NOSIGNAL);
            ::close(c);
        }
    }
    std::vector<int> statuses_;
    int fd_ = -1;
    int port_ = 0;
    std::atomic<bool> stop_{false};
    std::thread thread_;
    std::mutex mu_;
    std::vector<std::string> requests_;
};

QualityAlert alert() {
    QualityAlert a;
    a.alert_id = "asr-low-1";
    a.rule_id = "asr-low";
    a.key = {QualityScope::Route, "alpha", "uk"};
    a.calls = 20;
    a.action = QualityActionKind::Disable;
    a.action_active = true;
    return a;
}

}  // namespace

TEST_CASE("an alert notification is posted as JSON, retried after a 500, and recorded") {
    Listener hook({500, 200});
    testing::FixedClock clock(core::from_unix_seconds(1'767'268'800));
    std::mutex mu;
    std::vector<QualityEvent> recorded;
    QualityWebhookOptions options;
    options.url = hook.url();
    options.backoff_ms = 10;
    {
        QualityWebhook webhook(options, clock, [&](const QualityEvent& e) {
            std::lock_guard lock(mu);
            recorded.push_back(e);
        });
        webhook.notify(alert(), "voice.quality.alert_opened");
    }  // stop() delivers what is queued
    const auto requests = hook.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].rfind("POST /hook HTTP/1.1\r\n", 0) == 0);
    CHECK(requests[1].find("X-Switchyard-Event: voice.quality.alert_opened") != std::string::npos);
    CHECK(requests[1].find("Authorization: Basic") != std::string::npos);  // the URL's user info
    CHECK(requests[1].find(R"("event":"voice.quality.alert_opened")") != std::string::npos);
    CHECK(requests[1].find(R"("alert_id":"asr-low-1")") != std::string::npos);
    CHECK(requests[1].find(R"("key":"route:uk/alpha")") != std::string::npos);
    REQUIRE(recorded.size() == 1);
    const auto& d = std::get<QualityNotificationDelivered>(recorded[0]);
    CHECK(d.alert_id == "asr-low-1");
    CHECK(d.attempts == 2);
    CHECK(d.http_status == 200);
    CHECK(d.url.find("secret") == std::string::npos);
}

TEST_CASE("a notification every try of which fails is recorded as failed") {
    Listener hook({503});
    testing::FixedClock clock(core::from_unix_seconds(1'767'268'800));
    std::vector<QualityEvent> recorded;
    QualityWebhookOptions options;
    options.url = hook.url();
    options.attempts = 3;
    options.backoff_ms = 5;
    {
        QualityWebhook webhook(options, clock,
                               [&](const QualityEvent& e) { recorded.push_back(e); });
        webhook.notify(alert(), "voice.quality.alert_resolved");
    }
    CHECK(hook.requests().size() == 3);
    REQUIRE(recorded.size() == 1);
    const auto& f = std::get<QualityNotificationFailed>(recorded[0]);
    CHECK(f.attempts == 3);
    CHECK(f.http_status == 503);
    CHECK(f.error == "HTTP 503");
    CHECK(f.alert_event == "voice.quality.alert_resolved");
}

TEST_CASE("no listener: the notification fails without an HTTP status") {
    int port = 0;
    {
        Listener closed({200});
        port = std::stoi(closed.url().substr(closed.url().rfind(':') + 1));
    }
    testing::FixedClock clock(core::from_unix_seconds(1'767'268'800));
    std::vector<QualityEvent> recorded;
    QualityWebhookOptions options;
    options.url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
    options.attempts = 2;
    options.backoff_ms = 5;
    {
        QualityWebhook webhook(options, clock,
                               [&](const QualityEvent& e) { recorded.push_back(e); });
        webhook.notify(alert(), "voice.quality.alert_opened");
    }
    REQUIRE(recorded.size() == 1);
    const auto& f = std::get<QualityNotificationFailed>(recorded[0]);
    CHECK(f.http_status == 0);
    CHECK_FALSE(f.error.empty());
    CHECK(QualityWebhook::redacted("https://u:p@h.example:8443/x@y") ==
          "https://h.example:8443/x@y");
}
