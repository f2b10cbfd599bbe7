#include "core/billing/notification.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "core/billing/issued_invoice.hpp"
#include "core/billing/plan.hpp"
#include "core/overloaded.hpp"
#include "core/text.hpp"
#include "core/voice/number.hpp"

namespace switchyard::core::billing {

namespace {

constexpr std::array<std::pair<NotificationTrigger, const char*>, 10> kTriggers{{
    {NotificationTrigger::SubscriptionExpiring, "subscription.expiring"},
    {NotificationTrigger::SubscriptionExpired, "subscription.expired"},
    {NotificationTrigger::SubscriptionRenewed, "subscription.renewed"},
    {NotificationTrigger::SubscriptionRenewalFailed, "subscription.renewal_failed"},
    {NotificationTrigger::CreditsLow, "credits.low"},
    {NotificationTrigger::BalanceLow, "balance.low"},
    {NotificationTrigger::PasswordChanged, "password.changed"},
    {NotificationTrigger::DeviceAdded, "device.added"},
    {NotificationTrigger::InvoiceIssued, "invoice.issued"},
    {NotificationTrigger::PaymentReceived, "payment.received"},
}};

constexpr std::array<std::pair<NotificationChannel, const char*>, 3> kChannels{{
    {NotificationChannel::Email, "email"},
    {NotificationChannel::Sms, "sms"},
    {NotificationChannel::Webhook, "webhook"},
}};

constexpr std::size_t kMaxBody = 10'000;
constexpr std::size_t kMaxSmsBody = 1'000;
constexpr std::size_t kMaxSubject = 200;

/// Calls `on(name)` for each `{{name}}` of `text` (name trimmed of spaces), and `on_text` for
/// the text between them. False when a `{{` has no `}}`.
template <class OnVar, class OnText>
bool scan_template(std::string_view text, OnVar on_var, OnText on_text) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto open = text.find("{{", pos);
        if (open == std::string_view::npos) {
            on_text(text.substr(pos));
            return true;
        }
        on_text(text.substr(pos, open - pos));
        const auto close = text.find("}}", open + 2);
        if (close == std::string_view::npos) return false;
        auto name = text.substr(open + 2, close - open - 2);
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
        on_var(name);
        pos = close + 2;
    }
    return true;
}

/// Checks the variables `text` names against `trigger`'s. @errors Invalid naming `field`.
Result<void> check_variables(std::string_view text, NotificationTrigger trigger,
                             const char* field) {
    const auto& known = notification_variables(trigger);
    std::string unknown;
    const bool closed = scan_template(
        text,
        [&](std::string_view name) {
            if (unknown.empty() && std::find(known.begin(), known.end(), name) == known.end())
                unknown = name;
        },
        [](std::string_view) {});
    if (!closed) return fail(Errc::Invalid, field, "has {{ without }}");
    if (!unknown.empty())
        return fail(Errc::Invalid, field,
                    "unknown variable {{" + unknown + "}} for " + to_string(trigger));
    return {};
}

std::optional<NotificationTemplate> find_template(const std::vector<NotificationTemplate>& all,
                                                  NotificationTrigger trigger,
                                                  NotificationChannel channel,
                                                  const std::string& language) {
    for (const auto& t : all)
        if (t.trigger == trigger && t.channel == channel && t.language == language) return t;
    return std::nullopt;
}

}  // namespace

const char* to_string(NotificationTrigger t) noexcept {
    for (const auto& [value, name] : kTriggers)
        if (value == t) return name;
    return "unknown";
}

bool parse_notification_trigger(std::string_view text, NotificationTrigger& out) noexcept {
    for (const auto& [value, name] : kTriggers)
        if (text == name) {
            out = value;
            return true;
        }
    return false;
}

const std::vector<NotificationTrigger>& notification_triggers() {
    static const std::vector<NotificationTrigger> all = [] {
        std::vector<NotificationTrigger> out;
        for (const auto& [value, name] : kTriggers) out.push_back(value);
        return out;
    }();
    return all;
}

const char* to_string(NotificationChannel c) noexcept {
    for (const auto& [value, name] : kChannels)
        if (value == c) return name;
    return "unknown";
}

bool parse_notification_channel(std::string_view text, NotificationChannel& out) noexcept {
    for (const auto& [value, name] : kChannels)
        if (text == name) {
            out = value;
            return true;
        }
    return false;
}

const std::vector<std::string_view>& notification_variables(NotificationTrigger t) {
    using V = std::vector<std::string_view>;
    auto with_common = [](V more) {
        V out{"subject_id", "name", "time"};
        out.insert(out.end(), more.begin(), more.end());
        return out;
    };
    static const V expiring =
        with_common({"subscription_id", "plan_id", "period_end", "days_before", "auto_renew"});
    static const V expired = with_common({"subscription_id", "plan_id", "period_end"});
    static const V renewed =
        with_common({"subscription_id", "plan_id", "period_end", "amount", "currency"});
    static const V failed = with_common(
        {"subscription_id", "plan_id", "period_end", "attempt", "reason", "next_attempt"});
    static const V low = with_common({"account", "balance", "threshold", "currency"});
    static const V password = with_common({"user_id"});
    static const V device = with_common({"device_id", "device_name"});
    static const V invoice =
        with_common({"invoice_id", "invoice_number", "total", "currency", "due_date"});
    static const V payment = with_common({"payment_id", "amount", "currency", "method"});
    switch (t) {
        case NotificationTrigger::SubscriptionExpiring:
            return expiring;
        case NotificationTrigger::SubscriptionExpired:
            return expired;
        case NotificationTrigger::SubscriptionRenewed:
            return renewed;
        case NotificationTrigger::SubscriptionRenewalFailed:
            return failed;
        case NotificationTrigger::CreditsLow:
        case NotificationTrigger::BalanceLow:
            return low;
        case NotificationTrigger::PasswordChanged:
            return password;
        case NotificationTrigger::DeviceAdded:
            return device;
        case NotificationTrigger::InvoiceIssued:
            return invoice;
        case NotificationTrigger::PaymentReceived:
            return payment;
    }
    return password;
}

std::string render_template(std::string_view text, const std::vector<NotificationVar>& vars) {
    std::string out;
    out.reserve(text.size());
    const bool closed = scan_template(
        text,
        [&](std::string_view name) {
            for (const auto& v : vars)
                if (v.name == name) {
                    out += v.value;
                    return;
                }
        },
        [&](std::string_view plain) { out += plain; });
    if (!closed) out += text.substr(text.rfind("{{"));
    return out;
}

bool valid_language(std::string_view tag) noexcept {
    const auto dash = tag.find('-');
    const auto primary = tag.substr(0, dash);
    if (primary.size() < 2 || primary.size() > 3) return false;
    if (!std::all_of(primary.begin(), primary.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        return false;
    if (dash == std::string_view::npos) return true;
    const auto region = tag.substr(dash + 1);
    return region.size() == 2 &&
           std::all_of(region.begin(), region.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string template_key(NotificationTrigger t, NotificationChannel c, std::string_view language) {
    return std::string(to_string(t)) + "." + to_string(c) + "." + std::string(language);
}

Result<void> check_template(const NotificationTemplate& t) {
    if (!valid_language(t.language))
        return fail(Errc::Invalid, "language", "must be a language tag such as en, de or pt-BR");
    if (t.channel == NotificationChannel::Email) {
        if (t.subject.empty()) return fail(Errc::Invalid, "subject", "is required for email");
        if (t.subject.size() > kMaxSubject || !is_valid_utf8(t.subject) ||
            has_control_chars(t.subject))
            return fail(Errc::Invalid, "subject", "must be one line of UTF-8 of at most 200 bytes");
        SY_TRY(check_variables(t.subject, t.trigger, "subject"));
    } else if (!t.subject.empty()) {
        return fail(Errc::Invalid, "subject", "is for email templates only");
    }
    const auto max = t.channel == NotificationChannel::Sms ? kMaxSmsBody : kMaxBody;
    if (t.body.empty() || t.body.size() > max || !is_valid_utf8(t.body))
        return fail(Errc::Invalid, "body",
                    "must be UTF-8 of 1 to " + std::to_string(max) + " bytes");
    return check_variables(t.body, t.trigger, "body");
}

Result<void> check_contact(const NotificationContact& c) {
    SY_TRY(check_id(c.subject_id, "subject_id"));
    if (c.name.size() > 200 || !is_valid_utf8(c.name) || has_control_chars(c.name))
        return fail(Errc::Invalid, "name", "must be one line of UTF-8 of at most 200 bytes");
    if (!c.email.empty() && !valid_email(c.email))
        return fail(Errc::Invalid, "email", "must be an address such as ana@example.net");
    if (!c.phone.empty()) {
        const bool digits = c.phone.size() >= 8 && c.phone.size() <= 16 && c.phone[0] == '+' &&
                            std::all_of(c.phone.begin() + 1, c.phone.end(),
                                        [](char ch) { return ch >= '0' && ch <= '9'; });
        if (!digits || core::voice::classify_e164(std::string_view(c.phone).substr(1)) ==
                           core::voice::NumberType::Unknown)
            return fail(Errc::Invalid, "phone",
                        "must be a valid E.164 number with its + such as +4915123456789");
    }
    if (!c.language.empty() && !valid_language(c.language))
        return fail(Errc::Invalid, "language", "must be a language tag such as en, de or pt-BR");
    return {};
}

Result<void> check_settings(const NotificationSettings& s) {
    if (!valid_language(s.default_language))
        return fail(Errc::Invalid, "default_language",
                    "must be a language tag such as en, de or pt-BR");
    if (s.balance_low_micros < 0)
        return fail(Errc::Invalid, "balance_low_micros", "must be at least 0");
    if (s.credits_low_micros < 0)
        return fail(Errc::Invalid, "credits_low_micros", "must be at least 0");
    return {};
}

std::chrono::seconds retry_delay(std::int64_t attempt) noexcept {
    using std::chrono::seconds;
    constexpr std::array<seconds, 5> kDelays{seconds(60), seconds(300), seconds(1800),
                                             seconds(7200), seconds(21600)};
    const auto i = std::clamp<std::int64_t>(attempt, 1, kDelays.size()) - 1;
    return kDelays[static_cast<std::size_t>(i)];
}

const char* to_string(DeliveryStatus s) noexcept {
    switch (s) {
        case DeliveryStatus::Pending:
            return "pending";
        case DeliveryStatus::Delivered:
            return "delivered";
        case DeliveryStatus::Failed:
            return "failed";
    }
    return "unknown";
}

DeliveryState* NotificationState::find(NotificationChannel c) {
    for (auto& d : deliveries)
        if (d.delivery.channel == c) return &d;
    return nullptr;
}

const DeliveryState* NotificationState::find(NotificationChannel c) const {
    return const_cast<NotificationState*>(this)->find(c);
}

void evolve(NotificationState& s, const NotificationEvent& e) {
    std::visit(
        Overloaded{
            [&](const NotificationQueued& q) {
                s.queued = q;
                s.deliveries.clear();
                for (const auto& d : q.deliveries)
                    s.deliveries.push_back({d, DeliveryStatus::Pending, 0, q.queued_at, "", ""});
            },
            [&](const NotificationDelivered& d) {
                if (auto* state = s.find(d.channel)) {
                    state->status = DeliveryStatus::Delivered;
                    state->attempts = d.attempt;
                    state->next_attempt_at.reset();
                    state->reply = d.reply;
                }
            },
            [&](const NotificationFailed& f) {
                if (auto* state = s.find(f.channel)) {
                    state->attempts = f.attempt;
                    state->last_error = f.error;
                    state->next_attempt_at = f.retry_at;
                    if (!f.retry_at) state->status = DeliveryStatus::Failed;
                }
            },
        },
        e);
}

void evolve(NotificationTemplateState& s, const NotificationTemplateEvent& e) {
    std::visit(Overloaded{
                   [&](const NotificationTemplateSet& t) { s.terms = t.terms; },
                   [&](const NotificationTemplateRemoved&) { s.terms.reset(); },
               },
               e);
}

void evolve(NotificationContactState& s, const NotificationContactEvent& e) {
    s.contact = std::get<NotificationContactSet>(e).contact;
}

void evolve(NotificationSettingsState& s, const NotificationSettingsEvent& e) {
    s.settings = std::get<NotificationSettingsSet>(e).settings;
}

Result<std::vector<NotificationTemplateEvent>> decide(const NotificationTemplateState& s,
                                                      const NotificationTemplate& t) {
    SY_TRY(check_template(t));
    if (s.terms && *s.terms == t) return std::vector<NotificationTemplateEvent>{};
    return std::vector<NotificationTemplateEvent>{NotificationTemplateSet{t}};
}

Result<std::vector<NotificationTemplateEvent>> decide_remove(const NotificationTemplateState& s,
                                                             NotificationTrigger t,
                                                             NotificationChannel c,
                                                             const std::string& language) {
    if (!s.terms)
        return fail(Errc::NotFound, "language",
                    "no " + std::string(to_string(c)) + " template for " + to_string(t) + " in " +
                        language);
    return std::vector<NotificationTemplateEvent>{NotificationTemplateRemoved{t, c, language}};
}

std::vector<NotificationVar> all_variables(const NotificationRequest& r,
                                           const std::optional<NotificationContact>& contact) {
    auto vars = r.vars;
    vars.push_back({"subject_id", r.subject_id});
    vars.push_back({"name", contact && !contact->name.empty() ? contact->name : r.subject_id});
    return vars;
}

std::vector<NotificationEvent> decide_queue(const NotificationState& s,
                                            const NotificationRequest& r,
                                            const std::optional<NotificationContact>& contact,
                                            bool contact_erased,
                                            const NotificationSettings& settings, bool sms_gateway,
                                            const std::vector<NotificationTemplate>& templates,
                                            Timestamp now) {
    if (s.queued) return {};
    NotificationQueued q{
        r.notification_id, r.trigger, r.subject_id, r.source_event_id, now, {}, {}};
    const auto vars = all_variables(r, contact);
    auto add = [&](NotificationChannel channel, const std::string& to) {
        const std::string name = to_string(channel);
        if (contact_erased) {
            q.skipped.push_back(name + ": the contact was erased");
            return;
        }
        if (to.empty()) {
            q.skipped.push_back(name + (channel == NotificationChannel::Email
                                            ? ": no contact email"
                                            : ": no contact phone"));
            return;
        }
        const auto wanted =
            contact && !contact->language.empty() ? contact->language : settings.default_language;
        auto t = find_template(templates, r.trigger, channel, wanted);
        if (!t) t = find_template(templates, r.trigger, channel, settings.default_language);
        if (!t) {
            q.skipped.push_back(name + ": no template in " + wanted +
                                (wanted == settings.default_language
                                     ? std::string()
                                     : " or " + settings.default_language));
            return;
        }
        q.deliveries.push_back({channel, t->language, to, render_template(t->subject, vars),
                                render_template(t->body, vars)});
    };
    add(NotificationChannel::Email, contact ? contact->email : "");
    if (sms_gateway) add(NotificationChannel::Sms, contact ? contact->phone : "");
    return {std::move(q)};
}

std::vector<NotificationEvent> decide_stale(const NotificationState& s,
                                            const NotificationRequest& r, Timestamp now,
                                            std::chrono::seconds max_age) {
    if (s.queued || now - r.at <= max_age) return {};
    const auto hours = std::chrono::duration_cast<std::chrono::hours>(max_age).count();
    return {NotificationQueued{
        r.notification_id,
        r.trigger,
        r.subject_id,
        r.source_event_id,
        now,
        {},
        {"stale: the fact is more than " + std::to_string(hours) + " h old; not sent"}}};
}

std::vector<NotificationEvent> decide_attempt(const NotificationState& s,
                                              NotificationChannel channel,
                                              const AttemptOutcome& outcome, Timestamp now) {
    const auto* d = s.find(channel);
    if (!d || d->status != DeliveryStatus::Pending) return {};
    const auto attempt = d->attempts + 1;
    if (outcome.delivered) return {NotificationDelivered{channel, attempt, outcome.text}};
    std::optional<Timestamp> retry_at;
    if (!outcome.permanent && attempt < kMaxDeliveryAttempts) retry_at = now + retry_delay(attempt);
    return {NotificationFailed{channel, attempt, outcome.text, retry_at}};
}

std::string format_amount(Micros micros, std::string_view currency) {
    const int digits = minor_unit_digits(currency);
    const auto rounded = round_to_minor_unit(micros, currency);
    const bool negative = rounded < 0;
    const auto magnitude = static_cast<std::uint64_t>(negative ? -rounded : rounded);
    const std::uint64_t whole = magnitude / 1'000'000;
    std::string out = (negative ? "-" : "") + std::to_string(whole);
    if (digits > 0) {
        auto frac = std::to_string(magnitude % 1'000'000 + 1'000'000).substr(1);
        out += "." + frac.substr(0, static_cast<std::size_t>(digits));
    }
    return out;
}

}  // namespace switchyard::core::billing
