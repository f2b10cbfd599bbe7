// /v1/voice/assignments: DIDTron's assignment system. Each assignment gives one configuration
// item (a rate card, voice tier, codec set, channel plan, route group or POP) to all customers,
// a category, a group or one customer; the most specific wins (core/voice/assignment.hpp).
// They shape every customer's configuration, so only admins change them.
#include <boost/json.hpp>

#include "api/routes/voice/voice_support.hpp"
#include "events/voice/customer_codec.hpp"

namespace switchyard::api::voice {

namespace json = boost::json;
using core::Errc;
using namespace core::voice;

namespace {

/// GET /v1/voice/assignments?kind=&scope=&target=&cursor=&limit=: in id order.
core::Result<HttpResponse> list_assignments(VoiceApi& api, HttpRequest& r) {
    const auto page = SY_TRY(page_query(r));
    const auto after = SY_TRY(id_cursor(page));
    const auto kind = SY_TRY(enum_query(
        r, "kind",
        {"", "rate_card", "voice_tier", "codec_set", "channel_plan", "route_group", "pop"}, ""));
    const auto scope =
        SY_TRY(enum_query(r, "scope", {"", "all", "category", "group", "customer"}, ""));
    const auto& target = r.query_param("target");
    const auto d = SY_TRY(api.voice.directory());
    PageWriter out(page);
    for (auto it = d.assignments.upper_bound(after); it != d.assignments.end(); ++it) {
        const auto& a = it->second;
        if (!kind.empty() && kind != to_string(a.kind)) continue;
        if (!scope.empty() && scope != to_string(a.scope)) continue;
        if (!target.empty() && target != a.target) continue;
        if (!out.add(json::serialize(events::voice::assignment_json(a)),
                     std::to_string(a.assignment_id)))
            break;
    }
    return json_response(200, out.body());
}

/// POST /v1/voice/assignments {"kind", "value", "scope", "target"?}
core::Result<HttpResponse> create_assignment(VoiceApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"kind", "value", "scope", "target"}));
    CreateAssignment cmd;
    auto& a = cmd.assignment;
    const auto kind = SY_TRY(b.string("kind"));
    if (!parse_item_kind(kind, a.kind))
        return core::fail(Errc::Invalid, "kind",
                          "must be rate_card, voice_tier, codec_set, channel_plan, route_group "
                          "or pop");
    a.value = SY_TRY(b.string("value"));
    const auto scope = SY_TRY(b.string("scope"));
    if (!parse_assignment_scope(scope, a.scope))
        return core::fail(Errc::Invalid, "scope", "must be all, category, group or customer");
    if (auto t = SY_TRY(b.opt_string("target"))) a.target = *t;
    const auto ctx = context_of(api, r);
    cmd.command_id = command_id_of(r, ctx);
    auto o = SY_TRY(api.voice.execute(cmd, ctx));
    const auto d = SY_TRY(api.voice.directory());
    auto it = d.assignments.find(o.id);
    if (it == d.assignments.end()) return not_found("assignment", std::to_string(o.id));
    return answer_created(events::voice::assignment_json(it->second), o);
}

/// DELETE /v1/voice/assignments/{id}
core::Result<HttpResponse> delete_assignment(VoiceApi& api, HttpRequest& r) {
    const auto id = SY_TRY(id_param(r, "id"));
    const DeleteAssignment cmd{id};
    const auto ctx = context_of(api, r);
    auto o = SY_TRY(api.voice.execute(cmd, ctx));
    return answer(200, {{"assignment_id", id}, {"deleted", true}}, o.positions);
}

}  // namespace

VoiceRoutes assignment_routes() {
    return {
        {"GET", "/v1/voice/assignments", voice_roles::operator_read, list_assignments,
         "Assignments of configuration items in id order (?kind=, ?scope=, ?target=), "
         "cursor-paginated."},
        {"POST", "/v1/voice/assignments", roles::admin, create_assignment,
         "Assigns a configuration item to all customers, a category, a group or a customer."},
        {"DELETE", "/v1/voice/assignments/{id}", roles::admin, delete_assignment,
         "Deletes an assignment; the next most specific one takes over."},
    };
}

}  // namespace switchyard::api::voice
