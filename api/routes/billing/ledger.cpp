// The billing ledger over HTTP: staff open guarded accounts (wallets, reseller credits), post
// balanced journal entries and reverse them; the books (account balances, statements, the trial
// balance) are read from the billing_ledger read model, now or as of a past time (`?as_of=`,
// RFC 3339), which is how month-end books are read without replaying the log.
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/query.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "api/routes/billing/billing_api.hpp"
#include "api/routes/billing/billing_routes.hpp"
#include "projections/billing/ledger.hpp"

namespace switchyard::api {

namespace json = boost::json;
using core::Errc;
using namespace core::billing;
namespace books = projections::billing;

namespace {

using billing_routes::answer;
using billing_routes::context_of;
using billing_routes::kBooksRead;

core::Result<const projections::ReadModelView*> ready_view(BillingApi& api, HttpRequest& r) {
    return billing_routes::ready_view(api, r, books::kBillingLedger);
}

/// `?as_of=` (RFC 3339), or nullopt when absent. @errors Invalid naming `as_of`.
core::Result<std::optional<core::Timestamp>> as_of_query(const HttpRequest& r) {
    const auto& text = r.query_param("as_of");
    if (text.empty()) return std::optional<core::Timestamp>{};
    auto t = core::parse_rfc3339(text);
    if (!t)
        return core::fail(Errc::Invalid, "as_of",
                          "must be an RFC 3339 time such as 2026-10-31T23:59:59Z");
    return std::optional<core::Timestamp>{*t};
}

json::object entry_json(const JournalEntry& e) {
    json::array postings;
    for (const auto& p : e.postings)
        postings.push_back(json::object{{"account", p.account},
                                        {"debit_micros", p.debit_micros},
                                        {"credit_micros", p.credit_micros}});
    json::object o{{"entry_id", e.entry_id},
                   {"currency", e.currency},
                   {"memo", e.memo},
                   {"postings", std::move(postings)}};
    if (!e.reference.empty()) o["reference"] = e.reference;
    if (!e.reverses.empty()) o["reverses"] = e.reverses;
    if (e.earned_from) o["earned_from"] = core::format_rfc3339(*e.earned_from);
    if (e.earned_until) o["earned_until"] = core::format_rfc3339(*e.earned_until);
    return o;
}

/// An optional RFC 3339 time of the body. @errors Invalid naming `key`.
core::Result<std::optional<core::Timestamp>> opt_time_of(const JsonBody& b, const char* key) {
    const auto text = SY_TRY(b.opt_string(key));
    if (!text) return std::optional<core::Timestamp>{};
    auto t = core::parse_rfc3339(*text);
    if (!t)
        return core::fail(Errc::Invalid, key,
                          "must be an RFC 3339 time such as 2026-11-01T00:00:00Z");
    return std::optional<core::Timestamp>{*t};
}

json::object balance_json(const books::AccountBalance& b) {
    return {{"account", b.account},
            {"currency", b.currency},
            {"class", to_string(b.account_class)},
            {"debit_micros", b.debit_micros},
            {"credit_micros", b.credit_micros},
            {"balance_micros", b.balance_micros},
            {"lines", b.lines}};
}

json::object guarded_json(const std::string& code, const AccountState& s) {
    return {{"account", code},
            {"currency", s.terms->currency},
            {"credit_limit_micros", s.terms->credit_limit_micros},
            {"balance_micros", s.balance_micros},
            {"available_micros", s.balance_micros + s.terms->credit_limit_micros}};
}

/// POST /v1/billing/accounts {"account", "currency", "credit_limit_micros"?}
core::Result<HttpResponse> open_account(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"account", "currency", "credit_limit_micros"}));
    OpenAccount c{SY_TRY(b.string("account")), SY_TRY(b.string("currency")),
                  SY_TRY(b.opt_int("credit_limit_micros")).value_or(0)};
    const auto [before, revision] = SY_TRY(api.ledger.account(c.account));
    auto o = SY_TRY(api.ledger.open_account(c, context_of(api, r)));
    const auto [state, after] = SY_TRY(api.ledger.account(c.account));
    return answer(o.changed && !before.terms ? 201 : 200, guarded_json(c.account, state),
                  o.positions);
}

/// GET /v1/billing/accounts?cursor=&limit=: every account with a posting, by code and currency.
core::Result<HttpResponse> list_accounts(BillingApi& api, HttpRequest& r) {
    const auto* view = SY_TRY(ready_view(api, r));
    const auto page = SY_TRY(page_query(r));
    PageWriter out(page);
    for (const auto& row : books::list_accounts(*view, page.cursor, page.limit + 1))
        if (!out.add(json::serialize(balance_json(row)), row.account + "/" + row.currency)) break;
    return json_response(200, out.body());
}

/// The `{account}` path parameter, checked against the chart.
core::Result<std::string> account_param(const HttpRequest& r) {
    auto it = r.params.find("account");
    const std::string code = it == r.params.end() ? "" : it->second;
    SY_TRY(parse_account(code, "account"));
    return code;
}

/// `?currency=` (required for the books of one account).
core::Result<std::string> currency_query(const HttpRequest& r) {
    const auto& c = r.query_param("currency");
    if (!valid_currency(c))
        return core::fail(Errc::Invalid, "currency", "must be an ISO 4217 code such as EUR");
    return c;
}

/// GET /v1/billing/accounts/{account}?currency=&as_of=: the account's totals; a guarded account
/// adds its terms and balance from its stream (current with every command).
core::Result<HttpResponse> get_account(BillingApi& api, HttpRequest& r) {
    const auto code = SY_TRY(account_param(r));
    const auto currency = SY_TRY(currency_query(r));
    const auto as_of = SY_TRY(as_of_query(r));
    const auto* view = SY_TRY(ready_view(api, r));
    auto row = books::find_account(*view, code, currency, as_of);
    const auto [state, revision] = SY_TRY(api.ledger.account(code));
    const bool guarded = state.terms && state.terms->currency == currency;
    if (!row && !guarded) return core::fail(Errc::NotFound, "account", "no postings on " + code);
    json::object o =
        row ? balance_json(*row)
            : balance_json(
                  {code, currency, class_of(parse_account(code, "account")->kind), 0, 0, 0, 0});
    if (as_of) o["as_of"] = core::format_rfc3339(*as_of);
    if (guarded) o["guarded"] = guarded_json(code, state);
    return json_response(200, json::serialize(o));
}

/// GET /v1/billing/accounts/{account}/lines?currency=&cursor=&limit=: the statement, oldest
/// first.
core::Result<HttpResponse> list_lines(BillingApi& api, HttpRequest& r) {
    const auto code = SY_TRY(account_param(r));
    const auto currency = SY_TRY(currency_query(r));
    const auto* view = SY_TRY(ready_view(api, r));
    const auto page = SY_TRY(page_query(r));
    const auto from = SY_TRY(id_cursor(page));
    PageWriter out(page);
    auto index = from;
    for (const auto& l : books::statement(*view, code, currency, from, page.limit + 1)) {
        json::object o{{"entry_id", l.entry_id},
                       {"time", core::format_rfc3339(l.time)},
                       {"debit_micros", l.debit_micros},
                       {"credit_micros", l.credit_micros},
                       {"balance_micros", l.balance_micros},
                       {"memo", l.memo}};
        if (!out.add(json::serialize(o), std::to_string(++index))) break;
    }
    return json_response(200, out.body());
}

/// The entry in a request body: `{"entry_id", "currency", "memo", "reference"?, "postings":
/// [{"account", "debit_micros"?, "credit_micros"?}], "earned_from"?, "earned_until"?}` (an
/// earning period makes what it credits to deferred_revenue earned day by day).
core::Result<JournalEntry> entry_of(const HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only(
        {"entry_id", "currency", "memo", "reference", "postings", "earned_from", "earned_until"}));
    JournalEntry e;
    e.entry_id = SY_TRY(b.string("entry_id"));
    if (e.entry_id.starts_with("rec:"))
        return core::fail(Errc::Invalid, "entry_id",
                          "ids starting with 'rec:' are the revenue recognizer's");
    e.currency = SY_TRY(b.string("currency"));
    e.memo = SY_TRY(b.string("memo"));
    e.reference = SY_TRY(b.opt_string("reference")).value_or("");
    e.earned_from = SY_TRY(opt_time_of(b, "earned_from"));
    e.earned_until = SY_TRY(opt_time_of(b, "earned_until"));
    auto postings = SY_TRY(b.opt_object_list("postings"));
    if (!postings) return core::fail(Errc::Invalid, "postings", "is required");
    if (postings->size() > kMaxPostings)
        return core::fail(Errc::Invalid, "postings",
                          "at most " + std::to_string(kMaxPostings) + " postings per entry");
    for (const auto& p : *postings) {
        SY_TRY(p.only({"account", "debit_micros", "credit_micros"}));
        e.postings.push_back({SY_TRY(p.string("account")),
                              SY_TRY(p.opt_int("debit_micros")).value_or(0),
                              SY_TRY(p.opt_int("credit_micros")).value_or(0)});
    }
    return e;
}

json::object posted_json(const JournalEntry& e, const events::billing::PostedDetail& d) {
    auto o = entry_json(e);
    json::object balances;
    for (const auto& [code, micros] : d.balances) balances[code] = micros;
    o["balances"] = std::move(balances);
    return o;
}

/// POST /v1/billing/entries: posts a balanced entry (201), the same entry again is 200.
core::Result<HttpResponse> post_entry(BillingApi& api, HttpRequest& r) {
    const auto e = SY_TRY(entry_of(r));
    auto o = SY_TRY(api.ledger.post(e, context_of(api, r)));
    return answer(o.changed ? 201 : 200, posted_json(e, o), o.positions);
}

/// The `{entry_id}` path parameter.
std::string entry_param(const HttpRequest& r) {
    auto it = r.params.find("entry_id");
    return it == r.params.end() ? "" : it->second;
}

/// GET /v1/billing/entries/{entry_id}: the entry as posted, with its time and reversal.
core::Result<HttpResponse> get_entry(BillingApi& api, HttpRequest& r) {
    const auto* view = SY_TRY(ready_view(api, r));
    const auto id = entry_param(r);
    auto booked = books::find_entry(*view, id);
    if (!booked) return core::fail(Errc::NotFound, "entry_id", "no entry " + id);
    auto o = entry_json(booked->entry);
    o["time"] = core::format_rfc3339(booked->time);
    o["reversed_by"] =
        booked->reversed_by.empty() ? json::value(nullptr) : json::value(booked->reversed_by);
    return json_response(200, json::serialize(o));
}

/// POST /v1/billing/entries/{entry_id}/reversal {"memo"}: posts the reversing entry.
core::Result<HttpResponse> reverse_entry(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"memo"}));
    const auto memo = SY_TRY(b.string("memo"));
    const auto id = entry_param(r);
    auto o = SY_TRY(api.ledger.reverse(id, memo, context_of(api, r)));
    auto reversal = SY_TRY(api.ledger.entry(o.entry_id));
    if (!reversal) return core::fail(Errc::Internal, "entry_id", "the reversal was not stored");
    return answer(o.changed ? 201 : 200, posted_json(*reversal, o), o.positions);
}

/// GET /v1/billing/trial-balance?as_of=: per currency, every account's balance and the sums of
/// the debit and credit balances (equal in balanced books).
core::Result<HttpResponse> get_trial_balance(BillingApi& api, HttpRequest& r) {
    const auto as_of = SY_TRY(as_of_query(r));
    const auto* view = SY_TRY(ready_view(api, r));
    json::array currencies;
    for (const auto& tb : books::trial_balance(*view, as_of)) {
        json::array accounts;
        for (const auto& a : tb.accounts) accounts.push_back(balance_json(a));
        currencies.push_back(
            json::object{{"currency", tb.currency},
                         {"debit_balances_micros", tb.debit_balances_micros},
                         {"credit_balances_micros", tb.credit_balances_micros},
                         {"balanced", tb.debit_balances_micros == tb.credit_balances_micros},
                         {"accounts", std::move(accounts)}});
    }
    json::object o{{"currencies", std::move(currencies)}};
    o["as_of"] = as_of ? json::value(core::format_rfc3339(*as_of)) : json::value(nullptr);
    return json_response(200, json::serialize(o));
}

}  // namespace

void add_billing_routes(Router& router, BillingApi& api) {
    add_routes<BillingApi>(
        router, api, "billing",
        {
            {"POST", "/v1/billing/accounts", roles::admin, open_account,
             "Opens a guarded account (wallet or reseller credits) with its currency and credit "
             "limit."},
            {"GET", "/v1/billing/accounts", kBooksRead, list_accounts,
             "Every account of the books with its totals, cursor-paginated."},
            {"GET", "/v1/billing/accounts/{account}", kBooksRead, get_account,
             "One account's totals in ?currency=, now or ?as_of= an RFC 3339 time."},
            {"GET", "/v1/billing/accounts/{account}/lines", kBooksRead, list_lines,
             "One account's statement in ?currency=, oldest first, cursor-paginated."},
            {"POST", "/v1/billing/entries", roles::admin, post_entry,
             "Posts a balanced journal entry; the same entry id again changes nothing."},
            {"GET", "/v1/billing/entries/{entry_id}", kBooksRead, get_entry,
             "One journal entry as posted, with its time and the entry that reversed it."},
            {"POST", "/v1/billing/entries/{entry_id}/reversal", roles::admin, reverse_entry,
             "Posts the entry that reverses this one (sides swapped); once."},
            {"GET", "/v1/billing/trial-balance", kBooksRead, get_trial_balance,
             "The trial balance per currency, now or ?as_of= an RFC 3339 time."},
        });
    add_subscription_routes(router, api);
    add_payment_routes(router, api);
    add_invoice_routes(router, api);
    add_credit_routes(router, api);
    add_pricing_routes(router, api);
    add_report_routes(router, api);
    add_commission_routes(router, api);
    add_referral_routes(router, api);
    add_notification_routes(router, api);
}

}  // namespace switchyard::api
