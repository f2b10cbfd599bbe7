// Resellers' credits over HTTP: a reseller reads its own credits and passes some down to a
// sub-reseller of its subtree (never below zero: the giver's account stream is appended at its
// revision); the operator's staff read and move any reseller's.
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/route_support.hpp"
#include "api/route_table.hpp"
#include "api/routes/billing/billing_api.hpp"
#include "api/routes/billing/billing_routes.hpp"
#include "projections/identity/users.hpp"

namespace switchyard::api {

namespace json = boost::json;
using core::Errc;
using namespace core::billing;

namespace {

using billing_routes::addressed_reseller;
using billing_routes::answer;
using billing_routes::context_of;

json::object credits_json(const std::string& code, const AccountState& account) {
    return {{"account", code},
            {"currency", account.terms->currency},
            {"balance_micros", account.balance_micros},
            {"credit_limit_micros", account.terms->credit_limit_micros},
            {"available_micros", account.balance_micros + account.terms->credit_limit_micros}};
}

/// GET /v1/billing/credits?reseller_id=: a reseller's credits (its own; staff name one).
core::Result<HttpResponse> get_credits(BillingApi& api, HttpRequest& r) {
    const auto reseller =
        SY_TRY(addressed_reseller(caller_of(r), r.query_param("reseller_id"), "reseller_id"));
    const auto code = "reseller_credit:" + reseller;
    const auto [account, revision] = SY_TRY(api.ledger.account(code));
    if (!account.terms) return core::fail(Errc::NotFound, "reseller_id", code + " is not open");
    return json_response(200, json::serialize(credits_json(code, account)));
}

/// POST /v1/billing/credits/transfers {"transfer_id", "to_reseller_id", "amount_micros",
/// "memo"?, "from_reseller_id"? (staff)}: credits passed down to a reseller of the giver's
/// subtree; the receiver's credits are opened in the giver's currency when they are not.
core::Result<HttpResponse> transfer(BillingApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"transfer_id", "to_reseller_id", "amount_micros", "memo", "from_reseller_id"}));
    const auto& caller = caller_of(r);
    const auto transfer_id = SY_TRY(b.string("transfer_id"));
    SY_TRY(check_id(transfer_id, "transfer_id"));
    const auto from = SY_TRY(addressed_reseller(
        caller, SY_TRY(b.opt_string("from_reseller_id")).value_or(""), "from_reseller_id"));
    const auto to = SY_TRY(b.string("to_reseller_id"));
    const auto amount = SY_TRY(b.opt_int("amount_micros"));
    if (!amount || *amount <= 0)
        return core::fail(Errc::Invalid, "amount_micros", "is required and above 0");
    const auto memo = SY_TRY(b.opt_string("memo")).value_or("credits passed down");
    SY_TRY(check_text(memo, 200, "memo"));
    // The receiver: a reseller below the giver, inside the caller's scope.
    const auto* users = api.ctx.runner.view(projections::identity::kUsers);
    if (!users) return core::fail(Errc::Unavailable, "billing", "the users read model is not open");
    const auto giver = projections::identity::find_user(*users, from);
    const auto receiver = projections::identity::find_user(*users, to);
    if (!giver || !receiver || receiver->role != "reseller" || to == from ||
        !core::identity::in_scope(giver->owner_path + giver->user_id + "/", receiver->owner_path) ||
        !core::identity::in_scope(caller.principal.scope, receiver->owner_path))
        return core::fail(Errc::NotFound, "to_reseller_id", "no reseller " + to + " below " + from);
    const auto from_code = "reseller_credit:" + from;
    const auto to_code = "reseller_credit:" + to;
    const auto [giving, revision] = SY_TRY(api.ledger.account(from_code));
    if (!giving.terms)
        return core::fail(Errc::NotFound, "from_reseller_id", from_code + " is not open");
    const auto ctx = context_of(api, r);
    std::vector<events::Position> positions;
    const auto [receiving, to_revision] = SY_TRY(api.ledger.account(to_code));
    if (!receiving.terms) {
        auto opened = SY_TRY(api.ledger.open_account({to_code, giving.terms->currency, 0}, ctx));
        positions = opened.positions;
    }
    JournalEntry e{"xfer:" + from + ":" + transfer_id,
                   giving.terms->currency,
                   memo,
                   transfer_id,
                   "",
                   {{from_code, *amount, 0}, {to_code, 0, *amount}}};
    auto posted = SY_TRY(api.ledger.post(e, ctx));
    if (!posted.positions.empty()) positions = posted.positions;  // later than the opening
    const auto after = SY_TRY(api.ledger.account(from_code)).first;
    const auto given = SY_TRY(api.ledger.account(to_code)).first;
    return answer(posted.changed ? 201 : 200,
                  json::object{{"transfer_id", transfer_id},
                               {"entry_id", e.entry_id},
                               {"from", credits_json(from_code, after)},
                               {"to", credits_json(to_code, given)}},
                  positions);
}

}  // namespace

void add_credit_routes(Router& router, BillingApi& api) {
    add_routes<BillingApi>(
        router, api, "billing",
        {
            {"GET", "/v1/billing/credits", roles::sellers, get_credits,
             "A reseller's credits: its own, or ?reseller_id= for staff."},
            {"POST", "/v1/billing/credits/transfers", roles::sellers, transfer,
             "Passes credits down to a reseller of the giver's subtree; the giver's never go "
             "below zero."},
        });
}

}  // namespace switchyard::api
