#pragma once
/// Ledger commands of one tenant (core/billing/ledger.hpp): open a guarded account, post a
/// journal entry, reverse one. A posting appends the entry's stream (created once: the entry id
/// is the idempotency key) and the `moved` event of every guarded account it touches, at each
/// account stream's expected revision, in one atomic append; on a conflict it loads and decides
/// again (events/command_handler.hpp), so concurrent entries never take a wallet or a reseller's
/// credits below the floor.

#include <memory>
#include <optional>
#include <string>

#include "core/billing/ledger.hpp"
#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::billing {

/// What a posting gives back besides its positions.
struct PostedDetail {
    std::string entry_id;
    /// Guarded accounts' balances after the entry, by code (micro-units); empty when the entry
    /// was already posted.
    std::map<std::string, core::billing::Micros> balances;
};

/// @thread safe.
class LedgerService {
  public:
    LedgerService(EventStore& store, std::string tenant);
    ~LedgerService();

    /// @errors as core::billing::decide(AccountState, OpenAccount); the store's.
    core::Result<CommandOutcome<>> open_account(const core::billing::OpenAccount& c,
                                                const core::DecisionContext& ctx);
    /// Posts `entry`; the same entry again changes nothing (`changed` false).
    /// @errors as core::billing::decide_entry; Conflict when contention outlasts the retries.
    core::Result<CommandOutcome<PostedDetail>> post(const core::billing::JournalEntry& entry,
                                                    const core::DecisionContext& ctx);
    /// Posts the reversal of entry `entry_id` (id `<entry_id>.reversal`, sides swapped).
    /// Reversing twice changes nothing the second time.
    /// @errors NotFound `entry_id`; Invalid `memo` when empty; Rejected when the entry is itself
    ///         a reversal of an entry, or when a guarded account no longer holds what it got.
    core::Result<CommandOutcome<PostedDetail>> reverse(const std::string& entry_id,
                                                       const std::string& memo,
                                                       const core::DecisionContext& ctx);

    /// The writes that post `entry` on the accounts' present state, for a command that appends
    /// them with its own events in one atomic append (call it inside execute_command's attempt,
    /// so a conflict decides both again): the entry's stream (new) and the `moved` event of each
    /// guarded account at its expected revision; empty when this entry is already posted.
    /// Entries posted this way do not take the in-process turns of `post`.
    /// @errors as post.
    core::Result<std::vector<StreamWrite>> prepare_post(const core::billing::JournalEntry& entry,
                                                        const core::DecisionContext& ctx);

    /// The entry posted under `entry_id`, or nullopt. @errors the store's; Invalid on decoding.
    core::Result<std::optional<core::billing::JournalEntry>> entry(const std::string& entry_id);
    /// A guarded account as its stream has it (no terms when never opened), and its revision.
    core::Result<std::pair<core::billing::AccountState, std::int64_t>> account(
        const std::string& code);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::billing
