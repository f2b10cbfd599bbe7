// /v1/voice/extensions, /v1/voice/ring-groups, /v1/voice/media-servers: what Kamailio can do
// without a media server (issue 14 item 7; events/voice/extension_service.hpp). A caller
// reaches the extensions and ring groups of the customers it may see (voice_support.hpp
// may_see); any other does not exist, as far as it knows (404). No answer carries a password or
// an HA1: an extension shows `password_set` and the `realm` only. Media servers are the
// operator's: staff manage them; a media server of customer 0 serves every customer.
#include <boost/json.hpp>

#include "api/routes/voice/voice_support.hpp"
#include "events/voice/extension_service.hpp"

namespace switchyard::api::voice {

namespace json = boost::json;
using core::Errc;
using namespace core::voice;

namespace {

/// The extension service. @errors Unavailable when the module runs without it.
core::Result<events::voice::ExtensionService*> service(VoiceApi& api) {
    if (!api.extensions)
        return core::fail(Errc::Unavailable, "extensions", "extensions are not enabled");
    return api.extensions;
}

/// True when the caller may see customer `id` (0, a shared media server: staff only).
bool reaches(VoiceApi& api, const HttpRequest& r, std::int64_t id) {
    const auto d = api.voice.directory_snapshot();
    if (!d) return false;
    auto it = d->state->customers.find(id);
    return it != d->state->customers.end() && may_see(r, it->second);
}

/// The customer `id` if the caller may see it. @errors NotFound naming `customer_id`.
core::Result<void> reachable_customer(VoiceApi& api, const HttpRequest& r, std::int64_t id) {
    if (!reaches(api, r, id)) return not_found("customer", std::to_string(id), "customer_id");
    return {};
}

/// `?customer_id=` when given. @errors Invalid naming `customer_id`.
core::Result<std::optional<std::int64_t>> customer_filter(const HttpRequest& r) {
    const auto c = r.query_param("customer_id");
    if (c.empty()) return std::optional<std::int64_t>{};
    const bool digits = c.size() <= 18 && std::all_of(c.begin(), c.end(), [](char ch) {
                            return ch >= '0' && ch <= '9';
                        });
    if (!digits) return core::fail(Errc::Invalid, "customer_id", "must be a customer id");
    return std::optional<std::int64_t>{std::stoll(std::string(c))};
}

/// A target `{kind, value}` from `b`'s member `key`. @errors Invalid naming `key.kind`.
core::Result<std::pair<TargetKind, std::string>> target_of(const JsonBody& b) {
    SY_TRY(b.only({"kind", "value", "condition", "after_s"}));
    const auto kind = SY_TRY(b.string("kind"));
    TargetKind k = TargetKind::None;
    if (!parse_target_kind(kind, k) || k == TargetKind::None)
        return core::fail(Errc::Invalid, b.prefix() + "kind",
                          "must be extension, ring_group, number, uri or media_server");
    return std::make_pair(k, SY_TRY(b.string("value")));
}

// ---- extensions ----

/// An extension from a body; absent members keep `current`'s.
core::Result<Extension> extension_of(const JsonBody& b, const Extension& current, bool create) {
    if (create)
        SY_TRY(b.only({"extension_id", "customer_id", "number", "name", "username", "forwards"}));
    else
        SY_TRY(b.only({"number", "name", "username", "forwards"}));
    Extension x = current;
    if (create) {
        x.extension_id = SY_TRY(b.string("extension_id"));
        auto customer = SY_TRY(b.opt_int("customer_id"));
        if (!customer) return core::fail(Errc::Invalid, "customer_id", "is required");
        x.customer_id = *customer;
        x.number = SY_TRY(b.string("number"));
    } else if (auto v = SY_TRY(b.opt_string("number"))) {
        x.number = *v;
    }
    if (auto v = SY_TRY(b.opt_string("name"))) x.name = *v;
    if (auto v = SY_TRY(b.opt_string("username"))) x.username = *v;
    if (auto list = SY_TRY(b.opt_object_list("forwards"))) {
        x.forwards.clear();
        for (const auto& f : *list) {
            ForwardRule rule;
            const auto [kind, value] = SY_TRY(target_of(f));
            rule.kind = kind;
            rule.value = value;
            const auto condition = SY_TRY(f.string("condition"));
            if (!parse_forward_condition(condition, rule.condition))
                return core::fail(Errc::Invalid, f.prefix() + "condition",
                                  "must be always, busy, no_answer or unavailable");
            if (auto after = SY_TRY(f.opt_int("after_s"))) rule.after_s = *after;
            x.forwards.push_back(std::move(rule));
        }
    }
    return x;
}

/// The `{id}` extension if the caller may see its customer. @errors NotFound naming `id`.
core::Result<ExtensionEntry> reachable_extension(VoiceApi& api, const HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    const auto s = SY_TRY(SY_TRY(service(api))->state());
    auto it = s->extensions.find(id);
    if (it == s->extensions.end() || !reaches(api, r, it->second.extension.customer_id))
        return not_found("extension", id);
    return it->second;
}

core::Result<json::object> shown_extension(VoiceApi& api, const std::string& id) {
    const auto s = SY_TRY(api.extensions->state());
    auto it = s->extensions.find(id);
    if (it == s->extensions.end()) return not_found("extension", id);
    return events::voice::extension_json(it->second);
}

/// GET /v1/voice/extensions?customer_id=&cursor=&limit=
core::Result<HttpResponse> list_extensions(VoiceApi& api, HttpRequest& r) {
    const auto page = SY_TRY(page_query(r));
    const auto only = SY_TRY(customer_filter(r));
    const auto s = SY_TRY(SY_TRY(service(api))->state());
    std::vector<std::pair<std::string, json::object>> items;
    for (const auto& [id, e] : s->extensions) {
        if (only && e.extension.customer_id != *only) continue;
        if (!reaches(api, r, e.extension.customer_id)) continue;
        items.emplace_back(id, events::voice::extension_json(e));
    }
    return json_response(200, string_page(page, items));
}

/// GET /v1/voice/extensions/{id}
core::Result<HttpResponse> get_extension(VoiceApi& api, HttpRequest& r) {
    return json_ok(events::voice::extension_json(SY_TRY(reachable_extension(api, r))));
}

/// POST /v1/voice/extensions {"extension_id", "customer_id", "number", "name"?, "username"?,
/// "forwards"?: [{"condition", "kind", "value", "after_s"?}]}
core::Result<HttpResponse> create_extension(VoiceApi& api, HttpRequest& r) {
    auto* svc = SY_TRY(service(api));
    auto b = SY_TRY(JsonBody::parse(r.body));
    DefineExtension cmd{SY_TRY(extension_of(b, Extension{}, true))};
    SY_TRY(reachable_customer(api, r, cmd.extension.customer_id));
    if (SY_TRY(svc->state())->extensions.contains(cmd.extension.extension_id))
        return core::fail(Errc::Conflict, "extension_id", "the extension exists");
    auto o = SY_TRY(svc->execute(cmd, context_of(api, r)));
    return answer_created(SY_TRY(shown_extension(api, cmd.extension.extension_id)), o);
}

/// PATCH /v1/voice/extensions/{id}: the fields the body names change (not its customer).
core::Result<HttpResponse> update_extension(VoiceApi& api, HttpRequest& r) {
    const auto current = SY_TRY(reachable_extension(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    DefineExtension cmd{SY_TRY(extension_of(b, current.extension, false))};
    auto o = SY_TRY(api.extensions->execute(cmd, context_of(api, r)));
    return answer(200, SY_TRY(shown_extension(api, cmd.extension.extension_id)), o.positions);
}

/// DELETE /v1/voice/extensions/{id}
core::Result<HttpResponse> delete_extension(VoiceApi& api, HttpRequest& r) {
    const auto current = SY_TRY(reachable_extension(api, r));
    const auto& id = current.extension.extension_id;
    auto o = SY_TRY(api.extensions->execute(RemoveExtension{id}, context_of(api, r)));
    return answer(200, {{"extension_id", id}, {"removed", true}}, o.positions);
}

/// POST /v1/voice/extensions/{id}/password {"password"}: only its HA1 is kept, sealed.
core::Result<HttpResponse> set_extension_password(VoiceApi& api, HttpRequest& r) {
    const auto current = SY_TRY(reachable_extension(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"password"}));
    auto password = SY_TRY(b.opt_string("password"));
    if (!password) return core::fail(Errc::Invalid, "password", "is required");
    const auto& id = current.extension.extension_id;
    auto o = SY_TRY(api.extensions->set_password(id, *password, context_of(api, r)));
    std::fill(password->begin(), password->end(), '\0');
    return answer(200, SY_TRY(shown_extension(api, id)), o.positions);
}

// ---- ring groups ----

core::Result<RingGroup> ring_group_of(const JsonBody& b, const RingGroup& current, bool create) {
    if (create)
        SY_TRY(b.only({"ring_group_id", "customer_id", "number", "name", "strategy", "ring_s",
                       "members", "fallback"}));
    else
        SY_TRY(b.only({"number", "name", "strategy", "ring_s", "members", "fallback"}));
    RingGroup g = current;
    if (create) {
        g.ring_group_id = SY_TRY(b.string("ring_group_id"));
        auto customer = SY_TRY(b.opt_int("customer_id"));
        if (!customer) return core::fail(Errc::Invalid, "customer_id", "is required");
        g.customer_id = *customer;
    }
    if (auto v = SY_TRY(b.opt_string("number"))) g.number = *v;
    if (auto v = SY_TRY(b.opt_string("name"))) g.name = *v;
    if (auto v = SY_TRY(b.opt_string("strategy"))) {
        if (!parse_ring_strategy(*v, g.strategy))
            return core::fail(Errc::Invalid, "strategy", "must be parallel or sequential");
    }
    if (auto v = SY_TRY(b.opt_int("ring_s"))) g.ring_s = *v;
    if (auto list = SY_TRY(b.opt_object_list("members"))) {
        g.members.clear();
        for (const auto& m : *list) {
            SY_TRY(m.only({"extension_id", "ring_s"}));
            RingMember member;
            member.extension_id = SY_TRY(m.string("extension_id"));
            if (auto v = SY_TRY(m.opt_int("ring_s"))) member.ring_s = *v;
            g.members.push_back(std::move(member));
        }
    }
    if (b.is_null("fallback")) {
        g.fallback_kind = TargetKind::None;
        g.fallback_value.clear();
    } else if (auto f = SY_TRY(b.opt_object("fallback"))) {
        const auto [kind, value] = SY_TRY(target_of(*f));
        g.fallback_kind = kind;
        g.fallback_value = value;
    }
    return g;
}

core::Result<RingGroup> reachable_ring_group(VoiceApi& api, const HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    const auto s = SY_TRY(SY_TRY(service(api))->state());
    auto it = s->ring_groups.find(id);
    if (it == s->ring_groups.end() || !reaches(api, r, it->second.customer_id))
        return not_found("ring group", id);
    return it->second;
}

core::Result<json::object> shown_ring_group(VoiceApi& api, const std::string& id) {
    const auto s = SY_TRY(api.extensions->state());
    auto it = s->ring_groups.find(id);
    if (it == s->ring_groups.end()) return not_found("ring group", id);
    return events::voice::ring_group_json(it->second);
}

/// GET /v1/voice/ring-groups?customer_id=&cursor=&limit=
core::Result<HttpResponse> list_ring_groups(VoiceApi& api, HttpRequest& r) {
    const auto page = SY_TRY(page_query(r));
    const auto only = SY_TRY(customer_filter(r));
    const auto s = SY_TRY(SY_TRY(service(api))->state());
    std::vector<std::pair<std::string, json::object>> items;
    for (const auto& [id, g] : s->ring_groups) {
        if (only && g.customer_id != *only) continue;
        if (!reaches(api, r, g.customer_id)) continue;
        items.emplace_back(id, events::voice::ring_group_json(g));
    }
    return json_response(200, string_page(page, items));
}

/// GET /v1/voice/ring-groups/{id}
core::Result<HttpResponse> get_ring_group(VoiceApi& api, HttpRequest& r) {
    return json_ok(events::voice::ring_group_json(SY_TRY(reachable_ring_group(api, r))));
}

/// POST /v1/voice/ring-groups {"ring_group_id", "customer_id", "number"?, "name"?,
/// "strategy"?, "ring_s"?, "members": [{"extension_id", "ring_s"?}], "fallback"?: {"kind",
/// "value"}}
core::Result<HttpResponse> create_ring_group(VoiceApi& api, HttpRequest& r) {
    auto* svc = SY_TRY(service(api));
    auto b = SY_TRY(JsonBody::parse(r.body));
    DefineRingGroup cmd{SY_TRY(ring_group_of(b, RingGroup{}, true))};
    SY_TRY(reachable_customer(api, r, cmd.ring_group.customer_id));
    if (SY_TRY(svc->state())->ring_groups.contains(cmd.ring_group.ring_group_id))
        return core::fail(Errc::Conflict, "ring_group_id", "the ring group exists");
    auto o = SY_TRY(svc->execute(cmd, context_of(api, r)));
    return answer_created(SY_TRY(shown_ring_group(api, cmd.ring_group.ring_group_id)), o);
}

/// PATCH /v1/voice/ring-groups/{id}
core::Result<HttpResponse> update_ring_group(VoiceApi& api, HttpRequest& r) {
    const auto current = SY_TRY(reachable_ring_group(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    DefineRingGroup cmd{SY_TRY(ring_group_of(b, current, false))};
    auto o = SY_TRY(api.extensions->execute(cmd, context_of(api, r)));
    return answer(200, SY_TRY(shown_ring_group(api, cmd.ring_group.ring_group_id)), o.positions);
}

/// DELETE /v1/voice/ring-groups/{id}
core::Result<HttpResponse> delete_ring_group(VoiceApi& api, HttpRequest& r) {
    const auto current = SY_TRY(reachable_ring_group(api, r));
    auto o =
        SY_TRY(api.extensions->execute(RemoveRingGroup{current.ring_group_id}, context_of(api, r)));
    return answer(200, {{"ring_group_id", current.ring_group_id}, {"removed", true}}, o.positions);
}

// ---- media servers ----

core::Result<MediaServer> media_server_of(const JsonBody& b, const MediaServer& current,
                                          bool create) {
    if (create)
        SY_TRY(b.only({"media_server_id", "customer_id", "name", "uri", "purpose"}));
    else
        SY_TRY(b.only({"name", "uri", "purpose"}));
    MediaServer m = current;
    if (create) {
        m.media_server_id = SY_TRY(b.string("media_server_id"));
        if (auto v = SY_TRY(b.opt_int("customer_id"))) m.customer_id = *v;
        m.uri = SY_TRY(b.string("uri"));
        const auto purpose = SY_TRY(b.string("purpose"));
        if (!parse_media_purpose(purpose, m.purpose))
            return core::fail(Errc::Invalid, "purpose",
                              "must be ivr, queue, voicemail or recording");
    } else {
        if (auto v = SY_TRY(b.opt_string("uri"))) m.uri = *v;
        if (auto v = SY_TRY(b.opt_string("purpose"))) {
            if (!parse_media_purpose(*v, m.purpose))
                return core::fail(Errc::Invalid, "purpose",
                                  "must be ivr, queue, voicemail or recording");
        }
    }
    if (auto v = SY_TRY(b.opt_string("name"))) m.name = *v;
    return m;
}

core::Result<MediaServer> existing_media_server(VoiceApi& api, const HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    const auto s = SY_TRY(SY_TRY(service(api))->state());
    auto it = s->media_servers.find(id);
    if (it == s->media_servers.end()) return not_found("media server", id);
    return it->second;
}

/// GET /v1/voice/media-servers?cursor=&limit=
core::Result<HttpResponse> list_media_servers(VoiceApi& api, HttpRequest& r) {
    const auto page = SY_TRY(page_query(r));
    const auto s = SY_TRY(SY_TRY(service(api))->state());
    std::vector<std::pair<std::string, json::object>> items;
    for (const auto& [id, m] : s->media_servers)
        items.emplace_back(id, events::voice::media_server_json(m));
    return json_response(200, string_page(page, items));
}

/// GET /v1/voice/media-servers/{id}
core::Result<HttpResponse> get_media_server(VoiceApi& api, HttpRequest& r) {
    return json_ok(events::voice::media_server_json(SY_TRY(existing_media_server(api, r))));
}

/// POST /v1/voice/media-servers {"media_server_id", "customer_id"?, "name", "uri", "purpose"}
core::Result<HttpResponse> create_media_server(VoiceApi& api, HttpRequest& r) {
    auto* svc = SY_TRY(service(api));
    auto b = SY_TRY(JsonBody::parse(r.body));
    DefineMediaServer cmd{SY_TRY(media_server_of(b, MediaServer{}, true))};
    if (cmd.media_server.customer_id != 0)
        SY_TRY(reachable_customer(api, r, cmd.media_server.customer_id));
    if (SY_TRY(svc->state())->media_servers.contains(cmd.media_server.media_server_id))
        return core::fail(Errc::Conflict, "media_server_id", "the media server exists");
    auto o = SY_TRY(svc->execute(cmd, context_of(api, r)));
    return answer_created(events::voice::media_server_json(cmd.media_server), o);
}

/// PATCH /v1/voice/media-servers/{id}
core::Result<HttpResponse> update_media_server(VoiceApi& api, HttpRequest& r) {
    const auto current = SY_TRY(existing_media_server(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    DefineMediaServer cmd{SY_TRY(media_server_of(b, current, false))};
    auto o = SY_TRY(api.extensions->execute(cmd, context_of(api, r)));
    return answer(200, events::voice::media_server_json(cmd.media_server), o.positions);
}

/// DELETE /v1/voice/media-servers/{id}
core::Result<HttpResponse> delete_media_server(VoiceApi& api, HttpRequest& r) {
    const auto current = SY_TRY(existing_media_server(api, r));
    auto o = SY_TRY(
        api.extensions->execute(RemoveMediaServer{current.media_server_id}, context_of(api, r)));
    return answer(200, {{"media_server_id", current.media_server_id}, {"removed", true}},
                  o.positions);
}

}  // namespace

VoiceRoutes extension_routes() {
    return {
        {"GET", "/v1/voice/extensions", voice_roles::customer_read, list_extensions,
         "The extensions in the caller's reach in id order (?customer_id=), cursor-paginated."},
        {"GET", "/v1/voice/extensions/{id}", voice_roles::customer_read, get_extension,
         "One extension (whether a password is set, never the password)."},
        {"POST", "/v1/voice/extensions", roles::sellers, create_extension,
         "Creates an extension (number, display name, SIP username, forwarding rules)."},
        {"PATCH", "/v1/voice/extensions/{id}", roles::sellers, update_extension,
         "Changes an extension's number, name, username or forwarding rules."},
        {"DELETE", "/v1/voice/extensions/{id}", roles::sellers, delete_extension,
         "Removes an extension no ring group or forward points at."},
        {"POST", "/v1/voice/extensions/{id}/password", voice_roles::customer_read,
         set_extension_password,
         "Sets an extension's SIP password; only its HA1 for the SIP realm is kept, sealed."},
        {"GET", "/v1/voice/ring-groups", voice_roles::customer_read, list_ring_groups,
         "The ring groups in the caller's reach in id order (?customer_id=), cursor-paginated."},
        {"GET", "/v1/voice/ring-groups/{id}", voice_roles::customer_read, get_ring_group,
         "One ring group."},
        {"POST", "/v1/voice/ring-groups", roles::sellers, create_ring_group,
         "Creates a ring group (parallel or sequential, members, ring times, fallback)."},
        {"PATCH", "/v1/voice/ring-groups/{id}", roles::sellers, update_ring_group,
         "Changes a ring group."},
        {"DELETE", "/v1/voice/ring-groups/{id}", roles::sellers, delete_ring_group,
         "Removes a ring group no forward points at."},
        {"GET", "/v1/voice/media-servers", voice_roles::operator_read, list_media_servers,
         "The media server targets (IVR, queue, voicemail, recording) in id order."},
        {"GET", "/v1/voice/media-servers/{id}", voice_roles::operator_read, get_media_server,
         "One media server target."},
        {"POST", "/v1/voice/media-servers", roles::admin, create_media_server,
         "Adds a media server target: a SIP URI calls can be forwarded to (Switchyard ships "
         "no media server)."},
        {"PATCH", "/v1/voice/media-servers/{id}", roles::admin, update_media_server,
         "Changes a media server target."},
        {"DELETE", "/v1/voice/media-servers/{id}", roles::admin, delete_media_server,
         "Removes a media server target no forward points at."},
    };
}

}  // namespace switchyard::api::voice
