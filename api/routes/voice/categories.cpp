// /v1/voice/categories and /v1/voice/groups: DIDTron's customer categories (the public ones
// seeded at the first start) and the groups inside them. The operator's staff and resellers
// read them (a reseller files its customers under them); admins change them.
#include <boost/json.hpp>

#include "api/routes/voice/voice_support.hpp"
#include "events/voice/customer_codec.hpp"

namespace switchyard::api::voice {

namespace json = boost::json;
using core::Errc;
using namespace core::voice;

namespace {

/// A category from a body: `category_id` (in the body, or the path's when `id` is set), `name`,
/// `description`, `public`, `display_order`; absent members keep `base`'s.
core::Result<Category> category_of(const JsonBody& b, const Category& current) {
    Category base = current;
    SY_TRY(b.only({"category_id", "name", "description", "public", "display_order"}));
    if (auto v = SY_TRY(b.opt_string("category_id"))) {
        if (!base.category_id.empty() && *v != base.category_id)
            return core::fail(Errc::Invalid, "category_id", "cannot change; it names the category");
        base.category_id = *v;
    }
    if (auto v = SY_TRY(b.opt_string("name"))) base.name = *v;
    if (auto v = SY_TRY(b.opt_string("description"))) base.description = *v;
    if (auto v = SY_TRY(b.opt_bool("public"))) base.is_public = *v;
    if (auto v = SY_TRY(b.opt_int("display_order"))) base.display_order = *v;
    return base;
}

core::Result<Group> group_of(const JsonBody& b, const Group& current) {
    Group base = current;
    SY_TRY(b.only({"group_id", "category_id", "name", "description"}));
    if (auto v = SY_TRY(b.opt_string("group_id"))) {
        if (!base.group_id.empty() && *v != base.group_id)
            return core::fail(Errc::Invalid, "group_id", "cannot change; it names the group");
        base.group_id = *v;
    }
    if (auto v = SY_TRY(b.opt_string("category_id"))) base.category_id = *v;
    if (auto v = SY_TRY(b.opt_string("name"))) base.name = *v;
    if (auto v = SY_TRY(b.opt_string("description"))) base.description = *v;
    return base;
}

/// GET /v1/voice/categories?cursor=&limit=: in id order.
core::Result<HttpResponse> list_categories(VoiceApi& api, HttpRequest& r) {
    const auto page = SY_TRY(page_query(r));
    const auto d = SY_TRY(api.voice.directory());
    std::vector<std::pair<std::string, json::object>> items;
    for (const auto& [id, c] : d.categories)
        items.emplace_back(id, events::voice::category_json(c));
    return json_response(200, string_page(page, items));
}

core::Result<HttpResponse> get_category(VoiceApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    const auto d = SY_TRY(api.voice.directory());
    auto it = d.categories.find(id);
    if (it == d.categories.end()) return not_found("category", id);
    return json_ok(events::voice::category_json(it->second));
}

/// POST /v1/voice/categories {"category_id", "name", "description"?, "public"?,
/// "display_order"?}
core::Result<HttpResponse> create_category(VoiceApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    const Category fresh;
    auto c = SY_TRY(category_of(b, fresh));
    const DefineCategory cmd{c, DefineMode::Create};
    const auto ctx = context_of(api, r);
    auto o = SY_TRY(api.voice.execute(cmd, ctx));
    return answer_created(events::voice::category_json(c), o);
}

/// PATCH /v1/voice/categories/{id}: the fields the body names change.
core::Result<HttpResponse> update_category(VoiceApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    const auto d = SY_TRY(api.voice.directory());
    auto it = d.categories.find(id);
    if (it == d.categories.end()) return not_found("category", id);
    auto c = SY_TRY(category_of(b, it->second));
    const DefineCategory cmd{c, DefineMode::Update};
    const auto ctx = context_of(api, r);
    auto o = SY_TRY(api.voice.execute(cmd, ctx));
    return answer(200, events::voice::category_json(c), o.positions);
}

/// GET /v1/voice/groups?category_id=&cursor=&limit=: in id order.
core::Result<HttpResponse> list_groups(VoiceApi& api, HttpRequest& r) {
    const auto page = SY_TRY(page_query(r));
    const auto& category = r.query_param("category_id");
    const auto d = SY_TRY(api.voice.directory());
    if (!category.empty() && !d.categories.count(category))
        return not_found("category", category, "category_id");
    std::vector<std::pair<std::string, json::object>> items;
    for (const auto& [id, g] : d.groups)
        if (category.empty() || g.category_id == category)
            items.emplace_back(id, events::voice::group_json(g));
    return json_response(200, string_page(page, items));
}

core::Result<HttpResponse> get_group(VoiceApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    const auto d = SY_TRY(api.voice.directory());
    auto it = d.groups.find(id);
    if (it == d.groups.end()) return not_found("group", id);
    return json_ok(events::voice::group_json(it->second));
}

/// POST /v1/voice/groups {"group_id", "category_id", "name", "description"?}
core::Result<HttpResponse> create_group(VoiceApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    const Group fresh;
    auto g = SY_TRY(group_of(b, fresh));
    const DefineGroup cmd{g, DefineMode::Create};
    const auto ctx = context_of(api, r);
    auto o = SY_TRY(api.voice.execute(cmd, ctx));
    return answer_created(events::voice::group_json(g), o);
}

/// PATCH /v1/voice/groups/{id}: name and description; a group stays in its category.
core::Result<HttpResponse> update_group(VoiceApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    const auto d = SY_TRY(api.voice.directory());
    auto it = d.groups.find(id);
    if (it == d.groups.end()) return not_found("group", id);
    auto g = SY_TRY(group_of(b, it->second));
    const DefineGroup cmd{g, DefineMode::Update};
    const auto ctx = context_of(api, r);
    auto o = SY_TRY(api.voice.execute(cmd, ctx));
    return answer(200, events::voice::group_json(g), o.positions);
}

}  // namespace

VoiceRoutes category_routes() {
    return {
        {"GET", "/v1/voice/categories", roles::staff_read, list_categories,
         "Customer categories in id order, cursor-paginated."},
        {"GET", "/v1/voice/categories/{id}", roles::staff_read, get_category,
         "One customer category."},
        {"POST", "/v1/voice/categories", roles::admin, create_category,
         "Creates a customer category."},
        {"PATCH", "/v1/voice/categories/{id}", roles::admin, update_category,
         "Changes a customer category's name, description, visibility or order."},
        {"GET", "/v1/voice/groups", roles::staff_read, list_groups,
         "Customer groups in id order (?category_id= for one category's), cursor-paginated."},
        {"GET", "/v1/voice/groups/{id}", roles::staff_read, get_group, "One customer group."},
        {"POST", "/v1/voice/groups", roles::admin, create_group,
         "Creates a customer group inside a category."},
        {"PATCH", "/v1/voice/groups/{id}", roles::admin, update_group,
         "Changes a customer group's name or description."},
    };
}

}  // namespace switchyard::api::voice
