#include "app/modules/billing_notifications.hpp"

#include <boost/json.hpp>

#include <spdlog/spdlog.h>

#include "app/http_client.hpp"
#include "app/tick_thread.hpp"
#include "events/billing/gateway_webhooks.hpp"
#include "projections/billing/notifications.hpp"

namespace switchyard::app {

using core::billing::AttemptOutcome;
using core::billing::NotificationChannel;

namespace {

constexpr std::chrono::milliseconds kHttpTimeout{10'000};

/// The outcome of an HTTP delivery: 2xx delivered; 4xx but 408 and 429 permanent.
AttemptOutcome http_outcome(const core::Result<ClientResponse>& got) {
    if (!got) return {false, false, got.error().message};
    const auto reply = std::to_string(got->status) + " " + got->body.substr(0, 200);
    if (got->status >= 200 && got->status < 300) return {true, false, reply};
    const bool permanent =
        got->status >= 400 && got->status < 500 && got->status != 408 && got->status != 429;
    return {false, permanent, "HTTP " + reply};
}

AttemptOutcome send_email(const NotificationSenders& s, const std::string& id,
                          const core::billing::NotificationDelivery& d) {
    adapters::email::MailMessage m;
    m.from = s.mail_from;
    m.from_name = s.mail_from_name;
    m.to = {d.to};
    m.subject = d.subject;
    m.text = d.body;
    const auto at = s.mail_from.find('@');
    m.message_id = "<" + id + "@" +
                   (at == std::string::npos ? "switchyard" : s.mail_from.substr(at + 1)) + ">";
    auto sent = adapters::email::send_mail(*s.smtp, m);
    if (!sent)
        return {
            false,
            sent.error().code == core::Errc::Rejected || sent.error().code == core::Errc::Invalid,
            sent.error().message};
    return {true, false, sent->server_reply};
}

AttemptOutcome send_sms(const SmsGateway& g, const std::string& id,
                        const core::billing::NotificationDelivery& d) {
    boost::json::object body{{"to", d.to}, {"text", d.body}, {"reference", id}};
    std::vector<std::string> headers;
    if (!g.token.empty()) headers.push_back("Authorization: Bearer " + g.token);
    return http_outcome(
        http_request("POST", g.url, headers, boost::json::serialize(body), kHttpTimeout));
}

AttemptOutcome send_webhook(const WebhookEndpoint& w, const std::string& id,
                            const core::billing::NotificationDelivery& d, core::Timestamp now) {
    const std::vector<std::string> headers{
        "Switchyard-Signature: " +
            events::billing::stripe_signature(d.body, w.secret, core::unix_seconds(now)),
        "Switchyard-Notification-Id: " + id};
    return http_outcome(http_request("POST", w.url, headers, d.body, kHttpTimeout));
}

core::DecisionContext system_context(core::Timestamp now, std::string correlation) {
    core::DecisionContext ctx;
    ctx.now = now;
    ctx.actor = core::Actor{core::ActorKind::System, "billing-notifier", ""};
    ctx.correlation_id = std::move(correlation);
    return ctx;
}

}  // namespace

AttemptOutcome deliver(const NotificationSenders& senders, const std::string& id,
                       const core::billing::NotificationDelivery& d, core::Timestamp now) {
    switch (d.channel) {
        case NotificationChannel::Email:
            if (senders.smtp) return send_email(senders, id, d);
            break;
        case NotificationChannel::Sms:
            if (senders.sms) return send_sms(*senders.sms, id, d);
            break;
        case NotificationChannel::Webhook:
            if (senders.webhook) return send_webhook(*senders.webhook, id, d, now);
            break;
    }
    return {false, false,
            std::string("no ") + to_string(d.channel) + " gateway is configured (retried)"};
}

std::size_t queue_notifications(events::billing::NotificationService& service,
                                projections::ProjectionRunner& runner,
                                const events::billing::NotificationGateways& gateways,
                                core::Timestamp now) {
    const auto* view = runner.view(projections::billing::kBillingNotifications);
    if (!view) return 0;
    std::size_t changed = 0;
    for (const auto& r : projections::billing::pending_triggers(*view, 500)) {
        auto outcome =
            service.queue(r, gateways, system_context(now, "notify:" + r.source_event_id));
        if (!outcome) {
            spdlog::warn("billing: queueing notification {} failed: {} ({})", r.notification_id,
                         outcome.error().message, outcome.error().field);
            continue;
        }
        if (outcome->changed) ++changed;
    }
    return changed;
}

std::size_t deliver_notifications(events::billing::NotificationService& service,
                                  projections::ProjectionRunner& runner,
                                  const NotificationSenders& senders, core::Timestamp now) {
    const auto* view = runner.view(projections::billing::kBillingNotifications);
    if (!view) return 0;
    std::size_t changed = 0;
    for (const auto& due : projections::billing::due_deliveries(*view, now, 100)) {
        auto state = service.notification(due.notification_id);
        if (!state) {
            spdlog::warn("billing: reading notification {} failed: {}", due.notification_id,
                         state.error().message);
            continue;
        }
        const auto* d = state->find(due.channel);
        // The read model may lag: a delivery recorded since, or not due after all, waits.
        if (!d || d->status != core::billing::DeliveryStatus::Pending || !d->next_attempt_at ||
            *d->next_attempt_at > now)
            continue;
        const auto outcome = deliver(senders, due.notification_id, d->delivery, now);
        auto recorded =
            service.record_attempt(due.notification_id, due.channel, outcome,
                                   system_context(now, "notify:" + due.notification_id));
        if (!recorded) {
            spdlog::warn("billing: recording the delivery of {} failed: {}", due.notification_id,
                         recorded.error().message);
            continue;
        }
        if (recorded->changed) ++changed;
    }
    return changed;
}

struct NotificationWorker::Impl {
    events::billing::NotificationService& service;
    projections::ProjectionRunner& runner;
    const core::Clock& clock;
    NotificationSenders senders;
    std::chrono::milliseconds tick;
    TickThread thread;

    std::size_t run_once() {
        auto changed = queue_notifications(service, runner, senders.gateways(), clock.now());
        return changed + deliver_notifications(service, runner, senders, clock.now());
    }
};

NotificationWorker::NotificationWorker(events::billing::NotificationService& service,
                                       projections::ProjectionRunner& runner,
                                       const core::Clock& clock, NotificationSenders senders,
                                       std::chrono::milliseconds tick)
    : impl_(std::make_unique<Impl>(service, runner, clock, std::move(senders), tick)) {}

NotificationWorker::~NotificationWorker() { stop(); }

void NotificationWorker::start() {
    impl_->thread.start([this] { impl_->run_once(); }, impl_->tick);
}

void NotificationWorker::stop() { impl_->thread.stop(); }

std::size_t NotificationWorker::run_once() { return impl_->run_once(); }

}  // namespace switchyard::app
