#pragma once
/// Notifications of one tenant (core/billing/notification.hpp): staff set templates per
/// trigger, channel and language, contacts per subject and the tenant's settings; the billing
/// notifier (app/modules/billing_notifications.hpp) queues a notification for each trigger the
/// `billing_notifications` read model found and records each delivery attempt.
///
/// A contact's name, email and phone, and each delivery's recipient, subject and body, enter
/// the log sealed under the subject's key (`customer.<subject id>`, events/subject_keys.hpp),
/// so erasing the customer makes every notification ever sent to them unreadable.

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/billing/notification.hpp"
#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"
#include "events/subject_keys.hpp"

namespace switchyard::events::billing {

/// Which channels beyond email the tenant has a gateway for, and how old a trigger may be.
struct NotificationGateways {
    bool sms = false;      ///< An SMS gateway is configured.
    bool webhook = false;  ///< A webhook endpoint is configured.
    /// A trigger older than this is logged as stale, not sent (core::billing::decide_stale).
    std::chrono::seconds max_age = core::billing::kNotificationMaxAge;
};

/// A subject's contact as read: opened, or erased.
struct ContactView {
    std::optional<core::billing::NotificationContact> contact;  ///< None when never set.
    bool erased = false;  ///< Set once, and the subject's key destroyed since.
};

/// @thread safe.
class NotificationService {
  public:
    NotificationService(EventStore& store, std::shared_ptr<SubjectKeys> keys, std::string tenant);
    ~NotificationService();

    /// @errors as core::billing::decide(NotificationTemplateState, ...); the store's.
    core::Result<CommandOutcome<>> set_template(const core::billing::NotificationTemplate& t,
                                                const core::DecisionContext& ctx);
    /// @errors Invalid naming `language`; as core::billing::decide_remove; the store's.
    core::Result<CommandOutcome<>> remove_template(core::billing::NotificationTrigger trigger,
                                                   core::billing::NotificationChannel channel,
                                                   const std::string& language,
                                                   const core::DecisionContext& ctx);

    /// Sets a subject's contact (the same again appends nothing). @errors as
    /// core::billing::check_contact; Rejected naming `subject_id` when the subject was erased;
    /// the store's.
    core::Result<CommandOutcome<>> set_contact(const core::billing::NotificationContact& c,
                                               const core::DecisionContext& ctx);
    /// @errors Invalid naming `subject_id`; the store's.
    core::Result<ContactView> contact(const std::string& subject_id);

    /// @errors as core::billing::check_settings; the store's.
    core::Result<CommandOutcome<>> set_settings(const core::billing::NotificationSettings& s,
                                                const core::DecisionContext& ctx);
    /// The settings (defaults when never set). @errors the store's.
    core::Result<core::billing::NotificationSettings> settings();

    /// Queues the notification of a trigger once (core::billing::decide_queue; a stale one as
    /// core::billing::decide_stale, without deliveries), with a webhook
    /// delivery when `gateways.webhook`: its body the JSON document
    /// `{"id", "trigger", "subject_id", "source_event_id", "time", "language", "subject",
    /// "text", "variables": {name: value}}` (`language`, `subject` and `text` from the webhook
    /// template when there is one, else empty). @errors the store's.
    core::Result<CommandOutcome<>> queue(const core::billing::NotificationRequest& r,
                                         const NotificationGateways& gateways,
                                         const core::DecisionContext& ctx);
    /// Records one delivery attempt of `channel` (nothing when it is not pending).
    /// @errors the store's.
    core::Result<CommandOutcome<>> record_attempt(const std::string& notification_id,
                                                  core::billing::NotificationChannel channel,
                                                  const core::billing::AttemptOutcome& outcome,
                                                  const core::DecisionContext& ctx);
    /// A notification with its deliveries opened (`[erased]` after an erasure); nothing queued
    /// when there is none. @errors the store's.
    core::Result<core::billing::NotificationState> notification(const std::string& id);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::billing
