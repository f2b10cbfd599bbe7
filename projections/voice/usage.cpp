#include "projections/voice/usage.hpp"

#include "core/overloaded.hpp"
#include "core/voice/cdr.hpp"
#include "events/voice/cdr_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::voice {

using namespace core::voice;
namespace json = events::json;

UsageTotals& UsageTotals::operator+=(const UsageTotals& o) {
    calls += o.calls;
    answered += o.answered;
    billsec += o.billsec;
    sell_micros += o.sell_micros;
    buy_micros += o.buy_micros;
    margin_micros += o.margin_micros;
    return *this;
}

namespace {

UsageTotals negated(UsageTotals t) {
    return {-t.calls, -t.answered, -t.billsec, -t.sell_micros, -t.buy_micros, -t.margin_micros};
}

json::object totals_json(const UsageTotals& t) {
    return {{"calls", t.calls},           {"answered", t.answered},
            {"billsec", t.billsec},       {"sell_micros", t.sell_micros},
            {"buy_micros", t.buy_micros}, {"margin_micros", t.margin_micros}};
}

UsageTotals totals_of(const json::object& o) {
    auto n = [&](const char* k) { return o.at(k).to_number<std::int64_t>(); };
    return {n("calls"),       n("answered"),   n("billsec"),
            n("sell_micros"), n("buy_micros"), n("margin_micros")};
}

std::string contribution_key(const std::string& cdr_id) { return "x/" + cdr_id; }

/// Adds `t` to the fact at `key` (erasing it when it comes back to nothing).
void add_to(ProjectionWrites& w, const std::string& key, const UsageTotals& t) {
    UsageTotals sum;
    if (auto old = w.get(key)) sum = totals_of(json::parse(*old).as_object());
    sum += t;
    if (sum == UsageTotals{})
        w.erase(key);
    else
        w.put(key, json::serialize(totals_json(sum)));
}

/// Takes the CDR's earlier contribution out of its fact (a re-rating, a CDR rated again).
void withdraw(ProjectionWrites& w, const std::string& cdr_id) {
    auto old = w.get(contribution_key(cdr_id));
    if (!old) return;
    auto o = json::parse(*old).as_object();
    add_to(w, std::string(o.at("fact").as_string()), negated(totals_of(o)));
    w.erase(contribution_key(cdr_id));
}

struct Contribution {
    std::string fact, day, carrier;
    UsageTotals totals;
};

void contribute(ProjectionWrites& w, const std::string& cdr_id, const Contribution& c) {
    withdraw(w, cdr_id);
    add_to(w, c.fact, c.totals);
    auto memo = totals_json(c.totals);
    memo["fact"] = c.fact;
    memo["day"] = c.day;
    memo["carrier_id"] = c.carrier;
    w.put(contribution_key(cdr_id), json::serialize(memo));
}

std::string fact_key(const std::string& day, const std::string& customer,
                     const std::string& carrier, const SideCost& sell,
                     const std::optional<SideCost>& buy) {
    const auto& destination =
        sell.destination_id.empty() ? sell.matched_prefix : sell.destination_id;
    return key_of("f", day, customer, carrier, destination, sell.currency,
                  buy ? buy->currency : std::string());
}

UsageTotals totals_of(const CallRecord& r, const SideCost& sell, const std::optional<SideCost>& buy,
                      const std::optional<Micros>& margin) {
    UsageTotals t;
    t.calls = 1;
    t.answered = r.billsec > 0 ? 1 : 0;
    t.billsec = r.billsec;
    t.sell_micros = sell.cost_micros;
    t.buy_micros = buy ? buy->cost_micros : 0;
    t.margin_micros = margin.value_or(0);
    return t;
}

core::Result<void> apply(const CdrEvent& event, const events::RecordedEvent&, ProjectionWrites& w) {
    std::visit(
        core::Overloaded{
            [&](const CdrRated& e) {
                const auto day = core::format_rfc3339(e.record.start).substr(0, 10);
                const auto carrier = e.buy ? e.carrier_id : std::string();
                contribute(w, e.cdr_id,
                           {fact_key(day, e.customer_id, carrier, e.sell, e.buy), day, e.carrier_id,
                            totals_of(e.record, e.sell, e.buy, e.margin_micros)});
            },
            [&](const CdrRerated& e) {
                auto old = w.get(contribution_key(e.cdr_id));
                if (!old) return;
                auto memo = json::parse(*old).as_object();
                const std::string day(memo.at("day").as_string());
                const std::string carrier_id(memo.at("carrier_id").as_string());
                const auto carrier = e.buy ? carrier_id : std::string();
                UsageTotals t = totals_of(memo);
                t.sell_micros = e.sell.cost_micros;
                t.buy_micros = e.buy ? e.buy->cost_micros : 0;
                t.margin_micros = e.margin_micros.value_or(0);
                contribute(
                    w, e.cdr_id,
                    {fact_key(day, e.customer_id, carrier, e.sell, e.buy), day, carrier_id, t});
            },
            [](const CdrUnrated&) {},
        },
        event);
    return {};
}

std::vector<std::string> split(std::string_view s) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (true) {
        auto at = s.find('/', from);
        out.emplace_back(s.substr(from, at == std::string_view::npos ? s.npos : at - from));
        if (at == std::string_view::npos) break;
        from = at + 1;
    }
    return out;
}

}  // namespace

std::unique_ptr<Projector> make_voice_usage_projector() {
    return make_projector<CdrEvent>(kVoiceUsage, events::voice::decode_cdr_event, apply);
}

std::vector<UsageFact> usage_facts(const ReadModelView& view, const UsageQuery& q) {
    std::vector<UsageFact> out;
    const std::string start = q.from_day.empty() ? std::string("f/") : "f/" + q.from_day;
    view.scan("f/", start, [&](std::string_view key, std::string_view value) {
        auto parts = split(key.substr(2));
        if (parts.size() != 6) return true;
        if (!q.to_day.empty() && parts[0] > q.to_day) return false;
        if (!q.customer_id.empty() && parts[1] != q.customer_id) return true;
        if (!q.carrier_id.empty() && parts[2] != q.carrier_id) return true;
        if (q.reach && !q.reach->count(parts[1])) return true;
        UsageFact f{parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], {}};
        f.totals = totals_of(json::parse(value).as_object());
        out.push_back(std::move(f));
        return true;
    });
    return out;
}

}  // namespace switchyard::projections::voice
