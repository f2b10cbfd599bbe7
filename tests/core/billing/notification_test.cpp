// Notifications: templates checked against their trigger's variables and rendered; a trigger's
// notification made once in the contact's language or the default one, each channel left out
// said why; delivery attempts retried 1 min, 5 min, 30 min, 2 h, 6 h, then given up; a
// permanent refusal given up at once; amounts in the currency's minor unit.
#include <doctest/doctest.h>

#include "core/billing/notification.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core::billing;
using switchyard::testing::error_of;

namespace {

const auto kNow = core::from_unix_seconds(1'790'000'000);

NotificationTemplate email_template(std::string language, std::string subject, std::string body) {
    return {NotificationTrigger::SubscriptionExpiring, NotificationChannel::Email,
            std::move(language), std::move(subject), std::move(body)};
}

NotificationRequest expiring_request() {
    return {"evt-1",
            NotificationTrigger::SubscriptionExpiring,
            "cust-1",
            "evt-1",
            {{"plan_id", "iptv-1m"}, {"days_before", "3"}, {"period_end", "2026-12-06"}}};
}

}  // namespace

TEST_CASE("a template names only its trigger's variables") {
    CHECK(
        check_template(email_template("de", "Ihr Paket {{plan_id}}", "Noch {{days_before}} Tage")));
    auto e = error_of(check_template(email_template("de", "x", "Hallo {{invoice_number}}")));
    CHECK(e.field == "body");
    CHECK(e.message.find("{{invoice_number}}") != std::string::npos);
    CHECK(e.message.find("subscription.expiring") != std::string::npos);
    CHECK(error_of(check_template(email_template("de", "", "x"))).field == "subject");
    CHECK(error_of(check_template(email_template("de", "a\nb", "x"))).field == "subject");
    CHECK(error_of(check_template(email_template("de", "x", "open {{plan_id"))).field == "body");
    CHECK(error_of(check_template(email_template("de", "x", ""))).field == "body");
    CHECK(error_of(check_template(email_template("DE", "x", "y"))).field == "language");
    CHECK(error_of(check_template(email_template("pt-br", "x", "y"))).field == "language");
    CHECK(check_template(email_template("pt-BR", "x", "y")));
    NotificationTemplate sms{NotificationTrigger::InvoiceIssued, NotificationChannel::Sms, "en",
                             "a subject", "Invoice {{invoice_number}}"};
    CHECK(error_of(check_template(sms)).field == "subject");
    sms.subject.clear();
    CHECK(check_template(sms));
    sms.body = std::string(1001, 'x');
    CHECK(error_of(check_template(sms)).field == "body");
    // Every trigger has the common variables.
    for (auto t : notification_triggers()) {
        const auto& vars = notification_variables(t);
        CHECK(std::find(vars.begin(), vars.end(), "name") != vars.end());
        NotificationTrigger back{};
        CHECK(parse_notification_trigger(to_string(t), back));
        CHECK(back == t);
    }
}

TEST_CASE("rendering replaces each variable, spaces inside the braces allowed") {
    const std::vector<NotificationVar> vars{{"name", "Ana"}, {"plan_id", "vpn-pro"}};
    CHECK(render_template("Hi {{name}}, {{ plan_id }} ends; {{days_before}}.", vars) ==
          "Hi Ana, vpn-pro ends; .");
    CHECK(render_template("no variables", vars) == "no variables");
    CHECK(render_template("{{name}}{{name}}", vars) == "AnaAna");
}

TEST_CASE("a trigger's notification: the contact's language, else the default, skips said") {
    const std::vector<NotificationTemplate> templates{
        email_template("de", "Ihr {{plan_id}} endet in {{days_before}} Tagen",
                       "Hallo {{name}}, am {{period_end}} endet {{plan_id}}."),
        email_template("en", "Your {{plan_id}} ends in {{days_before}} days", "Hi {{name}}."),
        {NotificationTrigger::SubscriptionExpiring, NotificationChannel::Sms, "en", "",
         "{{plan_id}} ends {{period_end}}"}};
    NotificationSettings settings;
    NotificationContact ana{"cust-1", "Ana Lima", "ana@example.net", "+4915123456789", "de"};
    NotificationState s;
    auto events = decide_queue(s, expiring_request(), ana, false, settings, true, templates, kNow);
    REQUIRE(events.size() == 1);
    const auto& q = std::get<NotificationQueued>(events[0]);
    CHECK(q.notification_id == "evt-1");
    CHECK(q.queued_at == kNow);
    REQUIRE(q.deliveries.size() == 2);
    CHECK(q.deliveries[0].channel == NotificationChannel::Email);
    CHECK(q.deliveries[0].language == "de");
    CHECK(q.deliveries[0].to == "ana@example.net");
    CHECK(q.deliveries[0].subject == "Ihr iptv-1m endet in 3 Tagen");
    CHECK(q.deliveries[0].body == "Hallo Ana Lima, am 2026-12-06 endet iptv-1m.");
    // No German SMS template: the English one.
    CHECK(q.deliveries[1].channel == NotificationChannel::Sms);
    CHECK(q.deliveries[1].language == "en");
    CHECK(q.deliveries[1].to == "+4915123456789");
    CHECK(q.deliveries[1].body == "iptv-1m ends 2026-12-06");
    CHECK(q.skipped.empty());

    // Queued once.
    evolve(s, events[0]);
    CHECK(decide_queue(s, expiring_request(), ana, false, settings, true, templates, kNow).empty());
    CHECK(s.find(NotificationChannel::Email)->next_attempt_at == kNow);

    // No phone, no SMS gateway, no contact, an erased contact: skipped with the reason.
    NotificationContact no_phone = ana;
    no_phone.phone.clear();
    no_phone.language = "fr";
    auto q2 = std::get<NotificationQueued>(
        decide_queue({}, expiring_request(), no_phone, false, settings, true, templates, kNow)[0]);
    REQUIRE(q2.deliveries.size() == 1);
    CHECK(q2.deliveries[0].language == "en");
    CHECK(q2.deliveries[0].body == "Hi Ana Lima.");
    CHECK(q2.skipped == std::vector<std::string>{"sms: no contact phone"});
    auto q3 = std::get<NotificationQueued>(decide_queue({}, expiring_request(), std::nullopt, false,
                                                        settings, false, templates, kNow)[0]);
    CHECK(q3.deliveries.empty());
    CHECK(q3.skipped == std::vector<std::string>{"email: no contact email"});
    auto q4 = std::get<NotificationQueued>(decide_queue({}, expiring_request(), std::nullopt, true,
                                                        settings, true, templates, kNow)[0]);
    CHECK(q4.skipped ==
          std::vector<std::string>{"email: the contact was erased", "sms: the contact was erased"});
    settings.default_language = "es";
    auto q5 = std::get<NotificationQueued>(
        decide_queue({}, expiring_request(), no_phone, false, settings, false, templates, kNow)[0]);
    CHECK(q5.skipped == std::vector<std::string>{"email: no template in fr or es"});
}

TEST_CASE("a trigger found more than the maximum age after its fact is logged as stale") {
    auto r = expiring_request();
    r.at = kNow - std::chrono::hours(25);
    const auto max_age = kNotificationMaxAge;
    auto events = decide_stale({}, r, kNow, max_age);
    REQUIRE(events.size() == 1);
    const auto& q = std::get<NotificationQueued>(events[0]);
    CHECK(q.deliveries.empty());
    CHECK(q.skipped == std::vector<std::string>{"stale: the fact is more than 24 h old; not sent"});
    r.at = kNow - std::chrono::hours(24);
    CHECK(decide_stale({}, r, kNow, max_age).empty());
    // Queued before: nothing, stale or not.
    NotificationState s;
    evolve(s, events[0]);
    r.at = kNow - std::chrono::hours(48);
    CHECK(decide_stale(s, r, kNow, max_age).empty());
}

TEST_CASE("a failing delivery is retried on a backoff and given up after six attempts") {
    NotificationState s;
    NotificationQueued q{"n-1",    NotificationTrigger::PaymentReceived,
                         "cust-1", "e-1",
                         kNow,     {{NotificationChannel::Webhook, "", "", "", "{}"}},
                         {}};
    evolve(s, q);
    auto t = kNow;
    const std::vector<std::chrono::seconds> waits{
        std::chrono::seconds(60), std::chrono::seconds(300), std::chrono::seconds(1800),
        std::chrono::seconds(7200), std::chrono::seconds(21600)};
    for (std::size_t i = 0; i < waits.size(); ++i) {
        auto e = decide_attempt(s, NotificationChannel::Webhook, {false, false, "HTTP 503"}, t);
        REQUIRE(e.size() == 1);
        const auto& f = std::get<NotificationFailed>(e[0]);
        CHECK(f.attempt == static_cast<std::int64_t>(i + 1));
        REQUIRE(f.retry_at);
        CHECK(*f.retry_at == t + waits[i]);
        evolve(s, e[0]);
        t = *f.retry_at;
    }
    auto last = decide_attempt(s, NotificationChannel::Webhook, {false, false, "HTTP 503"}, t);
    REQUIRE(last.size() == 1);
    CHECK(std::get<NotificationFailed>(last[0]).attempt == kMaxDeliveryAttempts);
    CHECK_FALSE(std::get<NotificationFailed>(last[0]).retry_at);
    evolve(s, last[0]);
    CHECK(s.find(NotificationChannel::Webhook)->status == DeliveryStatus::Failed);
    // Given up: nothing more; an unknown channel: nothing.
    CHECK(decide_attempt(s, NotificationChannel::Webhook, {true, false, "200"}, t).empty());
    CHECK(decide_attempt(s, NotificationChannel::Email, {true, false, "250"}, t).empty());
}

TEST_CASE("a delivery: delivered once, a permanent refusal gives up at once") {
    NotificationState s;
    evolve(s, NotificationQueued{"n-1",
                                 NotificationTrigger::PaymentReceived,
                                 "c",
                                 "e",
                                 kNow,
                                 {{NotificationChannel::Email, "en", "a@b.c", "s", "b"},
                                  {NotificationChannel::Sms, "en", "+4915123456789", "", "b"}},
                                 {}});
    auto ok = decide_attempt(s, NotificationChannel::Email, {true, false, "250 2.0.0 Ok"}, kNow);
    REQUIRE(ok.size() == 1);
    CHECK(std::get<NotificationDelivered>(ok[0]).attempt == 1);
    evolve(s, ok[0]);
    CHECK(s.find(NotificationChannel::Email)->status == DeliveryStatus::Delivered);
    CHECK(decide_attempt(s, NotificationChannel::Email, {true, false, "again"}, kNow).empty());
    auto refused = decide_attempt(s, NotificationChannel::Sms, {false, true, "HTTP 400"}, kNow);
    REQUIRE(refused.size() == 1);
    CHECK_FALSE(std::get<NotificationFailed>(refused[0]).retry_at);
}

TEST_CASE("contacts and settings are checked field by field") {
    NotificationContact c{"cust-1", "Ana", "ana@example.net", "+4915123456789", "de"};
    CHECK(check_contact(c));
    auto bad = c;
    bad.subject_id = "a b";
    CHECK(error_of(check_contact(bad)).field == "subject_id");
    bad = c;
    bad.email = "ana";
    CHECK(error_of(check_contact(bad)).field == "email");
    bad = c;
    bad.phone = "4915123456789";
    CHECK(error_of(check_contact(bad)).field == "phone");
    bad.phone = "+99912345678";  // no such country code
    CHECK(error_of(check_contact(bad)).field == "phone");
    bad = c;
    bad.language = "german";
    CHECK(error_of(check_contact(bad)).field == "language");
    bad = c;
    bad.name = "Ana\r\nBcc: x";
    CHECK(error_of(check_contact(bad)).field == "name");
    NotificationSettings s;
    CHECK(check_settings(s));
    s.balance_low_micros = -1;
    CHECK(error_of(check_settings(s)).field == "balance_low_micros");
}

TEST_CASE("amounts are written in the currency's minor unit") {
    CHECK(format_amount(12'500'000, "EUR") == "12.50");
    CHECK(format_amount(-1'000'000, "EUR") == "-1.00");
    CHECK(format_amount(4'999, "EUR") == "0.00");
    CHECK(format_amount(5'000, "EUR") == "0.01");
    CHECK(format_amount(1'200'000'000, "JPY") == "1200");
    CHECK(format_amount(1'234'500, "BHD") == "1.235");
}
