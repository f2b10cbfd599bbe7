#include "core/voice/deck_decider.hpp"

#include <algorithm>

#include "core/overloaded.hpp"

namespace switchyard::core::voice {

const char* to_string(DeckKind k) noexcept { return k == DeckKind::Sell ? "sell" : "buy"; }

const char* to_string(DeckFormat f) noexcept {
    switch (f) {
        case DeckFormat::Cdrtool:
            return "cdrtool";
        case DeckFormat::Cgrates:
            return "cgrates";
        case DeckFormat::Csv:
            return "csv";
        case DeckFormat::Derived:
            return "derived";
    }
    return "csv";
}

bool parse_deck_kind(std::string_view text, DeckKind& out) noexcept {
    for (auto k : {DeckKind::Buy, DeckKind::Sell}) {
        if (text == to_string(k)) {
            out = k;
            return true;
        }
    }
    return false;
}

bool parse_deck_format(std::string_view text, DeckFormat& out) noexcept {
    for (auto f :
         {DeckFormat::Cdrtool, DeckFormat::Cgrates, DeckFormat::Csv, DeckFormat::Derived}) {
        if (text == to_string(f)) {
            out = f;
            return true;
        }
    }
    return false;
}

TariffCounts count_rows(const Tariff& t) {
    TariffCounts c;
    c.destinations = static_cast<std::int64_t>(t.destinations.size());
    for (const auto& d : t.destinations) c.prefixes += static_cast<std::int64_t>(d.prefixes.size());
    c.rate_groups = static_cast<std::int64_t>(t.rate_groups.size());
    c.destination_rates = static_cast<std::int64_t>(t.destination_rates.size());
    c.timings = static_cast<std::int64_t>(t.timings.size());
    c.rating_plans = static_cast<std::int64_t>(t.rating_plans.size());
    c.rating_profiles = static_cast<std::int64_t>(t.rating_profiles.size());
    return c;
}

namespace {

/// Estimated JSON bytes of rows as events/voice/tariff_codec writes them (keys included,
/// generous), so that a chunk's payload stays under its byte budget.
std::size_t estimate(const std::string& s) { return s.size() + 8; }
std::size_t estimate(const Destination& d, std::size_t from, std::size_t n) {
    std::size_t b = 40 + estimate(d.id) + estimate(d.name);
    for (std::size_t i = from; i < from + n; ++i) b += estimate(d.prefixes[i]);
    return b;
}
std::size_t estimate(const RateGroup& g) { return 60 + estimate(g.id) + 130 * g.intervals.size(); }
std::size_t estimate(const DestinationRate& r) {
    return 260 + estimate(r.id) + estimate(r.destination_id) + estimate(r.rate_id) +
           estimate(r.caller_destination_id);
}
std::size_t estimate(const Timing& t) {
    return 140 + estimate(t.id) +
           4 * (t.years.size() + t.months.size() + t.month_days.size() + t.week_days.size());
}
std::size_t estimate(const RatingPlanEntry& e) {
    return 100 + estimate(e.rating_plan_id) + estimate(e.destination_rates_id) +
           estimate(e.timing_id);
}
std::size_t estimate(const RatingProfile& p) {
    std::size_t b = 160 + estimate(p.tenant) + estimate(p.category) + estimate(p.subject) +
                    estimate(p.rating_plan_id);
    for (const auto& f : p.fallback_subjects) b += estimate(f);
    return b;
}

}  // namespace

std::vector<Tariff> split_tariff(const Tariff& t, std::size_t max_rows, std::size_t max_bytes) {
    max_rows = std::max<std::size_t>(max_rows, 2);
    std::vector<Tariff> out(1);
    out.back().currency = t.currency;
    out.back().pricing = t.pricing;
    std::size_t rows = 0, bytes = 0;
    // Makes room for `n` rows of `b` bytes, starting a new chunk when the current one would
    // overflow.
    auto room = [&](std::size_t n, std::size_t b) {
        if (rows > 0 && (rows + n > max_rows || bytes + b > max_bytes)) {
            out.emplace_back();
            out.back().currency = t.currency;
            out.back().pricing = t.pricing;
            rows = 0;
            bytes = 0;
        }
        rows += n;
        bytes += b;
    };
    for (const auto& d : t.destinations) {
        if (d.prefixes.size() + 1 <= max_rows && estimate(d, 0, d.prefixes.size()) <= max_bytes) {
            room(1 + d.prefixes.size(), estimate(d, 0, d.prefixes.size()));
            out.back().destinations.push_back(d);
            continue;
        }
        // A destination larger than a chunk: pieces under the same id, one chunk each.
        const auto per_piece = std::max<std::size_t>(1, std::min(max_rows - 1, max_bytes / 32));
        std::size_t i = 0;
        do {
            const auto n = std::min(per_piece, d.prefixes.size() - i);
            room(1 + n, estimate(d, i, n));
            Destination piece{d.id, d.name, {}};
            piece.prefixes.assign(d.prefixes.begin() + static_cast<std::ptrdiff_t>(i),
                                  d.prefixes.begin() + static_cast<std::ptrdiff_t>(i + n));
            out.back().destinations.push_back(std::move(piece));
            i += n;
        } while (i < d.prefixes.size());
    }
    for (const auto& g : t.rate_groups) {
        room(1 + g.intervals.size(), estimate(g));
        out.back().rate_groups.push_back(g);
    }
    for (const auto& r : t.destination_rates) {
        room(1, estimate(r));
        out.back().destination_rates.push_back(r);
    }
    for (const auto& r : t.timings) {
        room(1, estimate(r));
        out.back().timings.push_back(r);
    }
    for (const auto& r : t.rating_plans) {
        room(1, estimate(r));
        out.back().rating_plans.push_back(r);
    }
    for (const auto& r : t.rating_profiles) {
        room(1, estimate(r));
        out.back().rating_profiles.push_back(r);
    }
    return out;
}

Tariff join_chunks(const std::vector<Tariff>& chunks) {
    Tariff t;
    if (!chunks.empty()) {
        t.currency = chunks.front().currency;
        t.pricing = chunks.front().pricing;
    }
    for (const auto& c : chunks) {
        for (std::size_t i = 0; i < c.destinations.size(); ++i) {
            const auto& d = c.destinations[i];
            // The first destination of a chunk may continue the last one of the previous chunk.
            if (i == 0 && !t.destinations.empty() && t.destinations.back().id == d.id &&
                !d.id.empty()) {
                auto& last = t.destinations.back().prefixes;
                last.insert(last.end(), d.prefixes.begin(), d.prefixes.end());
            } else {
                t.destinations.push_back(d);
            }
        }
        auto append = [](auto& into, const auto& from) {
            into.insert(into.end(), from.begin(), from.end());
        };
        append(t.rate_groups, c.rate_groups);
        append(t.destination_rates, c.destination_rates);
        append(t.timings, c.timings);
        append(t.rating_plans, c.rating_plans);
        append(t.rating_profiles, c.rating_profiles);
    }
    return t;
}

void evolve(DeckState& s, const DeckEvent& event) {
    std::visit(Overloaded{
                   [&](const DeckCreated& e) { s.info = e.deck; },
                   [&](const DeckVersionImported& e) {
                       s.versions[e.version].header = e;
                       s.version_by_sha256[e.content_sha256] = e.version;
                       s.last_version = std::max(s.last_version, e.version);
                   },
                   [&](const DeckRatesLoaded& e) {
                       if (auto it = s.versions.find(e.version); it != s.versions.end())
                           ++it->second.chunks_loaded;
                   },
                   [&](const DeckVersionPublished& e) {
                       if (auto it = s.versions.find(e.version); it != s.versions.end())
                           it->second.published = true;
                   },
                   [&](const DeckVersionDiffed& e) {
                       if (auto it = s.versions.find(e.version); it != s.versions.end())
                           it->second.diffed = true;
                   },
               },
               event);
}

namespace {

bool valid_id(std::string_view id) {
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '_' || ch == '.' || ch == '-';
    });
}

bool valid_currency(std::string_view c) {
    return c.size() == 3 &&
           std::all_of(c.begin(), c.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
}

bool valid_sha256(std::string_view h) {
    return h.size() == 64 && std::all_of(h.begin(), h.end(), [](char ch) {
               return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
           });
}

}  // namespace

Result<std::vector<DeckEvent>> decide(const DeckState& s, const CreateDeck& c,
                                      const DecisionContext&) {
    const auto& d = c.deck;
    if (!valid_id(d.deck_id))
        return fail(Errc::Invalid, "deck_id", "must be 1 to 64 of A-Z a-z 0-9 _ . -");
    if (d.name.empty() || d.name.size() > 200)
        return fail(Errc::Invalid, "name", "must be 1 to 200 bytes");
    if (!valid_currency(d.currency))
        return fail(Errc::Invalid, "currency", "must be an ISO 4217 code such as EUR");
    if (d.kind == DeckKind::Buy && d.carrier_id.empty())
        return fail(Errc::Invalid, "carrier_id", "a buy deck belongs to a carrier");
    if (d.kind == DeckKind::Sell && !d.carrier_id.empty())
        return fail(Errc::Invalid, "carrier_id", "a sell rate card belongs to no carrier");
    const bool derived = d.format == DeckFormat::Derived;
    if (derived && d.kind != DeckKind::Sell)
        return fail(Errc::Invalid, "kind", "a derived deck is a sell rate card");
    if (derived != !d.source_deck_id.empty())
        return fail(Errc::Invalid, "source_deck_id",
                    derived ? "a derived card names its source deck"
                            : "only a derived card has a source deck");
    if (derived != d.markup.has_value())
        return fail(
            Errc::Invalid, "markup",
            derived ? "a derived card has a markup rule" : "only a derived card has a markup rule");
    if (d.markup && (d.markup->percent_bp < 0 || d.markup->fixed_micros_per_minute < 0 ||
                     d.markup->minimum_margin_micros_per_minute < 0))
        return fail(Errc::Invalid, "markup", "markup parts must not be negative");
    if (s.info) {
        if (*s.info == d) return std::vector<DeckEvent>{};
        return fail(Errc::Conflict, "deck_id", "a deck with this id exists with other terms");
    }
    return std::vector<DeckEvent>{DeckCreated{d}};
}

Result<std::vector<DeckEvent>> decide(const DeckState& s, const ImportDeckVersion& c,
                                      const DecisionContext& ctx) {
    if (!s.info) return fail(Errc::NotFound, "deck_id", "no deck " + c.deck_id);
    if (!valid_sha256(c.content_sha256))
        return fail(Errc::Invalid, "content_sha256", "must be 64 lower-case hex digits");
    if (c.tariff.currency != s.info->currency)
        return fail(Errc::Rejected, "currency",
                    "the tariff is in " + c.tariff.currency + ", the deck in " + s.info->currency);
    if (s.version_by_sha256.count(c.content_sha256)) return std::vector<DeckEvent>{};
    std::string plan = c.rating_plan_id;
    if (plan.empty() && !c.tariff.rating_plans.empty())
        plan = c.tariff.rating_plans.front().rating_plan_id;
    if (!plan.empty() &&
        std::none_of(c.tariff.rating_plans.begin(), c.tariff.rating_plans.end(),
                     [&](const RatingPlanEntry& e) { return e.rating_plan_id == plan; }))
        return fail(Errc::Rejected, "rating_plan_id", "no rating plan " + plan + " in the tariff");

    auto chunks = split_tariff(c.tariff, c.max_chunk_rows, c.max_chunk_bytes);
    DeckVersionImported header;
    header.version = s.last_version + 1;
    header.effective_from = c.effective_from;
    header.imported_at = ctx.now;
    header.files = c.files;
    header.counts = count_rows(c.tariff);
    header.content_sha256 = c.content_sha256;
    header.rating_plan_id = plan;
    header.currency = c.tariff.currency;
    header.chunks = static_cast<std::int64_t>(chunks.size());
    std::vector<DeckEvent> out;
    out.reserve(chunks.size() + 2);
    out.emplace_back(header);
    for (std::size_t i = 0; i < chunks.size(); ++i)
        out.emplace_back(
            DeckRatesLoaded{header.version, static_cast<std::int64_t>(i), std::move(chunks[i])});
    out.emplace_back(DeckVersionPublished{header.version});
    return out;
}

Result<std::vector<DeckEvent>> decide(const DeckState& s, const RecordDeckDiff& c,
                                      const DecisionContext&) {
    if (!s.info) return fail(Errc::NotFound, "deck_id", "no deck " + c.deck_id);
    auto it = s.versions.find(c.diff.version);
    if (it == s.versions.end()) return fail(Errc::NotFound, "version", "no such version");
    if (c.diff.against_version != 0 && !s.versions.count(c.diff.against_version))
        return fail(Errc::NotFound, "against_version", "no such version");
    if (it->second.diffed) return std::vector<DeckEvent>{};
    return std::vector<DeckEvent>{c.diff};
}

}  // namespace switchyard::core::voice
