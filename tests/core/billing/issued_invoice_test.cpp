// Issued invoices in core: the checks of the issue command, the journal entry of an invoice (with
// a discount, tax and several service lines) and of its credit note (paid or not), paying from
// the wallet, and crediting once.
#include "core/billing/issued_invoice.hpp"

#include <doctest/doctest.h>

#include "tests/support/result_checks.hpp"

using namespace switchyard::core;
using namespace switchyard::core::billing;
using switchyard::testing::error_of;

namespace {

const Timestamp kNow = from_unix_seconds(1'796'083'200);  // 2026-12-01T00:00:00Z

IssueInvoice command() {
    IssueInvoice c;
    c.invoice_id = "inv-1";
    c.customer_id = "c1";
    c.currency = "EUR";
    c.buyer = {"Ana Lima", "ana@example.net", "Rua 1\n1000-001 Lisboa", "PT", ""};
    c.lines = {{"VPN pro, December", "vpn", "vpn-pro", 1, 100'000'000},
               {"IPTV package, 1 month", "iptv", "", 2, 5'000'000}};
    return c;
}

/// Sums of an entry's sides.
std::pair<Micros, Micros> sides(const JournalEntry& e) {
    Micros debit = 0, credit = 0;
    for (const auto& p : e.postings) {
        debit += p.debit_micros;
        credit += p.credit_micros;
    }
    return {debit, credit};
}

Micros posted(const JournalEntry& e, const std::string& account) {
    Micros net = 0;
    for (const auto& p : e.postings)
        if (p.account == account) net += p.debit_micros - p.credit_micros;
    return net;
}

InvoiceIssued issued_with_discount() {
    // 10 % off the VPN line before 23 % VAT: 90.00 + 10.00 net, 23.00 tax.
    const TaxTreatment tax{"PT", "IVA", 230'000, false, "", ""};
    PromoCode promo;
    promo.code = "WELCOME10";
    promo.percent_ppm = 100'000;
    promo.plan_ids = {"vpn-pro"};
    const auto c = command();
    auto computed = compute_invoice(c.lines, "EUR", tax, TaxBehavior::Exclusive, promo);
    REQUIRE(computed);
    return make_issued(c, tax, *computed, "WELCOME10", kNow);
}

}  // namespace

TEST_CASE("issuing: the command's fields are checked, naming each") {
    CHECK(check_issue(command()));
    auto c = command();
    c.buyer.name = "";
    CHECK(error_of(check_issue(c)).field == "buyer.name");
    c = command();
    c.buyer.email = "ana at example.net";
    CHECK(error_of(check_issue(c)).field == "buyer.email");
    c = command();
    c.buyer.email = "ana@example.net\r\nBcc: x@y";
    CHECK(error_of(check_issue(c)).field == "buyer.email");
    c = command();
    c.buyer.country = "pt";
    CHECK(error_of(check_issue(c)).field == "buyer.country");
    c = command();
    c.buyer.address = std::string(501, 'a');
    CHECK(error_of(check_issue(c)).field == "buyer.address");
    c = command();
    c.lines[1].line = "fax";
    CHECK(error_of(check_issue(c)).field == "lines[1].line");
    c = command();
    c.due_days = 400;
    CHECK(error_of(check_issue(c)).field == "due_days");
    c = command();
    c.invoice_id = "a b";
    CHECK(error_of(check_issue(c)).field == "invoice_id");
    c.invoice_id = "sub:s1:1";  // a subscription charge's own invoice
    CHECK(error_of(check_issue(c)).field == "invoice_id");
    c = command();
    c.series = "INV 2026";
    CHECK(error_of(check_issue(c)).field == "series");
    c = command();
    c.customer_id = "";
    CHECK(error_of(check_issue(c)).field == "customer_id");
    CHECK(default_series(DocumentKind::Invoice, kNow) == "INV-2026");
    CHECK(default_series(DocumentKind::CreditNote, kNow) == "CN-2026");
}

TEST_CASE("an invoice's entry: receivable, revenue per line before the discount, discounts, tax") {
    const auto e = issued_with_discount();
    CHECK(e.totals.discount_micros == 10'000'000);
    CHECK(e.totals.net_micros == 100'000'000);
    CHECK(e.totals.tax_micros == 23'000'000);
    CHECK(e.totals.total_micros == 123'000'000);
    REQUIRE(e.due_at);
    CHECK(*e.due_at == kNow + std::chrono::days(14));
    const auto entry = issued_entry("inv-1", e);
    REQUIRE(entry);
    REQUIRE(*entry);
    const auto& j = **entry;
    CHECK(check_entry(j));
    CHECK(j.entry_id == "inv:inv-1");
    const auto [debit, credit] = sides(j);
    CHECK(debit == credit);
    CHECK(posted(j, "receivable:c1") == 123'000'000);
    CHECK(posted(j, "revenue:vpn") == -100'000'000);
    CHECK(posted(j, "discounts:vpn") == 10'000'000);
    CHECK(posted(j, "revenue:iptv") == -10'000'000);
    CHECK(posted(j, "tax_payable:PT") == -23'000'000);
}

TEST_CASE("an invoice under the reverse charge posts no tax, one of 0 posts nothing") {
    const TaxTreatment reverse{"FR", "VAT", 0, true, "FR40303265045", "Reverse charge"};
    const auto c = command();
    auto computed = compute_invoice(c.lines, "EUR", reverse, TaxBehavior::Exclusive);
    REQUIRE(computed);
    const auto e = make_issued(c, reverse, *computed, "", kNow);
    const auto entry = issued_entry("inv-1", e);
    REQUIRE(entry);
    REQUIRE(*entry);
    for (const auto& p : (*entry)->postings) CHECK(p.account.rfind("tax_payable:", 0) != 0);

    auto free = command();
    free.lines = {{"Trial month", "vpn", "", 1, 0}};
    auto zero = compute_invoice(free.lines, "EUR", reverse, TaxBehavior::Exclusive);
    REQUIRE(zero);
    const auto nothing = make_issued(free, reverse, *zero, "", kNow);
    CHECK(nothing.entry_id.empty());
    const auto none = issued_entry("inv-2", nothing);
    REQUIRE(none);
    CHECK_FALSE(*none);
}

TEST_CASE("paying from the wallet once, crediting once, and the credit note's entry") {
    InvoiceState s;
    CHECK(error_of(decide_pay(s, "inv-1")).code == Errc::NotFound);
    s.number = InvoiceNumbered{"INV-2026", 7, "INV-2026-000007"};
    s.issued = issued_with_discount();
    CHECK(s.status() == "open");

    const auto pay = decide_pay(s, "inv-1");
    REQUIRE(pay);
    REQUIRE(pay->entry);
    CHECK(posted(*pay->entry, "wallet:c1") == 123'000'000);
    CHECK(posted(*pay->entry, "receivable:c1") == -123'000'000);
    CHECK(pay->entry->reference == "INV-2026-000007");

    // The credit note of an unpaid invoice takes the total off the receivable.
    auto credit = decide_credit(s, "inv-1", "cn-1", "wrong plan", kNow);
    REQUIRE(credit);
    REQUIRE(credit->credit_note);
    CHECK(credit->credit_note->kind == DocumentKind::CreditNote);
    CHECK(credit->credit_note->credits_invoice_number == "INV-2026-000007");
    CHECK_FALSE(credit->credit_note->due_at);
    auto unpaid = issued_entry("cn-1", *credit->credit_note, false);
    REQUIRE(unpaid);
    REQUIRE(*unpaid);
    CHECK(check_entry(**unpaid));
    CHECK(posted(**unpaid, "receivable:c1") == -123'000'000);
    CHECK(posted(**unpaid, "revenue:vpn") == 100'000'000);
    CHECK(posted(**unpaid, "discounts:vpn") == -10'000'000);
    CHECK(posted(**unpaid, "tax_payable:PT") == 23'000'000);

    // Paid, the money goes back to the wallet.
    s.paid = pay->event;
    CHECK(s.status() == "paid");
    auto paid = issued_entry("cn-1", *credit->credit_note, true);
    REQUIRE(paid);
    REQUIRE(*paid);
    CHECK(posted(**paid, "wallet:c1") == -123'000'000);
    CHECK(posted(**paid, "receivable:c1") == 0);
    const auto again = decide_pay(s, "inv-1");
    REQUIRE(again);
    CHECK_FALSE(again->event);

    // Credited: the same credit note decides nothing, another is refused, paying is refused.
    s.credited = InvoiceCredited{"cn-1", "CN-2026-000001", 123'000'000, "wrong plan"};
    CHECK(s.status() == "credited");
    const auto same = decide_credit(s, "inv-1", "cn-1", "wrong plan", kNow);
    REQUIRE(same);
    CHECK_FALSE(same->credit_note);
    CHECK(error_of(decide_credit(s, "inv-1", "cn-2", "", kNow)).code == Errc::Rejected);
    s.paid.reset();
    CHECK(error_of(decide_pay(s, "inv-1")).code == Errc::Rejected);

    // A credit note is not paid nor credited.
    InvoiceState note;
    note.issued = *credit->credit_note;
    CHECK(note.status() == "issued");
    CHECK(error_of(decide_pay(note, "cn-1")).code == Errc::Rejected);
    CHECK(error_of(decide_credit(note, "cn-1", "cn-9", "", kNow)).code == Errc::Rejected);
    CHECK(error_of(decide_credit(s, "inv-1", "bad id", "", kNow)).field == "credit_note_id");
}

TEST_CASE("a subscription charge's invoice must add up to what the charge debits its payer") {
    JournalEntry charge{"sub:s1:1",
                        "EUR",
                        "VPN, period 1",
                        "s1",
                        "",
                        {{"wallet:c1", 7'500'000, 0},
                         {"discounts:vpn", 2'500'000, 0},
                         {"revenue:vpn", 0, 10'000'000}}};
    ChargeInvoice what{{{"VPN, period 1", "vpn", "vpn-1", 1, 10'000'000}}, 2'500'000, "HALF"};
    const auto now = *parse_rfc3339("2026-06-01T00:00:00Z");
    auto paid = period_invoice("c1", "s1", "wallet:c1", charge, what, now);
    REQUIRE(paid);
    CHECK(paid->issued.totals.total_micros == 7'500'000);
    CHECK(paid->issued.lines[0].net_micros == 7'500'000);
    CHECK(paid->issued.promo_code == "HALF");
    REQUIRE(paid->paid);
    CHECK(paid->paid->source == "wallet");
    CHECK(paid->paid->entry_id == "sub:s1:1");
    // A receivable payer: open, due 30 days later when asked.
    charge.postings[0].account = "receivable:c1";
    auto open = period_invoice("c1", "s1", "receivable:c1", charge, what, now, 30);
    REQUIRE(open);
    CHECK_FALSE(open->paid);
    CHECK(*open->issued.due_at == *parse_rfc3339("2026-07-01T00:00:00Z"));
    // Lines that do not add up to the payer's debit are a pricing fault, never a document.
    what.discount_micros = 0;
    CHECK(error_of(period_invoice("c1", "s1", "receivable:c1", charge, what, now)).code ==
          Errc::Internal);
    CHECK(
        error_of(period_invoice("c1", "s1", "receivable:c1", charge, ChargeInvoice{}, now)).field ==
        "lines");
}
