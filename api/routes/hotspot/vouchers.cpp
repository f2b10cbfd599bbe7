// /v1/hotspot/voucher-batches and /v1/hotspot/vouchers: voucher batches generated from a CSPRNG
// and what staff do with them.
//
// Codes are shown in full where staff need them to sell: the POST that generates a batch answers
// its codes (like an API key, the answer to keep), and the exports `codes.csv`, `sheet.html`
// and `sheet.pdf` give them again to those who reach the batch (its owner reseller and the
// operator's staff), as phpnuxbill and the Xtream panels let their operators print vouchers
// again. The batch's JSON reads (`GET .../voucher-batches`, `.../{id}`) never list codes: they
// carry counts by state only, so a list view or a log of API answers does not spread them.
#include <fmt/format.h>
#include <boost/json.hpp>

#include "api/report_table.hpp"
#include "api/routes/hotspot/hotspot_support.hpp"
#include "core/text.hpp"
#include "events/hotspot/hotspot_codec.hpp"
#include "projections/hotspot/hotspot_vouchers.hpp"

namespace switchyard::api::hotspot {

namespace json = boost::json;
using core::Errc;
using namespace core::hotspot;
using projections::hotspot::BatchRow;
using projections::hotspot::VoucherRow;

namespace {

/// A batch row as the API shows it: batch_json plus `revoked` and the counts by state.
json::object batch_view(const BatchRow& b) {
    auto o = events::hotspot::batch_json(b.batch);
    o["revoked"] = b.revoked;
    o["unused"] = b.unused;
    o["active"] = b.active;
    o["expired"] = b.expired;
    o["revoked_count"] = b.revoked_count;
    return o;
}

/// A voucher as the API shows it.
json::object voucher_view(const VoucherRow& v) {
    json::object o{{"code", v.code},         {"batch_id", v.batch_id},
                   {"plan_id", v.plan_id},   {"state", to_string(v.state)},
                   {"username", v.username}, {"owner_path", v.owner_path}};
    o["redeemed_at"] =
        v.redeemed_at ? json::value(core::format_rfc3339(*v.redeemed_at)) : json::value(nullptr);
    return o;
}

/// The `{id}` batch of the read model, if the caller reaches it (else NotFound).
core::Result<BatchRow> reachable_batch(HotspotApi& api, const HttpRequest& r,
                                       const std::string& id) {
    const auto* view = SY_TRY(view_of(api, projections::hotspot::kHotspotVouchers, "vouchers"));
    auto b = projections::hotspot::find_batch(*view, id);
    if (!b || !may_reach(r, b->batch.owner_path)) return not_found("voucher batch", id);
    return *b;
}

/// A batch holds at most 10,000 vouchers (core/hotspot/model.hpp).
constexpr std::size_t kMaxBatch = 10000;

/// The batch's vouchers in code order, only those in `state` when given (`?state=`, default
/// `def`: `all` or a state name).
core::Result<std::vector<VoucherRow>> batch_vouchers(HotspotApi& api, const HttpRequest& r,
                                                     const std::string& batch_id, std::string def) {
    const auto state =
        SY_TRY(enum_query(r, "state", {"all", "unused", "active", "expired", "revoked"}, def));
    std::optional<VoucherState> filter;
    if (state != "all") {
        VoucherState s{};
        parse_voucher_state(state, s);
        filter = s;
    }
    const auto* view = SY_TRY(view_of(api, projections::hotspot::kHotspotVouchers, "vouchers"));
    return projections::hotspot::list_vouchers(*view, batch_id, "", kMaxBatch, filter);
}

/// GET /v1/hotspot/voucher-batches?cursor=&limit=: the caller's batches, with counts, no codes.
core::Result<HttpResponse> list_batches(HotspotApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto page = SY_TRY(page_query(r));
    const auto* view = SY_TRY(view_of(api, projections::hotspot::kHotspotVouchers, "vouchers"));
    PageWriter out(page);
    for (const auto& b :
         projections::hotspot::list_batches(*view, page.cursor, page.limit + 1, scope_of(r)))
        if (!out.add(json::serialize(batch_view(b)), b.batch.batch_id)) break;
    return json_response(200, out.body());
}

/// GET /v1/hotspot/voucher-batches/{id}: the batch with counts by state, no codes.
core::Result<HttpResponse> get_batch(HotspotApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto id = SY_TRY(text_param(r));
    return json_ok(batch_view(SY_TRY(reachable_batch(api, r, id))));
}

/// POST /v1/hotspot/voucher-batches {"plan_id", "count", "prefix"?, "length"?, "note"?,
/// "batch_id"?}: 201 with the batch and its `codes` (a retry with the same Idempotency-Key
/// answers the same batch and codes, 200).
core::Result<HttpResponse> generate_batch(HotspotApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"plan_id", "count", "prefix", "length", "note", "batch_id"}));
    GenerateVoucherBatch cmd;
    cmd.batch.plan_id = SY_TRY(b.string("plan_id"));
    const auto count = SY_TRY(b.opt_int("count"));
    if (!count) return core::fail(Errc::Invalid, "count", "is required (1 to 10000)");
    cmd.batch.count = *count;
    cmd.batch.prefix = SY_TRY(b.opt_string("prefix")).value_or("");
    cmd.batch.length = SY_TRY(b.opt_int("length")).value_or(8);
    cmd.batch.note = SY_TRY(b.opt_string("note")).value_or("");
    cmd.batch.batch_id = SY_TRY(b.opt_string("batch_id")).value_or("");
    cmd.batch.owner_path = owner_path_of(r);
    // A reseller puts its vouchers only on plans it reaches or the operator's (usable_plan).
    const auto ctx = context_of(api, r);
    cmd.command_id = command_id_of(r, ctx);
    auto o = SY_TRY(api.hotspot.execute(std::move(cmd), ctx));
    const auto state = SY_TRY(api.hotspot.batch(o.batch_id));
    json::object body = events::hotspot::batch_json(state.batch);
    // In code order, as the exports list them (and as a retry answers them).
    auto sorted = o.codes;
    std::sort(sorted.begin(), sorted.end());
    json::array codes;
    for (const auto& c : sorted) codes.push_back(json::value(c));
    body["codes"] = std::move(codes);
    return answer_created(std::move(body), o);
}

/// POST /v1/hotspot/voucher-batches/{id}/revoke {"reason"?}: its unused vouchers can no longer
/// be redeemed; redeemed ones keep running.
core::Result<HttpResponse> revoke_batch(HotspotApi& api, HttpRequest& r) {
    const auto id = SY_TRY(text_param(r));
    auto state = api.hotspot.batch(id);
    if (!state) {
        if (state.error().code == Errc::NotFound) return not_found("voucher batch", id);
        return tl::unexpected(state.error());
    }
    if (!may_reach(r, state->batch.owner_path)) return not_found("voucher batch", id);
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"reason"}));
    const auto ctx = context_of(api, r);
    RevokeVoucherBatch cmd{id, SY_TRY(b.opt_string("reason")).value_or(""), command_id_of(r, ctx)};
    auto o = SY_TRY(api.hotspot.execute(cmd, ctx));
    const auto after = SY_TRY(api.hotspot.batch(id));
    auto body = events::hotspot::batch_json(after.batch);
    body["revoked"] = after.revoked;
    return answer(200, std::move(body), o.positions);
}

/// GET /v1/hotspot/voucher-batches/{id}/codes.csv?state=all|unused|...: RFC 4180 CSV with the
/// header `code,state,batch_id,plan_id,username,redeemed_at`.
core::Result<HttpResponse> batch_csv(HotspotApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto id = SY_TRY(text_param(r));
    SY_TRY(reachable_batch(api, r, id));
    std::string body = "code,state,batch_id,plan_id,username,redeemed_at\r\n";
    for (const auto& v : SY_TRY(batch_vouchers(api, r, id, "all"))) {
        body += fmt::format("{},{},{},{},{},{}\r\n", core::csv_field(v.code), to_string(v.state),
                            core::csv_field(v.batch_id), core::csv_field(v.plan_id),
                            core::csv_field(v.username),
                            v.redeemed_at ? core::format_rfc3339(*v.redeemed_at) : "");
    }
    HttpResponse out;
    out.status = 200;
    out.content_type = "text/csv; charset=utf-8";
    out.headers.emplace_back("Content-Disposition",
                             fmt::format("attachment; filename=\"vouchers-{}.csv\"", id));
    out.body = std::move(body);
    return out;
}

/// `N days`, `N hours`, `N minutes` or `N seconds`.
std::string duration_text(std::int64_t s) {
    if (s % 86400 == 0) return fmt::format("{} day{}", s / 86400, s == 86400 ? "" : "s");
    if (s % 3600 == 0) return fmt::format("{} hour{}", s / 3600, s == 3600 ? "" : "s");
    if (s % 60 == 0) return fmt::format("{} minute{}", s / 60, s == 60 ? "" : "s");
    return fmt::format("{} second{}", s, s == 1 ? "" : "s");
}

/// `1 GB`, `500 MB`, or bytes, in decimal units.
std::string bytes_text(std::int64_t b) {
    if (b % 1'000'000'000 == 0) return fmt::format("{} GB", b / 1'000'000'000);
    if (b % 1'000'000 == 0) return fmt::format("{} MB", b / 1'000'000);
    return fmt::format("{} bytes", b);
}

/// What a card says the plan gives: `24 hours from first login, 1 GB`.
std::string validity_text(const Plan& p) {
    std::vector<std::string> parts;
    if (p.duration_seconds)
        parts.push_back(duration_text(*p.duration_seconds) + (p.time_from == TimeFrom::FirstLogin
                                                                  ? " from first login"
                                                                  : " from purchase"));
    if (p.session_time_seconds) parts.push_back(duration_text(*p.session_time_seconds) + " online");
    if (p.data_limit_bytes) parts.push_back(bytes_text(*p.data_limit_bytes));
    std::string out;
    for (const auto& s : parts) out += (out.empty() ? "" : ", ") + s;
    return out;
}

/// The sheet of the `{id}` batch's vouchers (`?state=`, default unused: those still to sell).
core::Result<VoucherSheetInput> sheet_of(HotspotApi& api, const HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto id = SY_TRY(text_param(r));
    const auto row = SY_TRY(reachable_batch(api, r, id));
    VoucherSheetInput in;
    for (const auto& v : SY_TRY(batch_vouchers(api, r, id, "unused"))) in.codes.push_back(v.code);
    if (in.codes.empty())
        return core::fail(Errc::Rejected, "state",
                          fmt::format("batch '{}' has no vouchers in that state to print", id));
    in.title = api.sheet_title;
    if (auto plan = api.hotspot.plan(row.batch.plan_id)) {
        in.plan_name = plan->name;
        if (plan->price_micros > 0)
            in.price = price_text(plan->price_micros) + " " + plan->currency;
        in.validity = validity_text(*plan);
    } else {
        in.plan_name = row.batch.plan_id;
    }
    in.login_url_template = api.ctx.public_url.base() + "/portal/?voucher={code}&autologin=1";
    return in;
}

/// Renders with `render` (Unavailable naming `sheet` when the module has none).
core::Result<HttpResponse> render_sheet(HotspotApi& api, HttpRequest& r,
                                        const VoucherSheetRenderer& render,
                                        const char* content_type, const char* extension) {
    const auto in = SY_TRY(sheet_of(api, r));
    if (!render) return core::fail(Errc::Unavailable, "sheet", "voucher sheets are not available");
    HttpResponse out;
    out.status = 200;
    out.content_type = content_type;
    out.body = SY_TRY(render(in));
    out.headers.emplace_back(
        "Content-Disposition",
        fmt::format("inline; filename=\"vouchers-{}.{}\"", r.params.at("id"), extension));
    out.headers.emplace_back("Cache-Control", "no-store");
    return out;
}

/// GET /v1/hotspot/voucher-batches/{id}/sheet.html?state=: the printable sheet as HTML.
core::Result<HttpResponse> sheet_html(HotspotApi& api, HttpRequest& r) {
    return render_sheet(api, r, api.render_sheet_html, "text/html; charset=utf-8", "html");
}

/// GET /v1/hotspot/voucher-batches/{id}/sheet.pdf?state=: the printable sheet as PDF.
core::Result<HttpResponse> sheet_pdf(HotspotApi& api, HttpRequest& r) {
    return render_sheet(api, r, api.render_sheet_pdf, "application/pdf", "pdf");
}

/// GET /v1/hotspot/vouchers/{id}: the voucher with code `{id}` (any case) and its state.
core::Result<HttpResponse> get_voucher(HotspotApi& api, HttpRequest& r) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto typed = SY_TRY(text_param(r));
    const auto code = canonical_voucher_code(typed);
    const auto* view = SY_TRY(view_of(api, projections::hotspot::kHotspotVouchers, "vouchers"));
    auto v = projections::hotspot::find_voucher(*view, code);
    if (!v || !may_reach(r, v->owner_path)) return not_found("voucher", code, "code");
    return json_ok(voucher_view(*v));
}

/// POST /v1/hotspot/vouchers/redeem {"code", "username"?}: redeems a voucher for a guest at the
/// desk: onto a new account named after the code, or stacked onto `username`'s account when
/// the plan allows it. 201 with `{"code", "username", "stacked"}`.
core::Result<HttpResponse> redeem_voucher(HotspotApi& api, HttpRequest& r) {
    auto b = SY_TRY(JsonBody::parse(r.body));
    SY_TRY(b.only({"code", "username"}));
    RedeemVoucher cmd;
    cmd.code = SY_TRY(b.string("code"));
    cmd.username = SY_TRY(b.opt_string("username")).value_or("");
    const auto code = canonical_voucher_code(cmd.code);
    // Another reseller's voucher does not exist, as far as the caller knows.
    auto v = api.hotspot.voucher(code);
    if (!v) {
        if (v.error().code == Errc::NotFound || v.error().code == Errc::Invalid)
            return not_found("voucher", code, "code");
        return tl::unexpected(v.error());
    }
    auto batch = SY_TRY(api.hotspot.batch(v->batch_id));
    if (!may_reach(r, batch.batch.owner_path)) return not_found("voucher", code, "code");
    if (!cmd.username.empty()) {
        auto target = api.hotspot.account(cmd.username);
        if (!target || !may_reach(r, target->owner_path))
            return not_found("account", cmd.username, "username");
    }
    const auto ctx = context_of(api, r);
    cmd.command_id = command_id_of(r, ctx);
    auto o = SY_TRY(api.hotspot.execute(std::move(cmd), ctx));
    return answer_created({{"code", code}, {"username", o.username}, {"stacked", o.stacked}}, o);
}

}  // namespace

HotspotRoutes voucher_routes() {
    return {
        {"GET", "/v1/hotspot/voucher-batches", hotspot_roles::read, list_batches,
         "The caller's voucher batches with counts by state (never codes), cursor-paginated."},
        {"GET", "/v1/hotspot/voucher-batches/{id}", hotspot_roles::read, get_batch,
         "One voucher batch with counts by state (never codes)."},
        {"POST", "/v1/hotspot/voucher-batches", hotspot_roles::desk, generate_batch,
         "Generates a voucher batch on a plan and answers its codes."},
        {"POST", "/v1/hotspot/voucher-batches/{id}/revoke", hotspot_roles::desk, revoke_batch,
         "Revokes a batch: its unused vouchers can no longer be redeemed."},
        {"GET", "/v1/hotspot/voucher-batches/{id}/codes.csv", hotspot_roles::desk, batch_csv,
         "The batch's vouchers as CSV (?state=all|unused|active|expired|revoked)."},
        {"GET", "/v1/hotspot/voucher-batches/{id}/sheet.html", hotspot_roles::desk, sheet_html,
         "The batch's printable voucher sheet as HTML with QR codes of the portal login URL "
         "(?state=, default unused)."},
        {"GET", "/v1/hotspot/voucher-batches/{id}/sheet.pdf", hotspot_roles::desk, sheet_pdf,
         "The batch's printable voucher sheet as PDF (?state=, default unused)."},
        {"GET", "/v1/hotspot/vouchers/{id}", hotspot_roles::read, get_voucher,
         "A voucher by its code, with its state."},
        {"POST", "/v1/hotspot/vouchers/redeem", hotspot_roles::desk, redeem_voucher,
         "Redeems a voucher onto a new account, or stacked onto an existing one."},
    };
}

}  // namespace switchyard::api::hotspot
