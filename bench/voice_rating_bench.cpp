// Rating throughput of the voice engine (core/voice/rating.hpp): one call rated against the
// CDRTool sample deck (13,126 prefixes, ../shared/data/voip/ratedeck-cdrtool-2010) and against
// a synthetic deck of 1,000,000 prefixes; the longest-prefix lookup alone for both.
//
// The CDRTool CSVs are read by a minimal reader kept in this file (the real CDRTool importer
// lives elsewhere): destinations.csv gives prefix, description, increment and minimum
// duration; rates.csv gives connect fee and price per 60 s in 1/10,000 of the currency.
//
// `--numbers-out=FILE` writes the destination numbers of the CDRTool run (one a line) and
// `--prefixes-out=FILE` the deck's prefixes, for bench/voice_lpm_postgres.sh.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/voice/prefix_index.hpp"
#include "core/voice/rating.hpp"

using namespace switchyard::core;
using namespace switchyard::core::voice;

namespace {

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        std::cerr << "cannot read " << path << "\n";
        std::exit(2);
    }
    std::vector<std::vector<std::string>> rows;
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::vector<std::string> fields;
        std::stringstream ss(line);
        std::string f;
        while (std::getline(ss, f, ',')) fields.push_back(f);
        if (!line.empty() && line.back() == ',') fields.emplace_back();
        rows.push_back(std::move(fields));
    }
    return rows;
}

std::int64_t to_int(const std::string& s) { return s.empty() ? 0 : std::stoll(s); }

struct Deck {
    std::shared_ptr<const RatingIndex> index;
    std::vector<std::string> prefixes;
    std::vector<std::string> numbers;  // destinations to rate
    PrefixIndex lpm;
};

/// Digits to make a prefix a 12-digit number.
std::vector<std::string> numbers_for(const std::vector<std::string>& prefixes, std::size_t n,
                                     std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::vector<std::string> out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        std::string num = prefixes[rng() % prefixes.size()];
        while (num.size() < 12) num.push_back(static_cast<char>('0' + rng() % 10));
        out.push_back(std::move(num));
    }
    return out;
}

Deck& cdrtool_deck() {
    static Deck deck = [] {
        const std::string dir = std::string(SY_SHARED_DATA) + "/voip/ratedeck-cdrtool-2010/";
        Tariff t;
        t.currency = "EUR";
        std::unordered_map<std::string, std::size_t> dest_row;
        // Incr and Min Dur per prefix (0 increment = per second).
        std::unordered_map<std::string, std::pair<std::int64_t, std::int64_t>> incr_min;
        for (const auto& r : read_csv(dir + "destinations.csv")) {
            if (r.size() < 10) continue;
            const std::string& prefix = r[5];
            if (prefix.empty() || dest_row.count(prefix)) continue;
            dest_row[prefix] = t.destinations.size();
            incr_min[prefix] = {to_int(r[8]), to_int(r[9])};
            t.destinations.push_back(Destination{prefix, r[7], {prefix}});
        }
        std::unordered_set<std::string> rated;
        for (const auto& r : read_csv(dir + "rates.csv")) {
            if (r.size() < 7) continue;
            const std::string& prefix = r[3];
            if (!dest_row.count(prefix) || !rated.insert(prefix).second) continue;
            const auto [incr, min_dur] = incr_min[prefix];
            // Connect and Duration are in 1/10,000 (priceDenominator): x100 = micro-units.
            t.rate_groups.push_back(
                RateGroup{"R" + prefix,
                          to_int(r[5]) * 100,
                          {RateInterval{0, to_int(r[6]) * 100, 60, incr > 0 ? incr : 1}}});
            DestinationRate row;
            row.id = "grn_premium";
            row.destination_id = prefix;
            row.rate_id = "R" + prefix;
            row.rounding = RoundingMethod::Middle;
            row.rounding_decimals = 4;
            row.min_duration_s = min_dur;
            t.destination_rates.push_back(std::move(row));
        }
        t.rating_plans.push_back(RatingPlanEntry{"grn_premium", "grn_premium", "*any", 10});
        Deck d;
        for (const auto& dest : t.destinations) d.prefixes.push_back(dest.id);
        std::vector<std::pair<std::string, std::uint32_t>> entries;
        for (std::uint32_t i = 0; i < d.prefixes.size(); ++i)
            entries.emplace_back(d.prefixes[i], i);
        d.lpm = PrefixIndex::build(std::move(entries));
        // Only rated prefixes make numbers (one deck row has no rate).
        std::vector<std::string> rated_prefixes(rated.begin(), rated.end());
        std::sort(rated_prefixes.begin(), rated_prefixes.end());
        d.numbers = numbers_for(rated_prefixes, 65'536, 42);
        auto idx = RatingIndex::build(std::move(t));
        if (!idx) {
            std::cerr << "deck refused: " << idx.error().message << "\n";
            std::exit(2);
        }
        d.index = *idx;
        return d;
    }();
    return deck;
}

/// 1,000,000 distinct prefixes of 5 to 9 digits in 1,000 destinations of 1,000 prefixes, each
/// destination its own rate.
Deck& million_deck() {
    static Deck deck = [] {
        std::mt19937_64 rng(7);
        std::unordered_set<std::string> seen;
        seen.reserve(1'200'000);
        Tariff t;
        t.destinations.resize(1000);
        for (std::size_t d = 0; d < 1000; ++d) {
            t.destinations[d].id = "D" + std::to_string(d);
            t.rate_groups.push_back(
                RateGroup{"R" + std::to_string(d),
                          0,
                          {RateInterval{0, 1'000 + 97 * std::int64_t(d), 60, 1}}});
            DestinationRate row;
            row.id = "DR";
            row.destination_id = t.destinations[d].id;
            row.rate_id = "R" + std::to_string(d);
            t.destination_rates.push_back(std::move(row));
        }
        Deck out;
        out.prefixes.reserve(1'000'000);
        while (out.prefixes.size() < 1'000'000) {
            const int len = 5 + static_cast<int>(rng() % 5);
            std::string p(1, static_cast<char>('1' + rng() % 9));
            while (static_cast<int>(p.size()) < len)
                p.push_back(static_cast<char>('0' + rng() % 10));
            if (!seen.insert(p).second) continue;
            t.destinations[out.prefixes.size() % 1000].prefixes.push_back(p);
            out.prefixes.push_back(std::move(p));
        }
        t.rating_plans.push_back(RatingPlanEntry{"BIG", "DR", "*any", 10});
        std::vector<std::pair<std::string, std::uint32_t>> entries;
        for (std::uint32_t i = 0; i < out.prefixes.size(); ++i)
            entries.emplace_back(out.prefixes[i], i);
        out.lpm = PrefixIndex::build(std::move(entries));
        out.numbers = numbers_for(out.prefixes, 65'536, 43);
        const auto t0 = std::chrono::steady_clock::now();
        auto idx = RatingIndex::build(std::move(t));
        std::cerr << "1M-prefix RatingIndex::build: "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - t0)
                         .count()
                  << " ms\n";
        if (!idx) {
            std::cerr << "deck refused: " << idx.error().message << "\n";
            std::exit(2);
        }
        out.index = *idx;
        return out;
    }();
    return deck;
}

void rate_loop(benchmark::State& state, Deck& deck, const std::string& plan) {
    CostQuery q;
    q.tenant = "bench";
    q.setup_time = *parse_rfc3339("2026-03-02T10:00:00Z");
    std::size_t i = 0;
    std::int64_t failures = 0;
    for (auto _ : state) {
        q.destination = deck.numbers[i & 0xFFFF];
        q.usage_s = 1 + static_cast<std::int64_t>((i * 37) % 600);
        auto r = deck.index->rate_plan(plan, q);
        if (!r) ++failures;
        benchmark::DoNotOptimize(r);
        ++i;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["failures"] = static_cast<double>(failures);
    state.counters["prefixes"] = static_cast<double>(deck.prefixes.size());
}

void lpm_loop(benchmark::State& state, Deck& deck) {
    std::size_t i = 0;
    for (auto _ : state) {
        auto m = deck.lpm.longest(deck.numbers[i & 0xFFFF]);
        benchmark::DoNotOptimize(m);
        ++i;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.counters["node_bytes"] = static_cast<double>(deck.lpm.memory_bytes());
}

void BM_RateCdrtoolDeck(benchmark::State& state) {
    rate_loop(state, cdrtool_deck(), "grn_premium");
}
void BM_LpmCdrtoolDeck(benchmark::State& state) { lpm_loop(state, cdrtool_deck()); }
void BM_RateMillionPrefixDeck(benchmark::State& state) { rate_loop(state, million_deck(), "BIG"); }
void BM_LpmMillionPrefixDeck(benchmark::State& state) { lpm_loop(state, million_deck()); }

BENCHMARK(BM_RateCdrtoolDeck);
BENCHMARK(BM_LpmCdrtoolDeck);
BENCHMARK(BM_RateMillionPrefixDeck);
BENCHMARK(BM_LpmMillionPrefixDeck);

}  // namespace

int main(int argc, char** argv) {
    std::vector<char*> rest;
    for (int i = 0; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg.rfind("--numbers-out=", 0) == 0) {
            std::ofstream out(arg.substr(14));
            for (const auto& n : cdrtool_deck().numbers) out << n << "\n";
            continue;
        }
        if (arg.rfind("--prefixes-out=", 0) == 0) {
            std::ofstream out(arg.substr(15));
            for (const auto& p : cdrtool_deck().prefixes) out << p << "\n";
            continue;
        }
        rest.push_back(argv[i]);
    }
    int n = static_cast<int>(rest.size());
    benchmark::Initialize(&n, rest.data());
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
