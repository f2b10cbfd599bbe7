// The billing reports over HTTP (issue 16, item 8), each as JSON or, under the same path with
// `.csv`, as CSV: revenue by service line, plan or reseller; taxes by jurisdiction; the profit
// and loss; MRR with its movements and churn, per day, month, quarter or year over a range of
// days [from, to); and receivables aging as of any time. They read the billing_reports and
// billing_ledger read models; `switchyard replay --until` rebuilds both as they stood then.
#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/query.hpp"
#include "api/report_table.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "api/routes/billing/billing_api.hpp"
#include "api/routes/billing/billing_routes.hpp"
#include "core/billing/report.hpp"
#include "projections/billing/ledger.hpp"
#include "projections/billing/reports.hpp"

namespace switchyard::api {

namespace json = boost::json;
using core::Errc;
using namespace core::billing;
namespace books = projections::billing;

namespace {

using billing_routes::kBooksRead;

bool csv_of(const HttpRequest& r) { return r.path.ends_with(".csv"); }

/// A date query parameter `YYYY-MM-DD`, or `def` when absent.
/// @errors Invalid naming the parameter.
core::Result<std::string> day_query(const HttpRequest& r, const char* name,
                                    const std::string& def) {
    const auto& text = r.query_param(name);
    if (text.empty()) return def;
    if (text.size() != 10 || !core::parse_rfc3339(text + "T00:00:00Z"))
        return core::fail(Errc::Invalid, name, "must be a date such as 2026-11-01");
    return text;
}

/// The range of days [from, to) and the grain of a report: `to` defaults to tomorrow (today
/// included), `from` to a year before `to`, `grain` to `month`.
struct ReportRange {
    std::string from;
    std::string to;
    ReportGrain grain = ReportGrain::Month;
};

core::Result<ReportRange> range_query(BillingApi& api, const HttpRequest& r) {
    ReportRange out;
    const auto now = api.ctx.clock.now();
    out.to = SY_TRY(day_query(r, "to", day_of(now + std::chrono::days(1))));
    const auto to_time = *core::parse_rfc3339(out.to + "T00:00:00Z");
    out.from = SY_TRY(day_query(r, "from", day_of(to_time - std::chrono::days(365))));
    if (out.from >= out.to)
        return core::fail(Errc::Invalid, "from", "must be before to (" + out.to + ")");
    const auto grain = SY_TRY(enum_query(r, "grain", {"day", "month", "quarter", "year"}, "month"));
    parse_report_grain(grain, out.grain);
    return out;
}

/// A percentage with two decimals of `part / whole`, or null when `whole` is 0.
json::value percent(Micros part, Micros whole) {
    if (whole == 0) return nullptr;
    return json::value(
        fmt::format("{:.2f}", 100.0 * static_cast<double>(part) / static_cast<double>(whole)));
}

/// The qualifier of an account code (`iptv` of `revenue:iptv`).
std::string qualifier(const std::string& account) { return account.substr(account.find(':') + 1); }

/// Revenue, discounts and commissions of one group.
struct Income {
    Micros revenue = 0;      ///< Credits minus debits of revenue accounts.
    Micros discounts = 0;    ///< Debits minus credits of discount accounts.
    Micros commissions = 0;  ///< Debits minus credits of commission expense accounts.
    void add(const books::IncomeRow& row) {
        if (row.account.starts_with("revenue:"))
            revenue += row.credit_micros - row.debit_micros;
        else if (row.account.starts_with("discounts:"))
            discounts += row.debit_micros - row.credit_micros;
        else if (row.account.starts_with("commission_expense:"))
            commissions += row.debit_micros - row.credit_micros;
    }
};

/// GET /v1/billing/reports/revenue?from=&to=&grain=&by=line|plan|reseller: revenue before
/// discounts, the discounts, and net revenue per period, currency and group.
core::Result<HttpResponse> revenue(BillingApi& api, HttpRequest& r) {
    const auto range = SY_TRY(range_query(api, r));
    const auto by = SY_TRY(enum_query(r, "by", {"line", "plan", "reseller"}, "line"));
    const auto* view = SY_TRY(billing_routes::ready_view(api, r, books::kBillingReports));
    std::map<std::tuple<std::string, std::string, std::string>, Income> groups;
    for (const auto& row : books::income_rows(*view, range.from, range.to)) {
        if (row.account.starts_with("tax_payable:")) continue;
        if (row.account.starts_with("commission_expense:")) continue;
        const auto group = by == "line"   ? qualifier(row.account)
                           : by == "plan" ? row.plan_id
                                          : row.reseller_id;
        groups[{period_of(row.day, range.grain), row.currency, group}].add(row);
    }
    ReportTable t{{"period", "currency", by == "line" ? "line" : by + "_id", "revenue_micros",
                   "discounts_micros", "net_revenue_micros"},
                  {}};
    for (const auto& [key, g] : groups) {
        const auto& [period, currency, group] = key;
        t.rows.push_back({json::value(period), json::value(currency), json::value(group), g.revenue,
                          g.discounts, g.revenue - g.discounts});
    }
    return table_response(t, csv_of(r));
}

/// GET /v1/billing/reports/taxes?from=&to=&grain=: tax collected (credited to tax_payable),
/// refunded (debited back by credit notes and refunds) and the net owed, per period, currency
/// and jurisdiction.
core::Result<HttpResponse> taxes(BillingApi& api, HttpRequest& r) {
    const auto range = SY_TRY(range_query(api, r));
    const auto* view = SY_TRY(billing_routes::ready_view(api, r, books::kBillingReports));
    std::map<std::tuple<std::string, std::string, std::string>, std::pair<Micros, Micros>> groups;
    for (const auto& row : books::income_rows(*view, range.from, range.to)) {
        if (!row.account.starts_with("tax_payable:")) continue;
        auto& g = groups[{period_of(row.day, range.grain), row.currency, qualifier(row.account)}];
        g.first += row.credit_micros;
        g.second += row.debit_micros;
    }
    ReportTable t{
        {"period", "currency", "jurisdiction", "collected_micros", "refunded_micros", "net_micros"},
        {}};
    for (const auto& [key, g] : groups) {
        const auto& [period, currency, jurisdiction] = key;
        t.rows.push_back({json::value(period), json::value(currency), json::value(jurisdiction),
                          g.first, g.second, g.first - g.second});
    }
    return table_response(t, csv_of(r));
}

/// GET /v1/billing/reports/profit-and-loss?from=&to=&grain=: per period, currency and service
/// line, revenue less discounts and commissions.
core::Result<HttpResponse> profit_and_loss(BillingApi& api, HttpRequest& r) {
    const auto range = SY_TRY(range_query(api, r));
    const auto* view = SY_TRY(billing_routes::ready_view(api, r, books::kBillingReports));
    std::map<std::tuple<std::string, std::string, std::string>, Income> groups;
    for (const auto& row : books::income_rows(*view, range.from, range.to)) {
        if (row.account.starts_with("tax_payable:")) continue;
        groups[{period_of(row.day, range.grain), row.currency, qualifier(row.account)}].add(row);
    }
    ReportTable t{{"period", "currency", "line", "revenue_micros", "discounts_micros",
                   "commissions_micros", "profit_micros"},
                  {}};
    for (const auto& [key, g] : groups) {
        const auto& [period, currency, line] = key;
        t.rows.push_back({json::value(period), json::value(currency), json::value(line), g.revenue,
                          g.discounts, g.commissions, g.revenue - g.discounts - g.commissions});
    }
    return table_response(t, csv_of(r));
}

/// One period's MRR in one currency.
struct MrrPeriod {
    std::string period;
    std::string currency;
    Micros start = 0;
    books::MrrDay moves;
    std::int64_t subscriptions_start = 0;
};

void add_moves(books::MrrDay& into, const books::MrrDay& day) {
    into.new_micros += day.new_micros;
    into.expansion_micros += day.expansion_micros;
    into.contraction_micros += day.contraction_micros;
    into.churn_micros += day.churn_micros;
    into.reactivation_micros += day.reactivation_micros;
    into.new_subscriptions += day.new_subscriptions;
    into.churned_subscriptions += day.churned_subscriptions;
    into.reactivated_subscriptions += day.reactivated_subscriptions;
}

Micros net_change(const books::MrrDay& m) {
    return m.new_micros + m.expansion_micros + m.reactivation_micros - m.contraction_micros -
           m.churn_micros;
}

std::int64_t count_change(const books::MrrDay& m) {
    return m.new_subscriptions + m.reactivated_subscriptions - m.churned_subscriptions;
}

/// GET /v1/billing/reports/mrr?from=&to=&grain=: per period of the range and currency, MRR at
/// the start, its movements, MRR at the end, paying subscriptions at the start and end, and
/// churn: the share of paying subscriptions lost, and of MRR lost to churn and contraction.
/// Every period of the range has a row, with or without movements.
core::Result<HttpResponse> mrr(BillingApi& api, HttpRequest& r) {
    const auto range = SY_TRY(range_query(api, r));
    const auto* view = SY_TRY(billing_routes::ready_view(api, r, books::kBillingReports));
    // The movements of each currency by day; MRR before the range is their sum.
    std::map<std::string, std::map<std::string, books::MrrDay>> by_currency;
    for (auto& day : books::mrr_days(*view, range.to))
        by_currency[day.currency][day.day] = std::move(day);
    std::vector<MrrPeriod> periods;
    const auto first = *core::parse_rfc3339(range.from + "T00:00:00Z");
    for (const auto& [currency, days] : by_currency) {
        Micros total = 0;
        std::int64_t count = 0;
        auto next = days.begin();
        for (; next != days.end() && next->first < range.from; ++next) {
            total += net_change(next->second);
            count += count_change(next->second);
        }
        for (auto t = first;; t += std::chrono::days(1)) {
            const auto day = day_of(t);
            if (day >= range.to) break;
            const auto period = period_of(day, range.grain);
            if (periods.empty() || periods.back().period != period ||
                periods.back().currency != currency)
                periods.push_back({period, currency, total, {}, count});
            if (next != days.end() && next->first == day) {
                add_moves(periods.back().moves, next->second);
                total += net_change(next->second);
                count += count_change(next->second);
                ++next;
            }
        }
    }
    ReportTable t{{"period", "currency", "mrr_start_micros", "new_micros", "expansion_micros",
                   "contraction_micros", "churn_micros", "reactivation_micros", "mrr_end_micros",
                   "subscriptions_start", "new_subscriptions", "churned_subscriptions",
                   "reactivated_subscriptions", "subscriptions_end", "subscription_churn_percent",
                   "mrr_churn_percent"},
                  {}};
    for (const auto& p : periods) {
        const auto& m = p.moves;
        t.rows.push_back({json::value(p.period), json::value(p.currency), p.start, m.new_micros,
                          m.expansion_micros, m.contraction_micros, m.churn_micros,
                          m.reactivation_micros, p.start + net_change(m), p.subscriptions_start,
                          m.new_subscriptions, m.churned_subscriptions, m.reactivated_subscriptions,
                          p.subscriptions_start + count_change(m),
                          percent(m.churned_subscriptions, p.subscriptions_start),
                          percent(m.churn_micros + m.contraction_micros, p.start)});
    }
    return table_response(t, csv_of(r));
}

/// `?as_of=`: an RFC 3339 time, or a date meaning the end of that day (UTC); now when absent.
/// @errors Invalid naming `as_of`.
core::Result<core::Timestamp> as_of_time(BillingApi& api, const HttpRequest& r) {
    const auto& text = r.query_param("as_of");
    if (text.empty()) return api.ctx.clock.now();
    if (text.size() == 10)
        if (auto day = core::parse_rfc3339(text + "T00:00:00Z"))
            return *day + std::chrono::days(1) - std::chrono::microseconds(1);
    if (auto t = core::parse_rfc3339(text)) return *t;
    return core::fail(Errc::Invalid, "as_of",
                      "must be a date (2026-11-30) or an RFC 3339 time (2026-11-30T23:59:59Z)");
}

/// GET /v1/billing/reports/receivables-aging?as_of=: what each customer owes by age (0-30,
/// 31-60, 61-90, over 90 days since the charge), payments settling the oldest charges first.
core::Result<HttpResponse> aging(BillingApi& api, HttpRequest& r) {
    const auto as_of = SY_TRY(as_of_time(api, r));
    const auto* view = SY_TRY(billing_routes::ready_view(api, r, books::kBillingLedger));
    constexpr std::string_view kPrefix = "receivable:";
    constexpr std::size_t kPage = 500;
    ReportTable t{{"customer_id", "currency", "current_micros", "days_31_60_micros",
                   "days_61_90_micros", "over_90_micros", "total_micros"},
                  {}};
    std::string after(kPrefix);
    for (bool more = true; more;) {
        const auto page = books::list_accounts(*view, after, kPage);
        more = page.size() == kPage;
        for (const auto& account : page) {
            if (!account.account.starts_with(kPrefix)) {
                more = false;
                break;
            }
            after = account.account + "/" + account.currency;
            std::vector<ReceivableLine> lines;
            for (const auto& l : books::statement(*view, account.account, account.currency, 0,
                                                  static_cast<std::size_t>(account.lines)))
                lines.push_back({l.time, l.debit_micros, l.credit_micros});
            const auto b = age_receivable(lines, as_of);
            if (b.total() == 0 && b.current_micros == 0) continue;
            t.rows.push_back({json::value(qualifier(account.account)),
                              json::value(account.currency), b.current_micros, b.days_31_60_micros,
                              b.days_61_90_micros, b.over_90_micros, b.total()});
        }
    }
    return table_response(t, csv_of(r));
}

}  // namespace

void add_report_routes(Router& router, BillingApi& api) {
    struct Report {
        const char* path;
        const char* csv_path;
        core::Result<HttpResponse> (*fn)(BillingApi&, HttpRequest&);
        const char* summary;
    };
    static const Report reports[] = {
        {"/v1/billing/reports/revenue", "/v1/billing/reports/revenue.csv", revenue,
         "Revenue, discounts and net revenue per period (?grain=day|month|quarter|year) over "
         "?from=&to= (dates, to exclusive), by ?by=line|plan|reseller; .csv for CSV."},
        {"/v1/billing/reports/taxes", "/v1/billing/reports/taxes.csv", taxes,
         "Tax collected, refunded and owed per period and jurisdiction over ?from=&to=; .csv "
         "for CSV."},
        {"/v1/billing/reports/profit-and-loss", "/v1/billing/reports/profit-and-loss.csv",
         profit_and_loss,
         "Revenue less discounts and commissions per period and service line over ?from=&to=; "
         ".csv for CSV."},
        {"/v1/billing/reports/mrr", "/v1/billing/reports/mrr.csv", mrr,
         "MRR at the start and end of each period, its movements (new, expansion, contraction, "
         "churn, reactivation) and churn rates over ?from=&to=; .csv for CSV."},
        {"/v1/billing/reports/receivables-aging", "/v1/billing/reports/receivables-aging.csv",
         aging,
         "What each customer owes by age (0-30, 31-60, 61-90, over 90 days) as of ?as_of= (a "
         "date or an RFC 3339 time); .csv for CSV."},
    };
    std::vector<RouteDef<BillingApi>> table;
    for (const auto& rep : reports) {
        table.push_back({"GET", rep.path, kBooksRead, rep.fn, rep.summary});
        table.push_back({"GET", rep.csv_path, kBooksRead, rep.fn, rep.summary});
    }
    add_routes<BillingApi>(router, api, "billing", table);
}

}  // namespace switchyard::api
