// Payments decided: received once, refunded (by staff from the wallet; by a gateway, what the
// wallet lacks onto the receivable), Stripe's cumulative refunds, chargebacks opened and won or
// lost; every entry balances; bad input is refused naming the field.
#include <doctest/doctest.h>

#include "core/billing/payment.hpp"

using namespace switchyard::core;
using namespace switchyard::core::billing;

namespace {

ReceivePayment bank(Micros amount) {
    ReceivePayment c;
    c.payment_id = "p1";
    c.method = PaymentMethod::BankTransfer;
    c.customer_id = "c1";
    c.currency = "EUR";
    c.amount_micros = amount;
    c.reference = "SEPA 2026-12-01";
    return c;
}

PaymentState received(Micros amount) {
    PaymentState s;
    auto d = decide(s, bank(amount));
    REQUIRE(d);
    for (const auto& e : d->events) evolve(s, e);
    return s;
}

Micros debits(const JournalEntry& e, const std::string& account) {
    Micros out = 0;
    for (const auto& p : e.postings)
        if (p.account == account) out += p.debit_micros - p.credit_micros;
    return out;
}

}  // namespace

TEST_CASE("a payment credits the wallet from the method's clearing account, once") {
    PaymentState s;
    auto d = decide(s, bank(12'500'000));
    REQUIRE(d);
    REQUIRE(d->entry);
    CHECK(d->entry->entry_id == "pay:p1");
    CHECK(check_entry(*d->entry));
    CHECK(debits(*d->entry, "gateway_clearing:bank") == 12'500'000);
    CHECK(debits(*d->entry, "wallet:c1") == -12'500'000);
    for (const auto& e : d->events) evolve(s, e);

    // The same payment again (another delivery of it) decides nothing; other terms conflict.
    auto again = bank(12'500'000);
    again.gateway_event_id = "evt_2";
    auto same = decide(s, again);
    REQUIRE(same);
    CHECK(same->events.empty());
    CHECK_FALSE(same->entry);
    auto other = decide(s, bank(1'000'000));
    REQUIRE_FALSE(other);
    CHECK(other.error().code == Errc::Conflict);
    CHECK(other.error().field == "payment_id");
}

TEST_CASE("bad payments are refused naming the field") {
    PaymentState s;
    auto c = bank(0);
    CHECK(decide(s, c).error().field == "amount_micros");
    c = bank(1);
    c.currency = "euro";
    CHECK(decide(s, c).error().field == "currency");
    c = bank(1);
    c.customer_id = "has space";
    CHECK(decide(s, c).error().field == "customer_id");
    c = bank(1);
    c.note = std::string("line\nbreak");
    CHECK(decide(s, c).error().field == "note");
    c = bank(1);
    c.subscription_id = "a/b";
    CHECK(decide(s, c).error().field == "subscription_id");
}

TEST_CASE(
    "a refund by staff comes from the wallet, a gateway's puts the shortfall on the receivable") {
    auto s = received(10'000'000);
    RefundPayment staff{"r1", 4'000'000, false, "goodwill", "", false};
    auto d = decide_refund(s, staff, 1'000'000);
    REQUIRE(d);
    CHECK(debits(*d->entry, "wallet:c1") == 4'000'000);  // the ledger's guard refuses it later
    CHECK(d->entry->entry_id == "pay:p1:refund:r1");
    CHECK(check_entry(*d->entry));

    RefundPayment gateway{"r2", 4'000'000, false, "", "evt_9", true};
    d = decide_refund(s, gateway, 1'000'000);
    REQUIRE(d);
    CHECK(debits(*d->entry, "wallet:c1") == 1'000'000);
    CHECK(debits(*d->entry, "receivable:c1") == 3'000'000);
    CHECK(debits(*d->entry, "gateway_clearing:bank") == -4'000'000);
    CHECK(check_entry(*d->entry));
    for (const auto& e : d->events) evolve(s, e);
    CHECK(s.refundable_micros() == 6'000'000);

    // The same refund id again: nothing; another amount under it: a conflict; past the rest:
    // refused.
    CHECK(decide_refund(s, gateway, 0)->events.empty());
    gateway.amount_micros = 5'000'000;
    CHECK(decide_refund(s, gateway, 0).error().code == Errc::Conflict);
    RefundPayment big{"r3", 6'000'001, false, "", "", true};
    auto refused = decide_refund(s, big, 0);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::Rejected);
    CHECK(refused.error().field == "amount_micros");
}

TEST_CASE("Stripe's cumulative amount_refunded records only what it adds") {
    auto s = received(10'000'000);
    RefundPayment first{"ch_1.300", 3'000'000, true, "", "evt_1", true};
    auto d = decide_refund(s, first, 10'000'000);
    REQUIRE(d);
    REQUIRE(d->events.size() == 1);
    CHECK(std::get<PaymentRefunded>(d->events[0]).amount_micros == 3'000'000);
    for (const auto& e : d->events) evolve(s, e);
    RefundPayment second{"ch_1.1000", 10'000'000, true, "", "evt_2", true};
    d = decide_refund(s, second, 7'000'000);
    REQUIRE(d);
    CHECK(std::get<PaymentRefunded>(d->events[0]).amount_micros == 7'000'000);
    for (const auto& e : d->events) evolve(s, e);
    CHECK(s.refunded_micros == 10'000'000);
    // An older total delivered late adds nothing.
    CHECK(decide_refund(s, first, 0)->events.empty());
}

TEST_CASE("a chargeback takes the money back, won, it comes back to where it was taken from") {
    auto s = received(10'000'000);
    DisputePayment dispute{"dp_1", 10'000'000, "fraudulent", "evt_d1"};
    auto d = decide_dispute(s, dispute, 2'500'000);
    REQUIRE(d);
    CHECK(debits(*d->entry, "wallet:c1") == 2'500'000);
    CHECK(debits(*d->entry, "receivable:c1") == 7'500'000);
    for (const auto& e : d->events) evolve(s, e);
    CHECK(s.refundable_micros() == 0);
    CHECK(decide_dispute(s, dispute, 0)->events.empty());
    CHECK(decide_refund(s, {"r1", 1, false, "", "", false}, 0).error().code == Errc::Rejected);

    auto won = decide_close_dispute(s, {"dp_1", true, "evt_d2"});
    REQUIRE(won);
    REQUIRE(won->entry);
    CHECK(won->entry->entry_id == "pay:p1:dispute:dp_1:won");
    CHECK(debits(*won->entry, "wallet:c1") == -2'500'000);
    CHECK(debits(*won->entry, "receivable:c1") == -7'500'000);
    CHECK(check_entry(*won->entry));
    for (const auto& e : won->events) evolve(s, e);
    CHECK(s.refundable_micros() == 10'000'000);
    CHECK(decide_close_dispute(s, {"dp_1", false, ""})->events.empty());
    CHECK(decide_close_dispute(s, {"dp_2", false, ""}).error().field == "dispute_id");
}

TEST_CASE("a lost chargeback posts nothing more, commands on no payment are NotFound") {
    auto s = received(5'000'000);
    auto d = decide_dispute(s, {"dp_1", 5'000'000, "", ""}, 5'000'000);
    REQUIRE(d);
    for (const auto& e : d->events) evolve(s, e);
    auto lost = decide_close_dispute(s, {"dp_1", false, "evt"});
    REQUIRE(lost);
    CHECK_FALSE(lost->entry);
    REQUIRE(lost->events.size() == 1);
    CHECK_FALSE(std::get<PaymentDisputeClosed>(lost->events[0]).won);

    PaymentState none;
    CHECK(decide_refund(none, {"r1", 1, false, "", "", false}, 0).error().code == Errc::NotFound);
    CHECK(decide_dispute(none, {"d1", 1, "", ""}, 0).error().code == Errc::NotFound);
    CHECK(decide_close_dispute(none, {"d1", true, ""}).error().code == Errc::NotFound);
}
