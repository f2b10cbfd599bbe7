// The voice reference data over HTTP, one resource per kind, all with the same five routes:
// /v1/voice/pops, /tiers, /codecs, /codec-sets, /channel-plans, /carriers (list, one, create,
// change, retire). A body names the item's fields as its `voice.<kind>.defined` event does;
// a change names only the fields it changes. Retiring keeps the item for history (`?retired=
// true` lists it) but it can no longer be assigned.
#include <algorithm>

#include <boost/json.hpp>

#include "api/routes/voice/voice_support.hpp"
#include "events/voice/reference_codec.hpp"
#include "projections/voice/reference.hpp"

namespace switchyard::api::voice {

namespace json = boost::json;
using core::Errc;
using namespace core::voice;

namespace {

/// The reference read model. @errors Unavailable when it is not open.
core::Result<const projections::ReadModelView*> reference_view(ApiContext& ctx) {
    const auto* v = ctx.runner.view(projections::voice::kVoiceReference);
    if (!v)
        return core::fail(Errc::Unavailable, "reference", "the reference read model is not open");
    return v;
}

template <class Item>
json::object view_of(const Item& item, bool retired) {
    auto o = events::voice::item_json(item);
    o["retired"] = retired;
    return o;
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
    const auto keys = events::voice::item_keys<Item>();
    auto merged = events::voice::item_json(base);
    for (const auto& member : body) {
        const std::string key(member.key());
        if (std::find(keys.begin(), keys.end(), key) == keys.end())
            return core::fail(Errc::Invalid, key, "is not a field of this resource");
        if (key == Item::kIdKey && !is_new && member.value() != json::value(base.id()))
            return core::fail(Errc::Invalid, key, "cannot change; it names the item");
        merged[key] = member.value();
    }
    return events::voice::parse_item<Item>(json::serialize(merged));
}

/// GET /v1/voice/<kind>?retired=&cursor=&limit=: in id order.
template <class Item>
core::Result<HttpResponse> list_items(VoiceApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto page = SY_TRY(page_query(r));
    const auto retired = SY_TRY(enum_query(r, "retired", {"true", "false"}, "false"));
    const auto* view = SY_TRY(reference_view(api.ctx));
    PageWriter out(page);
    for (const auto& e : projections::voice::list_items<Item>(*view, page.cursor, page.limit + 1,
                                                              retired == "true"))
        if (!out.add(json::serialize(view_of(e.item, e.retired)), e.item.id())) break;
    return json_response(200, out.body());
}

/// GET /v1/voice/<kind>/{id}
template <class Item>
core::Result<HttpResponse> get_item(VoiceApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto id = SY_TRY(text_param(r));
    auto e = projections::voice::find_item<Item>(*SY_TRY(reference_view(api.ctx)), id);
    if (!e) return not_found(Item::kKind.data(), id);
    return json_ok(view_of(e->item, e->retired));
}

/// POST /v1/voice/<kind> {<the item's fields>}
template <class Item>
core::Result<HttpResponse> create_item(VoiceApi& api, HttpRequest& r) {
    const Item fresh{};
    DefineItem<Item> cmd;
    cmd.item = SY_TRY(overlay(r, fresh, true));
    cmd.mode = DefineMode::Create;
    const auto ctx = context_of(api, r);
    auto o = SY_TRY(api.voice.execute(cmd, ctx));
    return answer_created(view_of(cmd.item, false), o);
}

/// PATCH /v1/voice/<kind>/{id}: the fields the body names change.
template <class Item>
core::Result<HttpResponse> update_item(VoiceApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    const auto state = SY_TRY(api.voice.reference());
    const auto& items = state.items<Item>();
    auto it = items.find(id);
    if (it == items.end()) return not_found(Item::kKind.data(), id);
    DefineItem<Item> cmd;
    cmd.item = SY_TRY(overlay(r, it->second.item, false));
    cmd.mode = DefineMode::Update;
    const auto ctx = context_of(api, r);
    auto o = SY_TRY(api.voice.execute(cmd, ctx));
    return answer(200, view_of(cmd.item, false), o.positions);
}

/// DELETE /v1/voice/<kind>/{id}: retires the item.
template <class Item>
core::Result<HttpResponse> retire_item(VoiceApi& api, HttpRequest& r) {
    RetireItem<Item> cmd;
    cmd.id = SY_TRY(text_param(r));
    const auto ctx = context_of(api, r);
    auto o = SY_TRY(api.voice.execute(cmd, ctx));
    return answer(200, {{Item::kIdKey, cmd.id}, {"retired", true}}, o.positions);
}

/// The five routes of one kind under `base`, read by `read`.
template <class Item>
VoiceRoutes routes_of(const char* base, const char* with_id,
                      const std::vector<core::identity::Role>& read) {
    return {
        {"GET", base, read, list_items<Item>,
         "Items in id order (?retired=true with retired "
         "ones), cursor-paginated."},
        {"GET", with_id, read, get_item<Item>, "One item, retired or not."},
        {"POST", base, roles::admin, create_item<Item>, "Creates an item."},
        {"PATCH", with_id, roles::admin, update_item<Item>, "Changes the fields the body names."},
        {"DELETE", with_id, roles::admin, retire_item<Item>,
         "Retires the item: kept for history, no longer assignable."},
    };
}

}  // namespace

VoiceRoutes reference_routes() {
    VoiceRoutes out;
    auto add = [&](VoiceRoutes part) {
        for (auto& r : part) out.push_back(std::move(r));
    };
    add(routes_of<Pop>("/v1/voice/pops", "/v1/voice/pops/{id}", roles::staff_read));
    add(routes_of<VoiceTier>("/v1/voice/tiers", "/v1/voice/tiers/{id}", roles::staff_read));
    add(routes_of<Codec>("/v1/voice/codecs", "/v1/voice/codecs/{id}", roles::staff_read));
    add(routes_of<CodecSet>("/v1/voice/codec-sets", "/v1/voice/codec-sets/{id}",
                            roles::staff_read));
    add(routes_of<ChannelPlan>("/v1/voice/channel-plans", "/v1/voice/channel-plans/{id}",
                               roles::staff_read));
    add(routes_of<Carrier>("/v1/voice/carriers", "/v1/voice/carriers/{id}",
                           voice_roles::operator_read));
    return out;
}

}  // namespace switchyard::api::voice
