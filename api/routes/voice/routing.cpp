// Carriers' gateways, routes and route groups over HTTP (issue 14 item 3), each with the same
// five routes: /v1/voice/gateways, /v1/voice/routes, /v1/voice/route-groups (list, one,
// create, change, delete). A body names the item's fields as its `voice.<kind>.defined` event
// does (schemas/events/voice/); fields left out take their defaults on create and keep their
// values on change. And POST /v1/voice/routing/explain: the plan a call would get, for
// operators.
#include <algorithm>

#include <boost/json.hpp>

#include "api/routes/voice/voice_support.hpp"
#include "events/voice/routing_codec.hpp"
#include "projections/voice/routing.hpp"

namespace switchyard::api::voice {

namespace json = boost::json;
using core::Errc;
using namespace core::voice;

namespace {

/// The routing service. @errors Unavailable when the voice module runs without it.
core::Result<events::voice::RoutingService*> routing_of(VoiceApi& api) {
    if (!api.routing)
        return core::fail(Errc::Unavailable, "routing", "the routing service is not running");
    return api.routing;
}

/// The routing read model. @errors Unavailable when it is not open.
core::Result<const projections::ReadModelView*> routing_view(ApiContext& ctx) {
    const auto* v = ctx.runner.view(projections::voice::kVoiceRouting);
    if (!v) return core::fail(Errc::Unavailable, "routing", "the routing read model is not open");
    return v;
}

/// The item `base` with the members a body names laid over it. The body's members must be the
/// item's fields; its id, if named, must be `base`'s unless `base` is new.
/// @errors Invalid naming `body` (not a JSON object) or the first unknown or mistyped field.
template <class Item>
core::Result<Item> overlay(const HttpRequest& r, const Item& base, bool is_new) {
    SY_TRY(JsonBody::parse(r.body));  // an object (or empty), else Invalid naming `body`
    json::object body;
    if (r.body.find_first_not_of(" \t\r\n") != std::string::npos)
        body = json::parse(r.body).as_object();
    const auto keys = events::voice::routing_item_keys<Item>();
    auto merged = events::voice::routing_item_json(base);
    for (const auto& member : body) {
        const std::string key(member.key());
        if (std::find(keys.begin(), keys.end(), key) == keys.end())
            return core::fail(Errc::Invalid, key, "is not a field of this resource");
        if (key == Item::kIdKey && !is_new && member.value() != json::value(base.id()))
            return core::fail(Errc::Invalid, key, "cannot change; it names the item");
        merged[key] = member.value();
    }
    return events::voice::parse_routing_item<Item>(json::serialize(merged));
}

/// GET /v1/voice/<kind>?cursor=&limit=: in id order.
template <class Item>
core::Result<HttpResponse> list_items(VoiceApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto page = SY_TRY(page_query(r));
    const auto* view = SY_TRY(routing_view(api.ctx));
    PageWriter out(page);
    for (const auto& item :
         projections::voice::list_routing_items<Item>(*view, page.cursor, page.limit + 1))
        if (!out.add(json::serialize(events::voice::routing_item_json(item)), item.id())) break;
    return json_response(200, out.body());
}

/// GET /v1/voice/<kind>/{id}
template <class Item>
core::Result<HttpResponse> get_item(VoiceApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto id = SY_TRY(text_param(r));
    auto item = projections::voice::find_routing_item<Item>(*SY_TRY(routing_view(api.ctx)), id);
    if (!item) return not_found(Item::kKind.data(), id);
    return json_ok(events::voice::routing_item_json(*item));
}

/// POST /v1/voice/<kind> {<the item's fields>}
template <class Item>
core::Result<HttpResponse> create_item(VoiceApi& api, HttpRequest& r) {
    auto* routing = SY_TRY(routing_of(api));
    const Item fresh{};
    DefineRoutingItem<Item> cmd;
    cmd.item = SY_TRY(overlay(r, fresh, true));
    cmd.mode = RoutingDefineMode::Create;
    const auto ctx = context_of(api, r);
    auto o = SY_TRY(routing->execute(cmd, ctx));
    return answer_created(events::voice::routing_item_json(cmd.item), o);
}

/// PATCH /v1/voice/<kind>/{id}: the fields the body names change.
template <class Item>
core::Result<HttpResponse> update_item(VoiceApi& api, HttpRequest& r) {
    auto* routing = SY_TRY(routing_of(api));
    const auto id = SY_TRY(text_param(r));
    const auto state = SY_TRY(routing->routing());
    const auto& items = state.items<Item>();
    auto it = items.find(id);
    if (it == items.end()) return not_found(Item::kKind.data(), id);
    DefineRoutingItem<Item> cmd;
    cmd.item = SY_TRY(overlay(r, it->second, false));
    cmd.mode = RoutingDefineMode::Update;
    const auto ctx = context_of(api, r);
    auto o = SY_TRY(routing->execute(cmd, ctx));
    return answer(200, events::voice::routing_item_json(cmd.item), o.positions);
}

/// DELETE /v1/voice/<kind>/{id}
template <class Item>
core::Result<HttpResponse> delete_item(VoiceApi& api, HttpRequest& r) {
    auto* routing = SY_TRY(routing_of(api));
    DeleteRoutingItem<Item> cmd;
    cmd.id = SY_TRY(text_param(r));
    const auto ctx = context_of(api, r);
    auto o = SY_TRY(routing->execute(cmd, ctx));
    return answer(200, {{Item::kIdKey, cmd.id}, {"deleted", true}}, o.positions);
}

template <class Item>
VoiceRoutes routes_of(const char* base, const char* with_id) {
    const auto& read = voice_roles::operator_read;
    return {
        {"GET", base, read, list_items<Item>, "Items in id order, cursor-paginated."},
        {"GET", with_id, read, get_item<Item>, "One item."},
        {"POST", base, roles::admin, create_item<Item>, "Creates an item."},
        {"PATCH", with_id, roles::admin, update_item<Item>, "Changes the fields the body names."},
        {"DELETE", with_id, roles::admin, delete_item<Item>, "Deletes the item."},
    };
}

json::object option_json(const RouteOption& o) {
    return {{"carrier_id", o.carrier_id},
            {"gateway_id", o.gateway_id},
            {"uri", o.uri},
            {"dst_uri", o.dst_uri},
            {"extra_headers", o.extra_headers},
            {"matched_prefix", o.matched_prefix},
            {"buy_per_minute", o.buy_per_minute < 0 ? json::value(nullptr)
                                                    : json::value(price_text(o.buy_per_minute))},
            {"sell_per_minute", o.sell_per_minute < 0 ? json::value(nullptr)
                                                      : json::value(price_text(o.sell_per_minute))},
            {"fr_inv_timer_ms", o.fr_inv_timer_ms},
            {"why", o.why}};
}

/// POST /v1/voice/routing/explain {customer_id | route_group_id, destination, at?}
core::Result<HttpResponse> explain(VoiceApi& api, HttpRequest& r) {
    auto* routing = SY_TRY(routing_of(api));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"customer_id", "route_group_id", "destination", "at"}));
    const auto customer = SY_TRY(b.opt_int("customer_id"));
    const auto group = SY_TRY(b.opt_string("route_group_id"));
    if (customer.has_value() == group.has_value())
        return core::fail(Errc::Invalid, "customer_id",
                          "name either a customer_id or a route_group_id");
    const auto destination = SY_TRY(b.string("destination"));
    if (destination.empty() || destination.size() > 32 ||
        !std::all_of(destination.begin(), destination.end(),
                     [](char c) { return c >= '0' && c <= '9'; }))
        return core::fail(Errc::Invalid, "destination",
                          "must be 1 to 32 digits (E.164 without +, tech prefix stripped)");
    auto at = api.ctx.clock.now();
    if (auto text = SY_TRY(b.opt_string("at"))) {
        auto parsed = core::parse_rfc3339(*text);
        if (!parsed)
            return core::fail(Errc::Invalid, "at",
                              "must be an RFC 3339 time, e.g. 2026-01-01T10:00:00Z");
        at = *parsed;
    }
    SY_TRY(current_tariffs(api));
    RoutePlan plan;
    if (customer) {
        const auto directory = SY_TRY(api.voice.directory());
        auto it = directory.customers.find(*customer);
        if (it == directory.customers.end() || !may_see(r, it->second))
            return not_found("customer", std::to_string(*customer), "customer_id");
        plan = SY_TRY(routing->explain_customer(*customer, destination, at));
    } else {
        plan = SY_TRY(routing->explain_group(*group, destination, at));
    }
    json::array routes, skipped;
    for (const auto& o : plan.routes) routes.push_back(option_json(o));
    for (const auto& s : plan.skipped)
        skipped.push_back({{"carrier_id", s.carrier_id},
                           {"gateway_id", s.gateway_id},
                           {"reason", s.reason},
                           {"detail", s.detail}});
    return json_ok({{"route_group_id", plan.route_group_id},
                    {"strategy", plan.strategy},
                    {"max_attempts", plan.max_attempts},
                    {"destination", destination},
                    {"at", core::format_rfc3339(at)},
                    {"routes", std::move(routes)},
                    {"skipped", std::move(skipped)}});
}

}  // namespace

VoiceRoutes routing_routes() {
    VoiceRoutes out;
    auto add = [&](VoiceRoutes part) {
        for (auto& r : part) out.push_back(std::move(r));
    };
    add(routes_of<Gateway>("/v1/voice/gateways", "/v1/voice/gateways/{id}"));
    add(routes_of<core::voice::Route>("/v1/voice/routes", "/v1/voice/routes/{id}"));
    add(routes_of<RouteGroup>("/v1/voice/route-groups", "/v1/voice/route-groups/{id}"));
    out.push_back({"POST", "/v1/voice/routing/explain", voice_roles::operator_read, explain,
                   "The plan a call of a customer (or through a route group) to a destination "
                   "would get: the routes in order with why, and the carriers left out."});
    return out;
}

}  // namespace switchyard::api::voice
