#pragma once
/// Notifications to customers, resellers and staff (issue 16 item 7; PanelX's "expiry
/// notifications", WiFight's renewal reminders): a business fact in the log (a subscription
/// expiring in 7, 3 or 1 days, expired, renewed or failing to renew, a wallet or reseller's
/// credits below the tenant's threshold, a password changed, a VPN device added, an invoice
/// issued, a payment received) becomes one notification to its subject, rendered from the
/// tenant's templates in the subject's language and delivered by email, SMS and webhook.
///
/// Streams:
/// - `billing_notification_template-<trigger>.<channel>.<language>`: set, removed;
/// - `billing_notification_contact-<subject id>`: the subject's name, email, phone and
///   language (personal data: sealed under the subject's key, `customer.<subject id>`);
/// - `billing_notification_settings`: the default language and the low-balance thresholds;
/// - `billing_notification-<notification id>`: queued (created once per trigger: a trigger
///   notifies once), then per channel delivered, or failed with the time of the next attempt
///   (none when given up). This stream is the notification log.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/billing/ledger.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace switchyard::core::billing {

/// What a notification is about. Wire names: `subscription.expiring` (the 7-, 3- and 1-day
/// reminders), `subscription.expired`, `subscription.renewed`, `subscription.renewal_failed`,
/// `credits.low`, `balance.low`, `password.changed`, `device.added`, `invoice.issued`,
/// `payment.received`.
enum class NotificationTrigger {
    SubscriptionExpiring,
    SubscriptionExpired,
    SubscriptionRenewed,
    SubscriptionRenewalFailed,
    CreditsLow,
    BalanceLow,
    PasswordChanged,
    DeviceAdded,
    InvoiceIssued,
    PaymentReceived,
};
const char* to_string(NotificationTrigger t) noexcept;
bool parse_notification_trigger(std::string_view text, NotificationTrigger& out) noexcept;
/// Every trigger, in the order above.
const std::vector<NotificationTrigger>& notification_triggers();

/// How a notification travels. Wire names `email` (SMTP, RFC 5321), `sms` (the tenant's SMS
/// gateway over HTTP), `webhook` (a signed JSON POST to the tenant's endpoint).
enum class NotificationChannel { Email, Sms, Webhook };
const char* to_string(NotificationChannel c) noexcept;
bool parse_notification_channel(std::string_view text, NotificationChannel& out) noexcept;

/// The variables a trigger's templates may name as `{{name}}`. Every trigger has `subject_id`,
/// `name` (the contact's name, or the subject id when none) and `time` (the fact's time, RFC
/// 3339 UTC to the second); then:
/// - subscription.*: `subscription_id`, `plan_id`, `period_end` (YYYY-MM-DD); expiring adds
///   `days_before` and `auto_renew` (`yes`/`no`); renewed adds `amount` and `currency`;
///   renewal_failed adds `attempt`, `reason`, `next_attempt` (as `time`, or empty);
/// - credits.low, balance.low: `account`, `balance`, `threshold`, `currency`;
/// - password.changed: `user_id`; device.added: `device_id`, `device_name`;
/// - invoice.issued: `invoice_id`, `invoice_number`, `total`, `currency`, `due_date`;
/// - payment.received: `payment_id`, `amount`, `currency`, `method`.
/// Amounts are decimal in the currency's minor unit (`12.50`, `1200` for JPY).
const std::vector<std::string_view>& notification_variables(NotificationTrigger t);

/// One variable's value for a notification.
struct NotificationVar {
    std::string name;
    std::string value;
    friend bool operator==(const NotificationVar&, const NotificationVar&) = default;
};

/// `text` with each `{{name}}` (spaces inside the braces allowed) replaced by the value of
/// `vars` of that name, or by nothing when none has it. Text outside the braces is kept.
std::string render_template(std::string_view text, const std::vector<NotificationVar>& vars);

/// A template: what a trigger says on a channel in a language.
struct NotificationTemplate {
    NotificationTrigger trigger = NotificationTrigger::SubscriptionExpiring;
    NotificationChannel channel = NotificationChannel::Email;
    std::string language;  ///< BCP 47 as `de` or `pt-BR`: 2-3 lower-case letters, `-XX` region.
    std::string subject;   ///< Email only (required there), UTF-8, one line, <= 200 bytes.
    std::string body;      ///< UTF-8, 1 to 10,000 bytes (SMS: at most 1,000).
    friend bool operator==(const NotificationTemplate&, const NotificationTemplate&) = default;
};

/// True for a language tag as NotificationTemplate::language describes.
bool valid_language(std::string_view tag) noexcept;

/// `<trigger>.<channel>.<language>`: the template's stream suffix and read-model key.
std::string template_key(NotificationTrigger t, NotificationChannel c, std::string_view language);

/// @errors Invalid naming `language`; `subject` (missing for email, given for another channel,
///         a line break, too long, an unknown variable); `body` (empty, too long, not UTF-8,
///         `{{` without `}}`, an unknown variable: `body: unknown variable {{x}} for
///         invoice.issued`).
Result<void> check_template(const NotificationTemplate& t);

/// Who a subject is to the notifier. A subject is whatever id a trigger names: a billing
/// customer, a reseller (its credits), an identity user (its password), a VPN customer.
struct NotificationContact {
    std::string subject_id;  ///< 1 to 64 letters, digits, `.`, `_`, `-`.
    std::string name;        ///< May be empty; <= 200 bytes, no control characters.
    std::string email;       ///< addr-spec or empty (no email).
    std::string phone;       ///< E.164 with `+` (libphonenumber-valid) or empty (no SMS).
    std::string language;    ///< As NotificationTemplate::language, or empty: the default.
    friend bool operator==(const NotificationContact&, const NotificationContact&) = default;
};

/// @errors Invalid naming `subject_id`, `name`, `email`, `phone` (not a valid E.164 number),
///         `language`.
Result<void> check_contact(const NotificationContact& c);

/// The tenant's notification settings.
struct NotificationSettings {
    std::string default_language = "en";  ///< Used when a contact has none or no template in it.
    /// `balance.low` when a payment or charge takes a wallet from at least this to below it
    /// (micro-units of the wallet's currency; 0: never).
    Micros balance_low_micros = 0;
    /// `credits.low` likewise for a reseller's credits (`reseller_credit:<id>`).
    Micros credits_low_micros = 0;
    friend bool operator==(const NotificationSettings&, const NotificationSettings&) = default;
};

/// @errors Invalid naming `default_language`, `balance_low_micros`, `credits_low_micros`
///         (below 0).
Result<void> check_settings(const NotificationSettings& s);

// ---- events ----

struct NotificationTemplateSet {
    static constexpr std::string_view kType = "billing.notification_template.set";
    NotificationTemplate terms;
    friend bool operator==(const NotificationTemplateSet&,
                           const NotificationTemplateSet&) = default;
};
struct NotificationTemplateRemoved {
    static constexpr std::string_view kType = "billing.notification_template.removed";
    NotificationTrigger trigger = NotificationTrigger::SubscriptionExpiring;
    NotificationChannel channel = NotificationChannel::Email;
    std::string language;
    friend bool operator==(const NotificationTemplateRemoved&,
                           const NotificationTemplateRemoved&) = default;
};
using NotificationTemplateEvent =
    std::variant<NotificationTemplateSet, NotificationTemplateRemoved>;

/// The contact's name, email and phone are sealed in the event (`sy1p:` text).
struct NotificationContactSet {
    static constexpr std::string_view kType = "billing.notification_contact.set";
    NotificationContact contact;
    friend bool operator==(const NotificationContactSet&, const NotificationContactSet&) = default;
};
using NotificationContactEvent = std::variant<NotificationContactSet>;

struct NotificationSettingsSet {
    static constexpr std::string_view kType = "billing.notification_settings.set";
    NotificationSettings settings;
    friend bool operator==(const NotificationSettingsSet&,
                           const NotificationSettingsSet&) = default;
};
using NotificationSettingsEvent = std::variant<NotificationSettingsSet>;

/// One channel's message of a notification. `to`, `subject` and `body` are sealed in events.
struct NotificationDelivery {
    NotificationChannel channel = NotificationChannel::Email;
    std::string language;  ///< The template's language; empty for a webhook without template.
    std::string to;        ///< The email address or phone number; empty for a webhook.
    std::string subject;   ///< Email only.
    std::string body;      ///< The rendered text; a webhook's is its JSON document.
    friend bool operator==(const NotificationDelivery&, const NotificationDelivery&) = default;
};

/// A trigger made a notification. `skipped` says, per channel left out, why (`email: no
/// template in de or en`, `sms: no phone`, `email: the contact was erased`).
struct NotificationQueued {
    static constexpr std::string_view kType = "billing.notification.queued";
    std::string notification_id;
    NotificationTrigger trigger = NotificationTrigger::SubscriptionExpiring;
    std::string subject_id;
    std::string source_event_id;  ///< The log event that triggered it.
    Timestamp queued_at{};
    std::vector<NotificationDelivery> deliveries;
    std::vector<std::string> skipped;
    friend bool operator==(const NotificationQueued&, const NotificationQueued&) = default;
};
/// A channel's message was accepted by the relay, gateway or endpoint.
struct NotificationDelivered {
    static constexpr std::string_view kType = "billing.notification.delivered";
    NotificationChannel channel = NotificationChannel::Email;
    std::int64_t attempt = 0;  ///< 1 for the first.
    std::string reply;         ///< The relay's reply line or the gateway's status and id.
    friend bool operator==(const NotificationDelivered&, const NotificationDelivered&) = default;
};
/// A delivery attempt failed; `retry_at` is the next attempt, none when given up (a permanent
/// refusal, or kMaxDeliveryAttempts reached).
struct NotificationFailed {
    static constexpr std::string_view kType = "billing.notification.failed";
    NotificationChannel channel = NotificationChannel::Email;
    std::int64_t attempt = 0;
    std::string error;
    std::optional<Timestamp> retry_at;
    friend bool operator==(const NotificationFailed&, const NotificationFailed&) = default;
};
using NotificationEvent =
    std::variant<NotificationQueued, NotificationDelivered, NotificationFailed>;

inline std::string notification_template_stream(const std::string& key) {
    return "billing_notification_template-" + key;
}
inline std::string notification_contact_stream(const std::string& subject_id) {
    return "billing_notification_contact-" + subject_id;
}
inline constexpr const char* kNotificationSettingsStream = "billing_notification_settings";
inline std::string notification_stream(const std::string& notification_id) {
    return "billing_notification-" + notification_id;
}

/// The most attempts one delivery gets.
inline constexpr std::int64_t kMaxDeliveryAttempts = 6;
/// The wait after failed attempt `attempt` (1-based): 1 min, 5 min, 30 min, 2 h, 6 h.
std::chrono::seconds retry_delay(std::int64_t attempt) noexcept;

/// Wire names `pending`, `delivered`, `failed` (given up).
enum class DeliveryStatus { Pending, Delivered, Failed };
const char* to_string(DeliveryStatus s) noexcept;

struct DeliveryState {
    NotificationDelivery delivery;
    DeliveryStatus status = DeliveryStatus::Pending;
    std::int64_t attempts = 0;
    std::optional<Timestamp> next_attempt_at;  ///< While pending.
    std::string last_error;
    std::string reply;
};

struct NotificationState {
    std::optional<NotificationQueued> queued;
    std::vector<DeliveryState> deliveries;
    /// The channel's delivery, or null.
    DeliveryState* find(NotificationChannel c);
    const DeliveryState* find(NotificationChannel c) const;
};
void evolve(NotificationState& s, const NotificationEvent& e);

struct NotificationTemplateState {
    std::optional<NotificationTemplate> terms;  ///< None when never set or removed.
};
void evolve(NotificationTemplateState& s, const NotificationTemplateEvent& e);

struct NotificationContactState {
    std::optional<NotificationContact> contact;
};
void evolve(NotificationContactState& s, const NotificationContactEvent& e);

struct NotificationSettingsState {
    NotificationSettings settings;
};
void evolve(NotificationSettingsState& s, const NotificationSettingsEvent& e);

// ---- decisions ----

/// Sets a template; the same terms again decide nothing. @errors as check_template.
Result<std::vector<NotificationTemplateEvent>> decide(const NotificationTemplateState& s,
                                                      const NotificationTemplate& t);
/// Removes one. @errors NotFound naming `language` when there is none. Twice: NotFound.
Result<std::vector<NotificationTemplateEvent>> decide_remove(const NotificationTemplateState& s,
                                                             NotificationTrigger t,
                                                             NotificationChannel c,
                                                             const std::string& language);

/// What the notifier knows when a trigger comes.
struct NotificationRequest {
    std::string notification_id;  ///< `<source event id>` or `<source event id>.<subject>`.
    NotificationTrigger trigger = NotificationTrigger::SubscriptionExpiring;
    std::string subject_id;
    std::string source_event_id;
    std::vector<NotificationVar> vars;  ///< The trigger's variables but `name` and `subject_id`.
    Timestamp at{};                     ///< When the fact happened (the source event's time).
    friend bool operator==(const NotificationRequest&, const NotificationRequest&) = default;
};

/// How long after its fact a trigger is still worth notifying by default: 24 hours.
inline constexpr std::chrono::seconds kNotificationMaxAge{24 * 3600};

/// A trigger found more than `max_age` after its fact (the read model built over an old log
/// when notifications are first enabled, or a notifier stopped for days): its notification is
/// queued without deliveries, `skipped` saying `stale: ...`, so that years of history do not
/// reach customers. Nothing when it is not stale or was queued before.
std::vector<NotificationEvent> decide_stale(const NotificationState& s,
                                            const NotificationRequest& r, Timestamp now,
                                            std::chrono::seconds max_age);

/// The notification a trigger makes: per channel (email when the contact has an email, SMS
/// when it has a phone and `sms_gateway`), the template of `templates` in the contact's
/// language, else in the default language, rendered with the request's variables and
/// `name`/`subject_id`; a channel without contact or template goes to `skipped`. `contact` is
/// none when the subject has none; `contact_erased` when its sealed fields no longer open. The
/// webhook delivery is the caller's (its body is a JSON document). Nothing when the
/// notification was queued before.
std::vector<NotificationEvent> decide_queue(const NotificationState& s,
                                            const NotificationRequest& r,
                                            const std::optional<NotificationContact>& contact,
                                            bool contact_erased,
                                            const NotificationSettings& settings, bool sms_gateway,
                                            const std::vector<NotificationTemplate>& templates,
                                            Timestamp now);

/// The variables of `r` with `subject_id` and `name` (the contact's name, else the subject
/// id) added: what templates and webhooks see.
std::vector<NotificationVar> all_variables(const NotificationRequest& r,
                                           const std::optional<NotificationContact>& contact);

/// How one delivery attempt went.
struct AttemptOutcome {
    bool delivered = false;
    bool permanent = false;  ///< A refusal retrying cannot mend (SMTP 5xx, HTTP 4xx but 408/429).
    std::string text;        ///< The reply when delivered, the error otherwise.
};

/// Records an attempt of `channel`'s delivery made at `now`: delivered, or failed with the
/// next attempt after retry_delay (none when permanent or the attempts are used up). Nothing
/// when the delivery is not pending.
std::vector<NotificationEvent> decide_attempt(const NotificationState& s,
                                              NotificationChannel channel,
                                              const AttemptOutcome& outcome, Timestamp now);

/// Decimal text of `micros` in the currency's minor unit: 12'500'000 EUR -> `12.50`,
/// -1'000'000 EUR -> `-1.00`, 1'200'000'000 JPY -> `1200`.
std::string format_amount(Micros micros, std::string_view currency);

}  // namespace switchyard::core::billing
