// Gapless invoice numbers: the decider, concurrent numbering on the memory log (numbers 1..N,
// none twice, a retry answers the same number), and a RocksDB log killed with SIGKILL while
// four threads number invoices: every acknowledged number is in the log, and the numbers in
// the log are exactly 1..N.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "events/billing/invoice_numbers.hpp"
#include "events/billing/ledger_codec.hpp"
#include "events/memory_event_store.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "tests/support/result_checks.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::core::billing;
using switchyard::testing::error_of;

namespace {

const core::DecisionContext kCtx{
    core::from_unix_seconds(1'790'000'000), {core::ActorKind::System, "test", ""}, "req-1", {}, {}};

}  // namespace

TEST_CASE("invoice numbering: the next number of the series, a retry decides nothing") {
    InvoiceSeriesState s;
    auto first = decide(s, {"INV-2026", "a"}, std::nullopt);
    REQUIRE(first);
    CHECK(first->series->number == 1);
    CHECK(first->invoice->invoice_number == "INV-2026-000001");
    evolve(s, *first->series);
    auto second = decide(s, {"INV-2026", "b"}, std::nullopt);
    CHECK(second->invoice->number == 2);
    CHECK(!decide(s, {"INV-2026", "a"}, *first->invoice)->series);
    CHECK(error_of(decide(s, {"CN-2026", "a"}, *first->invoice)).code == core::Errc::Conflict);
    CHECK(error_of(decide(s, {"INV 2026", "a"}, std::nullopt)).field == "series");
    CHECK(error_of(decide(s, {"INV", ""}, std::nullopt)).field == "invoice_id");
    CHECK(format_invoice_number("X", 1'234'567) == "X-1234567");
}

TEST_CASE("concurrent numbering gives 1..N without a gap or a number twice") {
    auto store = events::make_memory_event_store();
    events::billing::InvoiceNumbers numbers(*store, "op");
    std::mutex mu;
    std::map<std::int64_t, std::string> given;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 25; ++i) {
                const auto id = "inv-" + std::to_string(t) + "-" + std::to_string(i);
                auto r = numbers.number({"INV-2026", id}, kCtx);
                CHECK(r.has_value());
                if (!r) continue;
                std::lock_guard lock(mu);
                CHECK(given.emplace(r->number, id).second);
            }
        });
    }
    for (auto& t : threads) t.join();
    REQUIRE(given.size() == 200);
    CHECK(given.begin()->first == 1);
    CHECK(given.rbegin()->first == 200);
    // A retry answers the invoice's number and appends nothing; another series starts at 1.
    const auto size = store->head().total();
    auto again = numbers.number({"INV-2026", given.at(17)}, kCtx);
    REQUIRE(again);
    CHECK(!again->changed);
    CHECK(again->number == 17);
    CHECK(store->head().total() == size);
    CHECK(numbers.number({"CN-2026", "credit-1"}, kCtx)->number == 1);
    CHECK(numbers.find(given.at(200)).value()->invoice_number == "INV-2026-000200");
}

TEST_CASE("after SIGKILL every acknowledged invoice number is in the log, and the log's are 1..N") {
    switchyard::testing::TempDir dir;
    const auto ack_path = dir.path() / "acks.txt";
    const auto log_dir = dir.path() / "log";
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        execl(SY_INVOICE_CRASH_CHILD, SY_INVOICE_CRASH_CHILD, log_dir.c_str(), ack_path.c_str(),
              static_cast<char*>(nullptr));
        _exit(127);
    }
    for (int i = 0; i < 1000; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        std::ifstream in(ack_path);
        int lines = 0;
        for (std::string l; std::getline(in, l);) ++lines;
        if (lines >= 300) break;
    }
    REQUIRE(kill(child, SIGKILL) == 0);
    int status = 0;
    waitpid(child, &status, 0);
    REQUIRE(WIFSIGNALED(status));

    auto store = events::open_rocksdb_event_store(log_dir);
    REQUIRE(store);
    auto series = (*store)->read_stream(invoice_series_stream("INV-2026"), 0, 1'000'000);
    REQUIRE(series);
    std::map<std::string, std::int64_t> in_log;
    for (std::size_t i = 0; i < series->size(); ++i) {
        auto e = events::billing::decode_invoice_series_event((*series)[i]);
        REQUIRE(e);
        const auto& advanced = std::get<InvoiceSeriesAdvanced>(*e);
        CHECK(advanced.number == static_cast<std::int64_t>(i) + 1);  // 1..N, no gap
        in_log[advanced.invoice_id] = advanced.number;
    }
    std::ifstream in(ack_path);
    int acked = 0, missing = 0;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line.back() != ';') continue;  // a line cut by the kill
        std::istringstream fields(line.substr(0, line.size() - 1));
        std::string id;
        std::int64_t number = 0;
        fields >> id >> number;
        ++acked;
        auto it = in_log.find(id);
        if (it == in_log.end() || it->second != number) ++missing;
    }
    MESSAGE("acknowledged ", acked, " numbers, ", in_log.size(), " in the log");
    CHECK(acked >= 300);
    CHECK(missing == 0);
    // The next number after the restart follows the last one in the log.
    events::billing::InvoiceNumbers numbers(**store, "op");
    auto next = numbers.number({"INV-2026", "after-restart"}, kCtx);
    REQUIRE(next);
    CHECK(next->number == static_cast<std::int64_t>(in_log.size()) + 1);
}
