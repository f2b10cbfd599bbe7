#include "events/billing/ledger_service.hpp"

#include "events/billing/ledger_codec.hpp"

#include <memory>
#include <mutex>
#include <unordered_map>

namespace switchyard::events::billing {

using namespace core::billing;

struct LedgerService::Impl {
    Impl(EventStore& s, std::string t)
        : store(s), tenant(std::move(t)), accounts(s, decode_account_event) {}

    core::Result<std::optional<JournalEntry>> load_entry(const std::string& entry_id) {
        // Entry streams are read directly, not cached: there is one per entry.
        auto events = SY_TRY(store.read_stream(entry_stream(entry_id), 0, 1));
        if (events.empty()) return std::optional<JournalEntry>{};
        auto decoded = SY_TRY(decode_entry_event(events.front()));
        return std::optional<JournalEntry>{std::get<EntryPosted>(decoded).entry};
    }

    /// The writes of posting `e` on the present state (empty when already posted).
    core::Result<std::vector<StreamWrite>> prepare(const JournalEntry& e,
                                                   const core::DecisionContext& ctx,
                                                   PostedDetail& detail) {
        detail.balances.clear();
        const auto existing = SY_TRY(load_entry(e.entry_id));
        std::map<std::string, AccountState> guarded;
        std::map<std::string, std::int64_t> revisions;
        if (!existing) {
            for (const auto& code : guarded_accounts(e)) {
                auto [state, revision] = SY_TRY(accounts.load(account_stream(code)));
                guarded.emplace(code, std::move(state));
                revisions.emplace(code, revision);
            }
        }
        auto decision = SY_TRY(decide_entry(e, existing, guarded));
        if (decision.entry.empty()) return std::vector<StreamWrite>{};
        std::vector<StreamWrite> writes{{entry_stream(e.entry_id), ExpectedRevision::no_stream(),
                                         to_new_events(decision.entry, encode, ctx, tenant)}};
        for (const auto& [code, events] : decision.accounts) {
            detail.balances[code] = std::get<AccountMoved>(events.back()).balance_micros;
            writes.push_back({account_stream(code), ExpectedRevision::at(revisions.at(code)),
                              to_new_events(events, encode, ctx, tenant)});
        }
        return writes;
    }

    core::Result<CommandOutcome<PostedDetail>> post(const JournalEntry& e,
                                                    const core::DecisionContext& ctx) {
        SY_TRY(check_entry(e));
        // Entries of one guarded account take turns in this process (locks taken in code
        // order): without it, concurrent posters conflict in the log and retry with backoff
        // (64 posters on one reseller's credits: p99 638 ms; bench/README.md). The expected
        // revisions still guard against other processes.
        const auto codes = guarded_accounts(e);  // sorted
        std::vector<std::shared_ptr<std::mutex>> turns;
        {
            std::lock_guard lock(turns_mu);
            for (const auto& code : codes) {
                auto& weak = turns_by_account[code];
                auto turn = weak.lock();
                if (!turn) weak = turn = std::make_shared<std::mutex>();
                turns.push_back(std::move(turn));
            }
            if (turns_by_account.size() > 4096)
                std::erase_if(turns_by_account, [](const auto& kv) { return kv.second.expired(); });
        }
        std::vector<std::unique_lock<std::mutex>> held;
        for (const auto& turn : turns) held.emplace_back(*turn);
        PostedDetail detail{e.entry_id, {}};
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                return prepare(e, ctx, detail);
            }));
        return outcome_of(appended, std::move(detail));
    }

    EventStore& store;
    std::string tenant;
    AggregateLoader<AccountState, AccountEvent> accounts;
    std::mutex turns_mu;
    /// One mutex per guarded account that an entry in progress holds or waits for.
    std::unordered_map<std::string, std::weak_ptr<std::mutex>> turns_by_account;
};

LedgerService::LedgerService(EventStore& store, std::string tenant)
    : impl_(std::make_unique<Impl>(store, std::move(tenant))) {}
LedgerService::~LedgerService() = default;

core::Result<CommandOutcome<>> LedgerService::open_account(const OpenAccount& c,
                                                           const core::DecisionContext& ctx) {
    SY_TRY(parse_account(c.account, "account"));
    const auto stream = account_stream(c.account);
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            auto [state, revision] = SY_TRY(impl_->accounts.load(stream));
            auto events = SY_TRY(decide(state, c));
            if (events.empty()) return std::vector<StreamWrite>{};
            return std::vector<StreamWrite>{{stream, ExpectedRevision::at(revision),
                                             to_new_events(events, encode, ctx, impl_->tenant)}};
        }));
    return outcome_of(appended);
}

core::Result<CommandOutcome<PostedDetail>> LedgerService::post(const JournalEntry& entry,
                                                               const core::DecisionContext& ctx) {
    return impl_->post(entry, ctx);
}

core::Result<CommandOutcome<PostedDetail>> LedgerService::reverse(
    const std::string& entry_id, const std::string& memo, const core::DecisionContext& ctx) {
    if (memo.empty()) return core::fail(core::Errc::Invalid, "memo", "is required");
    const auto original = SY_TRY(impl_->load_entry(entry_id));
    if (!original) return core::fail(core::Errc::NotFound, "entry_id", "no entry " + entry_id);
    if (!original->reverses.empty())
        return core::fail(core::Errc::Rejected, "entry_id",
                          entry_id + " reverses " + original->reverses +
                              "; post a new entry instead of reversing a reversal");
    auto reversal = reversal_of(*original, memo);
    // Reversing again answers with the reversal already posted, whatever its memo.
    if (auto posted = SY_TRY(impl_->load_entry(reversal.entry_id))) reversal = *posted;
    return impl_->post(reversal, ctx);
}

core::Result<std::vector<StreamWrite>> LedgerService::prepare_post(
    const JournalEntry& entry, const core::DecisionContext& ctx) {
    SY_TRY(check_entry(entry));
    PostedDetail detail;
    return impl_->prepare(entry, ctx, detail);
}

core::Result<std::optional<JournalEntry>> LedgerService::entry(const std::string& entry_id) {
    return impl_->load_entry(entry_id);
}

core::Result<std::pair<AccountState, std::int64_t>> LedgerService::account(
    const std::string& code) {
    return impl_->accounts.load(account_stream(code));
}

}  // namespace switchyard::events::billing
