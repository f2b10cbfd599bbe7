#include "projections/voice/cdrs.hpp"

#include <fmt/format.h>

#include "core/overloaded.hpp"
#include "core/voice/cdr.hpp"
#include "events/voice/cdr_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::voice {

using namespace core::voice;
namespace json = events::json;

namespace {

std::string row_key(const std::string& id) { return "c/" + id; }
std::string time_key(const std::string& start, const std::string& id) {
    return "t/" + start + "/" + id;
}
std::string customer_key(const std::string& customer, const std::string& start,
                         const std::string& id) {
    return "u/" + customer + "/" + start + "/" + id;
}

json::value side_json(const std::optional<SideCost>& s) {
    if (!s) return nullptr;
    return json::object{{"deck_id", s->deck_id},
                        {"deck_version", s->deck_version},
                        {"currency", s->currency},
                        {"cost_micros", s->cost_micros},
                        {"cost", format_micros(s->cost_micros, 6)},
                        {"matched_prefix", s->matched_prefix},
                        {"destination_id", s->destination_id},
                        {"rating_plan_id", s->rating_plan_id},
                        {"rate_id", s->rate_id},
                        {"billed_usage_s", s->billed_usage_s},
                        {"explain", s->explain}};
}

json::value optional_micros(const std::optional<Micros>& m) {
    if (!m) return nullptr;
    return *m;
}

json::object record_json(const std::string& cdr_id, const CallRecord& r) {
    json::object o{{"cdr_id", cdr_id},
                   {"source", to_string(r.source)},
                   {"switch_name", r.switch_name},
                   {"switch_key", r.switch_key},
                   {"accountcode", r.accountcode},
                   {"caller", r.caller},
                   {"dialled", r.destination},
                   {"start", core::format_rfc3339(r.start)},
                   {"end", core::format_rfc3339(r.end)},
                   {"duration_s", r.duration_s},
                   {"billsec", r.billsec},
                   {"disposition", to_string(r.disposition)},
                   {"hangup_cause", r.hangup_cause},
                   {"trunk", r.trunk},
                   {"source_ip", r.source_ip},
                   {"line", r.line}};
    if (r.answer)
        o["answer"] = core::format_rfc3339(*r.answer);
    else
        o["answer"] = nullptr;
    o["start_key"] = start_key(r.start);
    return o;
}

/// Writes `row` and its index keys, removing the customer index of the row it replaces.
void put_row(ProjectionWrites& w, const json::object& row) {
    const std::string id(row.at("cdr_id").as_string());
    const std::string start(row.at("start_key").as_string());
    const std::string customer(row.at("customer_id").as_string());
    if (auto old = w.get(row_key(id))) {
        auto before = json::parse(*old).as_object();
        const std::string old_customer(before.at("customer_id").as_string());
        if (!old_customer.empty() && old_customer != customer)
            w.erase(customer_key(old_customer, start, id));
    }
    w.put(row_key(id), json::serialize(row));
    w.put(time_key(start, id), "");
    if (!customer.empty()) w.put(customer_key(customer, start, id), "");
}

core::Result<void> apply(const CdrEvent& event, const events::RecordedEvent&, ProjectionWrites& w) {
    std::visit(core::Overloaded{
                   [&](const CdrRated& e) {
                       auto row = record_json(e.cdr_id, e.record);
                       row["status"] = "rated";
                       row["customer_id"] = e.customer_id;
                       row["carrier_id"] = e.carrier_id;
                       row["destination"] = e.destination;
                       row["sell"] = side_json(e.sell);
                       row["buy"] = side_json(e.buy);
                       row["buy_error"] = e.buy_error;
                       row["margin_micros"] = optional_micros(e.margin_micros);
                       row["reratings"] = 0;
                       row["unrated_reason"] = "";
                       row["message"] = "";
                       put_row(w, row);
                   },
                   [&](const CdrUnrated& e) {
                       // A rated CDR stays rated (core/voice/cdr_decider evolve).
                       if (auto old = w.get(row_key(e.cdr_id))) {
                           auto before = json::parse(*old).as_object();
                           if (before.at("status").as_string() == "rated") return;
                       }
                       auto row = record_json(e.cdr_id, e.record);
                       row["status"] = "unrated";
                       row["customer_id"] = e.customer_id;
                       row["carrier_id"] = "";
                       row["destination"] = "";
                       row["sell"] = nullptr;
                       row["buy"] = nullptr;
                       row["buy_error"] = "";
                       row["margin_micros"] = nullptr;
                       row["reratings"] = 0;
                       row["unrated_reason"] = to_string(e.reason);
                       row["message"] = e.message;
                       put_row(w, row);
                   },
                   [&](const CdrRerated& e) {
                       update_json_object(w, row_key(e.cdr_id), [&](json::object& row) {
                           row["sell"] = side_json(e.sell);
                           row["buy"] = side_json(e.buy);
                           row["margin_micros"] = optional_micros(e.margin_micros);
                           row["reratings"] = e.rerating;
                       });
                   },
               },
               event);
    return {};
}

bool keeps(const CdrSearch& s, const json::object& row) {
    auto text = [&](const char* k) -> std::string_view {
        const auto* v = row.if_contains(k);
        return v && v->is_string() ? std::string_view(v->as_string()) : std::string_view();
    };
    if (!s.carrier_id.empty() && text("carrier_id") != s.carrier_id) return false;
    if (!s.disposition.empty() && text("disposition") != s.disposition) return false;
    if (!s.status.empty() && text("status") != s.status) return false;
    if (!s.destination_prefix.empty() && !text("destination").starts_with(s.destination_prefix))
        return false;
    if (s.reach && !s.reach->count(std::string(text("customer_id")))) return false;
    return true;
}

}  // namespace

std::string start_key(core::Timestamp t) {
    return fmt::format("{:020d}", static_cast<std::int64_t>(t.time_since_epoch().count()));
}

std::unique_ptr<Projector> make_voice_cdrs_projector() {
    return make_projector<CdrEvent>(kVoiceCdrs, events::voice::decode_cdr_event, apply);
}

std::optional<std::string> find_cdr(const ReadModelView& view, const std::string& cdr_id) {
    return view.get(row_key(cdr_id));
}

std::vector<CdrHit> search_cdrs(const ReadModelView& view, const CdrSearch& search,
                                std::size_t limit) {
    std::vector<CdrHit> out;
    if (limit == 0) return out;
    // One customer's CDRs through its index, else every CDR in time order.
    const std::string prefix =
        search.customer_id.empty() ? std::string("t/") : "u/" + search.customer_id + "/";
    std::string start = prefix;
    if (search.from) start = prefix + start_key(*search.from);
    if (!search.after.empty()) {
        // Strictly after the cursor: the cursor's key followed by a byte above every id byte.
        const auto after = prefix + search.after + "\x7f";
        if (after > start) start = after;
    }
    const std::string end = search.to ? start_key(*search.to) : std::string();
    view.scan(prefix, start, [&](std::string_view key, std::string_view) {
        const auto cursor = std::string(key.substr(prefix.size()));
        if (!end.empty() && cursor.substr(0, 20) >= end) return false;
        const auto id = cursor.substr(21);
        auto text = view.get(row_key(id));
        if (!text) return true;
        auto row = json::parse(*text).as_object();
        if (!keeps(search, row)) return true;
        out.push_back({cursor, std::move(*text)});
        return out.size() < limit;
    });
    return out;
}

}  // namespace switchyard::projections::voice
