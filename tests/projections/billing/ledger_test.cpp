// The billing_ledger read model: balances in each account's normal direction, statements, the
// trial balance, and the books as of a past time equal to a snapshot taken then.
#include <doctest/doctest.h>

#include "events/billing/ledger_codec.hpp"
#include "projections/billing/ledger.hpp"
#include "tests/projections/projector_harness.hpp"

using namespace switchyard;
using namespace switchyard::core;
using namespace switchyard::core::billing;
using namespace switchyard::projections::billing;
using switchyard::testing::ProjectorHarness;

namespace {

Timestamp at(std::int64_t s) { return from_unix_seconds(s); }
const std::int64_t kOct31 = 1'793'491'199;  // 2026-10-31T23:59:59Z

void post(ProjectorHarness& h, const JournalEntry& e, std::int64_t time) {
    h.append(entry_stream(e.entry_id), events::billing::encode(EntryEvent{EntryPosted{e}}),
             at(time));
}

JournalEntry sale(std::string id, Micros net, Micros tax) {
    return {std::move(id),
            "EUR",
            "VPN plan",
            "INV-1",
            "",
            {{"receivable:c1", net + tax, 0}, {"revenue:vpn", 0, net}, {"tax_payable:DE", 0, tax}}};
}

JournalEntry payment(std::string id, Micros amount) {
    return {std::move(id),
            "EUR",
            "Stripe payment",
            "",
            "",
            {{"gateway_clearing:stripe", amount, 0}, {"receivable:c1", 0, amount}}};
}

bool same(const std::vector<TrialBalance>& a, const std::vector<TrialBalance>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].currency != b[i].currency || a[i].accounts.size() != b[i].accounts.size() ||
            a[i].debit_balances_micros != b[i].debit_balances_micros ||
            a[i].credit_balances_micros != b[i].credit_balances_micros)
            return false;
        for (std::size_t j = 0; j < a[i].accounts.size(); ++j) {
            const auto& x = a[i].accounts[j];
            const auto& y = b[i].accounts[j];
            if (x.account != y.account || x.balance_micros != y.balance_micros ||
                x.debit_micros != y.debit_micros || x.credit_micros != y.credit_micros ||
                x.lines != y.lines)
                return false;
        }
    }
    return true;
}

}  // namespace

TEST_CASE("billing_ledger: balances by normal side, statements, a balanced trial balance") {
    ProjectorHarness h(make_billing_ledger_projector());
    post(h, sale("s1", 10'000'000, 1'900'000), kOct31 - 100);
    post(h, payment("p1", 11'900'000), kOct31 - 50);
    const auto& view = h.view();

    auto receivable = find_account(view, "receivable:c1", "EUR");
    REQUIRE(receivable);
    CHECK(receivable->account_class == AccountClass::Asset);
    CHECK(receivable->balance_micros == 0);
    CHECK(receivable->debit_micros == 11'900'000);
    CHECK(receivable->lines == 2);
    CHECK(find_account(view, "revenue:vpn", "EUR")->balance_micros == 10'000'000);
    CHECK(find_account(view, "tax_payable:DE", "EUR")->balance_micros == 1'900'000);
    CHECK(find_account(view, "gateway_clearing:stripe", "EUR")->balance_micros == 11'900'000);
    CHECK(!find_account(view, "revenue:vpn", "USD"));

    auto lines = statement(view, "receivable:c1", "EUR", 0, 10);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].entry_id == "s1");
    CHECK(lines[0].balance_micros == 11'900'000);
    CHECK(lines[1].entry_id == "p1");
    CHECK(lines[1].balance_micros == 0);
    CHECK(statement(view, "receivable:c1", "EUR", 1, 10).size() == 1);

    auto tb = trial_balance(view);
    REQUIRE(tb.size() == 1);
    CHECK(tb[0].currency == "EUR");
    CHECK(tb[0].accounts.size() == 4);
    CHECK(tb[0].debit_balances_micros == 11'900'000);
    CHECK(tb[0].credit_balances_micros == 11'900'000);

    auto page = list_accounts(view, "", 2);
    REQUIRE(page.size() == 2);
    auto rest = list_accounts(view, page.back().account + "/" + page.back().currency, 10);
    CHECK(rest.size() == 2);
    CHECK(rest.front().account != page.back().account);
}

TEST_CASE("billing_ledger: the books as of month end equal a snapshot taken at month end") {
    ProjectorHarness h(make_billing_ledger_projector());
    post(h, sale("s1", 10'000'000, 1'900'000), kOct31 - 3600);
    post(h, payment("p1", 5'000'000), kOct31);
    const auto snapshot = trial_balance(h.view());
    // November: more sales, a payment, a reversal of October's sale.
    post(h, sale("s2", 20'000'000, 3'800'000), kOct31 + 1);
    post(h, payment("p2", 6'900'000), kOct31 + 86'400);
    auto reversal = reversal_of(sale("s1", 10'000'000, 1'900'000), "credit note");
    post(h, reversal, kOct31 + 90'000);
    const auto& view = h.view();
    CHECK(!same(trial_balance(view), snapshot));
    CHECK(same(trial_balance(view, at(kOct31)), snapshot));
    CHECK(find_account(view, "receivable:c1", "EUR", at(kOct31))->balance_micros == 6'900'000);
    CHECK(!find_account(view, "receivable:c1", "EUR", at(kOct31 - 7200)));
    // The reversal is linked from the entry it reverses.
    auto s1 = find_entry(view, "s1");
    REQUIRE(s1);
    CHECK(s1->reversed_by == "s1.reversal");
    CHECK(s1->entry.reference == "INV-1");
    CHECK(find_entry(view, "s1.reversal")->entry.reverses == "s1");
    for (const auto& tb : trial_balance(view))
        CHECK(tb.debit_balances_micros == tb.credit_balances_micros);
}
