#include "projections/billing/notifications.hpp"

#include "core/billing/invoice_number.hpp"
#include "core/billing/issued_invoice.hpp"
#include "core/billing/payment.hpp"
#include "core/billing/subscription.hpp"
#include "core/identity/user.hpp"
#include "core/overloaded.hpp"
#include "core/vpn/customer.hpp"
#include "events/billing/invoice_codec.hpp"
#include "events/billing/ledger_codec.hpp"
#include "events/billing/notification_codec.hpp"
#include "events/billing/notification_tables.hpp"
#include "events/billing/payment_codec.hpp"
#include "events/billing/subscription_codec.hpp"
#include "events/identity/user_codec.hpp"
#include "events/vpn/vpn_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::billing {

using namespace core::billing;

namespace {

/// What a subscription's triggers need.
struct SubscriptionRow {
    std::string customer_id;
    std::string plan_id;
    std::string currency;
    bool auto_renew = true;
};

constexpr auto kSubscriptionRows = json_rows<SubscriptionRow>(fields(
    field("customer_id", &SubscriptionRow::customer_id),
    field("plan_id", &SubscriptionRow::plan_id), field("currency", &SubscriptionRow::currency),
    field("auto_renew", &SubscriptionRow::auto_renew)));

constexpr auto kRequestRows = json_rows<NotificationRequest>(
    fields(field("notification_id", &NotificationRequest::notification_id),
           field("trigger", &NotificationRequest::trigger, &parse_notification_trigger),
           field("subject_id", &NotificationRequest::subject_id),
           field("source_event_id", &NotificationRequest::source_event_id),
           objects("vars", &NotificationRequest::vars, events::billing::kNotificationVarTable),
           field("at", &NotificationRequest::at)));

constexpr auto kDeliveryTable =
    fields(field("channel", &DeliveryRow::channel, &parse_notification_channel),
           optional_field("language", &DeliveryRow::language),
           field("status", &DeliveryRow::status), field("attempts", &DeliveryRow::attempts),
           field("next_attempt_at", &DeliveryRow::next_attempt_at),
           optional_field("last_error", &DeliveryRow::last_error),
           optional_field("reply", &DeliveryRow::reply),
           field("delivered_at", &DeliveryRow::delivered_at));

constexpr auto kNotificationRows = json_rows<NotificationRow>(
    fields(field("notification_id", &NotificationRow::notification_id),
           field("trigger", &NotificationRow::trigger, &parse_notification_trigger),
           field("subject_id", &NotificationRow::subject_id),
           field("source_event_id", &NotificationRow::source_event_id),
           field("queued_at", &NotificationRow::queued_at),
           objects("deliveries", &NotificationRow::deliveries, kDeliveryTable),
           optional_field("skipped", &NotificationRow::skipped)));

constexpr auto kTemplateRows =
    json_rows<NotificationTemplate>(events::billing::kNotificationTemplateTable);
constexpr auto kSettingsRows =
    json_rows<NotificationSettings>(events::billing::kNotificationSettingsTable);

std::uint64_t micros_of(core::Timestamp t) {
    return static_cast<std::uint64_t>(t.time_since_epoch().count());
}

/// Keys that sort by time (big-endian microseconds since the epoch, as billing_subscriptions'
/// due keys), and newest first (their complement).
std::string time_key(core::Timestamp t) { return core::be64(micros_of(t)); }
std::string newest_first_key(core::Timestamp t) { return core::be64(~micros_of(t)); }

/// The key of a notification in a list: `<prefix><newest first time>/<id>`.
std::string list_key(const std::string& prefix, core::Timestamp queued_at, std::string_view id) {
    return prefix + newest_first_key(queued_at) + "/" + std::string(id);
}

/// The list's prefix: all notifications, or a subject's.
std::string list_prefix(const std::string& subject_id) {
    return subject_id.empty() ? std::string("a/") : key_of("x", subject_id) + "/";
}

std::string date_of(core::Timestamp t) { return core::format_rfc3339(t).substr(0, 10); }

/// RFC 3339 UTC to the second, as people read it: `2026-12-06T10:00:00Z`.
std::string time_text(core::Timestamp t) { return core::format_rfc3339(t).substr(0, 19) + "Z"; }

/// The id after `<aggregate>-` of a stream name.
std::string stream_id(const std::string& stream) {
    const auto dash = stream.find('-');
    return dash == std::string::npos ? std::string() : stream.substr(dash + 1);
}

bool is_model_type(std::string_view type) {
    return type.starts_with("billing.notification") || type.starts_with("billing.subscription.") ||
           type == InvoiceNumbered::kType || type == InvoiceIssued::kType ||
           type == PaymentReceived::kType || type == EntryPosted::kType ||
           type == core::identity::PasswordChanged::kType || type == core::vpn::DeviceAdded::kType;
}

/// Adds a pending trigger (once: a replayed event finds its notification queued or pending).
void add_trigger(ProjectionWrites& w, const events::RecordedEvent& e, NotificationTrigger trigger,
                 const std::string& subject_id, std::vector<NotificationVar> vars,
                 const std::string& id_suffix = "") {
    if (subject_id.empty()) return;
    const auto id = e.id + id_suffix;
    if (w.get(key_of("n", id)) || w.get(key_of("p", id))) return;
    vars.push_back({"time", time_text(e.time)});
    kRequestRows.put(w, key_of("p", id), {id, trigger, subject_id, e.id, std::move(vars), e.time});
}

void apply_subscription(const SubscriptionEvent& event, const events::RecordedEvent& e,
                        ProjectionWrites& w) {
    const auto id = stream_id(e.stream);
    const auto key = key_of("s", id);
    if (const auto* c = std::get_if<SubscriptionCreated>(&event)) {
        kSubscriptionRows.put(w, key,
                              {c->terms.customer_id, c->plan_id, c->terms.currency, c->auto_renew});
        return;
    }
    auto row = kSubscriptionRows.find(w, key);
    if (!row) return;
    auto base = [&](core::Timestamp period_end) {
        return std::vector<NotificationVar>{{"subscription_id", id},
                                            {"plan_id", row->plan_id},
                                            {"period_end", date_of(period_end)}};
    };
    std::visit(core::Overloaded{
                   [&](const SubscriptionPlanChanged& p) { row->plan_id = p.to_plan; },
                   [&](const SubscriptionAutoRenewSet& a) { row->auto_renew = a.auto_renew; },
                   [&](const SubscriptionReminderDue& r) {
                       auto vars = base(r.period_end);
                       vars.push_back({"days_before", std::to_string(r.days_before)});
                       vars.push_back({"auto_renew", row->auto_renew ? "yes" : "no"});
                       add_trigger(w, e, NotificationTrigger::SubscriptionExpiring,
                                   row->customer_id, std::move(vars));
                   },
                   [&](const SubscriptionExpired& x) {
                       add_trigger(w, e, NotificationTrigger::SubscriptionExpired, row->customer_id,
                                   base(x.period_end));
                   },
                   [&](const SubscriptionRenewed& r) {
                       row->plan_id = r.plan_id;
                       auto vars = base(r.period_end);
                       vars.push_back({"amount", format_amount(r.amount_micros, row->currency)});
                       vars.push_back({"currency", row->currency});
                       add_trigger(w, e, NotificationTrigger::SubscriptionRenewed, row->customer_id,
                                   std::move(vars));
                   },
                   [&](const SubscriptionRenewalFailed& f) {
                       auto vars = base({});
                       vars.pop_back();
                       vars.push_back({"attempt", std::to_string(f.attempt)});
                       vars.push_back({"reason", f.reason});
                       vars.push_back({"next_attempt",
                                       f.next_attempt_at ? time_text(*f.next_attempt_at) : ""});
                       add_trigger(w, e, NotificationTrigger::SubscriptionRenewalFailed,
                                   row->customer_id, std::move(vars));
                   },
                   [](const auto&) {},
               },
               event);
    kSubscriptionRows.put(w, key, *row);
}

/// A posting's guarded accounts: the balance kept, `balance.low`/`credits.low` when it falls
/// from at least the threshold to below it.
void apply_entry(const EntryPosted& posted, const events::RecordedEvent& e, ProjectionWrites& w) {
    const auto settings = kSettingsRows.find(w, "settings").value_or(NotificationSettings{});
    for (const auto& p : posted.entry.postings) {
        const auto code = parse_account(p.account, "account");
        if (!code || !is_guarded(code->kind)) continue;
        const auto key = key_of("b", p.account);
        const auto stored = w.get(key);
        const auto before = stored ? std::stoll(*stored) : 0LL;
        const auto after = before + balance_effect(p, class_of(code->kind));
        w.put(key, std::to_string(after));
        const bool wallet = code->kind == AccountKind::Wallet;
        const auto threshold = wallet ? settings.balance_low_micros : settings.credits_low_micros;
        if (threshold <= 0 || !(before >= threshold && after < threshold)) continue;
        const auto& currency = posted.entry.currency;
        add_trigger(w, e,
                    wallet ? NotificationTrigger::BalanceLow : NotificationTrigger::CreditsLow,
                    code->qualifier,
                    {{"account", p.account},
                     {"balance", format_amount(after, currency)},
                     {"threshold", format_amount(threshold, currency)},
                     {"currency", currency}},
                    "." + code->qualifier);
    }
}

void apply_notification(const NotificationEvent& event, const events::RecordedEvent& e,
                        ProjectionWrites& w) {
    const auto id = stream_id(e.stream);
    if (const auto* q = std::get_if<NotificationQueued>(&event)) {
        NotificationRow row{q->notification_id, q->trigger, q->subject_id, q->source_event_id,
                            q->queued_at,       {},         q->skipped};
        for (const auto& d : q->deliveries) {
            row.deliveries.push_back(
                {d.channel, d.language, "pending", 0, q->queued_at, "", "", std::nullopt});
            w.put(key_of("d", time_key(q->queued_at), id, to_string(d.channel)), "");
        }
        kNotificationRows.put(w, key_of("n", id), row);
        w.put(list_key(list_prefix(q->subject_id), q->queued_at, id), "");
        w.put(list_key(list_prefix(""), q->queued_at, id), "");
        w.erase(key_of("p", id));
        return;
    }
    kNotificationRows.update(w, key_of("n", id), [&](NotificationRow& row) {
        auto update = [&](NotificationChannel channel, auto change) {
            for (auto& d : row.deliveries)
                if (d.channel == channel) {
                    if (d.next_attempt_at)
                        w.erase(key_of("d", time_key(*d.next_attempt_at), id, to_string(channel)));
                    change(d);
                    if (d.next_attempt_at)
                        w.put(key_of("d", time_key(*d.next_attempt_at), id, to_string(channel)),
                              "");
                }
        };
        std::visit(core::Overloaded{
                       [&](const NotificationDelivered& d) {
                           update(d.channel, [&](DeliveryRow& r) {
                               r.status = "delivered";
                               r.attempts = d.attempt;
                               r.next_attempt_at.reset();
                               r.reply = d.reply;
                               r.delivered_at = e.time;
                           });
                       },
                       [&](const NotificationFailed& f) {
                           update(f.channel, [&](DeliveryRow& r) {
                               r.status = f.retry_at ? "pending" : "failed";
                               r.attempts = f.attempt;
                               r.next_attempt_at = f.retry_at;
                               r.last_error = f.error;
                           });
                       },
                       [](const NotificationQueued&) {},
                   },
                   event);
    });
}

core::Result<void> project(const events::RecordedEvent& e, ProjectionWrites& w) {
    if (e.type.starts_with("billing.notification_template.")) {
        const auto event = SY_TRY(events::billing::decode_notification_template_event(e));
        std::visit(core::Overloaded{
                       [&](const NotificationTemplateSet& s) {
                           kTemplateRows.put(
                               w,
                               key_of("t", template_key(s.terms.trigger, s.terms.channel,
                                                        s.terms.language)),
                               s.terms);
                       },
                       [&](const NotificationTemplateRemoved& r) {
                           w.erase(key_of("t", template_key(r.trigger, r.channel, r.language)));
                       },
                   },
                   event);
        return {};
    }
    if (e.type == NotificationSettingsSet::kType) {
        const auto event = SY_TRY(events::billing::decode_notification_settings_event(e));
        kSettingsRows.put(w, "settings", std::get<NotificationSettingsSet>(event).settings);
        return {};
    }
    if (e.type.starts_with("billing.notification.")) {
        apply_notification(SY_TRY(events::billing::decode_notification_event(e)), e, w);
        return {};
    }
    if (e.type.starts_with("billing.subscription.")) {
        apply_subscription(SY_TRY(events::billing::decode_subscription_event(e)), e, w);
        return {};
    }
    if (e.type == InvoiceNumbered::kType) {
        const auto event = SY_TRY(events::billing::decode_invoice_number_event(e));
        w.put(key_of("i", stream_id(e.stream)), std::get<InvoiceNumbered>(event).invoice_number);
        return {};
    }
    if (e.type == InvoiceIssued::kType) {
        const auto event = SY_TRY(events::billing::decode_invoice_event(e));
        const auto* issued = std::get_if<InvoiceIssued>(&event);
        if (!issued || issued->kind != DocumentKind::Invoice) return {};
        const auto id = stream_id(e.stream);
        add_trigger(w, e, NotificationTrigger::InvoiceIssued, issued->customer_id,
                    {{"invoice_id", id},
                     {"invoice_number", w.get(key_of("i", id)).value_or("")},
                     {"total", format_amount(issued->totals.total_micros, issued->currency)},
                     {"currency", issued->currency},
                     {"due_date", issued->due_at ? date_of(*issued->due_at) : ""}});
        return {};
    }
    if (e.type == PaymentReceived::kType) {
        const auto event = SY_TRY(events::billing::decode_payment_event(e));
        if (const auto* p = std::get_if<PaymentReceived>(&event))
            add_trigger(w, e, NotificationTrigger::PaymentReceived, p->customer_id,
                        {{"payment_id", p->payment_id},
                         {"amount", format_amount(p->amount_micros, p->currency)},
                         {"currency", p->currency},
                         {"method", to_string(p->method)}});
        return {};
    }
    if (e.type == EntryPosted::kType) {
        const auto event = SY_TRY(events::billing::decode_entry_event(e));
        apply_entry(std::get<EntryPosted>(event), e, w);
        return {};
    }
    if (e.type == core::identity::PasswordChanged::kType) {
        const auto event = SY_TRY(events::identity::decode_user_event(e));
        if (const auto* p = std::get_if<core::identity::PasswordChanged>(&event))
            add_trigger(w, e, NotificationTrigger::PasswordChanged, p->user_id,
                        {{"user_id", p->user_id}});
        return {};
    }
    if (e.type == core::vpn::DeviceAdded::kType) {
        const auto event = SY_TRY(events::vpn::decode_customer_event(e));
        if (const auto* d = std::get_if<core::vpn::DeviceAdded>(&event))
            add_trigger(w, e, NotificationTrigger::DeviceAdded, stream_id(e.stream),
                        {{"device_id", d->device.device_id}, {"device_name", d->device.name}});
        return {};
    }
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_billing_notifications_projector() {
    return make_projector(kBillingNotifications, &project, &is_model_type);
}

std::vector<NotificationRequest> pending_triggers(const ReadModelView& view, std::size_t limit) {
    std::vector<NotificationRequest> out;
    view.scan("p/", "p/", [&](std::string_view, std::string_view value) {
        if (auto row = kRequestRows.decode(value)) out.push_back(std::move(*row));
        return out.size() < limit;
    });
    return out;
}

std::vector<DueDelivery> due_deliveries(const ReadModelView& view, core::Timestamp now,
                                        std::size_t limit) {
    std::vector<DueDelivery> out;
    view.scan("d/", "d/", [&](std::string_view key, std::string_view) {
        if (key.size() < 11 || core::from_be64(key.substr(2, 8)) > micros_of(now)) return false;
        const auto rest = key.substr(2 + 8 + 1);
        const auto slash = rest.rfind('/');
        DueDelivery d{std::string(rest.substr(0, slash))};
        if (parse_notification_channel(rest.substr(slash + 1), d.channel)) out.push_back(d);
        return out.size() < limit;
    });
    return out;
}

std::optional<NotificationRow> find_notification(const ReadModelView& view,
                                                 const std::string& notification_id) {
    return kNotificationRows.find(view, key_of("n", notification_id));
}

std::vector<NotificationRow> list_notifications(const ReadModelView& view,
                                                const std::string& subject_id,
                                                const std::string& after_id, std::size_t limit) {
    std::vector<NotificationRow> out;
    const auto prefix = list_prefix(subject_id);
    std::string after;
    if (!after_id.empty()) {
        const auto row = find_notification(view, after_id);
        if (!row) return out;
        after = list_key(prefix, row->queued_at, after_id);
    }
    view.scan(prefix, after, [&](std::string_view key, std::string_view) {
        if (key == after) return true;
        const auto id = key.substr(key.rfind('/') + 1);
        if (auto row = find_notification(view, std::string(id))) out.push_back(std::move(*row));
        return out.size() < limit;
    });
    return out;
}

std::vector<NotificationTemplate> list_templates(const ReadModelView& view) {
    std::vector<NotificationTemplate> out;
    view.scan("t/", "t/", [&](std::string_view, std::string_view value) {
        if (auto row = kTemplateRows.decode(value)) out.push_back(std::move(*row));
        return true;
    });
    return out;
}

}  // namespace switchyard::projections::billing
