#include "projections/voice/balances.hpp"

#include "core/overloaded.hpp"
#include "events/voice/account_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::voice {

using namespace core::voice;
namespace json = events::json;

namespace {

constexpr std::string_view kStreamPrefix = "voice_account-";

std::string balance_key(const std::string& customer_id) { return "b/" + customer_id; }

json::object row_json(const BalanceRow& r) {
    return {{"customer_id", r.terms.customer_id},
            {"currency", r.terms.currency},
            {"kind", to_string(r.terms.kind)},
            {"credit_limit_micros", r.terms.credit_limit_micros},
            {"low_balance_threshold_micros", r.terms.low_balance_threshold_micros},
            {"balance_micros", r.balance_micros},
            {"low_balance", r.low_balance},
            {"exhausted", r.exhausted}};
}

std::optional<BalanceRow> decode(std::string_view text) {
    auto v = json::parse(text);
    if (!v.is_object()) return std::nullopt;
    const auto& o = v.as_object();
    BalanceRow r;
    r.terms.customer_id = o.at("customer_id").as_string();
    r.terms.currency = o.at("currency").as_string();
    parse_account_kind(o.at("kind").as_string(), r.terms.kind);
    r.terms.credit_limit_micros = o.at("credit_limit_micros").to_number<std::int64_t>();
    r.terms.low_balance_threshold_micros =
        o.at("low_balance_threshold_micros").to_number<std::int64_t>();
    r.balance_micros = o.at("balance_micros").to_number<std::int64_t>();
    r.low_balance = o.at("low_balance").as_bool();
    r.exhausted = o.at("exhausted").as_bool();
    return r;
}

void put(ProjectionWrites& w, BalanceRow r) {
    r.low_balance = r.balance_micros < r.terms.low_balance_threshold_micros;
    r.exhausted = r.balance_micros <= floor_of(r.terms);
    w.put(balance_key(r.terms.customer_id), json::serialize(row_json(r)));
}

core::Result<void> apply(const AccountEvent& event, const events::RecordedEvent& recorded,
                         ProjectionWrites& w) {
    if (!recorded.stream.starts_with(kStreamPrefix)) return {};
    const auto customer = recorded.stream.substr(kStreamPrefix.size());
    auto text = w.get(balance_key(customer));
    auto row = text ? decode(*text) : std::nullopt;
    std::visit(core::Overloaded{
                   [&](const AccountOpened& e) {
                       BalanceRow r;
                       if (row) r = *row;
                       r.terms = e.terms;
                       put(w, r);
                   },
                   [&](const AccountTermsChanged& e) {
                       if (!row) return;
                       row->terms.credit_limit_micros = e.credit_limit_micros;
                       row->terms.low_balance_threshold_micros = e.low_balance_threshold_micros;
                       put(w, *row);
                   },
                   [&](const auto& e) {
                       if (!row) return;
                       row->balance_micros = e.balance_micros;
                       put(w, *row);
                   },
               },
               event);
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_voice_balances_projector() {
    return make_projector<AccountEvent>(kVoiceBalances, events::voice::decode_account_event, apply);
}

std::optional<BalanceRow> find_balance(const ReadModelView& view, const std::string& customer_id) {
    auto text = view.get(balance_key(customer_id));
    return text ? decode(*text) : std::nullopt;
}

std::vector<BalanceRow> list_balances(const ReadModelView& view, const BalanceFilter& filter,
                                      std::size_t limit) {
    std::vector<BalanceRow> out;
    if (limit == 0) return out;
    const auto start = "b/" + filter.after;
    view.scan("b/", start, [&](std::string_view key, std::string_view value) {
        if (!filter.after.empty() && key.substr(2) <= filter.after) return true;
        auto r = decode(value);
        if (!r) return true;
        if (filter.state == "low" && !r->low_balance && !r->exhausted) return true;
        if (filter.state == "exhausted" && !r->exhausted) return true;
        if (filter.reach && !filter.reach->count(r->terms.customer_id)) return true;
        out.push_back(std::move(*r));
        return out.size() < limit;
    });
    return out;
}

}  // namespace switchyard::projections::voice
