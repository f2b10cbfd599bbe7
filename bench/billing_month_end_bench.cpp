// Month-end books by replay (issue 16's performance item): a RocksDB log (fsync on) holding N
// journal entries of C customers spread over November 2026 and the first days of December
// (invoices: receivable -> revenue per line + tax; payments: gateway clearing -> receivable),
// written in batches of 1,000 entries per append. Then:
//  1. billing_ledger.v1 rebuilt from the whole log: events per second, seconds;
//  2. the trial balance as of 2026-11-30T23:59:59Z read from it: seconds, and equal to the
//     books computed in memory while writing (the snapshot "taken at that date");
//  3. a replay until the log's checkpoint at month end (what `switchyard replay --until` does)
//     into a fresh read model: seconds, and its trial balance equal to the same snapshot.
// Run: build/release/bench/bench_billing_month_end [customers=100000] [entries=10000000]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "events/billing/ledger_codec.hpp"
#include "events/command_handler.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "projections/billing/ledger.hpp"
#include "projections/projection_runner.hpp"

namespace fs = std::filesystem;
using namespace switchyard;
using namespace switchyard::core::billing;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::int64_t kBatch = 1000;
const core::Timestamp kMonthStart = core::from_unix_seconds(1'793'491'200);  // 2026-11-01
const core::Timestamp kMonthEnd = core::from_unix_seconds(1'796'083'199);    // 11-30 23:59:59
const core::Timestamp kAfter = core::from_unix_seconds(1'796'515'200);       // 2026-12-06

/// Entry `n` of `total`: even ones invoice customer n/2 % C, odd ones pay what it owes.
JournalEntry entry(std::int64_t n, std::int64_t customers) {
    static const char* kLines[] = {"vpn", "iptv", "hotspot", "voice"};
    const auto customer = fmt::format("receivable:c{}", (n / 2) % customers);
    const Micros net = 1'000'000 + (n % 97) * 10'000;
    const Micros tax = net * 19 / 100;
    JournalEntry e;
    e.entry_id = fmt::format("e{}", n);
    e.currency = "EUR";
    if (n % 2 == 0) {
        e.memo = "invoice";
        e.postings = {{customer, net + tax, 0},
                      {std::string("revenue:") + kLines[(n / 2) % 4], 0, net},
                      {"tax_payable:DE", 0, tax}};
    } else {
        const Micros paid = 1'000'000 + ((n - 1) % 97) * 10'000;
        e.memo = "payment";
        e.postings = {{"gateway_clearing:stripe", paid + paid * 19 / 100, 0},
                      {customer, 0, paid + paid * 19 / 100}};
    }
    return e;
}

/// What the books hold, as the trial balance reports it: per account its debit-minus-credit.
using Books = std::map<std::string, Micros>;

Books books_of(const std::vector<projections::billing::TrialBalance>& tb) {
    Books out;
    for (const auto& c : tb)
        for (const auto& a : c.accounts) out[a.account] = a.debit_micros - a.credit_micros;
    return out;
}

double since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::unique_ptr<projections::ProjectionRunner> ledger_runner(const fs::path& dir) {
    std::vector<std::unique_ptr<projections::Projector>> set;
    set.push_back(projections::billing::make_billing_ledger_projector());
    auto runner = projections::ProjectionRunner::open(dir, std::move(set));
    if (!runner) {
        fmt::print(stderr, "read models: {}\n", runner.error().message);
        std::exit(1);
    }
    return std::move(*runner);
}

}  // namespace

int main(int argc, char** argv) {
    const std::int64_t customers = argc > 1 ? std::atoll(argv[1]) : 100'000;
    const std::int64_t total = argc > 2 ? std::atoll(argv[2]) : 10'000'000;
    const auto dir = fs::temp_directory_path() / fmt::format("bench-month-end-{}", ::getpid());
    fs::remove_all(dir);
    auto store = events::open_rocksdb_event_store(dir / "log", {});
    if (!store) {
        fmt::print(stderr, "open: {}\n", store.error().message);
        return 1;
    }
    // 90 % of the entries in November, the rest in December's first days.
    const std::int64_t november = total * 9 / 10 / kBatch * kBatch;
    core::DecisionContext ctx;
    ctx.actor = core::Actor{core::ActorKind::ApiKey, "k_bench", "127.0.0.1"};
    ctx.correlation_id = "bench";
    Books snapshot;
    events::Checkpoint month_end;
    auto t0 = Clock::now();
    for (std::int64_t n = 0; n < total; n += kBatch) {
        const auto span = n < november ? kMonthEnd - kMonthStart : kAfter - kMonthEnd;
        const auto start = n < november ? kMonthStart : kMonthEnd + std::chrono::seconds(1);
        const auto share = n < november ? n : n - november;
        const auto of = n < november ? november : total - november;
        ctx.now = start + std::chrono::duration_cast<core::Timestamp::duration>(
                              span * (static_cast<double>(share) / static_cast<double>(of)));
        std::vector<events::StreamWrite> writes;
        for (std::int64_t k = n; k < std::min(total, n + kBatch); ++k) {
            auto e = entry(k, customers);
            if (k < november)
                for (const auto& p : e.postings)
                    snapshot[p.account] += p.debit_micros - p.credit_micros;
            const std::vector<EntryEvent> posted{EntryPosted{e}};
            writes.push_back({entry_stream(e.entry_id), events::ExpectedRevision::no_stream(),
                              events::to_new_events(posted, events::billing::encode, ctx, "op")});
        }
        if (auto r = (*store)->append(std::move(writes)); !r) {
            fmt::print(stderr, "append: {}\n", r.error().message);
            return 1;
        }
        if (n + kBatch == november) month_end = (*store)->head();
    }
    const double write_s = since(t0);
    const auto events = (*store)->head().total();
    fmt::print(
        "{} customers, {} entries ({} events), written durably in batches of {}: {:.1f} s "
        "({:.0f} events/s), {}\n",
        customers, total, events, kBatch, write_s, static_cast<double>(events) / write_s,
        dir.string());

    // 1 and 2: the whole log rebuilt, then the books as of month end.
    auto runner = ledger_runner(dir / "rebuilt");
    t0 = Clock::now();
    if (auto r = runner->catch_up(**store, std::nullopt); !r) return 1;
    const double rebuild_s = since(t0);
    const auto* view = runner->view(projections::billing::kBillingLedger);
    t0 = Clock::now();
    const auto as_of = projections::billing::trial_balance(*view, kMonthEnd);
    const double as_of_s = since(t0);
    const bool as_of_equal = books_of(as_of) == snapshot;
    fmt::print("{:<52} {:>8.1f} s  {:>9.0f} events/s\n", "billing_ledger.v1 rebuilt from the log",
               rebuild_s, static_cast<double>(events) / rebuild_s);
    fmt::print("{:<52} {:>8.2f} s  {} accounts, equal to the snapshot: {}\n",
               "trial balance as of 2026-11-30T23:59:59Z", as_of_s, books_of(as_of).size(),
               as_of_equal ? "yes" : "NO");
    runner.reset();

    // 3: replay until the month-end checkpoint into a fresh read model.
    auto replay = ledger_runner(dir / "replayed");
    t0 = Clock::now();
    if (auto r = replay->catch_up(**store, month_end); !r) return 1;
    const double replay_s = since(t0);
    const auto replayed =
        projections::billing::trial_balance(*replay->view(projections::billing::kBillingLedger));
    const bool replay_equal = books_of(replayed) == snapshot;
    fmt::print("{:<52} {:>8.1f} s  {:>9.0f} events/s, equal to the snapshot: {}\n",
               "replay until the month-end checkpoint", replay_s,
               static_cast<double>(month_end.total()) / replay_s, replay_equal ? "yes" : "NO");
    replay.reset();
    store->reset();
    fs::remove_all(dir);
    return as_of_equal && replay_equal ? 0 : 2;
}
