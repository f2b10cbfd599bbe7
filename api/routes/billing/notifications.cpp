// Notifications over HTTP (core/billing/notification.hpp): staff set templates per trigger,
// channel and language, subjects' contacts and the tenant's settings, and read the
// notification log; the billing notifier queues and delivers.
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/query.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "api/routes/billing/billing_api.hpp"
#include "api/routes/billing/billing_routes.hpp"
#include "projections/billing/notifications.hpp"

namespace switchyard::api {

namespace json = boost::json;
namespace model = projections::billing;
using core::Errc;
using namespace core::billing;

namespace {

using billing_routes::answer;
using billing_routes::context_of;
using billing_routes::kBooksRead;
using billing_routes::param;

json::object template_json(const NotificationTemplate& t) {
    json::object o{{"trigger", to_string(t.trigger)},
                   {"channel", to_string(t.channel)},
                   {"language", t.language},
                   {"body", t.body}};
    if (t.channel == NotificationChannel::Email) o["subject"] = t.subject;
    return o;
}

/// The trigger, channel and language of a template's path. @errors Invalid naming each.
core::Result<NotificationTemplate> template_path(const HttpRequest& r) {
    NotificationTemplate t;
    if (!parse_notification_trigger(param(r, "trigger"), t.trigger)) {
        std::string names;
        for (const auto trigger : notification_triggers())
            names += (names.empty() ? "" : ", ") + std::string(to_string(trigger));
        return core::fail(Errc::Invalid, "trigger", "must be one of " + names);
    }
    if (!parse_notification_channel(param(r, "channel"), t.channel))
        return core::fail(Errc::Invalid, "channel", "must be email, sms or webhook");
    t.language = param(r, "language");
    if (!valid_language(t.language))
        return core::fail(Errc::Invalid, "language",
                          "must be a language tag such as en, de or pt-BR");
    return t;
}

/// PUT /v1/billing/notification-templates/{trigger}/{channel}/{language} {"subject"?, "body"}
core::Result<HttpResponse> put_template(BillingApi& api, HttpRequest& r) {
    auto t = SY_TRY(template_path(r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"subject", "body"}));
    t.subject = SY_TRY(b.opt_string("subject")).value_or("");
    t.body = SY_TRY(b.string("body"));
    auto o = SY_TRY(api.notifications.set_template(t, context_of(api, r)));
    auto body = template_json(t);
    json::array variables;
    for (const auto& v : notification_variables(t.trigger)) variables.push_back(json::string(v));
    body["variables"] = std::move(variables);
    return answer(200, std::move(body), o.positions);
}

/// DELETE /v1/billing/notification-templates/{trigger}/{channel}/{language}
core::Result<HttpResponse> delete_template(BillingApi& api, HttpRequest& r) {
    const auto t = SY_TRY(template_path(r));
    auto o = SY_TRY(
        api.notifications.remove_template(t.trigger, t.channel, t.language, context_of(api, r)));
    return answer(200, json::object{{"removed", true}}, o.positions);
}

/// GET /v1/billing/notification-templates: every template, and each trigger's variables.
core::Result<HttpResponse> list_templates(BillingApi& api, HttpRequest& r) {
    const auto* view = SY_TRY(billing_routes::ready_view(api, r, model::kBillingNotifications));
    json::array items;
    for (const auto& t : model::list_templates(*view)) items.push_back(template_json(t));
    json::object variables;
    for (const auto trigger : notification_triggers()) {
        json::array names;
        for (const auto& v : notification_variables(trigger)) names.push_back(json::string(v));
        variables[to_string(trigger)] = std::move(names);
    }
    return json_response(200, json::serialize(json::object{{"items", std::move(items)},
                                                           {"variables", std::move(variables)}}));
}

json::object contact_json(const std::string& subject_id, const events::billing::ContactView& v) {
    json::object o{{"subject_id", subject_id}, {"erased", v.erased}};
    if (v.contact) {
        o["name"] = v.contact->name;
        o["email"] = v.contact->email;
        o["phone"] = v.contact->phone;
        o["language"] = v.contact->language;
    }
    return o;
}

/// PUT /v1/billing/notification-contacts/{subject_id} {"name"?, "email"?, "phone"?,
/// "language"?}
core::Result<HttpResponse> put_contact(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"name", "email", "phone", "language"}));
    NotificationContact c;
    c.subject_id = param(r, "subject_id");
    c.name = SY_TRY(b.opt_string("name")).value_or("");
    c.email = SY_TRY(b.opt_string("email")).value_or("");
    c.phone = SY_TRY(b.opt_string("phone")).value_or("");
    c.language = SY_TRY(b.opt_string("language")).value_or("");
    auto o = SY_TRY(api.notifications.set_contact(c, context_of(api, r)));
    return answer(200, contact_json(c.subject_id, {c, false}), o.positions);
}

/// GET /v1/billing/notification-contacts/{subject_id}
core::Result<HttpResponse> get_contact(BillingApi& api, HttpRequest& r) {
    const auto subject = param(r, "subject_id");
    const auto view = SY_TRY(api.notifications.contact(subject));
    if (!view.contact && !view.erased)
        return core::fail(Errc::NotFound, "subject_id", "no contact for " + subject);
    return json_response(200, json::serialize(contact_json(subject, view)));
}

json::object settings_json(const NotificationSettings& s) {
    return {{"default_language", s.default_language},
            {"balance_low_micros", s.balance_low_micros},
            {"credits_low_micros", s.credits_low_micros}};
}

/// PUT /v1/billing/notification-settings {"default_language"?, "balance_low_micros"?,
/// "credits_low_micros"?} (fields left out keep their value)
core::Result<HttpResponse> put_settings(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"default_language", "balance_low_micros", "credits_low_micros"}));
    auto s = SY_TRY(api.notifications.settings());
    if (auto v = SY_TRY(b.opt_string("default_language"))) s.default_language = *v;
    if (auto v = SY_TRY(b.opt_int("balance_low_micros"))) s.balance_low_micros = *v;
    if (auto v = SY_TRY(b.opt_int("credits_low_micros"))) s.credits_low_micros = *v;
    auto o = SY_TRY(api.notifications.set_settings(s, context_of(api, r)));
    return answer(200, settings_json(s), o.positions);
}

/// GET /v1/billing/notification-settings
core::Result<HttpResponse> get_settings(BillingApi& api, HttpRequest&) {
    return json_response(200, json::serialize(settings_json(SY_TRY(api.notifications.settings()))));
}

json::object row_json(const model::NotificationRow& n) {
    json::array deliveries;
    for (const auto& d : n.deliveries) {
        json::object o{
            {"channel", to_string(d.channel)}, {"language", d.language},     {"status", d.status},
            {"attempts", d.attempts},          {"last_error", d.last_error}, {"reply", d.reply}};
        o["next_attempt_at"] =
            d.next_attempt_at ? json::value(core::format_rfc3339(*d.next_attempt_at)) : nullptr;
        o["delivered_at"] =
            d.delivered_at ? json::value(core::format_rfc3339(*d.delivered_at)) : nullptr;
        deliveries.push_back(std::move(o));
    }
    json::array skipped;
    for (const auto& s : n.skipped) skipped.push_back(json::string(s));
    return {{"notification_id", n.notification_id},
            {"trigger", to_string(n.trigger)},
            {"subject_id", n.subject_id},
            {"source_event_id", n.source_event_id},
            {"queued_at", core::format_rfc3339(n.queued_at)},
            {"deliveries", std::move(deliveries)},
            {"skipped", std::move(skipped)}};
}

/// GET /v1/billing/notifications?subject_id=&cursor=&limit=: newest first; the cursor is the
/// last notification id of the previous page.
core::Result<HttpResponse> list_notifications(BillingApi& api, HttpRequest& r) {
    const auto subject = r.query_param("subject_id");
    if (!subject.empty()) SY_TRY(check_id(subject, "subject_id"));
    const auto page = SY_TRY(page_query(r));
    const auto* view = SY_TRY(billing_routes::ready_view(api, r, model::kBillingNotifications));
    if (!page.cursor.empty() && !model::find_notification(*view, page.cursor))
        return core::fail(Errc::Invalid, "cursor", "is not a cursor of this list");
    PageWriter out(page);
    for (const auto& n : model::list_notifications(*view, subject, page.cursor, page.limit + 1))
        if (!out.add(json::serialize(row_json(n)), n.notification_id)) break;
    return json_response(200, out.body());
}

/// GET /v1/billing/notifications/{notification_id}: the log row with each delivery's text
/// (opened; `[erased]` after the subject's erasure).
core::Result<HttpResponse> get_notification(BillingApi& api, HttpRequest& r) {
    const auto id = param(r, "notification_id");
    const auto* view = SY_TRY(billing_routes::ready_view(api, r, model::kBillingNotifications));
    const auto row = model::find_notification(*view, id);
    if (!row) return core::fail(Errc::NotFound, "notification_id", "no notification " + id);
    auto o = row_json(*row);
    const auto state = SY_TRY(api.notifications.notification(id));
    auto& deliveries = o["deliveries"].as_array();
    for (auto& d : deliveries) {
        NotificationChannel channel{};
        parse_notification_channel(d.as_object()["channel"].as_string(), channel);
        if (const auto* s = state.find(channel)) {
            d.as_object()["to"] = s->delivery.to;
            d.as_object()["subject"] = s->delivery.subject;
            d.as_object()["body"] = s->delivery.body;
        }
    }
    return json_response(200, json::serialize(o));
}

}  // namespace

void add_notification_routes(Router& router, BillingApi& api) {
    add_routes<BillingApi>(
        router, api, "billing",
        {
            {"PUT", "/v1/billing/notification-templates/{trigger}/{channel}/{language}",
             roles::admin, put_template,
             "Sets what a trigger says on a channel in a language, with {{variables}}."},
            {"DELETE", "/v1/billing/notification-templates/{trigger}/{channel}/{language}",
             roles::admin, delete_template, "Removes a notification template."},
            {"GET", "/v1/billing/notification-templates", kBooksRead, list_templates,
             "Every notification template, and the variables of each trigger."},
            {"PUT", "/v1/billing/notification-contacts/{subject_id}", roles::admin, put_contact,
             "Sets where a customer, reseller or user is notified: name, email, phone (E.164), "
             "language; sealed under the subject's key."},
            {"GET", "/v1/billing/notification-contacts/{subject_id}", kBooksRead, get_contact,
             "A subject's notification contact (erased: true after its erasure)."},
            {"PUT", "/v1/billing/notification-settings", roles::admin, put_settings,
             "Sets the default language and the low-balance and low-credits thresholds."},
            {"GET", "/v1/billing/notification-settings", kBooksRead, get_settings,
             "The tenant's notification settings."},
            {"GET", "/v1/billing/notifications", kBooksRead, list_notifications,
             "The notification log, newest first and cursor-paged: all or one subject's, with "
             "each delivery's status, attempts and next attempt."},
            {"GET", "/v1/billing/notifications/{notification_id}", kBooksRead, get_notification,
             "One notification with each delivery's recipient, subject and text."},
        });
}

}  // namespace switchyard::api
