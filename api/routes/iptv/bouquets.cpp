// /v1/iptv/bouquets: list, read, create, update, delete.
#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/routes/iptv/iptv_support.hpp"

namespace switchyard::api::iptv {

namespace json = boost::json;
using Ids = std::vector<std::int64_t>;
using Snapshot = projections::iptv::CatalogueSnapshot;

namespace {

json::object bouquet_json(std::int64_t id, const std::string& name, const Ids& categories,
                          const Ids& streams) {
    return {{"bouquet_id", id},
            {"name", name},
            {"category_ids", json::array(categories.begin(), categories.end())},
            {"stream_ids", json::array(streams.begin(), streams.end())}};
}

json::object bouquet_json(const projections::iptv::BouquetRow& b) {
    return bouquet_json(b.id, b.name, b.category_ids, b.stream_ids);
}

/// A bouquet's name, categories and streams from a body; absent ones keep those of `base`.
core::Result<core::iptv::Bouquet> bouquet_fields(const JsonBody& b, core::iptv::Bouquet base) {
    if (auto name = SY_TRY(b.opt_string("name"))) base.name = std::move(*name);
    if (auto ids = SY_TRY(b.opt_int_list("category_ids"))) base.category_ids = std::move(*ids);
    if (auto ids = SY_TRY(b.opt_int_list("stream_ids"))) base.stream_ids = std::move(*ids);
    return base;
}

/// GET /v1/iptv/bouquets?cursor=&limit=
core::Result<HttpResponse> list_bouquets(IptvApi& api, HttpRequest& r) {
    return catalogue_list(api, r, &Snapshot::bouquets,
                          [](const auto& b) { return bouquet_json(b); });
}

/// GET /v1/iptv/bouquets/{id}
core::Result<HttpResponse> get_bouquet(IptvApi& api, HttpRequest& r) {
    return catalogue_item(api, r, "bouquet", &Snapshot::bouquet,
                          [](const auto& b) { return bouquet_json(b); });
}

/// POST /v1/iptv/bouquets {"name", "category_ids"?, "stream_ids"?}
core::Result<HttpResponse> create_bouquet(IptvApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"name", "category_ids", "stream_ids"}));
    auto name = SY_TRY(b.string("name"));
    auto fields = SY_TRY(bouquet_fields(b, {}));
    core::iptv::CreateBouquet c{std::move(name), std::move(fields.category_ids),
                                std::move(fields.stream_ids)};
    auto o = SY_TRY(execute(api, r, c));
    return answer_created(bouquet_json(o.id, c.name, c.category_ids, c.stream_ids), o);
}

/// PATCH /v1/iptv/bouquets/{id}: the fields the body names change.
core::Result<HttpResponse> update_bouquet(IptvApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"name", "category_ids", "stream_ids"}));
    auto current = api.iptv.bouquet(id);
    if (!current) return not_found("bouquet", id);
    auto fields = SY_TRY(bouquet_fields(b, std::move(*current)));
    core::iptv::UpdateBouquet c{id, std::move(fields.name), std::move(fields.category_ids),
                                std::move(fields.stream_ids)};
    auto o = SY_TRY(execute(api, r, c));
    return answer(200, bouquet_json(id, c.name, c.category_ids, c.stream_ids), o.positions);
}

/// DELETE /v1/iptv/bouquets/{id}
core::Result<HttpResponse> delete_bouquet(IptvApi& api, HttpRequest& r) {
    return delete_by_id<core::iptv::DeleteBouquet>(api, r, "bouquet_id");
}

}  // namespace

IptvRoutes bouquet_routes() {
    return {
        {"GET", "/v1/iptv/bouquets", roles::staff_read, list_bouquets,
         "Bouquets in id order, cursor-paginated."},
        {"GET", "/v1/iptv/bouquets/{id}", roles::staff_read, get_bouquet, "One bouquet."},
        {"POST", "/v1/iptv/bouquets", roles::admin, create_bouquet,
         "Creates a bouquet of categories and streams; repeating the same request answers 200."},
        {"PATCH", "/v1/iptv/bouquets/{id}", roles::admin, update_bouquet,
         "Changes the name, categories or streams of a bouquet that the body names."},
        {"DELETE", "/v1/iptv/bouquets/{id}", roles::admin, delete_bouquet, "Deletes a bouquet."},
    };
}

}  // namespace switchyard::api::iptv
