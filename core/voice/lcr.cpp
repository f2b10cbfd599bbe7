#include "core/voice/lcr.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace switchyard::core::voice {

std::string price_text(Micros amount) {
    auto text = format_micros(amount, 6);
    // Trim trailing zeros beyond the fourth decimal.
    const auto dot = text.find('.');
    while (text.size() > dot + 5 && text.back() == '0') text.pop_back();
    return text;
}

std::string gateway_uri(const Gateway& g, const std::string& tech_prefix,
                        const std::string& number) {
    const bool v6 = g.host.find(':') != std::string::npos;
    auto uri = fmt::format("sip:{}{}@{}{}{}:{}", tech_prefix, number, v6 ? "[" : "", g.host,
                           v6 ? "]" : "", g.port);
    if (g.transport != SipTransport::Udp)
        uri += fmt::format(";transport={}", to_string(g.transport));
    return uri;
}

std::string extra_headers(const Gateway& g) {
    std::string out;
    for (const auto& h : g.headers) out += fmt::format("{}: {}\r\n", h.name, h.value);
    return out;
}

namespace {

/// A carrier that passed every check, with the gateways it offers (in order).
struct Eligible {
    const Candidate* c = nullptr;
    std::vector<const Gateway*> gateways;
    std::string detail;  ///< What placed it (strategy figures), filled by the ordering.
};

bool has_figures(const Candidate& c) { return c.quality && c.quality->calls > 0; }

bool by_priority(const Eligible& a, const Eligible& b) {
    if (a.c->entry.priority != b.c->entry.priority)
        return a.c->entry.priority < b.c->entry.priority;
    if (a.c->entry.weight != b.c->entry.weight) return a.c->entry.weight > b.c->entry.weight;
    return a.c->entry.carrier_id < b.c->entry.carrier_id;
}

void order_least_cost(std::vector<Eligible>& v) {
    std::stable_sort(v.begin(), v.end(), [](const Eligible& a, const Eligible& b) {
        if (a.c->buy->per_minute != b.c->buy->per_minute)
            return a.c->buy->per_minute < b.c->buy->per_minute;
        return by_priority(a, b);
    });
}

void order_priority(std::vector<Eligible>& v) { std::stable_sort(v.begin(), v.end(), by_priority); }

void order_quality(std::vector<Eligible>& v) {
    std::stable_sort(v.begin(), v.end(), [](const Eligible& a, const Eligible& b) {
        const bool fa = has_figures(*a.c), fb = has_figures(*b.c);
        if (fa != fb) return fa;
        if (fa) {
            const auto &qa = *a.c->quality, &qb = *b.c->quality;
            if (qa.asr_percent != qb.asr_percent) return qa.asr_percent > qb.asr_percent;
            if (qa.acd_s != qb.acd_s) return qa.acd_s > qb.acd_s;
            if (qa.pdd_ms != qb.pdd_ms) return qa.pdd_ms < qb.pdd_ms;
        }
        return by_priority(a, b);
    });
    for (auto& e : v) {
        if (has_figures(*e.c)) {
            const auto& q = *e.c->quality;
            e.detail = fmt::format("ASR {:.1f}%, ACD {:.0f} s, PDD {} ms over {} calls",
                                   q.asr_percent, q.acd_s, q.pdd_ms, q.calls);
        } else {
            e.detail = fmt::format("no quality figures, priority {}", e.c->entry.priority);
        }
    }
}

void order_weight(std::vector<Eligible>& v, std::mt19937_64& rng) {
    // Weight 0 never drawn: those go last, by priority.
    std::vector<Eligible> pool, zero, out;
    for (auto& e : v) (e.c->entry.weight > 0 ? pool : zero).push_back(e);
    while (!pool.empty()) {
        std::int64_t total = 0;
        for (const auto& e : pool) total += e.c->entry.weight;
        const auto draw = static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(total));
        std::int64_t acc = 0;
        std::size_t pick = 0;
        for (; pick < pool.size(); ++pick) {
            acc += pool[pick].c->entry.weight;
            if (draw < acc) break;
        }
        pool[pick].detail =
            fmt::format("weight {} of {} (random draw)", pool[pick].c->entry.weight, total);
        out.push_back(pool[pick]);
        pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(pick));
    }
    std::stable_sort(zero.begin(), zero.end(), by_priority);
    for (auto& e : zero) {
        e.detail = "weight 0, after the weighted carriers";
        out.push_back(e);
    }
    v = std::move(out);
}

void order_load_share(std::vector<Eligible>& v, LoadShareState& load) {
    std::int64_t total = 0;
    for (const auto& e : v) total += e.c->entry.share_percent;
    std::optional<std::size_t> best;
    if (total > 0) {
        // nginx: every peer's current weight grows by its weight, the largest is chosen and
        // loses the total.
        for (std::size_t i = 0; i < v.size(); ++i) {
            const auto share = v[i].c->entry.share_percent;
            if (share <= 0) continue;
            auto& cur = load.current[v[i].c->entry.carrier_id];
            cur += share;
            if (!best || cur > load.current[v[*best].c->entry.carrier_id]) best = i;
        }
        load.current[v[*best].c->entry.carrier_id] -= total;
    }
    std::vector<Eligible> out;
    if (best) {
        out.push_back(v[*best]);
        out.back().detail = fmt::format("share {}% of {}%, chosen by smooth weighted round-robin",
                                        v[*best].c->entry.share_percent, total);
    }
    std::vector<Eligible> rest;
    for (std::size_t i = 0; i < v.size(); ++i)
        if (!best || i != *best) rest.push_back(v[i]);
    std::stable_sort(rest.begin(), rest.end(), [](const Eligible& a, const Eligible& b) {
        if (a.c->entry.share_percent != b.c->entry.share_percent)
            return a.c->entry.share_percent > b.c->entry.share_percent;
        return by_priority(a, b);
    });
    for (auto& e : rest) {
        e.detail = fmt::format("share {}%, failover by share", e.c->entry.share_percent);
        out.push_back(e);
    }
    v = std::move(out);
}

std::string price_words(const Candidate& c, Micros sell) {
    const auto& b = *c.buy;
    auto s = fmt::format("buy {} {}/min at prefix {}", price_text(b.per_minute), b.currency,
                         b.matched_prefix);
    if (sell < 0) return s + ", sell unknown";
    return s +
           fmt::format(", sell {}, margin {}", price_text(sell), price_text(sell - b.per_minute));
}

}  // namespace

RoutePlan rank(const RankRequest& request, LoadShareState& load, std::mt19937_64& rng) {
    const auto& group = request.group;
    RoutePlan plan;
    plan.route_group_id = group.route_group_id;
    plan.strategy = to_string(group.strategy);
    plan.max_attempts = group.max_attempts;
    plan.route_id = request.route_id;
    plan.route_prefix = request.route_prefix;

    if (!request.blocked_route_id.empty()) {
        plan.skipped.push_back(
            {"", "", "blocked",
             fmt::format("destination {} matches blocked prefix '{}' (route {})",
                         request.destination, request.blocked_prefix, request.blocked_route_id)});
        return plan;
    }
    if (request.route_id.empty()) {
        plan.skipped.push_back({"", "", "no_route",
                                fmt::format("no route of group '{}' matches {}",
                                            group.route_group_id, request.destination)});
        return plan;
    }

    // Prices compare in one currency: the customer's, else the first priced carrier's.
    std::string currency = request.currency;
    for (const auto& c : request.candidates)
        if (currency.empty() && c.carrier && c.buy)
            currency = c.buy->currency.empty() ? c.carrier->currency : c.buy->currency;

    std::vector<Eligible> eligible;
    std::vector<SkippedRoute> margin_failures;
    for (const auto& c : request.candidates) {
        const auto& id = c.entry.carrier_id;
        auto skip = [&](const char* reason, std::string detail) {
            plan.skipped.push_back({id, "", reason, std::move(detail)});
        };
        if (!c.carrier) {
            skip("carrier_retired", fmt::format("carrier '{}' is retired or unknown", id));
            continue;
        }
        if (c.carrier->status == CarrierStatus::Suspended) {
            skip("carrier_suspended", fmt::format("carrier '{}' is suspended", id));
            continue;
        }
        if (c.quality_disabled) {
            skip("quality_disabled",
                 fmt::format("route quality alert '{}' disabled carrier '{}' on route {}",
                             c.quality_alert, id, request.route_id));
            continue;
        }
        const auto& carrier_currency =
            c.buy && !c.buy->currency.empty() ? c.buy->currency : c.carrier->currency;
        if (carrier_currency != currency) {
            skip("currency_mismatch",
                 fmt::format("carrier bills in {}, the plan compares in {}{}", carrier_currency,
                             currency, request.currency.empty() ? "" : " (the customer's)"));
            continue;
        }
        if (!c.buy) {
            skip("no_price",
                 fmt::format("no buy deck of carrier '{}' prices {}", id, request.destination));
            continue;
        }
        if (request.sell_per_minute >= 0) {
            const auto margin = request.sell_per_minute - c.buy->per_minute;
            if (margin < group.min_margin_micros) {
                auto detail = fmt::format(
                    "buy {} {}/min at prefix {} > sell {} less minimum margin {} (margin {})",
                    price_text(c.buy->per_minute), carrier_currency, c.buy->matched_prefix,
                    price_text(request.sell_per_minute), price_text(group.min_margin_micros),
                    price_text(margin));
                margin_failures.push_back({id, "", "margin_guard", detail});
                skip("margin_guard", std::move(detail));
                continue;
            }
        }
        Eligible e{&c, {}, {}};
        std::vector<const Gateway*> gws;
        for (const auto& g : c.gateways) gws.push_back(&g);
        std::stable_sort(gws.begin(), gws.end(), [](const Gateway* a, const Gateway* b) {
            if (a->weight != b->weight) return a->weight > b->weight;
            return a->gateway_id < b->gateway_id;
        });
        for (const auto* g : gws) {
            if (!g->enabled) {
                plan.skipped.push_back({id, g->gateway_id, "gateway_disabled",
                                        fmt::format("gateway '{}' is disabled", g->gateway_id)});
            } else if (g->max_channels > 0 && c.channels_in_use >= g->max_channels) {
                plan.skipped.push_back(
                    {id, g->gateway_id, "channel_limit",
                     fmt::format("carrier '{}' holds {} channels, gateway '{}' allows {}", id,
                                 c.channels_in_use, g->gateway_id, g->max_channels)});
            } else {
                e.gateways.push_back(g);
            }
        }
        if (c.gateways.empty()) skip("no_gateway", fmt::format("carrier '{}' has no gateway", id));
        if (!e.gateways.empty()) eligible.push_back(std::move(e));
    }

    switch (group.strategy) {
        case RoutingStrategy::LeastCost:
            order_least_cost(eligible);
            break;
        case RoutingStrategy::Priority:
            order_priority(eligible);
            break;
        case RoutingStrategy::Quality:
            order_quality(eligible);
            break;
        case RoutingStrategy::Weight:
            order_weight(eligible, rng);
            break;
        case RoutingStrategy::LoadShare:
            order_load_share(eligible, load);
            break;
    }

    std::stable_partition(eligible.begin(), eligible.end(),
                          [](const Eligible& e) { return !e.c->quality_lowered; });

    std::vector<RouteOption> options;
    for (const auto& e : eligible) {
        const auto& c = *e.c;
        for (const auto* g : e.gateways) {
            RouteOption o;
            o.carrier_id = c.entry.carrier_id;
            o.gateway_id = g->gateway_id;
            o.uri = gateway_uri(*g, c.carrier->tech_prefix, request.destination);
            o.dst_uri = g->dst_uri;
            o.extra_headers = extra_headers(*g);
            o.matched_prefix = c.buy->matched_prefix;
            o.buy_per_minute = c.buy->per_minute;
            o.sell_per_minute = request.sell_per_minute;
            o.fr_inv_timer_ms = g->ring_timeout_ms;
            std::string figures;
            switch (group.strategy) {
                case RoutingStrategy::LeastCost:
                    break;
                case RoutingStrategy::Priority:
                    figures =
                        fmt::format("priority {}, weight {}, ", c.entry.priority, c.entry.weight);
                    break;
                default:
                    figures = e.detail + ", ";
                    break;
            }
            if (c.quality_lowered)
                figures += fmt::format("lowered by route quality alert '{}', ", c.quality_alert);
            o.why = fmt::format("{} #{}: {}{}; route {} prefix '{}', gateway {} (weight {})",
                                plan.strategy, options.size() + 1, figures,
                                price_words(c, request.sell_per_minute), request.route_id,
                                request.route_prefix, g->gateway_id, g->weight);
            options.push_back(std::move(o));
        }
    }

    if (group.margin_guard == MarginGuardMode::Reject && !margin_failures.empty()) {
        const auto& first = margin_failures.front();
        for (const auto& o : options)
            plan.skipped.push_back(
                {o.carrier_id, o.gateway_id, "margin_guard",
                 fmt::format("reject mode: carrier '{}' failed the margin guard, the call is "
                             "refused",
                             first.carrier_id)});
        return plan;
    }

    const auto limit = static_cast<std::size_t>(std::max<std::int64_t>(group.max_attempts, 0));
    for (std::size_t i = 0; i < options.size(); ++i) {
        if (i < limit) {
            plan.routes.push_back(std::move(options[i]));
        } else {
            plan.skipped.push_back(
                {options[i].carrier_id, options[i].gateway_id, "max_attempts",
                 fmt::format("rank {} is past max_attempts {}", i + 1, group.max_attempts)});
        }
    }
    return plan;
}

}  // namespace switchyard::core::voice
