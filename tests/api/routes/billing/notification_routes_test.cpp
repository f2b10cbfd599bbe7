// Notifications over HTTP as `serve` starts the billing module, delivered to real servers on
// loopback: an SMTP server (aiosmtpd), an SMS gateway and a webhook endpoint (HTTP/1.1
// servers answering as the documented gateway would). A payment received, a wallet falling
// below the tenant's threshold, a subscription's 3-day reminder and a password change each
// notify their subject once, in the contact's language or the default one; the SMS gateway
// failing once is retried a minute later; the webhook is signed; the erased customer's
// notifications read [erased] and the log never held their address in clear; bad input is 4xx
// naming the field with nothing appended.
#include <doctest/doctest.h>

#include <fstream>

#include "app/modules/billing_module.hpp"
#include "app/modules/billing_notifications.hpp"
#include "app/modules/billing_renewals.hpp"
#include "events/billing/gateway_webhooks.hpp"
#include "events/envelope_codec.hpp"
#include "tests/adapters/hotspot/loopback_servers.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/api/routes/billing/billing_fixture.hpp"
#include "tests/api/sign_in.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/smtp_server.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

constexpr const char* kWebhookSecret = "whsec_notify_test";

/// The notifications of `subject`, newest first.
std::vector<std::string> notification_ids(ApiFixture& f, const std::string& subject) {
    simdjson::dom::parser p;
    auto r = f.call("GET", "/v1/billing/notifications?subject_id=" + subject);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    std::vector<std::string> ids;
    const simdjson::dom::array items = parse_json(p, r.body)["items"].get_array().value();
    for (auto item : items) ids.push_back(str(item, "notification_id"));
    return ids;
}

/// The notification of `subject` about `trigger` (REQUIREs one).
std::string notification_of(ApiFixture& f, const std::string& subject, const std::string& trigger) {
    simdjson::dom::parser p;
    auto r = f.call("GET", "/v1/billing/notifications?subject_id=" + subject);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    std::vector<std::string> found;
    const simdjson::dom::array items = parse_json(p, r.body)["items"].get_array().value();
    for (auto item : items)
        if (str(item, "trigger") == trigger) found.push_back(str(item, "notification_id"));
    REQUIRE_MESSAGE(found.size() == 1, trigger << " of " << subject << ": " << r.body);
    return found[0];
}

/// The channel's delivery of a notification as GET /v1/billing/notifications/{id} shows it.
std::string delivery_field(ApiFixture& f, const std::string& id, const std::string& channel,
                           const char* field) {
    simdjson::dom::parser p;
    auto r = f.call("GET", "/v1/billing/notifications/" + id);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    const simdjson::dom::array deliveries = parse_json(p, r.body)["deliveries"].get_array().value();
    for (auto d : deliveries)
        if (str(d, "channel") == channel) {
            auto v = d[field];
            if (v.is_int64()) return std::to_string(v.get_int64().value());
            if (v.is_null()) return "null";
            return std::string(v.get_string().value());
        }
    FAIL("no " << channel << " delivery: " << r.body);
    return {};
}

}  // namespace

TEST_CASE("notifications API: triggers notify by email, SMS and webhook, retried, erased") {
    const auto python = python_with_aiosmtpd();
    if (python.empty()) {
        skip("python3-aiosmtpd is not installed");
        return;
    }
    SmtpServer smtp(python);
    std::atomic<int> sms_calls{0};
    HttpServer sms_gateway([&](const HttpExchange&) -> HttpAnswer {
        // The gateway is down for the first message, then accepts.
        if (sms_calls++ == 0) return {503, R"({"error":"busy"})", {}};
        return {202, R"({"message_id":"sms-1"})", {}};
    });
    HttpServer webhook([](const HttpExchange&) -> HttpAnswer { return {204, "", {}}; });
    TempDir dir;
    const auto secret_file = (dir.path() / "webhook-secret").string();
    const auto token_file = (dir.path() / "sms-token").string();
    std::ofstream(secret_file) << kWebhookSecret << "\n";
    std::ofstream(token_file) << "sms-token-1\n";
    ApiFixture f([&](app::Modules& modules) {
        for (auto& m : modules)
            if (auto* b = dynamic_cast<app::BillingModule*>(m.get())) {
                b->seller_name = "Nordwind Netze";
                b->seller_email = "billing@nordwind.example";
                b->smtp_url = smtp.config().url;
                b->sms_gateway_url = sms_gateway.base_url() + "/v1/messages";
                b->sms_gateway_token_file = token_file;
                b->notification_webhook_url = webhook.base_url() + "/hooks/switchyard";
                b->notification_webhook_secret_file = secret_file;
            }
    });
    simdjson::dom::parser p;
    auto senders = billing(f).notification_senders();
    REQUIRE_MESSAGE(senders, (senders ? "" : senders.error().message));
    app::NotificationWorker notifier(billing(f).notifications(), *f.runner, f.clock, *senders);
    app::RenewalWorker renewals(billing(f).subscriptions(), *f.runner, f.clock);

    // The tenant's settings, templates and contacts.
    auto set = f.call("PUT", "/v1/billing/notification-settings",
                      R"({"default_language":"en","balance_low_micros":5000000})");
    REQUIRE_MESSAGE(set.status == 200, set.body);
    const std::vector<std::pair<std::string, std::string>> templates{
        {"subscription.expiring/email/de",
         R"({"subject":"Ihr Paket {{plan_id}} endet in {{days_before}} Tagen",
             "body":"Hallo {{name}},\nIhr Paket endet am {{period_end}}."})"},
        {"subscription.expiring/email/en",
         R"({"subject":"Your {{plan_id}} ends in {{days_before}} days","body":"Hi {{name}}."})"},
        {"subscription.expiring/sms/en", R"({"body":"{{plan_id}} ends {{period_end}}"})"},
        {"payment.received/email/en",
         R"({"subject":"Payment received: {{amount}} {{currency}}",
             "body":"Thank you {{name}}, we received {{amount}} {{currency}} ({{method}})."})"},
        {"password.changed/email/en",
         R"({"subject":"Your password was changed","body":"At {{time}}."})"},
    };
    for (const auto& [path, body] : templates) {
        auto r = f.call("PUT", "/v1/billing/notification-templates/" + path, body);
        REQUIRE_MESSAGE(r.status == 200, path << ": " << r.body);
    }
    auto contact = f.call("PUT", "/v1/billing/notification-contacts/c1",
                          R"({"name":"Ana Lima","email":"ana.lima@example.net",
                              "phone":"+4915123456789","language":"de"})");
    REQUIRE_MESSAGE(contact.status == 200, contact.body);
    auto read_contact = f.call("GET", "/v1/billing/notification-contacts/c1");
    REQUIRE(read_contact.status == 200);
    CHECK(str(parse_json(p, read_contact.body), "email") == "ana.lima@example.net");

    // Bad input: 4xx naming the field, nothing appended.
    f.settle();
    auto before = f.log_size();
    check_problem(f,
                  f.call("PUT", "/v1/billing/notification-templates/invoice.issued/email/en",
                         R"({"subject":"Invoice {{invoice_number}}","body":"{{plan_id}}"})"),
                  400, "body", before);
    check_problem(f,
                  f.call("PUT", "/v1/billing/notification-templates/invoice.sent/email/en",
                         R"({"subject":"x","body":"y"})"),
                  400, "trigger", before);
    check_problem(f,
                  f.call("PUT", "/v1/billing/notification-templates/invoice.issued/fax/en",
                         R"({"body":"y"})"),
                  400, "channel", before);
    check_problem(f,
                  f.call("PUT", "/v1/billing/notification-templates/invoice.issued/email/EN",
                         R"({"subject":"x","body":"y"})"),
                  400, "language", before);
    check_problem(f,
                  f.call("PUT", "/v1/billing/notification-templates/invoice.issued/email/en",
                         R"({"body":"y"})"),
                  400, "subject", before);
    check_problem(
        f, f.call("PUT", "/v1/billing/notification-contacts/c2", R"({"phone":"0151 2345678"})"),
        400, "phone", before);
    check_problem(
        f, f.call("PUT", "/v1/billing/notification-contacts/c2", R"({"email":"not an address"})"),
        400, "email", before);
    check_problem(
        f, f.call("PUT", "/v1/billing/notification-settings", R"({"credits_low_micros":-1})"), 400,
        "credits_low_micros", before);
    check_problem(f, f.call("DELETE", "/v1/billing/notification-templates/device.added/sms/en"),
                  404, "language", before);
    check_problem(f, f.call("GET", "/v1/billing/notifications?limit=0"), 400, "limit", before);

    // A payment of 20.00 (the wallet opened with it), then a subscription of 18.00 from the
    // wallet: 2.00 left, below the threshold of 5.00.
    REQUIRE(f.call("POST", "/v1/billing/plans",
                   R"({"plan_id":"vpn-m","name":"VPN monthly","line":"vpn",
                       "prices":[{"currency":"EUR","amount_micros":18000000}]})")
                .status == 201);
    REQUIRE(f.call("POST", "/v1/billing/accounts", R"({"account":"wallet:c1","currency":"EUR"})")
                .status == 201);
    auto paid = f.call("POST", "/v1/billing/payments",
                       R"({"payment_id":"bank-1","method":"bank_transfer","customer_id":"c1",
                           "currency":"EUR","amount_micros":20000000})");
    REQUIRE_MESSAGE(paid.status == 201, paid.body);
    REQUIRE(balance(f, "wallet:c1") == 20'000'000);
    auto sub = f.call("POST", "/v1/billing/subscriptions",
                      R"({"subscription_id":"s1","customer_id":"c1","plan_id":"vpn-m",
                          "currency":"EUR","payer":"wallet:c1","auto_renew":false})");
    REQUIRE_MESSAGE(sub.status == 201, sub.body);
    CHECK(balance(f, "wallet:c1") == 2'000'000);

    // A user changes their password; their contact has an email.
    const auto user = create_user(f, f.key, "ana", "customer");
    REQUIRE(f.call("PUT", "/v1/billing/notification-contacts/" + user,
                   R"({"email":"ana.account@example.net"})")
                .status == 200);
    const auto token = sign_in(f, "ana");
    auto changed = as(f, token, "POST", "/v1/auth/password",
                      std::string(R"({"current_password":")") + kPassword +
                          R"(","password":"N3w-Horse-Battery-Staple"})");
    REQUIRE_MESSAGE(changed.status == 200, changed.body);

    // The notifier queues the four notifications so far (the subscription's receipt is an
    // invoice issued, which has no template: the webhook only), then makes their six
    // deliveries (each recorded once).
    auto run_notifier = [&] {
        std::size_t commands = 0;
        for (int i = 0; i < 10; ++i) {
            const auto n = notifier.run_once();
            f.settle();
            if (n == 0) break;
            commands += n;
        }
        return commands;
    };
    CHECK(run_notifier() == 4 + 6);

    // A payment of another customer that the notifier reads only 27 days later (stopped, say):
    // stale, logged without deliveries, no webhook.
    REQUIRE(f.call("POST", "/v1/billing/payments",
                   R"({"payment_id":"bank-9","method":"bank_transfer","customer_id":"c9",
                       "currency":"EUR","amount_micros":1000000})")
                .status == 201);

    // 27 days on, the 3-day reminder comes due: queued, its email and webhook delivered, its
    // SMS failed (the gateway is down).
    f.clock.advance(std::chrono::hours(24 * 27) + std::chrono::hours(1));
    CHECK(renewals.run_once() >= 1);
    f.settle();
    CHECK(run_notifier() == 2 + 3);
    const auto stale = notification_of(f, "c9", "payment.received");
    auto stale_row = f.call("GET", "/v1/billing/notifications/" + stale);
    REQUIRE(stale_row.status == 200);
    auto stale_doc = parse_json(p, stale_row.body);
    CHECK(stale_doc["deliveries"].get_array().size() == 0);
    REQUIRE(stale_doc["skipped"].get_array().size() == 1);
    CHECK(std::string(stale_doc["skipped"].at(0).get_string().value()) ==
          "stale: the fact is more than 24 h old; not sent");

    const auto reminder = notification_of(f, "c1", "subscription.expiring");
    const auto payment = notification_of(f, "c1", "payment.received");
    const auto low = notification_of(f, "c1", "balance.low");
    const auto password = notification_of(f, user, "password.changed");
    const auto receipt = notification_of(f, "c1", "invoice.issued");
    CHECK(notification_ids(f, "c1").size() == 4);
    // Paged newest first: three, then the fourth after the cursor.
    auto first_page = f.call("GET", "/v1/billing/notifications?subject_id=c1&limit=3");
    REQUIRE(first_page.status == 200);
    auto first_doc = parse_json(p, first_page.body);
    CHECK(first_doc["items"].get_array().size() == 3);
    const auto cursor = str(first_doc, "next_cursor");
    CHECK(cursor == notification_ids(f, "c1")[2]);
    auto second_page =
        f.call("GET", "/v1/billing/notifications?subject_id=c1&limit=3&cursor=" + cursor);
    REQUIRE(second_page.status == 200);
    auto second_doc = parse_json(p, second_page.body);
    REQUIRE(second_doc["items"].get_array().size() == 1);
    CHECK(str(second_doc["items"].at(0), "notification_id") == notification_ids(f, "c1")[3]);
    CHECK(second_doc["next_cursor"].is_null());

    // Email: the reminder in German, the payment in English (no German template).
    REQUIRE(smtp.count() == 3);
    std::map<std::string, std::multimap<std::string, std::string>> mails;
    for (int i = 1; i <= 3; ++i) {
        auto m = smtp.inspect(i);
        mails[one(m, "to")] = m;
        if (one(m, "subject").starts_with("Ihr")) {
            CHECK(one(m, "subject") == "Ihr Paket vpn-m endet in 3 Tagen");
            CHECK(one(m, "from_addr") == "billing@nordwind.example");
            CHECK(one(m, "from_name") == "Nordwind Netze");
            bool text = false;
            for (const auto& part : mail_parts(m))
                if (part.type == "text/plain")
                    text = part.bytes.find("Hallo Ana Lima") != std::string::npos;
            CHECK(text);
        }
    }
    CHECK(mails.count("ana.account@example.net") == 1);
    CHECK(delivery_field(f, reminder, "email", "status") == "delivered");
    CHECK(delivery_field(f, reminder, "email", "language") == "de");
    CHECK(delivery_field(f, payment, "email", "subject") == "Payment received: 20.00 EUR");
    CHECK(delivery_field(f, payment, "email", "body") ==
          "Thank you Ana Lima, we received 20.00 EUR (bank_transfer).");
    CHECK(delivery_field(f, password, "email", "status") == "delivered");
    CHECK(delivery_field(f, password, "email", "to") == "ana.account@example.net");

    // The low balance has no template: no email, said; the webhook still carries it.
    auto low_row = f.call("GET", "/v1/billing/notifications/" + low);
    REQUIRE(low_row.status == 200);
    auto low_doc = parse_json(p, low_row.body);
    REQUIRE(low_doc["skipped"].get_array().size() == 2);
    CHECK(std::string(low_doc["skipped"].at(0).get_string().value()) ==
          "email: no template in de or en");
    CHECK(std::string(low_doc["skipped"].at(1).get_string().value()) ==
          "sms: no template in de or en");

    // The webhook: every notification, signed as Stripe signs (verified with the same code).
    const auto hooks = webhook.received();
    REQUIRE(hooks.size() == 5);
    bool low_seen = false, receipt_seen = false;
    for (const auto& h : hooks) {
        CHECK(h.target == "/hooks/switchyard");
        CHECK(h.headers.at("content-type") == "application/json");
        // Verified at the time it was sent (three of them 27 days ago), as a receiver would.
        const auto& signature = h.headers.at("switchyard-signature");
        REQUIRE(signature.starts_with("t="));
        const auto sent_at = core::from_unix_seconds(std::stoll(signature.substr(2)));
        CHECK(
            events::billing::verify_stripe_signature(signature, h.body, {kWebhookSecret}, sent_at));
        CHECK_FALSE(events::billing::verify_stripe_signature(signature, h.body + " ",
                                                             {kWebhookSecret}, sent_at));
        auto doc = parse_json(p, h.body);
        CHECK(str(doc, "id") == h.headers.at("switchyard-notification-id"));
        if (str(doc, "trigger") == "invoice.issued") {
            // The subscription's receipt: its invoice numbered first in the year's series.
            receipt_seen = true;
            CHECK(str(doc, "id") == receipt);
            CHECK(str(doc["variables"], "invoice_id") == "sub:s1:1");
            CHECK(str(doc["variables"], "invoice_number").ends_with("-000001"));
            CHECK(str(doc["variables"], "total") == "18.00");
            CHECK(str(doc["variables"], "due_date") == "");
        }
        if (str(doc, "trigger") == "balance.low") {
            low_seen = true;
            CHECK(str(doc, "subject_id") == "c1");
            CHECK(str(doc["variables"], "balance") == "2.00");
            CHECK(str(doc["variables"], "threshold") == "5.00");
            CHECK(str(doc["variables"], "account") == "wallet:c1");
            CHECK(str(doc["variables"], "name") == "Ana Lima");
        }
    }
    CHECK(low_seen);
    CHECK(receipt_seen);

    // SMS: the gateway failed once; retried a minute later, delivered.
    CHECK(delivery_field(f, reminder, "sms", "status") == "pending");
    CHECK(delivery_field(f, reminder, "sms", "attempts") == "1");
    CHECK(delivery_field(f, reminder, "sms", "last_error").find("HTTP 503") == 0);
    f.clock.advance(std::chrono::seconds(30));
    CHECK(notifier.run_once() == 0);  // not due yet
    f.clock.advance(std::chrono::seconds(31));
    CHECK(notifier.run_once() == 1);
    f.settle();
    CHECK(delivery_field(f, reminder, "sms", "status") == "delivered");
    CHECK(delivery_field(f, reminder, "sms", "attempts") == "2");
    const auto sms = sms_gateway.received();
    REQUIRE(sms.size() == 2);
    CHECK(sms[1].headers.at("authorization") == "Bearer sms-token-1");
    auto sms_doc = parse_json(p, sms[1].body);
    CHECK(str(sms_doc, "to") == "+4915123456789");
    CHECK(str(sms_doc, "text").starts_with("vpn-m ends "));
    CHECK(str(sms_doc, "reference") == reminder);

    // Erased: the deliveries read [erased]; the log never held the address in clear.
    auto erased = f.call("POST", "/v1/billing/customers/c1/erasure", R"({"reason":"GDPR"})");
    REQUIRE_MESSAGE(erased.status == 200, erased.body);
    CHECK(delivery_field(f, payment, "email", "to") == "[erased]");
    CHECK(delivery_field(f, payment, "email", "body") == "[erased]");
    auto contact_after = f.call("GET", "/v1/billing/notification-contacts/c1");
    REQUIRE(contact_after.status == 200);
    CHECK(parse_json(p, contact_after.body)["erased"].get_bool().value());
    auto all = f.store->read_all({}, 100'000);
    REQUIRE(all);
    std::string ndjson;
    int notification_events = 0;
    for (const auto& e : *all) {
        ndjson += events::encode_envelope(e) + "\n";
        if (e.type.starts_with("billing.notification")) ++notification_events;
    }
    CHECK(ndjson.find("ana.lima@example.net") == std::string::npos);
    CHECK(ndjson.find("Ana Lima") == std::string::npos);
    // 1 settings, 5 templates, 2 contacts, 6 queued (one stale, one the subscription's
    // receipt), 9 delivered, 1 failed.
    CHECK(notification_events == 24);
#ifdef SY_EVENTS_OUT_NOTIFICATIONS
    std::ofstream(SY_EVENTS_OUT_NOTIFICATIONS) << ndjson;
#endif
}
