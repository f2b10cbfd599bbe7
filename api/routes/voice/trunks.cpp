// /v1/voice/trunks: customer SIP trunks (events/voice/trunk_service.hpp), and
// /v1/voice/admission: what call admission holds now, for operators. A caller reaches the
// trunks of the customers it may see (voice_support.hpp may_see); any other trunk does not
// exist, as far as it knows (404). No answer ever carries a password or an HA1: a trunk shows
// `password_set` and the `realm` only.
#include <boost/json.hpp>

#include "api/routes/voice/voice_support.hpp"
#include "events/voice/admission_service.hpp"
#include "events/voice/trunk_codec.hpp"
#include "events/voice/trunk_service.hpp"
#include "projections/voice/trunks.hpp"

namespace switchyard::api::voice {

namespace json = boost::json;
using core::Errc;
using namespace core::voice;

namespace {

/// The trunk service. @errors Unavailable when the module runs without it.
core::Result<events::voice::TrunkService*> trunk_service(VoiceApi& api) {
    if (!api.trunks) return core::fail(Errc::Unavailable, "trunks", "trunks are not enabled");
    return api.trunks;
}

/// The customer `id` if the caller may see it. @errors NotFound naming `field` otherwise.
core::Result<Customer> reachable_customer(VoiceApi& api, const HttpRequest& r, std::int64_t id,
                                          const char* field) {
    const auto d = SY_TRY(api.voice.directory_snapshot());
    auto it = d.state->customers.find(id);
    if (it == d.state->customers.end() || !may_see(r, it->second))
        return not_found("customer", std::to_string(id), field);
    return it->second;
}

/// The `{id}` trunk if the caller may see its customer. @errors NotFound naming `id`.
core::Result<TrunkEntry> reachable_trunk(VoiceApi& api, const HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    auto* trunks = SY_TRY(trunk_service(api));
    auto entry = SY_TRY(trunks->find(id));
    if (!entry) return not_found("trunk", id);
    if (!reachable_customer(api, r, entry->trunk.customer_id, "id")) return not_found("trunk", id);
    return *entry;
}

/// A trunk from a body; absent members keep `current`'s. `trunk_id` and `customer_id` only
/// when creating. Types are checked here, the rules in core/voice/trunk_decider.
core::Result<Trunk> trunk_of(const JsonBody& b, const Trunk& current, bool create) {
    if (create) {
        SY_TRY(b.only({"trunk_id", "customer_id", "name", "source_ips", "username", "tech_prefix",
                       "cli_prefixes", "cli_policy", "default_cli", "pai_policy", "codec_set_id",
                       "channels", "cps", "pop_id", "status"}));
    } else {
        SY_TRY(b.only({"name", "source_ips", "username", "tech_prefix", "cli_prefixes",
                       "cli_policy", "default_cli", "pai_policy", "codec_set_id", "channels", "cps",
                       "pop_id", "status"}));
    }
    Trunk t = current;
    if (create) {
        auto id = SY_TRY(b.opt_string("trunk_id"));
        if (!id) return core::fail(Errc::Invalid, "trunk_id", "is required");
        t.trunk_id = *id;
        auto customer = SY_TRY(b.opt_int("customer_id"));
        if (!customer) return core::fail(Errc::Invalid, "customer_id", "is required");
        t.customer_id = *customer;
    }
    if (auto v = SY_TRY(b.opt_string("name"))) t.name = *v;
    if (auto v = SY_TRY(b.opt_string_list("source_ips"))) t.source_ips = *v;
    if (auto v = SY_TRY(b.opt_string("username"))) t.username = *v;
    if (auto v = SY_TRY(b.opt_string("tech_prefix"))) t.tech_prefix = *v;
    if (auto v = SY_TRY(b.opt_string_list("cli_prefixes"))) t.cli_prefixes = *v;
    if (auto v = SY_TRY(b.opt_string("cli_policy"))) {
        if (!parse_cli_policy(*v, t.cli_policy))
            return core::fail(Errc::Invalid, "cli_policy", "must be reject or replace");
    }
    if (auto v = SY_TRY(b.opt_string("default_cli"))) t.default_cli = *v;
    if (auto v = SY_TRY(b.opt_string("pai_policy"))) {
        if (!parse_pai_policy(*v, t.pai_policy))
            return core::fail(Errc::Invalid, "pai_policy", "must be pass, strip or set");
    }
    if (auto v = SY_TRY(b.opt_string("codec_set_id"))) t.codec_set_id = *v;
    if (auto v = SY_TRY(b.opt_int("channels"))) t.channels = *v;
    if (auto v = SY_TRY(b.opt_int("cps"))) t.cps = *v;
    if (auto v = SY_TRY(b.opt_string("pop_id"))) t.pop_id = *v;
    if (auto v = SY_TRY(b.opt_string("status"))) {
        if (!parse_trunk_status(*v, t.status))
            return core::fail(Errc::Invalid, "status", "must be active or disabled");
    }
    return t;
}

/// The trunks read model. @errors Unavailable when it is not open.
core::Result<const projections::ReadModelView*> trunks_view(ApiContext& ctx) {
    const auto* v = ctx.runner.view(projections::voice::kVoiceTrunks);
    if (!v) return core::fail(Errc::Unavailable, "trunks", "the trunks read model is not open");
    return v;
}

/// GET /v1/voice/trunks?customer_id=&cursor=&limit=: the caller's trunks in trunk id order.
core::Result<HttpResponse> list_trunks(VoiceApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto page = SY_TRY(page_query(r));
    std::optional<std::int64_t> only;
    if (const auto c = r.query_param("customer_id"); !c.empty()) {
        const bool digits = c.size() <= 18 && std::all_of(c.begin(), c.end(), [](char ch) {
                                return ch >= '0' && ch <= '9';
                            });
        if (!digits) return core::fail(Errc::Invalid, "customer_id", "must be a customer id");
        only = std::stoll(std::string(c));
    }
    const auto* view = SY_TRY(trunks_view(api.ctx));
    const auto d = SY_TRY(api.voice.directory_snapshot());
    PageWriter out(page);
    std::string after = page.cursor;
    for (;;) {
        const auto rows = projections::voice::list_trunks(*view, after, page.limit + 1, only);
        bool full = false;
        for (const auto& row : rows) {
            after = row.trunk.trunk_id;
            auto c = d.state->customers.find(row.trunk.customer_id);
            if (c == d.state->customers.end() || !may_see(r, c->second)) continue;
            if (!out.add(json::serialize(events::voice::trunk_row_json(row)), row.trunk.trunk_id)) {
                full = true;
                break;
            }
        }
        if (full || rows.size() < page.limit + 1) break;
    }
    return json_response(200, out.body());
}

/// GET /v1/voice/trunks/{id}
core::Result<HttpResponse> get_trunk(VoiceApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto id = SY_TRY(text_param(r));
    auto row = projections::voice::find_trunk(*SY_TRY(trunks_view(api.ctx)), id);
    if (!row || !reachable_customer(api, r, row->trunk.customer_id, "id"))
        return not_found("trunk", id);
    return json_ok(events::voice::trunk_row_json(*row));
}

/// The trunk as the log has it after a command. @errors NotFound when it is gone.
core::Result<json::object> shown(VoiceApi& api, const std::string& trunk_id) {
    auto entry = SY_TRY(api.trunks->find(trunk_id));
    if (!entry) return not_found("trunk", trunk_id);
    return events::voice::trunk_entry_json(*entry);
}

/// POST /v1/voice/trunks {"trunk_id", "customer_id", "name", "source_ips"?, "username"?,
/// "tech_prefix"?, "cli_prefixes"?, "cli_policy"?, "default_cli"?, "pai_policy"?,
/// "codec_set_id"?, "channels"?, "cps"?, "pop_id"?, "status"?}
core::Result<HttpResponse> create_trunk(VoiceApi& api, HttpRequest& r) {
    auto* trunks = SY_TRY(trunk_service(api));
    auto b = SY_TRY(JsonBody::parse(r.body));
    DefineTrunk cmd;
    cmd.trunk = SY_TRY(trunk_of(b, Trunk{}, true));
    SY_TRY(reachable_customer(api, r, cmd.trunk.customer_id, "customer_id"));
    const auto ctx = context_of(api, r);
    cmd.command_id = command_id_of(r, ctx);
    auto o = SY_TRY(trunks->execute(cmd, ctx));
    return answer_created(SY_TRY(shown(api, cmd.trunk.trunk_id)), o);
}

/// PATCH /v1/voice/trunks/{id}: the fields the body names change (not its customer). A new
/// username drops the password (the HA1 is made with the username).
core::Result<HttpResponse> update_trunk(VoiceApi& api, HttpRequest& r) {
    const auto current = SY_TRY(reachable_trunk(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    DefineTrunk cmd;
    cmd.trunk = SY_TRY(trunk_of(b, current.trunk, false));
    cmd.mode = DefineMode::Update;
    auto o = SY_TRY(api.trunks->execute(cmd, context_of(api, r)));
    return answer(200, SY_TRY(shown(api, cmd.trunk.trunk_id)), o.positions);
}

/// DELETE /v1/voice/trunks/{id}: `{"trunk_id", "removed": true}`.
core::Result<HttpResponse> delete_trunk(VoiceApi& api, HttpRequest& r) {
    const auto current = SY_TRY(reachable_trunk(api, r));
    auto o = SY_TRY(api.trunks->execute(RemoveTrunk{current.trunk.trunk_id}, context_of(api, r)));
    return answer(200, {{"trunk_id", current.trunk.trunk_id}, {"removed", true}}, o.positions);
}

/// POST /v1/voice/trunks/{id}/password {"password"}: sets the digest password (8 to 128
/// characters). Answers the trunk, with `password_set` true and the realm; nothing secret.
core::Result<HttpResponse> set_password(VoiceApi& api, HttpRequest& r) {
    const auto current = SY_TRY(reachable_trunk(api, r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"password"}));
    auto password = SY_TRY(b.opt_string("password"));
    if (!password) return core::fail(Errc::Invalid, "password", "is required");
    auto o =
        SY_TRY(api.trunks->set_password(current.trunk.trunk_id, *password, context_of(api, r)));
    std::fill(password->begin(), password->end(), '\0');
    return answer(200, SY_TRY(shown(api, current.trunk.trunk_id)), o.positions);
}

/// GET /v1/voice/admission: per customer with open calls, its channels, the money held, the
/// channels per trunk and the calls; the channels per carrier.
core::Result<HttpResponse> get_admission(VoiceApi& api, HttpRequest&) {
    if (!api.admission)
        return core::fail(Errc::Unavailable, "admission", "call admission is not enabled");
    const auto snap = api.admission->snapshot();
    json::array customers;
    for (const auto& c : snap.customers) {
        json::object trunks;
        for (const auto& [id, n] : c.trunk_channels) trunks[id] = n;
        json::array calls;
        for (const auto& call : c.calls)
            calls.push_back({{"call_id", call.call_id},
                             {"trunk_id", call.trunk_id},
                             {"carrier_id", call.carrier_id},
                             {"max_duration_s", call.admission.max_duration_s},
                             {"reserved", money_text(call.admission.reserved_micros)},
                             {"admitted_at", core::format_rfc3339(call.admitted_at)}});
        customers.push_back({{"customer_id", c.customer_id},
                             {"channels", c.channels},
                             {"reserved", money_text(c.reserved_micros)},
                             {"trunk_channels", std::move(trunks)},
                             {"calls", std::move(calls)}});
    }
    json::object carriers;
    for (const auto& [id, n] : snap.carrier_channels) carriers[id] = n;
    return json_ok(
        {{"customers", std::move(customers)}, {"carrier_channels", std::move(carriers)}});
}

}  // namespace

VoiceRoutes trunk_routes() {
    return {
        {"GET", "/v1/voice/trunks", voice_roles::customer_read, list_trunks,
         "The customer SIP trunks in the caller's reach in trunk id order (?customer_id=), "
         "cursor-paginated."},
        {"GET", "/v1/voice/trunks/{id}", voice_roles::customer_read, get_trunk,
         "One customer SIP trunk (whether a digest password is set, never the password)."},
        {"POST", "/v1/voice/trunks", roles::sellers, create_trunk,
         "Creates a customer SIP trunk (IP and/or digest authentication, caller-ID, PAI and "
         "codec rules, channel and CPS limits)."},
        {"PATCH", "/v1/voice/trunks/{id}", roles::sellers, update_trunk,
         "Changes a customer SIP trunk's fields."},
        {"DELETE", "/v1/voice/trunks/{id}", roles::sellers, delete_trunk,
         "Removes a customer SIP trunk."},
        {"POST", "/v1/voice/trunks/{id}/password", voice_roles::customer_read, set_password,
         "Sets a digest trunk's password; only its HA1 for the SIP realm is kept, sealed."},
        {"GET", "/v1/voice/admission", voice_roles::operator_read, get_admission,
         "Live call admission: channels and prepaid reservations per customer, channels per "
         "trunk and carrier."},
    };
}

}  // namespace switchyard::api::voice
