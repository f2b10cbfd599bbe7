#pragma once
/// The `billing_notifications` read model: the triggers waiting to be notified, the
/// notification log with each delivery's status, the deliveries due, and the templates
/// (core/billing/notification.hpp). The billing notifier reads the pending triggers and the due
/// deliveries from it.
///
/// Triggers come from `billing.subscription.reminder_due` (expiring), `.expired`, `.renewed`,
/// `.renewal_failed` (the subscription's customer), `billing.invoice.issued` (invoices, not
/// credit notes), `billing.payment.received`, `billing.entry.posted` taking a wallet or a
/// reseller's credits from at least the tenant's threshold to below it, `identity.user.
/// password_changed` (the user) and `vpn.device.added` (the VPN customer).
///
/// Keys (ids never contain `/`):
/// - `p/<notification id>` -> a pending trigger (core::billing::NotificationRequest), until
///   its notification is queued;
/// - `n/<notification id>` -> the notification's row (NotificationRow);
/// - `x/<subject id>/<newest first>/<notification id>` and `a/<newest first>/<notification id>`
///   -> empty: a subject's notifications and all, newest first (the complement of the queue
///   time's big-endian microseconds);
/// - `d/<due time, big-endian microseconds>/<notification id>/<channel>` -> empty: a delivery
///   due at that time;
/// - `t/<trigger>.<channel>.<language>` -> a template;
/// - `s/<subscription id>`, `i/<invoice id>`, `b/<account>`, `settings`: what triggers need
///   (a subscription's customer and plan, an invoice's number, a guarded account's balance,
///   the thresholds).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/billing/notification.hpp"
#include "core/time.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::billing {

inline constexpr const char* kBillingNotifications = "billing_notifications.v1";

std::unique_ptr<Projector> make_billing_notifications_projector();

/// One delivery of a notification as the log has it (its text stays in the event, sealed).
struct DeliveryRow {
    core::billing::NotificationChannel channel = core::billing::NotificationChannel::Email;
    std::string language;
    std::string status;  ///< `pending`, `delivered`, `failed`.
    std::int64_t attempts = 0;
    std::optional<core::Timestamp> next_attempt_at;
    std::string last_error;
    std::string reply;
    std::optional<core::Timestamp> delivered_at;
};

struct NotificationRow {
    std::string notification_id;
    core::billing::NotificationTrigger trigger = core::billing::NotificationTrigger::BalanceLow;
    std::string subject_id;
    std::string source_event_id;
    core::Timestamp queued_at{};
    std::vector<DeliveryRow> deliveries;
    std::vector<std::string> skipped;
};

/// A delivery due now.
struct DueDelivery {
    std::string notification_id;
    core::billing::NotificationChannel channel = core::billing::NotificationChannel::Email;
};

/// Up to `limit` triggers waiting for their notification, by notification id.
std::vector<core::billing::NotificationRequest> pending_triggers(const ReadModelView& view,
                                                                 std::size_t limit);
/// Up to `limit` deliveries due at or before `now`, earliest first.
std::vector<DueDelivery> due_deliveries(const ReadModelView& view, core::Timestamp now,
                                        std::size_t limit);
std::optional<NotificationRow> find_notification(const ReadModelView& view,
                                                 const std::string& notification_id);
/// Up to `limit` notifications, newest first: all, or a subject's; after notification
/// `after_id` when given (a page's cursor; none when it is not in the list).
std::vector<NotificationRow> list_notifications(const ReadModelView& view,
                                                const std::string& subject_id,
                                                const std::string& after_id, std::size_t limit);
/// Every template, by trigger, channel and language.
std::vector<core::billing::NotificationTemplate> list_templates(const ReadModelView& view);

}  // namespace switchyard::projections::billing
