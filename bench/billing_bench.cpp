// Durable postings of the billing ledger on the RocksDB log (fsync on), and the ledger's read
// model rebuilt from that log.
//  1. W writers post entries for S seconds, each entry a wallet spend (wallet -> revenue + tax:
//     one guarded account, so two streams per append), every writer on its own wallet: postings
//     per second, p50 and p99 latency.
//  2. The same with every writer spending from one reseller's credits (all appends contend for
//     one account stream): postings per second, conflicts retried inside the service.
//  3. Stripe webhooks (payment_intent.succeeded), each signed, its Stripe-Signature verified,
//     read and booked once (the payment's stream, the entry's, the wallet's and the webhook's
//     own in one append): webhooks per second, p50 and p99.
//  4. billing_ledger.v1 rebuilt from the log of 1 to 3: events per second.
// Run: build/release/bench/bench_billing [seconds=10] [writers=64]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "events/billing/gateway_webhooks.hpp"
#include "events/billing/ledger_service.hpp"
#include "events/billing/payment_service.hpp"
#include "events/billing/subscription_service.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "projections/billing/ledger.hpp"
#include "projections/projection_runner.hpp"

namespace fs = std::filesystem;
using namespace switchyard;
using namespace switchyard::core::billing;
using Clock = std::chrono::steady_clock;

namespace {

core::DecisionContext context() {
    core::DecisionContext c;
    c.now = core::from_unix_seconds(1'790'000'000);
    c.actor = core::Actor{core::ActorKind::ApiKey, "k_bench", "127.0.0.1"};
    c.correlation_id = "bench";
    return c;
}

JournalEntry spend(const std::string& id, const std::string& account, Micros amount) {
    const Micros tax = amount * 19 / 119;
    return {
        id,
        "EUR",
        "hotspot day pass",
        "",
        "",
        {{account, amount, 0}, {"revenue:hotspot", 0, amount - tax}, {"tax_payable:DE", 0, tax}}};
}

struct Result {
    std::int64_t ok = 0, refused = 0;
    double seconds = 0;
    std::vector<double> latencies_ms;
};

double percentile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

/// `writers` threads call `command(w, i)` (writer w's i-th command; true when done) for
/// `seconds`.
Result run_commands(int writers, int seconds, const std::function<bool(int, int)>& command) {
    Result out;
    std::mutex mu;
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
            std::vector<double> mine;
            std::int64_t ok = 0, refused = 0;
            for (int i = 0; !stop; ++i) {
                const auto t0 = Clock::now();
                const bool done = command(w, i);
                mine.push_back(
                    std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                done ? ++ok : ++refused;
            }
            std::lock_guard lock(mu);
            out.ok += ok;
            out.refused += refused;
            out.latencies_ms.insert(out.latencies_ms.end(), mine.begin(), mine.end());
        });
    }
    std::this_thread::sleep_for(std::chrono::seconds(seconds));
    stop = true;
    for (auto& t : threads) t.join();
    out.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return out;
}

/// `writers` threads post for `seconds`; `account_of(w)` is writer w's guarded account.
Result run(events::billing::LedgerService& ledger, int writers, int seconds, const char* tag,
           const std::function<std::string(int)>& account_of) {
    return run_commands(writers, seconds, [&](int w, int i) {
        return ledger.post(spend(fmt::format("{}-{}-{}", tag, w, i), account_of(w), 119), context())
            .has_value();
    });
}

/// Stripe's `payment_intent.succeeded` for writer w's i-th payment, signed as Stripe signs.
std::pair<std::string, std::string> signed_payment(int w, int i) {
    const auto body = fmt::format(
        R"({{"id":"evt_{0}_{1}","object":"event","type":"payment_intent.succeeded","data":{{)"
        R"("object":{{"id":"pi_{0}_{1}","object":"payment_intent","amount":1250,)"
        R"("amount_received":1250,"currency":"eur","status":"succeeded",)"
        R"("metadata":{{"customer_id":"c{0}"}}}}}}}})",
        w, i);
    return {body, events::billing::stripe_signature(body, "whsec_bench", 1'790'000'000)};
}

void print(const char* what, Result r) {
    fmt::print(
        "{:<48} {:>9.0f} postings/s  p50 {:>6.2f} ms  p99 {:>6.2f} ms  ({} posted, {} refused)\n",
        what, static_cast<double>(r.ok) / r.seconds, percentile(r.latencies_ms, 0.5),
        percentile(r.latencies_ms, 0.99), r.ok, r.refused);
}

}  // namespace

int main(int argc, char** argv) {
    const int seconds = argc > 1 ? std::atoi(argv[1]) : 10;
    const int writers = argc > 2 ? std::atoi(argv[2]) : 64;
    const auto dir = fs::temp_directory_path() / fmt::format("bench-billing-{}", ::getpid());
    fs::remove_all(dir);
    std::int64_t events = 0;
    {
        auto store = events::open_rocksdb_event_store(dir / "log", {});
        if (!store) {
            fmt::print(stderr, "open: {}\n", store.error().message);
            return 1;
        }
        events::billing::LedgerService ledger(**store, "op");
        const auto ctx = context();
        for (int w = 0; w < writers; ++w) {
            const auto wallet = fmt::format("wallet:c{}", w);
            (void)ledger.open_account({wallet, "EUR", 0}, ctx);
            (void)ledger.post({"top-" + wallet,
                               "EUR",
                               "top-up",
                               "",
                               "",
                               {{"gateway_clearing:stripe", 1'000'000'000'000, 0},
                                {wallet, 0, 1'000'000'000'000}}},
                              ctx);
        }
        (void)ledger.open_account({"reseller_credit:r1", "EUR", 0}, ctx);
        (void)ledger.post({"credits-r1",
                           "EUR",
                           "credits",
                           "",
                           "",
                           {{"gateway_clearing:bank", 1'000'000'000'000, 0},
                            {"reseller_credit:r1", 0, 1'000'000'000'000}}},
                          ctx);
        fmt::print("{} writers, {} s each, RocksDB log with fsync, {}\n", writers, seconds,
                   dir.string());
        print(fmt::format("own wallet per writer ({} writers)", writers).c_str(),
              run(ledger, writers, seconds, "own",
                  [](int w) { return fmt::format("wallet:c{}", w); }));
        print("own wallet per writer (1 writer)",
              run(ledger, 1, seconds, "one", [](int) { return std::string("wallet:c0"); }));
        print(fmt::format("one reseller's credits ({} writers)", writers).c_str(),
              run(ledger, writers, seconds, "shared",
                  [](int) { return std::string("reseller_credit:r1"); }));
        events::billing::SubscriptionService subscriptions(**store, ledger, "op");
        events::billing::PaymentService payments(**store, ledger, subscriptions, "op");
        const std::vector<std::string> secrets{"whsec_bench"};
        auto webhooks = run_commands(writers, seconds, [&](int w, int i) {
            const auto [body, signature] = signed_payment(w, i);
            if (!events::billing::verify_stripe_signature(signature, body, secrets, ctx.now))
                return false;
            auto event = events::billing::parse_stripe_event(body);
            return event && payments.apply_webhook(*event, ctx).has_value();
        });
        fmt::print(
            "{:<48} {:>9.0f} webhooks/s  p50 {:>6.2f} ms  p99 {:>6.2f} ms  ({} booked, {} "
            "refused)\n",
            fmt::format("Stripe webhooks, verified and booked ({} writers)", writers),
            static_cast<double>(webhooks.ok) / webhooks.seconds,
            percentile(webhooks.latencies_ms, 0.5), percentile(webhooks.latencies_ms, 0.99),
            webhooks.ok, webhooks.refused);
        events = (*store)->head().total();
    }
    auto store = events::open_rocksdb_event_store(dir / "log", {});
    std::vector<std::unique_ptr<projections::Projector>> set;
    set.push_back(projections::billing::make_billing_ledger_projector());
    auto runner = projections::ProjectionRunner::open(dir / "readmodels", std::move(set));
    if (!store || !runner) return 1;
    const auto t0 = Clock::now();
    if (!(*runner)->catch_up(**store, std::nullopt)) return 1;
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    fmt::print("{:<48} {:>9.0f} events/s   ({} events in {:.2f} s)\n",
               "billing_ledger.v1 rebuilt from the log", static_cast<double>(events) / s, events,
               s);
    runner->reset();
    store->reset();
    fs::remove_all(dir);
    return 0;
}
