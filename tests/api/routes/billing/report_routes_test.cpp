// The billing reports over HTTP, on books made by the API: subscriptions bought from wallets,
// an upgrade, a pause and resume, a suspension by the renewal worker, an invoice entry with
// tax and a partial payment. Revenue, taxes and the profit and loss per month agree with the
// ledger's account balances as of the month ends; MRR moves as the subscriptions do; a range
// ending earlier leaves later events out; receivables age; CSV has the same rows; bad
// parameters are 400 naming the parameter.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <tuple>

#include "app/modules/billing_module.hpp"
#include "app/modules/billing_renewals.hpp"
#include "tests/api/api_fixture.hpp"
#include "tests/api/routes/billing/billing_fixture.hpp"

using namespace switchyard;
using namespace switchyard::testing;

namespace {

std::string plan(const char* id, const char* interval, long long micros) {
    return fmt::format(R"({{"plan_id":"{}","name":"{}","line":"vpn","interval":"{}",
        "prices":[{{"currency":"EUR","amount_micros":{}}}]}})",
                       id, id, interval, micros);
}

std::string entry(const char* id, const char* debit, const char* credit, long long micros,
                  const char* tax = nullptr, long long tax_micros = 0) {
    std::string postings = fmt::format(R"({{"account":"{}","debit_micros":{}}},
        {{"account":"{}","credit_micros":{}}})",
                                       debit, micros + tax_micros, credit, micros);
    if (tax) postings += fmt::format(R"(,{{"account":"{}","credit_micros":{}}})", tax, tax_micros);
    return fmt::format(R"({{"entry_id":"{}","currency":"EUR","memo":"m","postings":[{}]}})", id,
                       postings);
}

std::string subscription(const char* id, const char* customer, const char* plan_id) {
    return fmt::format(R"({{"subscription_id":"{}","customer_id":"{}","plan_id":"{}",
        "currency":"EUR","payer":"wallet:{}"}})",
                       id, customer, plan_id, customer);
}

/// The rows of a report, found by the values of their first columns.
struct Report {
    simdjson::dom::parser parser;
    simdjson::dom::array items;

    Report(ApiFixture& f, const std::string& path) {
        auto r = f.call("GET", path);
        REQUIRE_MESSAGE(r.status == 200, path << ": " << r.body);
        items = parse_json(parser, r.body)["items"].get_array().value();
    }
    /// The row whose `key` columns have `values`; fails the test when there is none.
    simdjson::dom::element row(std::initializer_list<std::pair<const char*, std::string>> match) {
        for (auto item : items) {
            bool all = true;
            for (const auto& [key, value] : match) all = all && str(item, key) == value;
            if (all) return item;
        }
        FAIL("no such row");
        throw;
    }
};

}  // namespace

TEST_CASE("reports: revenue, taxes, profit and loss and MRR per month agree with the books") {
    ApiFixture f;  // the clock starts at 2026-09-21T14:13:20Z
    REQUIRE(f.call("POST", "/v1/billing/plans", plan("vpn-basic", "month", 10'000'000)).status ==
            201);
    REQUIRE(f.call("POST", "/v1/billing/plans", plan("vpn-pro", "month", 20'000'000)).status ==
            201);
    REQUIRE(f.call("POST", "/v1/billing/plans", plan("vpn-year", "year", 120'000'000)).status ==
            201);
    for (const char* c : {"c1", "c2"})
        REQUIRE(f.call("POST", "/v1/billing/accounts",
                       fmt::format(R"({{"account":"wallet:{}","currency":"EUR"}})", c))
                    .status == 201);
    REQUIRE(f.call("POST", "/v1/billing/entries",
                   entry("t1", "gateway_clearing:stripe", "wallet:c1", 25'000'000))
                .status == 201);
    REQUIRE(f.call("POST", "/v1/billing/entries",
                   entry("t2", "gateway_clearing:stripe", "wallet:c2", 200'000'000))
                .status == 201);
    // September 21: two subscriptions (MRR 10 + 120/12) and an invoice of 10 + 2.00 DE tax.
    REQUIRE(
        f.call("POST", "/v1/billing/subscriptions", subscription("s1", "c1", "vpn-basic")).status ==
        201);
    REQUIRE(
        f.call("POST", "/v1/billing/subscriptions", subscription("s2", "c2", "vpn-year")).status ==
        201);
    REQUIRE(f.call("POST", "/v1/billing/entries",
                   entry("inv-c3-1", "receivable:c3", "revenue:other", 10'000'000, "tax_payable:DE",
                         2'000'000))
                .status == 201);
    // October 1: s1 upgraded (MRR 10 -> 20), s2 paused (churn); October 6: s2 resumed.
    f.clock.advance(std::chrono::hours(24 * 10));
    REQUIRE(
        f.call("POST", "/v1/billing/subscriptions/s1/plan", R"({"plan_id":"vpn-pro"})").status ==
        200);
    REQUIRE(f.call("POST", "/v1/billing/subscriptions/s2/pause", "{}").status == 200);
    f.clock.advance(std::chrono::hours(24 * 5));
    REQUIRE(f.call("POST", "/v1/billing/subscriptions/s2/resume", "{}").status == 200);
    // October 21 on: s1's renewal fails (8.34 left for 20.00), s1 is suspended after 3 days.
    app::RenewalWorker worker(billing(f).subscriptions(), *f.runner, f.clock);
    for (int day = 0; day < 20; ++day) {
        f.clock.advance(std::chrono::hours(24));
        f.settle();
        worker.run_once();
    }
    f.settle();
    simdjson::dom::parser p;
    REQUIRE(str(parse_json(p, f.call("GET", "/v1/billing/subscriptions/s1").body), "status") ==
            "suspended");
    // October 26: c3 pays 5.00 of the 12.00.
    REQUIRE(f.call("POST", "/v1/billing/entries",
                   entry("pay-c3", "gateway_clearing:bank", "receivable:c3", 5'000'000))
                .status == 201);

    const std::string range = "?from=2026-09-01&to=2026-11-01";
    const std::string sep_end = "2026-09-30T23:59:59.999999Z";
    const std::string oct_end = "2026-10-31T23:59:59.999999Z";

    SUBCASE("revenue by line per month is the revenue accounts' change over the month") {
        Report rev(f, "/v1/billing/reports/revenue" + range);
        CHECK(rev.items.size() == 3);  // 2026-09 other, 2026-09 vpn, 2026-10 vpn
        for (const auto& [line, month, from, to] :
             std::vector<std::tuple<std::string, std::string, std::string, std::string>>{
                 {"vpn", "2026-09", "2026-08-31T23:59:59.999999Z", sep_end},
                 {"other", "2026-09", "2026-08-31T23:59:59.999999Z", sep_end},
                 {"vpn", "2026-10", sep_end, oct_end}}) {
            auto row = rev.row({{"period", month}, {"line", line}});
            const auto books =
                balance(f, "revenue:" + line, to) - balance(f, "revenue:" + line, from);
            CHECK(num(row, "revenue_micros") == books);
            CHECK(num(row, "net_revenue_micros") == books);
        }
        CHECK(num(rev.row({{"period", "2026-09"}, {"line", "vpn"}}), "revenue_micros") ==
              130'000'000);
    }
    SUBCASE("by plan and by quarter") {
        Report by_plan(f, "/v1/billing/reports/revenue" + range + "&by=plan");
        CHECK(num(by_plan.row({{"period", "2026-09"}, {"plan_id", "vpn-basic"}}),
                  "revenue_micros") == 10'000'000);
        CHECK(num(by_plan.row({{"period", "2026-09"}, {"plan_id", "vpn-year"}}),
                  "revenue_micros") == 120'000'000);
        CHECK(num(by_plan.row({{"period", "2026-09"}, {"plan_id", ""}}), "revenue_micros") ==
              10'000'000);
        // The upgrade's entry is the new plan's: the charge less the old plan's unused days.
        const auto change = balance(f, "revenue:vpn", oct_end) - balance(f, "revenue:vpn", sep_end);
        CHECK(num(by_plan.row({{"period", "2026-10"}, {"plan_id", "vpn-pro"}}), "revenue_micros") ==
              change);
        Report quarter(f, "/v1/billing/reports/revenue" + range + "&grain=quarter");
        CHECK(num(quarter.row({{"period", "2026-Q3"}, {"line", "vpn"}}), "revenue_micros") ==
              130'000'000);
        CHECK(num(quarter.row({{"period", "2026-Q4"}, {"line", "vpn"}}), "revenue_micros") ==
              change);
    }
    SUBCASE("taxes per jurisdiction, and the profit and loss per line") {
        Report taxes(f, "/v1/billing/reports/taxes" + range);
        REQUIRE(taxes.items.size() == 1);
        auto de = taxes.row({{"period", "2026-09"}, {"jurisdiction", "DE"}});
        CHECK(num(de, "collected_micros") == 2'000'000);
        CHECK(num(de, "net_micros") == balance(f, "tax_payable:DE", oct_end));
        Report pnl(f, "/v1/billing/reports/profit-and-loss" + range);
        CHECK(num(pnl.row({{"period", "2026-09"}, {"line", "vpn"}}), "profit_micros") ==
              130'000'000);
        CHECK(num(pnl.row({{"period", "2026-09"}, {"line", "other"}}), "profit_micros") ==
              10'000'000);
    }
    SUBCASE("MRR: new in September; expansion, churn and reactivation in October") {
        Report mrr(f, "/v1/billing/reports/mrr" + range);
        auto sep = mrr.row({{"period", "2026-09"}});
        CHECK(num(sep, "mrr_start_micros") == 0);
        CHECK(num(sep, "new_micros") == 20'000'000);  // 10 + 120 / 12
        CHECK(num(sep, "mrr_end_micros") == 20'000'000);
        CHECK(num(sep, "subscriptions_end") == 2);
        auto oct = mrr.row({{"period", "2026-10"}});
        CHECK(num(oct, "mrr_start_micros") == 20'000'000);
        CHECK(num(oct, "expansion_micros") == 10'000'000);     // s1 10 -> 20
        CHECK(num(oct, "churn_micros") == 30'000'000);         // s2 paused (10), s1 suspended (20)
        CHECK(num(oct, "reactivation_micros") == 10'000'000);  // s2 resumed
        CHECK(num(oct, "mrr_end_micros") == 10'000'000);
        CHECK(num(oct, "subscriptions_start") == 2);
        CHECK(num(oct, "churned_subscriptions") == 2);
        CHECK(num(oct, "reactivated_subscriptions") == 1);
        CHECK(num(oct, "subscriptions_end") == 1);
        CHECK(str(oct, "subscription_churn_percent") == "100.00");
        CHECK(str(oct, "mrr_churn_percent") == "150.00");
        // A range from October still starts from the MRR September left.
        Report from_oct(f, "/v1/billing/reports/mrr?from=2026-10-01&to=2026-11-01&grain=year");
        REQUIRE(from_oct.items.size() == 1);
        CHECK(num(from_oct.row({{"period", "2026"}}), "mrr_start_micros") == 20'000'000);
    }
    SUBCASE("a range ending earlier leaves later events out") {
        Report sep(f, "/v1/billing/reports/revenue?from=2026-09-01&to=2026-10-01");
        CHECK(sep.items.size() == 2);
        Report mrr(f, "/v1/billing/reports/mrr?from=2026-09-01&to=2026-10-01");
        REQUIRE(mrr.items.size() == 1);
        CHECK(num(mrr.row({{"period", "2026-09"}}), "mrr_end_micros") == 20'000'000);
    }
    SUBCASE("receivables age from the charge, the payment settling the oldest first") {
        Report before(f, "/v1/billing/reports/receivables-aging?as_of=2026-10-15");
        auto c3 = before.row({{"customer_id", "c3"}});
        CHECK(num(c3, "current_micros") == 12'000'000);  // 24 days old
        CHECK(num(c3, "total_micros") == 12'000'000);
        Report after(f, "/v1/billing/reports/receivables-aging?as_of=2026-11-30T00:00:00Z");
        c3 = after.row({{"customer_id", "c3"}});
        CHECK(num(c3, "current_micros") == 0);
        CHECK(num(c3, "days_61_90_micros") == 7'000'000);  // 12 - 5, 69 days old
        CHECK(num(c3, "total_micros") == balance(f, "receivable:c3", "2026-11-30T00:00:00Z"));
    }
    SUBCASE("CSV: the same rows, RFC 4180") {
        auto csv = f.call("GET", "/v1/billing/reports/revenue.csv?from=2026-09-01&to=2026-10-01");
        REQUIRE(csv.status == 200);
        CHECK(csv.content_type == "text/csv; charset=utf-8");
        CHECK(csv.body ==
              "period,currency,line,revenue_micros,discounts_micros,net_revenue_micros\r\n"
              "2026-09,EUR,other,10000000,0,10000000\r\n"
              "2026-09,EUR,vpn,130000000,0,130000000\r\n");
        auto aging = f.call("GET", "/v1/billing/reports/receivables-aging.csv?as_of=2026-10-15");
        CHECK(aging.body.find("c3,EUR,12000000,0,0,0,12000000\r\n") != std::string::npos);
    }
    SUBCASE("bad parameters are 400 naming the parameter") {
        const auto before = f.log_size();
        for (const auto& [path, field] : std::vector<std::pair<std::string, std::string>>{
                 {"/v1/billing/reports/revenue?from=2026-13-01", "from"},
                 {"/v1/billing/reports/revenue?to=tomorrow", "to"},
                 {"/v1/billing/reports/revenue?from=2026-11-01&to=2026-10-01", "from"},
                 {"/v1/billing/reports/revenue?by=customer", "by"},
                 {"/v1/billing/reports/mrr?grain=week", "grain"},
                 {"/v1/billing/reports/receivables-aging?as_of=yesterday", "as_of"}})
            check_problem(f, f.call("GET", path), 400, field, before);
    }
}
