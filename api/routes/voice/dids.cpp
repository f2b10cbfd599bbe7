// DIDs over HTTP (issue 14 item 5; docs/voice-dids.md): the countries DIDs are sold in with
// their KYC document types, the providers, the inventory (list with filters, CSV import), a
// DID's life (reserve, order, suspend, resume, release), its inbound routing and porting
// status, its KYC documents (upload as base64 JSON, list, download, approve, reject) and the
// monthly fee run billing calls. Reads come from the DID service (current with every command
// this process appended); every body is checked field by field, nothing is appended on a 4xx.
#include <algorithm>
#include <charconv>

#include <boost/json.hpp>

#include <fmt/format.h>

#include "api/routes/voice/voice_support.hpp"
#include "core/voice/did_csv.hpp"
#include "events/voice/did_codec.hpp"
#include "events/voice/did_service.hpp"

namespace switchyard::api::voice {

namespace json = boost::json;
using core::Errc;
using namespace core::voice;

namespace {

/// The DID service. @errors Unavailable when the module did not start one.
core::Result<events::voice::DidService*> service(VoiceApi& api) {
    if (!api.dids) return core::fail(Errc::Unavailable, "dids", "the DID service is not running");
    return api.dids;
}

core::Result<std::shared_ptr<const DidState>> state_of(VoiceApi& api) {
    return SY_TRY(service(api))->state();
}

/// Standard base64 (RFC 4648 §4), padding required when the length is not a multiple of 4;
/// none for anything else.
std::optional<std::string> decode_base64(std::string_view in) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    if (in.size() % 4 != 0) return std::nullopt;
    std::string out;
    out.reserve(in.size() / 4 * 3);
    for (std::size_t i = 0; i < in.size(); i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = in[i + k];
            if (c == '=' && i + 4 == in.size() && k >= 2) {
                v[k] = 0;
                ++pad;
                continue;
            }
            if (pad > 0) return std::nullopt;
            v[k] = value(c);
            if (v[k] < 0) return std::nullopt;
        }
        const std::uint32_t n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
        out += static_cast<char>((n >> 16) & 0xFF);
        if (pad < 2) out += static_cast<char>((n >> 8) & 0xFF);
        if (pad < 1) out += static_cast<char>(n & 0xFF);
    }
    return out;
}

/// The DID `{number}` names, from the state. @errors Invalid naming `number` when it is not
/// E.164; NotFound naming `number`.
core::Result<const Did*> did_of(const DidState& s, const HttpRequest& r) {
    const auto text = SY_TRY(text_param(r, "number"));
    const auto n = did_number(text);
    if (!n) return core::fail(Errc::Invalid, "number", "must be E.164: 6 to 15 digits, optional +");
    auto it = s.dids.find(*n);
    if (it == s.dids.end()) return not_found("DID", *n, "number");
    return &it->second;
}

/// NotFound (as if it did not exist) when the caller may not see the DID's customer.
core::Result<void> check_reach(VoiceApi& api, const HttpRequest& r, const Did& d) {
    const auto reach = SY_TRY(customer_reach(api, r));
    if (reach && !reach->contains(std::to_string(d.customer_id)))
        return not_found("DID", d.inventory.number, "number");
    return {};
}

json::object view_of(const DidState& s, const Did& d) {
    return events::voice::did_json(d, missing_kyc(s, d));
}

// ---- countries and providers ----

/// GET /v1/voice/did-countries
core::Result<HttpResponse> list_countries(VoiceApi& api, HttpRequest& r) {
    const auto page = SY_TRY(page_query(r));
    const auto s = SY_TRY(state_of(api));
    std::vector<std::pair<std::string, json::object>> items;
    for (const auto& [id, c] : s->countries)
        items.emplace_back(id, events::voice::did_country_json(c));
    return json_response(200, string_page(page, items));
}

/// GET /v1/voice/did-countries/{country}
core::Result<HttpResponse> get_country(VoiceApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r, "country"));
    const auto s = SY_TRY(state_of(api));
    auto it = s->countries.find(id);
    if (it == s->countries.end()) return not_found("country", id, "country");
    return json_ok(events::voice::did_country_json(it->second));
}

/// PUT /v1/voice/did-countries/{country} {"name", "kyc_documents"}: creates or replaces.
core::Result<HttpResponse> put_country(VoiceApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"name", "kyc_documents"}));
    DefineDidCountry cmd;
    cmd.country.country = SY_TRY(text_param(r, "country"));
    cmd.country.name = SY_TRY(b.string("name"));
    cmd.country.kyc_documents =
        SY_TRY(b.opt_string_list("kyc_documents")).value_or(std::vector<std::string>{});
    auto o = SY_TRY(SY_TRY(service(api))->execute(cmd, context_of(api, r)));
    return answer(200, events::voice::did_country_json(cmd.country), o.positions);
}

/// GET /v1/voice/did-providers
core::Result<HttpResponse> list_providers(VoiceApi& api, HttpRequest& r) {
    const auto page = SY_TRY(page_query(r));
    const auto s = SY_TRY(state_of(api));
    std::vector<std::pair<std::string, json::object>> items;
    for (const auto& [id, p] : s->providers)
        items.emplace_back(id, events::voice::did_provider_json(p));
    return json_response(200, string_page(page, items));
}

/// GET /v1/voice/did-providers/{id}
core::Result<HttpResponse> get_provider(VoiceApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    const auto s = SY_TRY(state_of(api));
    auto it = s->providers.find(id);
    if (it == s->providers.end()) return not_found("provider", id);
    return json_ok(events::voice::did_provider_json(it->second));
}

/// PUT /v1/voice/did-providers/{id} {"name", "currency", "api_notes"}: creates or replaces.
core::Result<HttpResponse> put_provider(VoiceApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"name", "currency", "api_notes"}));
    DefineDidProvider cmd;
    cmd.provider.provider_id = SY_TRY(text_param(r));
    cmd.provider.name = SY_TRY(b.string("name"));
    cmd.provider.currency = SY_TRY(b.string("currency"));
    cmd.provider.api_notes = SY_TRY(b.opt_string("api_notes")).value_or("");
    auto o = SY_TRY(SY_TRY(service(api))->execute(cmd, context_of(api, r)));
    return answer(200, events::voice::did_provider_json(cmd.provider), o.positions);
}

// ---- inventory ----

/// GET /v1/voice/dids?status=&country=&provider=&type=&customer_id=&cursor=&limit=
core::Result<HttpResponse> list_dids(VoiceApi& api, HttpRequest& r) {
    const auto page = SY_TRY(page_query(r));
    const auto status = SY_TRY(enum_query(
        r, "status",
        {"", "available", "reserved", "pending_kyc", "active", "suspended", "released"}, ""));
    const auto type =
        SY_TRY(enum_query(r, "type", {"", "local", "national", "mobile", "tollfree"}, ""));
    const auto customer = SY_TRY(opt_int_query(r, "customer_id", 1, INT64_MAX));
    const auto& country = r.query_param("country");
    const auto& provider = r.query_param("provider");
    const auto reach = SY_TRY(customer_reach(api, r));
    const auto s = SY_TRY(state_of(api));
    std::vector<std::pair<std::string, json::object>> items;
    for (const auto& [number, d] : s->dids) {
        if (!status.empty() && status != to_string(d.status)) continue;
        if (!type.empty() && type != to_string(d.inventory.type)) continue;
        if (!country.empty() && country != d.inventory.country) continue;
        if (!provider.empty() && provider != d.inventory.provider_id) continue;
        if (customer && *customer != d.customer_id) continue;
        if (reach && !reach->contains(std::to_string(d.customer_id))) continue;
        if (!page.cursor.empty() && number <= page.cursor) continue;
        items.emplace_back(number, view_of(*s, d));
        if (items.size() > page.limit) break;
    }
    return json_response(200, string_page(page, items));
}

/// GET /v1/voice/dids/{number}
core::Result<HttpResponse> get_did(VoiceApi& api, HttpRequest& r) {
    const auto s = SY_TRY(state_of(api));
    const auto* d = SY_TRY(did_of(*s, r));
    SY_TRY(check_reach(api, r, *d));
    return json_ok(view_of(*s, *d));
}

/// POST /v1/voice/dids {"file", "content" | "content_base64", "provider", "mapping",
/// "separator"}: imports an inventory CSV; bad rows are reported, the others imported.
core::Result<HttpResponse> import_dids(VoiceApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"file", "content", "content_base64", "provider", "mapping", "separator"}));
    const auto file = SY_TRY(b.opt_string("file")).value_or("inventory.csv");
    if (file.empty() || file.size() > 255)
        return core::fail(Errc::Invalid, "file", "must be 1 to 255 characters");
    auto content = SY_TRY(b.opt_string("content"));
    const auto encoded = SY_TRY(b.opt_string("content_base64"));
    if (content.has_value() == encoded.has_value())
        return core::fail(Errc::Invalid, "content", "give either content or content_base64");
    if (encoded) {
        content = decode_base64(*encoded);
        if (!content)
            return core::fail(Errc::Invalid, "content_base64", "is not base64 (RFC 4648)");
    }
    DidColumnMapping mapping;
    mapping.default_provider = SY_TRY(b.opt_string("provider")).value_or("");
    if (auto sep = SY_TRY(b.opt_string("separator"))) {
        if (*sep != "," && *sep != ";" && *sep != "\t" && *sep != "|")
            return core::fail(Errc::Invalid, "separator", "must be one of , ; | or a tab");
        mapping.separator = sep->front();
    }
    if (auto m = SY_TRY(b.opt_object("mapping"))) {
        const std::pair<const char*, ColumnRef*> keys[] = {
            {"number", &mapping.number},
            {"country", &mapping.country},
            {"provider", &mapping.provider},
            {"type", &mapping.type},
            {"area", &mapping.area},
            {"currency", &mapping.currency},
            {"setup_cost", &mapping.setup_cost},
            {"monthly_cost", &mapping.monthly_cost},
            {"setup_price", &mapping.setup_price},
            {"monthly_price", &mapping.monthly_price},
            {"channels", &mapping.channels}};
        SY_TRY(m->only({"number", "country", "provider", "type", "area", "currency", "setup_cost",
                        "monthly_cost", "setup_price", "monthly_price", "channels"}));
        for (const auto& [key, ref] : keys)
            if (auto name = SY_TRY(m->opt_string(key))) {
                if (name->empty())
                    return core::fail(Errc::Invalid, std::string("mapping.") + key,
                                      "must name a header column");
                *ref = ColumnRef{*name, {}};
            }
    }
    auto parsed = parse_did_csv(*content, file, mapping);
    if (!parsed) {
        auto e = parsed.error();
        if (e.field != "file") e.field = "mapping." + e.field;
        return tl::unexpected(std::move(e));
    }
    const auto ctx = context_of(api, r);
    ImportDids cmd;
    cmd.file = file;
    cmd.command_id = command_id_of(r, ctx);
    cmd.rows = std::move(parsed->rows);
    auto o = SY_TRY(SY_TRY(service(api))->import(cmd, ctx));
    auto errors = parsed->errors;
    errors.insert(errors.end(), o.errors.begin(), o.errors.end());
    std::sort(errors.begin(), errors.end(),
              [](const RowError& a, const RowError& b) { return a.line < b.line; });
    json::array errs;
    for (const auto& e : errors)
        errs.push_back(json::object{
            {"file", e.file}, {"line", e.line}, {"field", e.field}, {"reason", e.reason}});
    json::object body{{"file", file},
                      {"lines_read", parsed->lines_read},
                      {"imported", o.imported},
                      {"updated", o.updated},
                      {"unchanged", o.unchanged},
                      {"replayed", o.replayed},
                      {"refused", static_cast<std::int64_t>(errors.size())},
                      {"errors", std::move(errs)}};
    return answer_created(std::move(body), o);
}

// ---- a DID's life ----

/// Runs `cmd` for the DID of the path and answers the DID as it is after.
template <class Command>
core::Result<HttpResponse> run_on_did(VoiceApi& api, HttpRequest& r, const Command& cmd) {
    auto* svc = SY_TRY(service(api));
    auto o = SY_TRY(svc->execute(cmd, context_of(api, r)));
    const auto s = SY_TRY(svc->state());
    const auto* d = SY_TRY(did_of(*s, r));
    return answer(200, view_of(*s, *d), o.positions);
}

/// The `{number}` as E.164 digits. @errors Invalid naming `number`.
core::Result<std::string> number_param(const HttpRequest& r) {
    const auto n = did_number(SY_TRY(text_param(r, "number")));
    if (!n) return core::fail(Errc::Invalid, "number", "must be E.164: 6 to 15 digits, optional +");
    return *n;
}

/// `{"customer_id": n}` as the only field. @errors Invalid naming `customer_id`.
core::Result<std::int64_t> customer_body(const HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"customer_id"}));
    const auto id = SY_TRY(b.opt_int("customer_id"));
    if (!id) return core::fail(Errc::Invalid, "customer_id", "is required");
    return *id;
}

/// POST /v1/voice/dids/{number}/reserve {"customer_id"}
core::Result<HttpResponse> reserve_did(VoiceApi& api, HttpRequest& r) {
    const auto number = SY_TRY(number_param(r));
    return run_on_did(api, r, ReserveDid{number, SY_TRY(customer_body(r))});
}

/// POST /v1/voice/dids/{number}/order {"customer_id"}
core::Result<HttpResponse> order_did(VoiceApi& api, HttpRequest& r) {
    const auto number = SY_TRY(number_param(r));
    return run_on_did(api, r, OrderDid{number, SY_TRY(customer_body(r))});
}

/// POST /v1/voice/dids/{number}/suspend {"reason"}
core::Result<HttpResponse> suspend_did(VoiceApi& api, HttpRequest& r) {
    const auto number = SY_TRY(number_param(r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"reason"}));
    return run_on_did(api, r, SuspendDid{number, SY_TRY(b.string("reason"))});
}

/// An empty body (or `{}`). @errors Invalid naming the first field sent.
core::Result<void> empty_body(const HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    return b.only({});
}

/// POST /v1/voice/dids/{number}/resume
core::Result<HttpResponse> resume_did(VoiceApi& api, HttpRequest& r) {
    const auto number = SY_TRY(number_param(r));
    SY_TRY(empty_body(r));
    return run_on_did(api, r, ResumeDid{number});
}

/// POST /v1/voice/dids/{number}/release
core::Result<HttpResponse> release_did(VoiceApi& api, HttpRequest& r) {
    const auto number = SY_TRY(number_param(r));
    SY_TRY(empty_body(r));
    return run_on_did(api, r, ReleaseDid{number});
}

/// PUT /v1/voice/dids/{number}/routing {"targets": [{"kind", "value"}, ...]}
core::Result<HttpResponse> set_routing(VoiceApi& api, HttpRequest& r) {
    const auto number = SY_TRY(number_param(r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"targets"}));
    const auto list = SY_TRY(b.opt_object_list("targets"));
    if (!list) return core::fail(Errc::Invalid, "targets", "is required (an empty list clears)");
    SetDidRouting cmd{number, {}};
    for (const auto& t : *list) {
        SY_TRY(t.only({"kind", "value"}));
        DidTarget target;
        const auto kind = SY_TRY(t.string("kind"));
        if (!parse_did_target_kind(kind, target.kind))
            return core::fail(Errc::Invalid, t.prefix() + "kind",
                              "must be trunk, uri, extension or ring_group");
        target.value = SY_TRY(t.string("value"));
        cmd.targets.push_back(std::move(target));
    }
    return run_on_did(api, r, cmd);
}

/// PUT /v1/voice/dids/{number}/port {"port_status"}
core::Result<HttpResponse> set_port(VoiceApi& api, HttpRequest& r) {
    const auto number = SY_TRY(number_param(r));
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"port_status"}));
    SetPortStatus cmd{number, PortStatus::None};
    if (!parse_port_status(SY_TRY(b.string("port_status")), cmd.port_status))
        return core::fail(Errc::Invalid, "port_status",
                          "must be none, port_in_requested, port_in_completed, "
                          "port_out_requested or ported_out");
    return run_on_did(api, r, cmd);
}

/// POST /v1/voice/did-fees/monthly {"period": "YYYY-MM"}
core::Result<HttpResponse> charge_monthly(VoiceApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"period"}));
    const auto period = SY_TRY(b.string("period"));
    auto* svc = SY_TRY(service(api));
    const auto before = SY_TRY(svc->state());
    auto o = SY_TRY(svc->charge_monthly(period, context_of(api, r)));
    const auto after = SY_TRY(svc->state());
    std::int64_t charged = 0;
    for (const auto& [n, d] : after->dids) {
        auto it = before->dids.find(n);
        if (d.monthly_charged.contains(period) &&
            (it == before->dids.end() || !it->second.monthly_charged.contains(period)))
            ++charged;
    }
    return answer(200, {{"period", period}, {"charged", charged}}, o.positions);
}

// ---- KYC ----

/// GET /v1/voice/dids/{number}/kyc: the documents and the types still missing.
core::Result<HttpResponse> list_kyc(VoiceApi& api, HttpRequest& r) {
    const auto s = SY_TRY(state_of(api));
    const auto* d = SY_TRY(did_of(*s, r));
    SY_TRY(check_reach(api, r, *d));
    json::array docs;
    for (const auto& doc : d->kyc) docs.push_back(events::voice::kyc_document_json(doc));
    json::array missing;
    for (const auto& t : missing_kyc(*s, *d)) missing.push_back(json::string(t));
    return json_ok({{"number", d->inventory.number},
                    {"status", to_string(d->status)},
                    {"documents", std::move(docs)},
                    {"missing", std::move(missing)}});
}

/// POST /v1/voice/dids/{number}/kyc {"doc_type", "content_base64"}
core::Result<HttpResponse> submit_kyc(VoiceApi& api, HttpRequest& r) {
    auto* svc = SY_TRY(service(api));
    {
        const auto s = SY_TRY(svc->state());
        SY_TRY(check_reach(api, r, *SY_TRY(did_of(*s, r))));
    }
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"doc_type", "content_base64"}));
    const auto doc_type = SY_TRY(b.string("doc_type"));
    const auto encoded = SY_TRY(b.string("content_base64"));
    const auto bytes = decode_base64(encoded);
    if (!bytes) return core::fail(Errc::Invalid, "content_base64", "is not base64 (RFC 4648)");
    const auto number = SY_TRY(number_param(r));
    auto o = SY_TRY(svc->submit_kyc(number, doc_type, *bytes, context_of(api, r)));
    return answer_created(json::object{{"number", number},
                                       {"document_id", o.document_id},
                                       {"doc_type", doc_type},
                                       {"sha256", o.file.sha256},
                                       {"content_type", o.file.content_type},
                                       {"size_bytes", o.file.size_bytes},
                                       {"status", "submitted"}},
                          o);
}

/// The document `{document_id}` of the DID. @errors Invalid or NotFound naming `document_id`.
core::Result<const KycDocument*> document_of(const Did& d, const HttpRequest& r) {
    const auto text = SY_TRY(text_param(r, "document_id"));
    std::int64_t id = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || p != text.data() + text.size() || id < 1)
        return core::fail(Errc::Invalid, "document_id", "must be a document id, 1 or more");
    for (const auto& doc : d.kyc)
        if (doc.document_id == id) return &doc;
    return not_found("document", text, "document_id");
}

/// GET /v1/voice/dids/{number}/kyc/{document_id}: the file as uploaded.
core::Result<HttpResponse> get_kyc_file(VoiceApi& api, HttpRequest& r) {
    auto* svc = SY_TRY(service(api));
    const auto s = SY_TRY(svc->state());
    const auto* d = SY_TRY(did_of(*s, r));
    const auto* doc = SY_TRY(document_of(*d, r));
    if (!svc->kyc_store())
        return core::fail(Errc::Unavailable, "document", "no KYC document store is configured");
    HttpResponse out;
    out.body = SY_TRY(svc->kyc_store()->read(api.ctx.tenant, doc->sha256, doc->content_type));
    out.content_type = doc->content_type;
    return out;
}

/// POST /v1/voice/dids/{number}/kyc/{document_id}/approve
core::Result<HttpResponse> approve_kyc(VoiceApi& api, HttpRequest& r) {
    SY_TRY(empty_body(r));
    const auto s = SY_TRY(state_of(api));
    const auto* d = SY_TRY(did_of(*s, r));
    const auto* doc = SY_TRY(document_of(*d, r));
    return run_on_did(api, r, ApproveKyc{d->inventory.number, doc->document_id});
}

/// POST /v1/voice/dids/{number}/kyc/{document_id}/reject {"reason"}
core::Result<HttpResponse> reject_kyc(VoiceApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"reason"}));
    const auto reason = SY_TRY(b.string("reason"));
    const auto s = SY_TRY(state_of(api));
    const auto* d = SY_TRY(did_of(*s, r));
    const auto* doc = SY_TRY(document_of(*d, r));
    return run_on_did(api, r, RejectKyc{d->inventory.number, doc->document_id, reason});
}

}  // namespace

VoiceRoutes did_routes() {
    using voice_roles::customer_read;
    using voice_roles::operator_read;
    return {
        {"GET", "/v1/voice/did-countries", roles::staff_read, list_countries,
         "DID countries with their required KYC document types, in code order."},
        {"GET", "/v1/voice/did-countries/{country}", roles::staff_read, get_country,
         "One DID country."},
        {"PUT", "/v1/voice/did-countries/{country}", roles::admin, put_country,
         "Creates or replaces a DID country and its required KYC document types."},
        {"GET", "/v1/voice/did-providers", operator_read, list_providers,
         "DID providers in id order."},
        {"GET", "/v1/voice/did-providers/{id}", operator_read, get_provider, "One DID provider."},
        {"PUT", "/v1/voice/did-providers/{id}", roles::admin, put_provider,
         "Creates or replaces a DID provider."},
        {"GET", "/v1/voice/dids", customer_read, list_dids,
         "DIDs in number order, filtered by status, type, country, provider and customer."},
        {"POST", "/v1/voice/dids", roles::admin, import_dids,
         "Imports an inventory CSV: bad rows are reported by line, the others imported."},
        {"GET", "/v1/voice/dids/{number}", customer_read, get_did,
         "One DID with its status, routing, porting and KYC documents."},
        {"POST", "/v1/voice/dids/{number}/reserve", roles::admin, reserve_did,
         "Reserves an available DID for a customer."},
        {"POST", "/v1/voice/dids/{number}/order", roles::admin, order_did,
         "Orders a DID for a customer: pending KYC, or active with its fees charged."},
        {"POST", "/v1/voice/dids/{number}/suspend", roles::admin, suspend_did,
         "Suspends an active DID."},
        {"POST", "/v1/voice/dids/{number}/resume", roles::admin, resume_did,
         "Resumes a suspended DID."},
        {"POST", "/v1/voice/dids/{number}/release", roles::admin, release_did,
         "Releases a DID from its customer."},
        {"PUT", "/v1/voice/dids/{number}/routing", roles::admin, set_routing,
         "Sets the inbound routes of a DID in failover order (trunks or SIP URIs)."},
        {"PUT", "/v1/voice/dids/{number}/port", roles::admin, set_port,
         "Changes the porting status of a DID."},
        {"GET", "/v1/voice/dids/{number}/kyc", customer_read, list_kyc,
         "The KYC documents of a DID and the types still missing."},
        {"POST", "/v1/voice/dids/{number}/kyc", customer_read, submit_kyc,
         "Uploads a KYC document (PDF, PNG or JPEG, base64, at most 10 MiB)."},
        {"GET", "/v1/voice/dids/{number}/kyc/{document_id}", operator_read, get_kyc_file,
         "The file of a KYC document."},
        {"POST", "/v1/voice/dids/{number}/kyc/{document_id}/approve", roles::admin, approve_kyc,
         "Approves a KYC document; the last required one activates the DID."},
        {"POST", "/v1/voice/dids/{number}/kyc/{document_id}/reject", roles::admin, reject_kyc,
         "Rejects a KYC document with a reason; another may be uploaded."},
        {"POST", "/v1/voice/did-fees/monthly", roles::admin, charge_monthly,
         "Charges the monthly fee of a period to every DID in service, once per period."},
    };
}

}  // namespace switchyard::api::voice
