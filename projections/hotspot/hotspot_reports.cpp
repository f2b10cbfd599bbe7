#include "projections/hotspot/hotspot_reports.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include <date/tz.h>
#include <fmt/format.h>
#include <boost/json.hpp>

#include "core/overloaded.hpp"
#include "events/hotspot/hotspot_codec.hpp"
#include "events/hotspot/session_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::hotspot {

using namespace core::hotspot;
namespace json = boost::json;

namespace {

std::optional<json::object> object_at(ProjectionWrites& w, const std::string& key) {
    auto text = w.get(key);
    if (!text) return std::nullopt;
    boost::system::error_code ec;
    auto v = json::parse(*text, ec);
    if (ec || !v.is_object()) return std::nullopt;
    return v.as_object();
}

std::int64_t num(const json::object& o, const char* k) {
    const auto* x = o.if_contains(k);
    return x && x->is_int64() ? x->as_int64() : 0;
}
std::string str(const json::object& o, const char* k) {
    const auto* x = o.if_contains(k);
    return x && x->is_string() ? std::string(x->as_string()) : std::string();
}

/// The zone `name` from Debian `tzdata` through date-tz (Howard Hinnant's date, built with the
/// OS time zone database), looked up once per process; null (UTC) for `UTC`, an empty name or
/// a name tzdata does not know.
const date::time_zone* zone_named(const std::string& name) {
    if (name.empty() || name == "UTC") return nullptr;
    static std::mutex mu;
    static std::map<std::string, const date::time_zone*> zones;
    std::lock_guard lock(mu);
    if (auto it = zones.find(name); it != zones.end()) return it->second;
    const date::time_zone* zone = nullptr;
    try {
        zone = date::locate_zone(name);
    } catch (const std::exception&) {
        zone = nullptr;  // unknown name, or no tzdata: counted in UTC
    }
    return zones.emplace(name, zone).first->second;
}

/// `HH` (00 to 23): the hour of day of `t` at the NAS `nas_id` (its timezone from `tz/<nas_id>`).
std::string local_hour(ProjectionWrites& w, const std::string& nas_id, core::Timestamp t) {
    const auto* zone = zone_named(w.get(key_of("tz", nas_id)).value_or("UTC"));
    if (zone == nullptr) return core::format_rfc3339(t).substr(11, 2);
    const auto local = zone->to_local(t);
    const auto hours = date::make_time(local - date::floor<date::days>(local)).hours().count();
    return fmt::format("{:02}", hours);
}

void add_usage(ProjectionWrites& w, const std::string& key, std::int64_t sessions,
               const SessionCounters& d) {
    auto o = object_at(w, key).value_or(json::object{});
    o["sessions"] = num(o, "sessions") + sessions;
    o["input_bytes"] = num(o, "input_bytes") + d.input_bytes;
    o["output_bytes"] = num(o, "output_bytes") + d.output_bytes;
    o["online_seconds"] = num(o, "online_seconds") + d.session_seconds;
    w.put(key, json::serialize(o));
}

core::Result<void> apply_session(const SessionEvent& event, const events::RecordedEvent& e,
                                 ProjectionWrites& w) {
    std::string id;
    std::optional<SessionCounters> now;
    json::object c;
    bool started = false;
    std::visit(core::Overloaded{[&](const SessionStarted& x) {
                                    id = x.session.unique_id;
                                    now = x.session.counters;
                                    if (object_at(w, key_of("c", id))) return;  // a repeated start
                                    started = true;
                                    c["u"] = x.session.username;
                                    c["n"] = x.session.nas_id;
                                    c["p"] = w.get(key_of("p", x.session.username)).value_or("");
                                },
                                [&](const SessionUpdated& x) {
                                    id = x.unique_id;
                                    now = x.counters;
                                },
                                [&](const SessionStopped& x) {
                                    id = x.unique_id;
                                    now = x.counters;
                                },
                                [&](const SessionClosedByNas& x) { id = x.unique_id; }},
               event);
    if (!now) return {};
    if (!started) {
        auto found = object_at(w, key_of("c", id));
        if (!found) return {};
        c = std::move(*found);
    }
    const SessionCounters delta{now->input_bytes - num(c, "i"), now->output_bytes - num(c, "o"),
                                now->session_seconds - num(c, "t")};
    // Counters only move forward (the decider refuses the rest); a stale event adds nothing.
    if (!started && delta.input_bytes <= 0 && delta.output_bytes <= 0 && delta.session_seconds <= 0)
        return {};
    const SessionCounters add{std::max<std::int64_t>(delta.input_bytes, 0),
                              std::max<std::int64_t>(delta.output_bytes, 0),
                              std::max<std::int64_t>(delta.session_seconds, 0)};
    c["i"] = num(c, "i") + add.input_bytes;
    c["o"] = num(c, "o") + add.output_bytes;
    c["t"] = num(c, "t") + add.session_seconds;
    w.put(key_of("c", id), json::serialize(c));
    const std::int64_t s = started ? 1 : 0;
    const auto hour = local_hour(w, str(c, "n"), e.time);
    if (!str(c, "p").empty()) add_usage(w, key_of("rp", str(c, "p")), s, add);
    add_usage(w, key_of("rn", str(c, "n")), s, add);
    add_usage(w, key_of("rh", hour), s, add);
    add_usage(w, key_of("ru", str(c, "u")), s, add);
    return {};
}

void apply_batch(const BatchEvent& event, ProjectionWrites& w) {
    std::visit(core::Overloaded{[&](const VoucherBatchGenerated& x) {
                                    const auto key = key_of("vb", x.batch.batch_id);
                                    if (w.get(key)) return;
                                    auto price = object_at(w, key_of("pp", x.batch.plan_id));
                                    json::object o;
                                    o["batch_id"] = x.batch.batch_id;
                                    o["plan_id"] = x.batch.plan_id;
                                    o["owner_path"] = x.batch.owner_path;
                                    o["count"] = static_cast<std::int64_t>(x.codes.size());
                                    o["redeemed"] = 0;
                                    o["revoked"] = 0;
                                    o["price_micros"] = price ? num(*price, "price_micros") : 0;
                                    o["currency"] = price ? str(*price, "currency") : std::string();
                                    w.put(key, json::serialize(o));
                                },
                                [&](const VoucherRedeemed& x) {
                                    const auto key = key_of("vb", x.batch_id);
                                    auto o = object_at(w, key);
                                    if (!o) return;
                                    (*o)["redeemed"] = num(*o, "redeemed") + 1;
                                    w.put(key, json::serialize(*o));
                                },
                                [&](const VoucherBatchRevoked& x) {
                                    const auto key = key_of("vb", x.batch_id);
                                    auto o = object_at(w, key);
                                    if (!o) return;
                                    (*o)["revoked"] =
                                        num(*o, "revoked") +
                                        static_cast<std::int64_t>(x.revoked_codes.size());
                                    w.put(key, json::serialize(*o));
                                },
                                [](const VoucherExpired&) {}},
               event);
}

std::vector<UsageRow> usage_rows(const ReadModelView& view, const std::string& prefix) {
    std::vector<UsageRow> out;
    view.scan(prefix, "", [&](std::string_view key, std::string_view value) {
        boost::system::error_code ec;
        auto v = json::parse(value, ec);
        if (ec || !v.is_object()) return true;
        const auto& o = v.as_object();
        out.push_back({std::string(key.substr(prefix.size())), num(o, "sessions"),
                       num(o, "input_bytes"), num(o, "output_bytes"), num(o, "online_seconds")});
        return true;
    });
    return out;
}

/// The types the reports apply: sessions, the plan of each account, NAS time zones, plan
/// prices, and voucher batches with their redemptions and expiries.
bool is_report_type(std::string_view type) {
    return type.starts_with("hotspot.session.") || type == AccountCreated::kType ||
           type == AccountPlanChanged::kType || type == NasDefined::kType ||
           type == PlanDefined::kType || type.starts_with("hotspot.voucher_batch.") ||
           type == VoucherRedeemed::kType || type == VoucherExpired::kType;
}

}  // namespace

std::unique_ptr<Projector> make_hotspot_reports_projector() {
    return make_projector(
        kHotspotReports,
        [](const events::RecordedEvent& e, ProjectionWrites& w) -> core::Result<void> {
            if (e.type.starts_with("hotspot.session."))
                return apply_session(SY_TRY(events::hotspot::decode_session_event(e)), e, w);
            if (e.type == AccountCreated::kType || e.type == AccountPlanChanged::kType) {
                const auto a = SY_TRY(events::hotspot::decode_account_event(e));
                if (const auto* c = std::get_if<AccountCreated>(&a))
                    w.put(key_of("p", c->account.username), c->account.plan_id);
                if (const auto* c = std::get_if<AccountPlanChanged>(&a))
                    w.put(key_of("p", c->username), c->plan_id);
                return {};
            }
            if (e.type == NasDefined::kType) {
                const auto c = SY_TRY(events::hotspot::decode_catalog_event(e));
                if (const auto* n = std::get_if<NasDefined>(&c))
                    w.put(key_of("tz", n->nas.nas_id), n->nas.timezone);
                return {};
            }
            if (e.type == PlanDefined::kType) {
                const auto c = SY_TRY(events::hotspot::decode_catalog_event(e));
                if (const auto* p = std::get_if<PlanDefined>(&c)) {
                    json::object o;
                    o["price_micros"] = p->plan.price_micros;
                    o["currency"] = p->plan.currency;
                    w.put(key_of("pp", p->plan.plan_id), json::serialize(o));
                }
                return {};
            }
            if (e.type.starts_with("hotspot.voucher_batch.") || e.type == VoucherRedeemed::kType ||
                e.type == VoucherExpired::kType) {
                apply_batch(SY_TRY(events::hotspot::decode_batch_event(e)), w);
                return {};
            }
            return {};
        },
        &is_report_type);
}

std::vector<UsageRow> usage_by_plan(const ReadModelView& view) { return usage_rows(view, "rp/"); }
std::vector<UsageRow> usage_by_nas(const ReadModelView& view) { return usage_rows(view, "rn/"); }
std::vector<UsageRow> usage_by_hour(const ReadModelView& view) { return usage_rows(view, "rh/"); }

std::vector<UsageRow> top_users(const ReadModelView& view, std::size_t limit) {
    auto rows = usage_rows(view, "ru/");
    std::stable_sort(rows.begin(), rows.end(), [](const UsageRow& a, const UsageRow& b) {
        return a.input_bytes + a.output_bytes > b.input_bytes + b.output_bytes;
    });
    if (rows.size() > limit) rows.resize(limit);
    return rows;
}

std::vector<SalesRow> voucher_sales(const ReadModelView& view) {
    std::vector<SalesRow> out;
    view.scan("vb/", "", [&](std::string_view, std::string_view value) {
        boost::system::error_code ec;
        auto v = json::parse(value, ec);
        if (ec || !v.is_object()) return true;
        const auto& o = v.as_object();
        SalesRow r;
        r.batch_id = str(o, "batch_id");
        r.plan_id = str(o, "plan_id");
        r.owner_path = str(o, "owner_path");
        r.count = num(o, "count");
        r.redeemed = num(o, "redeemed");
        r.revoked = num(o, "revoked");
        r.price_micros = num(o, "price_micros");
        r.currency = str(o, "currency");
        r.revenue_micros = r.redeemed * r.price_micros;
        out.push_back(std::move(r));
        return true;
    });
    return out;
}

}  // namespace switchyard::projections::hotspot
