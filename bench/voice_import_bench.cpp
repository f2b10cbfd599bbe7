// CDR import end to end on the embedded log (issue 12, Performance): synthetic Asterisk CDRs
// against the CDRTool deck (13,126 prefixes) bought from a carrier and sold with a 20 % markup
// to one prepaid customer. Stages, each timed on its own:
//   parse   Asterisk cdr_csv text -> call records (events/voice/cdr_json.hpp parse_cdrs)
//   rate    the sell side alone, in memory: E.164 normalisation + RatingIndex::rate_plan
//   append  the durable floor: one fsynced append per CDR, no rating (the log's bound)
//   ingest  CdrService::ingest in batches: customer and carrier found through the directory,
//           both sides rated, CDR + debit appended atomically and durably
//   models  every read model of every module rebuilt from the log (ProjectionRunner)
// Usage: bench_voice_import [--cdrs N] [--batch B] [--floor 0|1]
//   (defaults 100000, 5000 and 1; --floor 0 skips the fsync-per-CDR floor, for profiling ingest)
// Run from the release preset; bench/README.md records the figures.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "app/modules/module.hpp"
#include "app/modules/voice_parties.hpp"
#include "core/voice/cdrtool_deck.hpp"
#include "core/voice/number.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "events/uuid.hpp"
#include "events/voice/account_service.hpp"
#include "events/voice/cdr_json.hpp"
#include "events/voice/cdr_service.hpp"
#include "events/voice/deck_service.hpp"
#include "events/voice/tariff_registry.hpp"
#include "events/voice/voice_service.hpp"
#include "projections/projection_runner.hpp"

namespace fs = std::filesystem;
using namespace switchyard;
using namespace switchyard::core::voice;
using Clock = std::chrono::steady_clock;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

core::DecisionContext context(const std::string& id) {
    core::DecisionContext ctx;
    ctx.now = core::from_unix_seconds(1'706'000'000);
    ctx.actor = core::Actor{core::ActorKind::User, "bench", ""};
    ctx.correlation_id = id;
    return ctx;
}

template <class R>
void must(const R& r, const char* what) {
    if (!r) {
        std::fprintf(stderr, "%s: %s %s\n", what, r.error().field.c_str(),
                     r.error().message.c_str());
        std::exit(1);
    }
}

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

/// `n` Asterisk newcdrcolumns rows (21 columns) dialling prefixes of `tariff` in the `00`
/// international form; 80 % answered, 1-600 s.
std::string synthetic_cdrs(const Tariff& tariff, std::int64_t n) {
    std::vector<std::string> prefixes;
    for (const auto& d : tariff.destinations)
        for (const auto& p : d.prefixes) prefixes.push_back(p);
    std::mt19937_64 rng(42);
    std::string out;
    out.reserve(static_cast<std::size_t>(n) * 260);
    for (std::int64_t i = 0; i < n; ++i) {
        auto number = "00" + prefixes[rng() % prefixes.size()];
        while (number.size() < 13) number += static_cast<char>('0' + rng() % 10);
        const bool answered = rng() % 5 != 0;
        const std::int64_t duration = 1 + static_cast<std::int64_t>(rng() % 600);
        const std::int64_t billsec = answered ? duration : 0;
        const std::int64_t start = 1'706'000'000 + i;
        const auto t = [](std::int64_t s) {
            const auto tp = core::from_unix_seconds(s);
            return fmt::format("{:%Y-%m-%d %H:%M:%S}",
                               std::chrono::floor<std::chrono::seconds>(tp));
        };
        out += fmt::format(
            "\"acme\",\"4930{:07}\",\"{}\",\"from-trunk\",\"\"\"Bench\"\" <4930{:07}>\","
            "\"SIP/pbx-{:08x}\",\"SIP/10.0.0.1-{:08x}\",\"Dial\",\"SIP/10.0.0.1/{}\","
            "\"{}\",{},\"{}\",{},{},\"{}\",\"DOCUMENTATION\",\"{}.{}\",\"\",\"\",\"{}.{}\",{}\n",
            i % 10'000'000, number, i % 10'000'000, i, i, number, t(start),
            answered ? "\"" + t(start + 5) + "\"" : std::string(), t(start + 5 + duration),
            duration + 5, billsec, answered ? "ANSWERED" : "NO ANSWER", start, i, start, i, 0);
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    std::int64_t n = 100'000;
    std::int64_t batch = 5'000;
    bool floor = true;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--cdrs") n = std::stoll(argv[i + 1]);
        if (a == "--batch") batch = std::stoll(argv[i + 1]);
        if (a == "--floor") floor = std::string(argv[i + 1]) != "0";
    }
    const fs::path deck_dir = fs::path(SY_SHARED_DATA) / "voip" / "ratedeck-cdrtool-2010";
    const auto destinations = slurp(deck_dir / "destinations.csv");
    const auto rates = slurp(deck_dir / "rates.csv");
    const auto profiles = slurp(deck_dir / "profiles.csv");
    const auto customers = slurp(deck_dir / "customers.csv");
    auto deck = parse_cdrtool_deck(CdrtoolDeckFiles{destinations, rates, profiles, customers});
    must(deck, "deck");

    const fs::path dir = fs::temp_directory_path() / fmt::format("sy-voice-import-{}", ::getpid());
    fs::create_directories(dir);
    auto store_r = events::open_rocksdb_event_store(dir / "log");
    must(store_r, "store");
    auto& store = **store_r;

    // The operator's data: a carrier, its buy deck, a sell card at +20 %, a prepaid customer.
    events::voice::VoiceService voice(store, "op");
    must(voice.execute(DefineCategory{Category{"sip_trunk", "SIP Trunk", "", true, 1}},
                       context("c1")),
         "category");
    must(
        voice.execute(DefineGroup{Group{"wholesale", "sip_trunk", "Wholesale", ""}}, context("c2")),
        "group");
    Carrier carrier;
    carrier.carrier_id = "grn";
    carrier.name = "GRN";
    carrier.trunk_hosts = {"10.0.0.1"};
    carrier.currency = "EUR";
    must(voice.execute(DefineItem<Carrier>{carrier}, context("c3")), "carrier");
    Customer acme;
    acme.name = "Acme";
    acme.country = "DE";
    acme.currency = "EUR";
    acme.accountcodes = {"acme"};
    acme.category_id = "sip_trunk";
    acme.group_id = "wholesale";
    must(voice.execute(CreateCustomer{acme, "acme"}, context("c4")), "customer");
    events::voice::TariffRegistry registry;
    events::voice::DeckService decks(store, "op", &registry);
    DeckInfo buy{"grn", "GRN premium", DeckKind::Buy, "grn", "EUR", DeckFormat::Cdrtool, "", {}};
    must(decks.create(CreateDeck{buy}, context("d1")), "buy deck");
    ImportDeckVersion import;
    import.deck_id = "grn";
    import.tariff = deck->tariff;
    import.files = {"destinations.csv", "rates.csv", "profiles.csv", "customers.csv"};
    must(decks.import_version(import, context("d2")), "import");
    DeckInfo sell{"acme-sell", "Sell +20 %",        DeckKind::Sell, "",
                  "EUR",       DeckFormat::Derived, "grn",          MarkupRule{2'000, 0, 0, 4}};
    must(decks.create(CreateDeck{sell}, context("d3")), "sell card");
    must(decks.derive("acme-sell", core::from_unix_seconds(0), context("d4")), "derive");
    Assignment card;
    card.kind = ItemKind::RateCard;
    card.value = "acme-sell";
    must(voice.execute(CreateAssignment{card, "a1"}, context("c5")), "assignment");
    events::voice::AccountService accounts(store, "op");
    must(accounts.open(OpenAccount{AccountTerms{"1", "EUR", AccountKind::Prepaid, 0, 0}},
                       context("o1")),
         "account");
    must(accounts.top_up(TopUp{"1", "t1", 1'000'000'000'000, "bench", ""},
                         core::Actor{core::ActorKind::User, "bench", ""}, context("o2")),
         "top-up");

    std::printf(
        "voice import bench: %lld synthetic Asterisk CDRs, batches of %lld, CDRTool "
        "deck (%zu destinations)\n",
        static_cast<long long>(n), static_cast<long long>(batch), deck->tariff.destinations.size());
    const auto text = synthetic_cdrs(deck->tariff, n);

    // parse
    auto t0 = Clock::now();
    auto parsed = events::voice::parse_cdrs(text, CdrFormat::Asterisk, CdrParseOptions{"bench"});
    must(parsed, "parse");
    const double parse_s = seconds_since(t0);
    if (!parsed->errors.empty() || static_cast<std::int64_t>(parsed->rows.size()) != n) {
        std::fprintf(stderr, "parse: %zu rows, %zu refused\n", parsed->rows.size(),
                     parsed->errors.size());
        return 1;
    }
    std::printf("  parse   %10.0f CDRs/s  (%.2f s)\n", n / parse_s, parse_s);

    // rate (sell side, memory only)
    const auto sell_view = registry.latest("acme-sell");
    if (!sell_view) return 1;
    t0 = Clock::now();
    std::int64_t rated = 0;
    for (const auto& r : parsed->rows) {
        auto number = to_e164(r.destination, NumberContext{"DE", {}});
        if (!number) continue;
        CostQuery q;
        q.destination = *number;
        q.setup_time = r.start;
        q.usage_s = r.billsec;
        if (sell_view->index->rate_plan(sell_view->header.rating_plan_id, q)) ++rated;
    }
    const double rate_s = seconds_since(t0);
    std::printf("  rate    %10.0f CDRs/s  (%.2f s, %lld rated; E.164 + sell side only)\n",
                n / rate_s, rate_s, static_cast<long long>(rated));

    // append floor: one durable append per CDR on its own stream, no rating
    if (floor) {
        auto floor_r = events::open_rocksdb_event_store(dir / "floor");
        must(floor_r, "floor store");
        const std::int64_t m = std::min<std::int64_t>(n, 20'000);
        t0 = Clock::now();
        for (std::int64_t i = 0; i < m; ++i) {
            events::NewEvent e;
            e.id = events::new_uuid_v7(core::from_unix_seconds(1'706'000'000 + i));
            e.type = "voice.cdr.rated";
            e.data = "{\"pad\":\"" + std::string(600, 'x') + "\"}";
            must((*floor_r)->append({{"voice_cdr-" + std::to_string(i),
                                      events::ExpectedRevision::no_stream(),
                                      {std::move(e)}}}),
                 "floor append");
        }
        const double s = seconds_since(t0);
        std::printf(
            "  append  %10.0f appends/s (%lld single-CDR fsynced appends, one writer: "
            "the log's bound for one account)\n",
            m / s, static_cast<long long>(m));
    }

    // ingest
    events::voice::CdrService cdrs(store, registry,
                                   app::cdr_service_options("op", voice, registry));
    t0 = Clock::now();
    std::int64_t ok = 0, unrated = 0, duplicates = 0, failed = 0;
    for (std::int64_t i = 0; i < n; i += batch) {
        std::vector<CallRecord> part(parsed->rows.begin() + i,
                                     parsed->rows.begin() + std::min(n, i + batch));
        auto report = cdrs.ingest(part, context("ingest-" + std::to_string(i)));
        must(report, "ingest");
        ok += report->rated;
        unrated += report->unrated;
        duplicates += report->duplicates;
        failed += report->failed;
    }
    const double ingest_s = seconds_since(t0);
    std::printf(
        "  ingest  %10.0f CDRs/s  (%.2f s: %lld rated, %lld unrated, %lld duplicates, "
        "%lld failed)\n",
        n / ingest_s, ingest_s, static_cast<long long>(ok), static_cast<long long>(unrated),
        static_cast<long long>(duplicates), static_cast<long long>(failed));

    // read models
    const auto events_in_log = store.head().total();
    t0 = Clock::now();
    auto runner = projections::ProjectionRunner::open(dir / "models", app::all_projectors());
    must(runner, "runner");
    must((*runner)->catch_up(store, std::nullopt), "catch up");
    const double models_s = seconds_since(t0);
    std::printf("  models  %10.0f events/s (%.2f s, %lld events, every read model)\n",
                events_in_log / models_s, models_s, static_cast<long long>(events_in_log));
    std::printf("  end to end (parse + ingest + models): %.0f CDRs/s\n",
                n / (parse_s + ingest_s + models_s));
    runner->reset();
    fs::remove_all(dir);
    return 0;
}
