// /v1/iptv/categories: list, read, create, rename, delete (moving or refusing its streams).
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/routes/iptv/iptv_support.hpp"

namespace switchyard::api::iptv {

namespace json = boost::json;
using core::Errc;
using core::iptv::CategoryKind;
using Snapshot = projections::iptv::CatalogueSnapshot;

namespace {

json::object category_json(std::int64_t id, std::string_view name, std::string_view kind,
                           std::int64_t parent_id) {
    return {{"category_id", id}, {"name", name}, {"kind", kind}, {"parent_id", parent_id}};
}

json::object category_json(const projections::iptv::CategoryRow& c) {
    return category_json(c.id, c.name, c.kind, c.parent_id);
}

/// GET /v1/iptv/categories?cursor=&limit=
core::Result<HttpResponse> list_categories(IptvApi& api, HttpRequest& r) {
    return catalogue_list(api, r, &Snapshot::categories,
                          [](const auto& c) { return category_json(c); });
}

/// GET /v1/iptv/categories/{id}
core::Result<HttpResponse> get_category(IptvApi& api, HttpRequest& r) {
    return catalogue_item(api, r, "category", &Snapshot::category,
                          [](const auto& c) { return category_json(c); });
}

/// POST /v1/iptv/categories {"name", "kind"?, "parent_id"?}
core::Result<HttpResponse> create_category(IptvApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"name", "kind", "parent_id"}));
    // No SY_TRY inside a braced initializer: GCC does not destroy the members built before an
    // early return from a statement expression (they leak).
    auto name = SY_TRY(b.string("name"));
    const auto parent_id = SY_TRY(b.opt_int("parent_id")).value_or(0);
    core::iptv::CreateCategory c{std::move(name), CategoryKind::Live, parent_id};
    if (auto k = SY_TRY(b.opt_string("kind")); k && !parse_category_kind(*k, c.kind))
        return core::fail(Errc::Invalid, "kind", "must be live, movie or series");
    auto o = SY_TRY(execute(api, r, c));
    return answer_created(category_json(o.id, c.name, to_string(c.kind), c.parent_id), o);
}

/// PATCH /v1/iptv/categories/{id} {"name"}
core::Result<HttpResponse> rename_category(IptvApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"name"}));
    core::iptv::RenameCategory c{id, SY_TRY(b.string("name"))};
    auto o = SY_TRY(execute(api, r, c));
    return answer(200, {{"category_id", id}, {"name", c.name}}, o.positions);
}

/// The streams of category `id` as the catalogue read model holds them once it has caught up
/// with the log (the service holds stream changes off meanwhile).
/// @errors Timeout naming `category_id` when the catalogue does not catch up in time.
core::Result<std::vector<std::int64_t>> category_members(IptvApi& api, std::int64_t id) {
    auto& ctx = api.ctx;
    std::vector<events::Position> head;
    const auto checkpoint = ctx.store.head();
    for (const auto& [key, next] : checkpoint.entries()) {
        if (next > 0) head.push_back({key.second, next - 1, key.first});
    }
    if (!ctx.runner.wait_for(head, ctx.max_wait))
        return core::fail(Errc::Timeout, "category_id",
                          "the catalogue did not catch up with the log in time");
    std::vector<std::int64_t> ids;
    for (const auto& s : api.catalogue.get()->streams()) {
        if (s.category_id == id) ids.push_back(s.id);
    }
    return ids;
}

/// DELETE /v1/iptv/categories/{id}?move_streams_to=<category id>
core::Result<HttpResponse> delete_category(IptvApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    const auto move_to = SY_TRY(id_query(r, "move_streams_to"));
    core::iptv::DeleteCategory c{id, move_to};
    events::iptv::CategoryMembers members = [&api](std::int64_t category) {
        return category_members(api, category);
    };
    auto o = SY_TRY(execute(api, r, c, members));
    return answer(200, deleted_json("category_id", id), o.positions);
}

}  // namespace

IptvRoutes category_routes() {
    return {
        {"GET", "/v1/iptv/categories", roles::staff_read, list_categories,
         "Categories of the catalogue in id order, cursor-paginated."},
        {"GET", "/v1/iptv/categories/{id}", roles::staff_read, get_category, "One category."},
        {"POST", "/v1/iptv/categories", roles::admin, create_category,
         "Creates a category (live, movie or series); a retry with the same name answers 200."},
        {"PATCH", "/v1/iptv/categories/{id}", roles::admin, rename_category, "Renames a category."},
        {"DELETE", "/v1/iptv/categories/{id}", roles::admin, delete_category,
         "Deletes a category; its streams move to `move_streams_to`, else it must be empty."},
    };
}

}  // namespace switchyard::api::iptv
