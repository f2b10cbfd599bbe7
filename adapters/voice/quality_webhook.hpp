#pragma once
/// The webhook notifier of route quality (issue 14 item 6): each alert opened or resolved is
/// POSTed as JSON to the operator's URL, retried, and the outcome recorded as an event
/// (`voice.quality.notification_delivered` or `notification_failed`, core/voice/quality.hpp).
///
/// The body: `{"event": "voice.quality.alert_opened" | "voice.quality.alert_resolved",
/// "alert": {<the alert as GET /v1/voice/quality/alerts/{id} shows it>}}`, Content-Type
/// application/json, with the header `X-Switchyard-Event: <event>`. A 2xx answer delivers it;
/// anything else (another status, no connection, a timeout) is retried after a backoff that
/// doubles from `backoff_ms`, up to `attempts` tries in all. Notifications go out one at a time
/// in the order the alerts changed, on the notifier's own thread.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/time.hpp"
#include "core/voice/quality.hpp"

namespace switchyard::adapters::voice {

/// Where and how notifications go.
struct QualityWebhookOptions {
    std::string url;  ///< `http://` or `https://`; user information is sent, never recorded.
    std::int64_t attempts = 3;         ///< Tries per notification, at least 1. Default: 3.
    std::int64_t backoff_ms = 500;     ///< Wait before the second try, doubling. Default: 500.
    std::int64_t timeout_ms = 5000;    ///< Bound on one try. Default: 5 s.
    std::vector<std::string> headers;  ///< Extra header lines (`Authorization: Bearer ...`).
};

/// Records an outcome (QualityService::record).
using RecordNotification = std::function<void(const core::voice::QualityEvent& outcome)>;

/// Posts alert notifications; see the top of this file.
/// @thread notify() may be called from any thread.
class QualityWebhook {
  public:
    /// `clock` must outlive the notifier. Starts its thread.
    QualityWebhook(QualityWebhookOptions options, const core::Clock& clock,
                   RecordNotification record);
    ~QualityWebhook();  ///< stop().

    /// Queues a notification of `event_type` about `alert`; returns at once.
    void notify(const core::voice::QualityAlert& alert, const std::string& event_type);
    /// Delivers what is queued (each to its last try), then stops the thread. Idempotent.
    void stop();

    /// The JSON body of a notification.
    static std::string body(const core::voice::QualityAlert& alert, const std::string& event_type);
    /// `url` without user information (`https://user:key@host/x` -> `https://host/x`).
    static std::string redacted(const std::string& url);

  private:
    void run();
    QualityWebhookOptions options_;
    const core::Clock& clock_;
    RecordNotification record_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::pair<core::voice::QualityAlert, std::string>> queue_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace switchyard::adapters::voice
