// The invoice service on the memory log: an invoice issued with its number, entry, promo
// redemption and sealed buyer in one append; a retry changes nothing; invoices racing for a
// promo code's last use (exactly one gets it) and for one series (numbers without gaps); paying
// from the wallet and crediting; erasing the customer leaves names unreadable and the books as
// they were.
#include "events/billing/invoice_service.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <thread>

#include "events/billing/invoice_codec.hpp"
#include "events/billing/ledger_codec.hpp"
#include "events/memory_event_store.hpp"
#include "tests/support/codec_checks.hpp"
#include "tests/support/result_checks.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::billing;
using namespace switchyard::events;
using namespace switchyard::events::billing;
using switchyard::testing::error_of;

namespace {

const DecisionContext kCtx{
    from_unix_seconds(1'796'083'200), {ActorKind::User, "alice", ""}, "req-1", {}, {}};

struct Books {
    std::unique_ptr<EventStore> log_store = make_memory_event_store();
    EventStore& store = *log_store;
    std::shared_ptr<SubjectKeys> keys = SubjectKeys::in_memory();
    LedgerService ledger{store, "op"};
    PricingService pricing{store, "op", "DE"};
    InvoiceNumbers numbers{store, "op"};
    InvoiceService invoices{store, ledger, pricing, numbers, keys, "op"};

    Books() {
        REQUIRE(pricing.set_tax_rate({"DE", "VAT", 190'000}, kCtx));
        REQUIRE(pricing.set_tax_rate({"PT", "IVA", 230'000}, kCtx));
    }

    std::vector<RecordedEvent> log() {
        auto all = store.read_all(Checkpoint{}, 1'000'000);
        REQUIRE(all);
        return *all;
    }

    /// Every account's balance (debits minus credits) from the posted entries.
    std::map<std::string, Micros> balances() {
        std::map<std::string, Micros> out;
        for (const auto& e : log()) {
            if (e.type != EntryPosted::kType) continue;
            auto decoded = decode_entry_event(e);
            REQUIRE(decoded);
            for (const auto& p : std::get<EntryPosted>(*decoded).entry.postings)
                out[p.account] += p.debit_micros - p.credit_micros;
        }
        return out;
    }

    void fund(const std::string& customer, Micros amount) {
        REQUIRE(ledger.open_account({"wallet:" + customer, "EUR", 0}, kCtx));
        REQUIRE(
            ledger.post({"top-up:" + customer,
                         "EUR",
                         "top-up",
                         "",
                         "",
                         {{"gateway_clearing:bank", amount, 0}, {"wallet:" + customer, 0, amount}}},
                        kCtx));
    }
};

IssueInvoice invoice(std::string id, std::string customer = "c1") {
    IssueInvoice c;
    c.invoice_id = std::move(id);
    c.customer_id = std::move(customer);
    c.currency = "EUR";
    c.buyer = {"Ana Lima", "ana.lima@example.net", "Rua das Flores 1\n1000-001 Lisboa", "PT", ""};
    c.lines = {{"VPN pro, December", "vpn", "vpn-pro", 1, 100'000'000}};
    return c;
}

bool log_holds(Books& b, const std::string& text) {
    for (const auto& e : b.log())
        if (e.data.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("invoice codec: every event round-trips") {
    using testing::check_round_trip;
    const auto enc = [](const InvoiceEvent& e) { return encode(e); };
    check_round_trip<InvoiceEvent>(InvoiceNumbered{"INV-2026", 3, "INV-2026-000003"}, enc,
                                   decode_invoice_event);
    InvoiceIssued issued;
    issued.customer_id = "c1";
    issued.currency = "EUR";
    issued.issued_at = kCtx.now;
    issued.due_at = kCtx.now + std::chrono::days(14);
    issued.buyer = {"sealed-name", "sealed-email", "sealed-address", "PT", "11"};
    issued.tax = {"PT", "IVA", 230'000, false, "", ""};
    issued.lines = {{{"VPN", "vpn", "vpn-pro", 2, 5'000'000}, 10'000'000, 1, 9'999'999, 2, 3}};
    issued.totals = {10'000'000, 1, 9'999'999, 2, 3};
    issued.promo_code = "WELCOME10";
    issued.note = "thanks";
    issued.entry_id = "inv:inv-1";
    check_round_trip<InvoiceEvent>(issued, enc, decode_invoice_event);
    auto note = issued;
    note.kind = DocumentKind::CreditNote;
    note.due_at.reset();
    note.credits_invoice_id = "inv-1";
    note.credits_invoice_number = "INV-2026-000003";
    check_round_trip<InvoiceEvent>(note, enc, decode_invoice_event);
    check_round_trip<InvoiceEvent>(InvoicePaid{"wallet", 3, "inv:inv-1:paid"}, enc,
                                   decode_invoice_event);
    check_round_trip<InvoiceEvent>(InvoiceCredited{"cn-1", "CN-2026-000001", 3, "why"}, enc,
                                   decode_invoice_event);
    check_round_trip<InvoiceEvent>(InvoiceSent{"sealed", "<m@x>", false, "550 no"}, enc,
                                   decode_invoice_event);
    check_round_trip<CustomerEvent>(
        CustomerErased{"c1", "GDPR request"}, [](const CustomerEvent& e) { return encode(e); },
        decode_customer_event);
}

TEST_CASE("an invoice is issued once: number, entry, promo redemption and sealed buyer") {
    Books b;
    PromoCode promo;
    promo.code = "WELCOME10";
    promo.percent_ppm = 100'000;
    REQUIRE(b.pricing.define_promo(promo, kCtx));
    auto c = invoice("inv-1");
    c.promo_code = "welcome10";
    c.vat_id = "";
    auto issued = b.invoices.issue(c, kCtx);
    REQUIRE_MESSAGE(issued, issued.error().message);
    CHECK(issued->changed);
    CHECK(issued->invoice_number == "INV-2026-000001");
    CHECK(issued->status == "open");

    const auto [s, revision] = *b.invoices.invoice("inv-1");
    REQUIRE(s.issued);
    CHECK(s.issued->buyer.name == "Ana Lima");
    CHECK(s.issued->buyer.email == "ana.lima@example.net");
    CHECK(s.issued->totals.discount_micros == 10'000'000);
    CHECK(s.issued->totals.tax_micros == 20'700'000);  // 23 % IVA of 90.00
    CHECK(s.issued->totals.total_micros == 110'700'000);
    // Sealed in the log: neither the name nor the email nor the street appear.
    CHECK_FALSE(log_holds(b, "Ana Lima"));
    CHECK_FALSE(log_holds(b, "ana.lima@example.net"));
    CHECK_FALSE(log_holds(b, "Flores"));
    CHECK(log_holds(b, "WELCOME10"));

    auto books = b.balances();
    CHECK(books["receivable:c1"] == 110'700'000);
    CHECK(books["revenue:vpn"] == -100'000'000);
    CHECK(books["discounts:vpn"] == 10'000'000);
    CHECK(books["tax_payable:PT"] == -20'700'000);
    CHECK(b.pricing.promo("WELCOME10")->redemptions == 1);

    const auto before = b.log().size();
    auto again = b.invoices.issue(c, kCtx);
    REQUIRE(again);
    CHECK_FALSE(again->changed);
    CHECK(again->invoice_number == "INV-2026-000001");
    CHECK(b.log().size() == before);
    auto other = c;
    other.lines[0].unit_amount_micros += 1;
    CHECK(error_of(b.invoices.issue(other, kCtx)).code == Errc::Conflict);
    CHECK(b.log().size() == before);
}

TEST_CASE("bad invoices are refused naming the field, nothing appended") {
    Books b;
    const auto before = b.log().size();
    auto c = invoice("inv-1");
    c.buyer.country = "XX";  // no rate configured
    CHECK(error_of(b.invoices.issue(c, kCtx)).field == "buyer.country");
    c = invoice("inv-1");
    c.promo_code = "NOPE";
    CHECK(error_of(b.invoices.issue(c, kCtx)).field == "promo_code");
    c = invoice("inv-1");
    c.lines[0].unit_amount_micros = -1;
    CHECK(error_of(b.invoices.issue(c, kCtx)).field == "lines[0].unit_amount_micros");
    c = invoice("inv-1");
    c.pay_from_wallet = true;  // no wallet
    CHECK(error_of(b.invoices.issue(c, kCtx)).code == Errc::NotFound);
    c = invoice("inv-1");
    c.vat_id = "PT123";
    CHECK(error_of(b.invoices.issue(c, kCtx)).field == "buyer.vat_id");
    CHECK(b.log().size() == before);
}

TEST_CASE("two invoices racing for a promo code's last use: exactly one gets it") {
    Books b;
    PromoCode promo;
    promo.code = "LAST1";
    promo.amount_micros = 5'000'000;
    promo.currency = "EUR";
    promo.max_redemptions = 1;
    promo.reusable = true;
    REQUIRE(b.pricing.define_promo(promo, kCtx));
    std::vector<std::thread> threads;
    std::vector<Result<CommandOutcome<InvoiceDetail>>> results(8);
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] {
            auto c = invoice("race-" + std::to_string(i), "c" + std::to_string(i));
            c.promo_code = "LAST1";
            results[i] = b.invoices.issue(c, kCtx);
        });
    for (auto& t : threads) t.join();
    int won = 0, refused = 0;
    for (const auto& r : results) {
        if (r)
            ++won;
        else if (r.error().code == Errc::Rejected && r.error().field == "promo_code")
            ++refused;
    }
    CHECK(won == 1);
    CHECK(refused == 7);
    CHECK(b.pricing.promo("LAST1")->redemptions == 1);
}

TEST_CASE("invoices of one series issued concurrently are numbered without gaps") {
    Books b;
    std::vector<std::thread> threads;
    std::vector<std::string> numbers(16);
    for (int i = 0; i < 16; ++i)
        threads.emplace_back([&, i] {
            auto r = b.invoices.issue(invoice("n-" + std::to_string(i)), kCtx);
            if (r) numbers[i] = r->invoice_number;
        });
    for (auto& t : threads) t.join();
    std::sort(numbers.begin(), numbers.end());
    for (int i = 0; i < 16; ++i) {
        char want[32];
        std::snprintf(want, sizeof want, "INV-2026-%06d", i + 1);
        CHECK(numbers[i] == want);
    }
    CHECK(b.balances()["receivable:c1"] == 16 * 123'000'000);
}

TEST_CASE("paid from the wallet at issue or later, credited back to the wallet") {
    Books b;
    b.fund("c1", 200'000'000);
    auto c = invoice("inv-1");
    c.pay_from_wallet = true;
    auto paid = b.invoices.issue(c, kCtx);
    REQUIRE_MESSAGE(paid, paid.error().message);
    CHECK(paid->status == "paid");
    CHECK(b.ledger.account("wallet:c1")->first.balance_micros == 77'000'000);
    CHECK(b.balances()["receivable:c1"] == 0);

    // Not enough left for a second one: refused, nothing appended.
    const auto before = b.log().size();
    auto c2 = invoice("inv-2");
    c2.pay_from_wallet = true;
    CHECK(error_of(b.invoices.issue(c2, kCtx)).code == Errc::Rejected);
    CHECK(b.log().size() == before);
    REQUIRE(b.invoices.issue(invoice("inv-2"), kCtx));
    CHECK(error_of(b.invoices.pay_from_wallet("inv-2", kCtx)).code == Errc::Rejected);

    // The paid invoice credited: its total goes back to the wallet, the books net to zero.
    auto credited = b.invoices.credit("inv-1", "cn-1", "service not delivered", kCtx);
    REQUIRE_MESSAGE(credited, credited.error().message);
    CHECK(credited->invoice_number == "CN-2026-000001");
    CHECK(b.ledger.account("wallet:c1")->first.balance_micros == 200'000'000);
    const auto [s, rev] = *b.invoices.invoice("inv-1");
    CHECK(s.status() == "credited");
    const auto [note, note_rev] = *b.invoices.invoice("cn-1");
    REQUIRE(note.issued);
    CHECK(note.issued->buyer.name == "Ana Lima");
    CHECK(note.issued->credits_invoice_number == "INV-2026-000001");
    auto again = b.invoices.credit("inv-1", "cn-1", "service not delivered", kCtx);
    REQUIRE(again);
    CHECK_FALSE(again->changed);
    CHECK(error_of(b.invoices.credit("inv-1", "cn-2", "", kCtx)).code == Errc::Rejected);

    // inv-2 (unpaid) paid once the wallet holds enough.
    REQUIRE(b.invoices.pay_from_wallet("inv-2", kCtx));
    CHECK(b.invoices.invoice("inv-2")->first.status() == "paid");
    auto books = b.balances();
    CHECK(books["revenue:vpn"] == -100'000'000);
    CHECK(books["tax_payable:DE"] == 0);
    CHECK(books["tax_payable:PT"] == -23'000'000);
}

TEST_CASE(
    "erasing a customer: their fields read erased, the log never held them, books unchanged") {
    Books b;
    REQUIRE(b.invoices.issue(invoice("inv-1"), kCtx));
    InvoiceSent sent{"ana.lima@example.net", "<m1@example.net>", true, ""};
    REQUIRE(b.invoices.record_sent("inv-1", sent, kCtx));
    REQUIRE(b.invoices.issue(invoice("inv-2", "c2"), kCtx));
    const auto books = b.balances();

    auto erased = b.invoices.erase_customer("c1", "GDPR art. 17 request", kCtx);
    REQUIRE(erased);
    CHECK(erased->key_destroyed);
    const auto [s, rev] = *b.invoices.invoice("inv-1");
    REQUIRE(s.issued);
    CHECK(s.issued->buyer.name == "[erased]");
    CHECK(s.issued->buyer.email == "[erased]");
    CHECK(s.issued->buyer.address == "[erased]");
    REQUIRE(s.sent.size() == 1);
    CHECK(s.sent[0].to == "[erased]");
    CHECK(s.issued->totals.total_micros == 123'000'000);
    // Another customer's invoice still opens.
    CHECK(b.invoices.invoice("inv-2")->first.issued->buyer.name == "Ana Lima");
    CHECK(b.balances() == books);
    bool recorded = false;
    for (const auto& e : b.log()) recorded |= e.type == CustomerErased::kType;
    CHECK(recorded);

    // No new personal data for an erased customer; erasing again destroys nothing.
    CHECK(error_of(b.invoices.issue(invoice("inv-3"), kCtx)).field == "subject");
    auto twice = b.invoices.erase_customer("c1", "", kCtx);
    REQUIRE(twice);
    CHECK_FALSE(twice->key_destroyed);
    CHECK(error_of(b.invoices.erase_customer("bad id", "", kCtx)).field == "customer_id");
}
