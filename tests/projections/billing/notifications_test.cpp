// The billing_notifications read model: each trigger of the log becomes one pending
// notification for its subject with the trigger's variables (a subscription renewed, failing to
// renew and expired; a reseller's credits falling below the threshold, once per crossing; an
// invoice issued with its number, a credit note not; a VPN device added); a queued
// notification leaves the pending list and its deliveries come due, move with each failure and
// leave when delivered.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/vpn/customer.hpp"
#include "events/billing/invoice_codec.hpp"
#include "events/billing/ledger_codec.hpp"
#include "events/billing/notification_codec.hpp"
#include "events/billing/subscription_codec.hpp"
#include "events/vpn/vpn_codec.hpp"
#include "projections/billing/notifications.hpp"
#include "tests/projections/projector_harness.hpp"

using namespace switchyard;
using namespace switchyard::core::billing;
using namespace switchyard::projections::billing;
using switchyard::testing::ProjectorHarness;

namespace {

const auto kT0 = core::from_unix_seconds(1'790'000'000);  // 2026-09-21T14:13:20Z

std::string var(const NotificationRequest& r, const std::string& name) {
    for (const auto& v : r.vars)
        if (v.name == name) return v.value;
    return "<none>";
}

const NotificationRequest* find(const std::vector<NotificationRequest>& all,
                                NotificationTrigger t) {
    const auto it = std::find_if(all.begin(), all.end(),
                                 [&](const NotificationRequest& r) { return r.trigger == t; });
    return it == all.end() ? nullptr : &*it;
}

void post(ProjectorHarness& h, const std::string& id, const std::string& account, Micros debit,
          Micros credit) {
    JournalEntry e{id, "EUR", "credits", "", "", {{account, debit, credit}}};
    e.postings.push_back({"gateway_clearing:bank", credit, debit});
    h.append(entry_stream(id), events::billing::encode(EntryEvent{EntryPosted{e}}));
}

}  // namespace

TEST_CASE("billing_notifications: each trigger of the log waits once for its notification") {
    ProjectorHarness h(make_billing_notifications_projector());
    h.append(kNotificationSettingsStream, events::billing::encode(NotificationSettingsEvent{
                                              NotificationSettingsSet{{"en", 0, 10'000'000}}}));

    SubscriptionCreated created;
    created.terms = {"s1", "c1", "EUR", "wallet:c1", ""};
    created.plan_id = "vpn-m";
    created.line = "vpn";
    created.period_end = kT0;
    h.append("billing_subscription-s1", events::billing::encode(SubscriptionEvent{created}));
    SubscriptionRenewed renewed;
    renewed.period = 1;
    renewed.plan_id = "vpn-m";
    renewed.period_end = kT0 + std::chrono::hours(24 * 30);
    renewed.amount_micros = 12'500'000;
    h.append("billing_subscription-s1", events::billing::encode(SubscriptionEvent{renewed}));
    h.append("billing_subscription-s1",
             events::billing::encode(SubscriptionEvent{SubscriptionRenewalFailed{
                 2, "insufficient funds", kT0 + std::chrono::hours(24)}}));
    h.append("billing_subscription-s1",
             events::billing::encode(SubscriptionEvent{SubscriptionExpired{kT0}}));

    // Credits: 15.00, then 6.00 spent (9.00: below 10.00), then 1.00 more (still below: no
    // second notification).
    post(h, "e1", "reseller_credit:r1", 0, 15'000'000);
    post(h, "e2", "reseller_credit:r1", 6'000'000, 0);
    post(h, "e3", "reseller_credit:r1", 1'000'000, 0);

    h.append("billing_invoice-inv-1", events::billing::encode(InvoiceNumberEvent{
                                          InvoiceNumbered{"INV-2026", 7, "INV-2026-000007"}}));
    InvoiceIssued issued;
    issued.customer_id = "c1";
    issued.currency = "EUR";
    issued.issued_at = kT0;
    issued.due_at = kT0 + std::chrono::hours(24 * 14);
    issued.totals.total_micros = 119'000'000;
    h.append("billing_invoice-inv-1", events::billing::encode(InvoiceEvent{issued}));
    auto credit_note = issued;
    credit_note.kind = DocumentKind::CreditNote;
    h.append("billing_invoice-cn-1", events::billing::encode(InvoiceEvent{credit_note}));

    core::vpn::Device device;
    device.device_id = "laptop-1";
    device.name = "Ana's laptop";
    device.added_at = kT0;
    h.append("vpn_customer-u_1",
             events::vpn::encode(core::vpn::CustomerEvent{core::vpn::DeviceAdded{device}}));

    const auto pending = pending_triggers(h.view(), 100);
    REQUIRE(pending.size() == 6);

    const auto* r = find(pending, NotificationTrigger::SubscriptionRenewed);
    REQUIRE(r);
    CHECK(r->subject_id == "c1");
    CHECK(var(*r, "subscription_id") == "s1");
    CHECK(var(*r, "plan_id") == "vpn-m");
    CHECK(var(*r, "amount") == "12.50");
    CHECK(var(*r, "currency") == "EUR");
    CHECK(var(*r, "period_end") == "2026-10-21");
    r = find(pending, NotificationTrigger::SubscriptionRenewalFailed);
    REQUIRE(r);
    CHECK(var(*r, "attempt") == "2");
    CHECK(var(*r, "reason") == "insufficient funds");
    CHECK(var(*r, "next_attempt") == "2026-09-22T14:13:20Z");
    r = find(pending, NotificationTrigger::SubscriptionExpired);
    REQUIRE(r);
    CHECK(var(*r, "period_end") == "2026-09-21");
    r = find(pending, NotificationTrigger::CreditsLow);
    REQUIRE(r);
    CHECK(r->subject_id == "r1");
    CHECK(var(*r, "balance") == "9.00");
    CHECK(var(*r, "threshold") == "10.00");
    CHECK(var(*r, "account") == "reseller_credit:r1");
    r = find(pending, NotificationTrigger::InvoiceIssued);
    REQUIRE(r);
    CHECK(var(*r, "invoice_number") == "INV-2026-000007");
    CHECK(var(*r, "total") == "119.00");
    CHECK(var(*r, "due_date") == "2026-10-05");
    r = find(pending, NotificationTrigger::DeviceAdded);
    REQUIRE(r);
    CHECK(r->subject_id == "u_1");
    CHECK(var(*r, "device_name") == "Ana's laptop");
    CHECK(var(*r, "time") == "2026-09-21T14:13:20Z");
    CHECK(r->at == kT0);

    // The renewal's notification queued with an email and a webhook: no longer pending; both
    // deliveries due from the queue time.
    const auto id = find(pending, NotificationTrigger::SubscriptionRenewed)->notification_id;
    const NotificationQueued queued{id,
                                    NotificationTrigger::SubscriptionRenewed,
                                    "c1",
                                    id,
                                    kT0,
                                    {{NotificationChannel::Email, "en", "sealed", "s", "b"},
                                     {NotificationChannel::Webhook, "", "", "", "{}"}},
                                    {"sms: no contact phone"}};
    h.append(notification_stream(id), events::billing::encode(NotificationEvent{queued}));
    CHECK(pending_triggers(h.view(), 100).size() == 5);
    CHECK(due_deliveries(h.view(), kT0 - std::chrono::seconds(1), 100).empty());
    CHECK(due_deliveries(h.view(), kT0, 100).size() == 2);

    // The webhook failed (retry in a minute), the email delivered.
    h.append(notification_stream(id),
             events::billing::encode(NotificationEvent{NotificationFailed{
                 NotificationChannel::Webhook, 1, "HTTP 503", kT0 + std::chrono::seconds(60)}}));
    h.append(notification_stream(id),
             events::billing::encode(NotificationEvent{
                 NotificationDelivered{NotificationChannel::Email, 1, "250 2.0.0 Ok"}}));
    CHECK(due_deliveries(h.view(), kT0 + std::chrono::seconds(59), 100).empty());
    const auto due = due_deliveries(h.view(), kT0 + std::chrono::seconds(60), 100);
    REQUIRE(due.size() == 1);
    CHECK(due[0].notification_id == id);
    CHECK(due[0].channel == NotificationChannel::Webhook);
    const auto row = find_notification(h.view(), id);
    REQUIRE(row);
    REQUIRE(row->deliveries.size() == 2);
    CHECK(row->deliveries[0].status == "delivered");
    CHECK(row->deliveries[0].reply == "250 2.0.0 Ok");
    CHECK(row->deliveries[1].status == "pending");
    CHECK(row->deliveries[1].last_error == "HTTP 503");
    CHECK(row->skipped == std::vector<std::string>{"sms: no contact phone"});
    CHECK(list_notifications(h.view(), "c1", "", 10).size() == 1);
    CHECK(list_notifications(h.view(), "r1", "", 10).empty());
}
