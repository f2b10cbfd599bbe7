#include "core/voice/deck_diff.hpp"

#include <unordered_map>

namespace switchyard::core::voice {

namespace {

__extension__ typedef __int128 Wide;

/// `rate` per `unit_s` seconds as a price per 60 s, rounded half up.
Micros per_minute(Micros rate, std::int64_t unit_s) {
    if (unit_s <= 0 || unit_s == 60) return rate;
    const Wide scaled = Wide(rate) * 60;
    const Wide half = unit_s / 2;
    return Micros(scaled >= 0 ? (scaled + half) / unit_s : -((-scaled + half) / unit_s));
}

}  // namespace

std::map<std::string, PrefixRate> prefix_rates(const Tariff& tariff) {
    std::unordered_map<std::string, const Destination*> destinations;
    for (const auto& d : tariff.destinations) destinations.emplace(d.id, &d);
    std::unordered_map<std::string, const RateGroup*> groups;
    for (const auto& g : tariff.rate_groups) groups.emplace(g.id, &g);

    std::map<std::string, PrefixRate> out;
    for (const auto& dr : tariff.destination_rates) {
        const auto d = destinations.find(dr.destination_id);
        const auto g = groups.find(dr.rate_id);
        if (d == destinations.end() || g == groups.end()) continue;
        const RateInterval* first = nullptr;
        for (const auto& i : g->second->intervals) {
            if (first == nullptr || i.group_interval_start_s < first->group_interval_start_s) {
                first = &i;
            }
        }
        PrefixRate rate;
        rate.destination_name = d->second->name;
        rate.rate_per_minute_micros =
            first ? per_minute(first->rate_micros, first->rate_unit_s) : 0;
        rate.connect_fee_micros = g->second->connect_fee_micros;
        rate.effective_from = dr.effective_from;
        for (const auto& prefix : d->second->prefixes) {
            rate.prefix = prefix;
            const auto it = out.find(prefix);
            if (it == out.end()) {
                out.emplace(prefix, rate);
            } else if (rate.effective_from && (!it->second.effective_from ||
                                               *rate.effective_from > *it->second.effective_from)) {
                it->second = rate;
            }
        }
    }
    return out;
}

DeckDiff diff_decks(const Tariff& old_version, const Tariff& new_version,
                    const DeckDiffOptions& options) {
    const auto before = prefix_rates(old_version);
    const auto after = prefix_rates(new_version);
    const Timestamp notice_end = options.imported_at + std::chrono::hours(24) * options.notice_days;
    DeckDiff diff;
    for (const auto& [prefix, old_rate] : before) {
        if (after.count(prefix) == 0) diff.removed.push_back(old_rate);
    }
    for (const auto& [prefix, new_rate] : after) {
        const auto old = before.find(prefix);
        if (old == before.end()) {
            diff.added.push_back(new_rate);
            continue;
        }
        const auto& o = old->second;
        if (o.rate_per_minute_micros == new_rate.rate_per_minute_micros &&
            o.connect_fee_micros == new_rate.connect_fee_micros) {
            ++diff.unchanged;
            continue;
        }
        PriceChange change{prefix,
                           new_rate.destination_name,
                           o.rate_per_minute_micros,
                           new_rate.rate_per_minute_micros,
                           o.connect_fee_micros,
                           new_rate.connect_fee_micros,
                           new_rate.effective_from,
                           false};
        const bool increase = new_rate.rate_per_minute_micros > o.rate_per_minute_micros ||
                              new_rate.connect_fee_micros > o.connect_fee_micros;
        if (increase) {
            change.short_notice = !new_rate.effective_from || *new_rate.effective_from < notice_end;
            diff.increases.push_back(std::move(change));
        } else {
            diff.decreases.push_back(std::move(change));
        }
    }
    return diff;
}

}  // namespace switchyard::core::voice
