// /v1/hotspot/accounts: hotspot and PPPoE accounts (username, password, plan, optional MAC
// binding). The password is written (POST, PATCH) and never shown. A reseller reaches its own
// subtree's accounts; any other does not exist, as far as it knows (404).
#include <boost/json.hpp>

#include "api/routes/hotspot/hotspot_support.hpp"
#include "events/hotspot/hotspot_codec.hpp"
#include "projections/hotspot/hotspot_accounts.hpp"

namespace switchyard::api::hotspot {

namespace json = boost::json;
using core::Errc;
using namespace core::hotspot;

namespace {

/// The `{id}` account as the command side holds it, if the caller reaches it.
core::Result<Account> reachable_account(HotspotApi& api, const HttpRequest& r,
                                        const std::string& username) {
    auto a = api.hotspot.account(username);
    if (!a) {
        if (a.error().code == Errc::NotFound) return not_found("account", username, "username");
        return tl::unexpected(a.error());
    }
    if (!may_reach(r, a->owner_path)) return not_found("account", username, "username");
    a->password_sealed.clear();
    return *a;
}

/// The account after a command, as the API shows it.
core::Result<HttpResponse> account_answer(HotspotApi& api, const HttpRequest& r,
                                          const std::string& username,
                                          const std::vector<events::Position>& positions) {
    return answer(200, events::hotspot::account_json(SY_TRY(reachable_account(api, r, username))),
                  positions);
}

/// GET /v1/hotspot/accounts?status=&plan_id=&cursor=&limit=: the caller's accounts.
core::Result<HttpResponse> list_accounts(HotspotApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto page = SY_TRY(page_query(r));
    const auto status =
        SY_TRY(enum_query(r, "status", {"", "active", "expired", "exhausted", "disabled"}, ""));
    projections::hotspot::AccountFilter filter;
    if (!status.empty()) {
        AccountStatus s{};
        parse_account_status(status, s);
        filter.status = s;
    }
    filter.plan_id = r.query_param("plan_id");
    filter.scope = scope_of(r);
    const auto* view = SY_TRY(view_of(api, projections::hotspot::kHotspotAccounts, "accounts"));
    PageWriter out(page);
    for (const auto& a :
         projections::hotspot::list_accounts(*view, page.cursor, page.limit + 1, filter))
        if (!out.add(json::serialize(events::hotspot::account_json(a)), a.username)) break;
    return json_response(200, out.body());
}

/// GET /v1/hotspot/accounts/{id}
core::Result<HttpResponse> get_account(HotspotApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto username = SY_TRY(text_param(r));
    const auto* view = SY_TRY(view_of(api, projections::hotspot::kHotspotAccounts, "accounts"));
    auto a = projections::hotspot::find_account(*view, username);
    if (!a || !may_reach(r, a->owner_path)) return not_found("account", username, "username");
    return json_ok(events::hotspot::account_json(*a));
}

/// POST /v1/hotspot/accounts {"username", "password", "plan_id", "mac"?}: 201 with the
/// account, never its password.
core::Result<HttpResponse> create_account(HotspotApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"username", "password", "plan_id", "mac"}));
    CreateAccount cmd;
    cmd.account.username = SY_TRY(b.string("username"));
    cmd.password = SY_TRY(b.string("password"));
    cmd.account.plan_id = SY_TRY(b.string("plan_id"));
    cmd.account.mac = SY_TRY(b.opt_string("mac")).value_or("");
    cmd.account.owner_path = owner_path_of(r);
    const auto ctx = context_of(api, r);
    cmd.command_id = command_id_of(r, ctx);
    const auto username = cmd.account.username;
    auto o = SY_TRY(api.hotspot.execute(std::move(cmd), ctx));
    return answer_created(
        events::hotspot::account_json(SY_TRY(reachable_account(api, r, username))), o);
}

/// PATCH /v1/hotspot/accounts/{id} {"plan_id"?, "password"?, "mac"?}: each named change
/// is its own command (in that order); `mac` null or "" removes the binding.
core::Result<HttpResponse> update_account(HotspotApi& api, HttpRequest& r) {
    const auto username = SY_TRY(text_param(r));
    const auto current = SY_TRY(reachable_account(api, r, username));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"plan_id", "password", "mac"}));
    const auto plan_id = SY_TRY(b.opt_string("plan_id"));
    const auto password = SY_TRY(b.opt_string("password"));
    std::optional<std::string> mac;
    if (b.is_null("mac"))
        mac = "";
    else
        mac = SY_TRY(b.opt_string("mac"));
    if (password && password->empty())
        return core::fail(Errc::Invalid, "password", "must not be empty");
    if (mac && !mac->empty() && !normalize_mac(*mac))
        return core::fail(Errc::Invalid, "mac", "must be a MAC address such as aa:bb:cc:dd:ee:ff");
    if (plan_id) {
        auto catalog = SY_TRY(api.hotspot.catalog());
        SY_TRY(usable_plan(catalog, *plan_id, current.owner_path, api.ctx.clock.now(), "plan_id"));
    }
    const auto ctx = context_of(api, r);
    const auto id = command_id_of(r, ctx);
    std::vector<events::Position> positions;
    auto keep = [&](const auto& o) {
        positions.insert(positions.end(), o.positions.begin(), o.positions.end());
    };
    if (plan_id)
        keep(SY_TRY(api.hotspot.execute(ChangePlan{username, *plan_id, id + ":plan"}, ctx)));
    if (password) {
        ChangePassword c;
        c.username = username;
        c.password = *password;
        c.command_id = id + ":password";
        keep(SY_TRY(api.hotspot.execute(std::move(c), ctx)));
    }
    if (mac) keep(SY_TRY(api.hotspot.execute(BindMac{username, *mac, id + ":mac"}, ctx)));
    return account_answer(api, r, username, positions);
}

/// POST /v1/hotspot/accounts/{id}/disable {"reason"?}
core::Result<HttpResponse> disable_account(HotspotApi& api, HttpRequest& r) {
    const auto username = SY_TRY(text_param(r));
    SY_TRY(reachable_account(api, r, username));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"reason"}));
    const auto ctx = context_of(api, r);
    DisableAccount cmd{username, SY_TRY(b.opt_string("reason")).value_or(""),
                       command_id_of(r, ctx)};
    auto o = SY_TRY(api.hotspot.execute(cmd, ctx));
    return account_answer(api, r, username, o.positions);
}

/// POST /v1/hotspot/accounts/{id}/enable
core::Result<HttpResponse> enable_account(HotspotApi& api, HttpRequest& r) {
    const auto username = SY_TRY(text_param(r));
    SY_TRY(reachable_account(api, r, username));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({}));
    const auto ctx = context_of(api, r);
    EnableAccount cmd{username, command_id_of(r, ctx)};
    auto o = SY_TRY(api.hotspot.execute(cmd, ctx));
    return account_answer(api, r, username, o.positions);
}

/// POST /v1/hotspot/accounts/{id}/extend {"add_seconds"?, "add_data_bytes"?,
/// "add_session_seconds"?}: adds wall-clock time (from max(now, expiry)), data or online time.
core::Result<HttpResponse> extend_account(HotspotApi& api, HttpRequest& r) {
    const auto username = SY_TRY(text_param(r));
    SY_TRY(reachable_account(api, r, username));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"add_seconds", "add_data_bytes", "add_session_seconds"}));
    const auto ctx = context_of(api, r);
    ExtendAccount cmd;
    cmd.username = username;
    cmd.add_seconds = SY_TRY(b.opt_int("add_seconds")).value_or(0);
    cmd.add_data_bytes = SY_TRY(b.opt_int("add_data_bytes")).value_or(0);
    cmd.add_session_seconds = SY_TRY(b.opt_int("add_session_seconds")).value_or(0);
    cmd.command_id = command_id_of(r, ctx);
    auto o = SY_TRY(api.hotspot.execute(cmd, ctx));
    return account_answer(api, r, username, o.positions);
}

}  // namespace

HotspotRoutes account_routes() {
    return {
        {"GET", "/v1/hotspot/accounts", hotspot_roles::read, list_accounts,
         "The caller's hotspot and PPPoE accounts in username order (?status=, ?plan_id=), "
         "cursor-paginated."},
        {"GET", "/v1/hotspot/accounts/{id}", hotspot_roles::read, get_account,
         "One account in the caller's reach, without its password."},
        {"POST", "/v1/hotspot/accounts", hotspot_roles::desk, create_account,
         "Creates a hotspot or PPPoE account on a plan (its service type is the plan's)."},
        {"PATCH", "/v1/hotspot/accounts/{id}", hotspot_roles::desk, update_account,
         "Changes an account's plan (a fresh allowance), password or MAC binding."},
        {"POST", "/v1/hotspot/accounts/{id}/disable", hotspot_roles::desk, disable_account,
         "Disables an account."},
        {"POST", "/v1/hotspot/accounts/{id}/enable", hotspot_roles::desk, enable_account,
         "Enables a disabled account again."},
        {"POST", "/v1/hotspot/accounts/{id}/extend", hotspot_roles::desk, extend_account,
         "Adds time, data or online time to an account."},
    };
}

}  // namespace switchyard::api::hotspot
