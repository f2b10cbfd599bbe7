#include "adapters/voice/quality_webhook.hpp"

#include <spdlog/spdlog.h>
#include <boost/json.hpp>

#include "adapters/hotspot/rest_client.hpp"
#include "events/voice/quality_codec.hpp"

namespace switchyard::adapters::voice {

using namespace core::voice;

QualityWebhook::QualityWebhook(QualityWebhookOptions options, const core::Clock& clock,
                               RecordNotification record)
    : options_(std::move(options)), clock_(clock), record_(std::move(record)) {
    if (options_.attempts < 1) options_.attempts = 1;
    thread_ = std::thread([this] { run(); });
}

QualityWebhook::~QualityWebhook() { stop(); }

void QualityWebhook::notify(const QualityAlert& alert, const std::string& event_type) {
    {
        std::lock_guard lock(mu_);
        if (stopping_) return;
        queue_.emplace_back(alert, event_type);
    }
    cv_.notify_all();
}

void QualityWebhook::stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

std::string QualityWebhook::body(const QualityAlert& alert, const std::string& event_type) {
    boost::json::object o;
    o["event"] = event_type;
    o["alert"] = boost::json::parse(events::voice::quality_alert_json(alert));
    return boost::json::serialize(o);
}

std::string QualityWebhook::redacted(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) return url;
    const auto host_start = scheme + 3;
    const auto path = url.find('/', host_start);
    const auto at = url.rfind('@', path == std::string::npos ? url.size() : path);
    if (at == std::string::npos || at < host_start) return url;
    return url.substr(0, host_start) + url.substr(at + 1);
}

void QualityWebhook::run() {
    for (;;) {
        std::pair<QualityAlert, std::string> next;
        {
            std::unique_lock lock(mu_);
            cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;
            next = std::move(queue_.front());
            queue_.pop_front();
        }
        const auto& [alert, type] = next;
        hotspot::RestRequest req;
        req.method = "POST";
        req.url = options_.url;
        req.headers = options_.headers;
        req.headers.push_back("X-Switchyard-Event: " + type);
        req.body = body(alert, type);
        req.timeout_ms = static_cast<int>(options_.timeout_ms);
        std::int64_t attempt = 0, status = 0;
        std::string error;
        bool delivered = false;
        auto backoff = std::chrono::milliseconds(options_.backoff_ms);
        while (attempt < options_.attempts) {
            if (attempt > 0) {
                std::unique_lock lock(mu_);
                // Waits out the backoff; a stop does not cut a notification short.
                cv_.wait_for(lock, backoff, [] { return false; });
                backoff *= 2;
            }
            ++attempt;
            auto r = hotspot::rest_call(req);
            if (!r) {
                status = 0;
                error = r.error().message;
                continue;
            }
            status = r->status;
            if (status >= 200 && status < 300) {
                delivered = true;
                error.clear();
                break;
            }
            error = "HTTP " + std::to_string(status);
        }
        if (!delivered)
            spdlog::warn("voice quality webhook: {} of alert {} not delivered after {} tries: {}",
                         type, alert.alert_id, attempt, error);
        if (!record_) continue;
        const auto url = redacted(options_.url);
        if (delivered)
            record_(QualityNotificationDelivered{alert.alert_id, type, url, attempt, status, "",
                                                 clock_.now()});
        else
            record_(QualityNotificationFailed{alert.alert_id, type, url, attempt, status, error,
                                              clock_.now()});
    }
}

}  // namespace switchyard::adapters::voice
