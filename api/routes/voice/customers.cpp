// /v1/voice/customers: voice customers (one category, one group) and their effective
// configuration. Each caller reaches only the customers in its scope: the operator's staff all,
// a reseller its subtree's (it creates them there), a customer user the customer it signs in
// as; any other customer does not exist, as far as the caller knows (404).
#include <boost/json.hpp>

#include "api/routes/voice/voice_support.hpp"
#include "events/voice/customer_codec.hpp"
#include "projections/identity/users.hpp"
#include "projections/voice/customers.hpp"

namespace switchyard::api::voice {

namespace json = boost::json;
using core::Errc;
using namespace core::voice;

namespace {

/// The customers read model. @errors Unavailable when it is not open.
core::Result<const projections::ReadModelView*> customers_view(ApiContext& ctx) {
    const auto* v = ctx.runner.view(projections::voice::kVoiceCustomers);
    if (!v)
        return core::fail(Errc::Unavailable, "customers", "the customers read model is not open");
    return v;
}

/// The `{id}` customer as the command side holds it, if the caller may see it (else NotFound).
core::Result<Customer> reachable_customer(VoiceApi& api, const HttpRequest& r, std::int64_t id) {
    const auto d = SY_TRY(api.voice.directory());
    auto it = d.customers.find(id);
    if (it == d.customers.end() || !may_see(r, it->second))
        return not_found("customer", std::to_string(id));
    return it->second;
}

/// A customer user the caller may link: an identity user of role `customer` inside the caller's
/// scope. @errors NotFound naming `user_id` otherwise; Unavailable without the users model.
core::Result<void> check_user(VoiceApi& api, const HttpRequest& r, const std::string& user_id) {
    if (user_id.empty()) return {};
    const auto* users = api.ctx.runner.view(projections::identity::kUsers);
    if (!users) return core::fail(Errc::Unavailable, "users", "the users read model is not open");
    auto user = projections::identity::find_user(*users, user_id);
    if (!user || user->role != "customer" ||
        !core::identity::in_scope(caller_of(r).principal.scope, user->owner_path))
        return not_found("customer user", user_id, "user_id");
    return {};
}

/// A customer from a body; absent members keep `current`'s. The order of the checks: the
/// body's types here, the rules in core/voice/customer_decider.
core::Result<Customer> customer_of(const JsonBody& b, const Customer& current) {
    SY_TRY(b.only({"name", "company", "country", "currency", "billing_type", "accountcodes",
                   "source_ips", "trunks", "caller_prefixes", "tech_prefix", "status",
                   "category_id", "group_id", "user_id"}));
    Customer c = current;
    if (auto v = SY_TRY(b.opt_string("name"))) c.name = *v;
    if (auto v = SY_TRY(b.opt_string("company"))) c.company = *v;
    if (auto v = SY_TRY(b.opt_string("country"))) c.country = *v;
    if (auto v = SY_TRY(b.opt_string("currency"))) c.currency = *v;
    if (auto v = SY_TRY(b.opt_string("billing_type"))) {
        if (!parse_billing_type(*v, c.billing_type))
            return core::fail(Errc::Invalid, "billing_type", "must be prepaid or postpaid");
    }
    if (auto v = SY_TRY(b.opt_string_list("accountcodes"))) c.accountcodes = *v;
    if (auto v = SY_TRY(b.opt_string_list("source_ips"))) c.source_ips = *v;
    if (auto v = SY_TRY(b.opt_string_list("trunks"))) c.trunks = *v;
    if (auto v = SY_TRY(b.opt_string_list("caller_prefixes"))) c.caller_prefixes = *v;
    if (auto v = SY_TRY(b.opt_string("tech_prefix"))) c.tech_prefix = *v;
    if (auto v = SY_TRY(b.opt_string("status"))) {
        if (!parse_customer_status(*v, c.status))
            return core::fail(Errc::Invalid, "status", "must be active or suspended");
    }
    if (auto v = SY_TRY(b.opt_string("category_id"))) c.category_id = *v;
    if (auto v = SY_TRY(b.opt_string("group_id"))) c.group_id = *v;
    if (auto v = SY_TRY(b.opt_string("user_id"))) c.user_id = *v;
    return c;
}

/// GET /v1/voice/customers?category_id=&group_id=&status=&cursor=&limit=: the caller's
/// customers in id order.
core::Result<HttpResponse> list_customers(VoiceApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto page = SY_TRY(page_query(r));
    const auto after = SY_TRY(id_cursor(page));
    const auto status = SY_TRY(enum_query(r, "status", {"", "active", "suspended"}, ""));
    projections::voice::CustomerFilter filter;
    filter.category_id = r.query_param("category_id");
    filter.group_id = r.query_param("group_id");
    if (!status.empty()) {
        CustomerStatus s{};
        parse_customer_status(status, s);
        filter.status = s;
    }
    filter.scope = caller_of(r).principal.scope;
    const auto* view = SY_TRY(customers_view(api.ctx));
    PageWriter out(page);
    for (const auto& c : projections::voice::list_customers(*view, after, page.limit + 1, filter))
        if (!out.add(json::serialize(events::voice::customer_json(c)),
                     std::to_string(c.customer_id)))
            break;
    return json_response(200, out.body());
}

/// GET /v1/voice/customers/{id}
core::Result<HttpResponse> get_customer(VoiceApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto id = SY_TRY(id_param(r, "id"));
    auto c = projections::voice::find_customer(*SY_TRY(customers_view(api.ctx)), id);
    if (!c || !may_see(r, *c)) return not_found("customer", std::to_string(id));
    return json_ok(events::voice::customer_json(*c));
}

/// POST /v1/voice/customers {"name", "country", "currency", "category_id", "group_id",
/// "company"?, "billing_type"?, "accountcodes"?, "source_ips"?, "trunks"?, "caller_prefixes"?,
/// "tech_prefix"?, "status"?, "user_id"?}: a reseller's customer lives in its subtree, the
/// operator's staff's at `/`.
core::Result<HttpResponse> create_customer(VoiceApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    const Customer fresh;
    CreateCustomer cmd;
    cmd.customer = SY_TRY(customer_of(b, fresh));
    SY_TRY(check_user(api, r, cmd.customer.user_id));
    const auto& caller = caller_of(r).principal;
    cmd.customer.owner_path =
        caller.role == core::identity::Role::Reseller ? caller.scope : std::string("/");
    const auto ctx = context_of(api, r);
    cmd.command_id = command_id_of(r, ctx);
    auto o = SY_TRY(api.voice.execute(cmd, ctx));
    const auto created = SY_TRY(api.voice.effective_config(o.id));
    // Its balance account, in its currency (balances.cpp opens it later if this fails).
    if (auto a = api.accounts.open(OpenAccount{account_terms_of(created.customer)}, ctx))
        o.positions.insert(o.positions.end(), a->positions.begin(), a->positions.end());
    return answer_created(events::voice::customer_json(created.customer), o);
}

/// PATCH /v1/voice/customers/{id}: the fields the body names change.
core::Result<HttpResponse> update_customer(VoiceApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    const auto current = SY_TRY(reachable_customer(api, r, id));
    auto b = SY_TRY(JsonBody::parse(r.body));
    UpdateCustomer cmd;
    cmd.customer = SY_TRY(customer_of(b, current));
    if (cmd.customer.user_id != current.user_id) SY_TRY(check_user(api, r, cmd.customer.user_id));
    const auto ctx = context_of(api, r);
    auto o = SY_TRY(api.voice.execute(cmd, ctx));
    const auto updated = SY_TRY(api.voice.effective_config(id));
    return answer(200, events::voice::customer_json(updated.customer), o.positions);
}

/// GET /v1/voice/customers/{id}/effective: per item kind, the value and the assignment that
/// gave it (core/voice/assignment.hpp): `{"customer_id", "category_id", "group_id", "items":
/// [{"kind", "value", "assignment": {"assignment_id", "scope", "target", "created_at"}}]}`,
/// `value` and `assignment` null for a kind no assignment reaches.
core::Result<HttpResponse> get_effective(VoiceApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    SY_TRY(reachable_customer(api, r, id));
    const auto config = SY_TRY(api.voice.effective_config(id));
    json::array items;
    for (auto kind : kItemKinds) {
        json::object item{{"kind", to_string(kind)}};
        if (const auto* a = config.effective.find(kind)) {
            item["value"] = a->value;
            item["assignment"] = json::object{{"assignment_id", a->assignment_id},
                                              {"scope", to_string(a->scope)},
                                              {"target", a->target},
                                              {"created_at", core::format_rfc3339(a->created_at)}};
        } else {
            item["value"] = nullptr;
            item["assignment"] = nullptr;
        }
        items.push_back(std::move(item));
    }
    return json_ok({{"customer_id", id},
                    {"category_id", config.customer.category_id},
                    {"group_id", config.customer.group_id},
                    {"items", std::move(items)}});
}

}  // namespace

VoiceRoutes customer_routes() {
    return {
        {"GET", "/v1/voice/customers", roles::staff_read, list_customers,
         "The caller's voice customers in id order (?category_id=, ?group_id=, ?status=), "
         "cursor-paginated."},
        {"GET", "/v1/voice/customers/{id}", voice_roles::customer_read, get_customer,
         "One voice customer in the caller's reach."},
        {"POST", "/v1/voice/customers", roles::sellers, create_customer,
         "Creates a voice customer (a reseller's in its own subtree)."},
        {"PATCH", "/v1/voice/customers/{id}", roles::sellers, update_customer,
         "Changes a voice customer's fields."},
        {"GET", "/v1/voice/customers/{id}/effective", voice_roles::customer_read, get_effective,
         "The customer's effective configuration: per item kind the value and the assignment "
         "that gave it."},
    };
}

}  // namespace switchyard::api::voice
