// `switchyard replay --until <RFC 3339 time>`: the ledger and the reports rebuilt from a RocksDB
// log up to month end equal the read models as they stood at month end (their digests taken
// then), while the live models have moved on; a bad --until names the option.
#include <doctest/doctest.h>

#include "app/commands.hpp"
#include "events/billing/ledger_service.hpp"
#include "events/log_time.hpp"
#include "events/rocksdb/rocksdb_event_store.hpp"
#include "projections/billing/ledger.hpp"
#include "projections/billing/reports.hpp"
#include "tests/support/result_checks.hpp"
#include "tests/support/temp_dir.hpp"

using namespace switchyard;
using namespace switchyard::core::billing;
using switchyard::testing::error_of;
using switchyard::testing::TempDir;

namespace {

const std::int64_t kOct31 = 1'793'491'199;  // 2026-10-31T23:59:59Z

core::DecisionContext at(std::int64_t seconds) {
    core::DecisionContext ctx;
    ctx.now = core::from_unix_seconds(seconds);
    ctx.actor = core::Actor{core::ActorKind::User, "alice", ""};
    ctx.correlation_id = "replay-test";
    return ctx;
}

JournalEntry sale(const std::string& id, Micros amount) {
    return {id, "EUR", "VPN plan",
            "", "",    {{"receivable:c1", amount, 0}, {"revenue:vpn", 0, amount}}};
}

}  // namespace

TEST_CASE("replay --until a time rebuilds the books as they stood then") {
    TempDir dir;
    std::string snapshot, live_now, reports_snapshot, reports_now;
    {
        auto store = events::open_rocksdb_event_store(dir.path() / "log", {});
        REQUIRE(store);
        std::vector<std::unique_ptr<projections::Projector>> set;
        set.push_back(projections::billing::make_billing_ledger_projector());
        set.push_back(projections::billing::make_billing_reports_projector());
        auto runner =
            projections::ProjectionRunner::open(dir.path() / "readmodels", std::move(set));
        REQUIRE(runner);
        events::billing::LedgerService ledger(**store, "op");
        REQUIRE(ledger.post(sale("oct-1", 10'000'000), at(kOct31 - 86'400)));
        REQUIRE(ledger.post(sale("oct-2", 5'000'000), at(kOct31)));
        REQUIRE((*runner)->catch_up(**store, std::nullopt));
        snapshot = *(*runner)->digest(projections::billing::kBillingLedger);
        reports_snapshot = *(*runner)->digest(projections::billing::kBillingReports);
        REQUIRE(ledger.post(sale("nov-1", 7'000'000), at(kOct31 + 1)));
        REQUIRE(ledger.reverse("oct-1", "credit note", at(kOct31 + 3600)));
        REQUIRE((*runner)->catch_up(**store, std::nullopt));
        live_now = *(*runner)->digest(projections::billing::kBillingLedger);
        reports_now = *(*runner)->digest(projections::billing::kBillingReports);
        CHECK(live_now != snapshot);
        CHECK(reports_now != reports_snapshot);
        // The checkpoint at month end covers the two October events and nothing after.
        auto month_end = events::checkpoint_at_time(**store, core::from_unix_seconds(kOct31));
        REQUIRE(month_end);
        CHECK(month_end->next_offset(0) == 2);
        CHECK(events::checkpoint_at_time(**store, core::from_unix_seconds(0))->next_offset(0) == 0);
    }
    app::ReplayOptions o{dir.path().string(), "billing_ledger", "2026-10-31T23:59:59Z"};
    auto then = app::replay_projection(o);
    REQUIRE_MESSAGE(then.has_value(), (then ? std::string() : then.error().message));
    CHECK(then->rebuilt_digest == snapshot);
    CHECK(then->live_digest == live_now);
    CHECK(then->rebuilt_at.next_offset(0) == 2);
    CHECK(then->until.next_offset(0) == 2);

    o.until.clear();
    auto now = app::replay_projection(o);
    REQUIRE(now);
    CHECK(now->rebuilt_digest == live_now);

    // The reports (revenue per day, plan and reseller) likewise.
    app::ReplayOptions reports{dir.path().string(), "billing_reports", "2026-10-31T23:59:59Z"};
    auto reports_then = app::replay_projection(reports);
    REQUIRE_MESSAGE(reports_then.has_value(),
                    (reports_then ? std::string() : reports_then.error().message));
    CHECK(reports_then->rebuilt_digest == reports_snapshot);
    CHECK(reports_then->live_digest == reports_now);

    o.until = "yesterday";
    CHECK(error_of(app::replay_projection(o)).field == "--until");
    o.until.clear();
    o.projection = "no_such_model";
    CHECK(error_of(app::replay_projection(o)).field == "--projection");
}
