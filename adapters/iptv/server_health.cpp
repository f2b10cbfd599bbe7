#include "adapters/iptv/server_health.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

namespace switchyard::adapters::iptv {

namespace {

std::size_t discard(char*, std::size_t size, std::size_t n, void*) { return size * n; }

}  // namespace

std::pair<bool, std::string> probe_url(const std::string& url, std::chrono::milliseconds timeout) {
    CURL* curl = curl_easy_init();
    if (!curl) return {false, "libcurl did not start"};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl, CURLOPT_FORBID_REUSE, 1L);
    const auto rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    if (rc == CURLE_OPERATION_TIMEDOUT) return {false, "timeout"};
    if (rc == CURLE_COULDNT_CONNECT) return {false, "connection refused"};
    if (rc != CURLE_OK) return {false, curl_easy_strerror(rc)};
    return {status < 400, fmt::format("HTTP {}", status)};
}

ServerHealthChecker::ServerHealthChecker(events::iptv::ServerService& servers,
                                         HealthCheckOptions options, const core::Clock& clock)
    : servers_(servers), options_(options), clock_(clock) {}

ServerHealthChecker::~ServerHealthChecker() { stop(); }

std::vector<HealthProbe> ServerHealthChecker::run_once() {
    std::vector<HealthProbe> out;
    auto state = servers_.state();
    if (!state) return out;
    for (const auto& [id, server] : (*state)->servers) {
        if (!server.fields.enabled) continue;
        auto [ok, detail] = probe_url(
            core::iptv::base_url(server.fields) + server.fields.health_path, options_.timeout);
        HealthProbe probe{id, ok, detail, false, {}};
        auto& streak = streaks_[id];
        if (ok) {
            streak.failures = 0;
            ++streak.successes;
        } else {
            streak.successes = 0;
            ++streak.failures;
        }
        std::optional<bool> verdict;
        if (ok && !server.health.up && streak.successes >= options_.successes_before_up)
            verdict = true;
        if (!ok && server.health.up && streak.failures >= options_.failures_before_down)
            verdict = false;
        if (verdict) {
            core::DecisionContext ctx;
            ctx.now = clock_.now();
            ctx.actor = core::Actor{core::ActorKind::System, "server-health", ""};
            auto r = servers_.execute(core::iptv::SetServerHealth{id, *verdict, detail}, ctx);
            if (r)
                probe.changed = r->changed;
            else
                probe.error = r.error().message;
        }
        out.push_back(std::move(probe));
    }
    return out;
}

void ServerHealthChecker::start(std::chrono::milliseconds interval) {
    stop();
    stopping_ = false;
    thread_ = std::thread([this, interval] {
        for (;;) {
            run_once();
            std::unique_lock lock(mu_);
            if (cv_.wait_for(lock, interval, [this] { return stopping_; })) return;
        }
    });
}

void ServerHealthChecker::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

}  // namespace switchyard::adapters::iptv
