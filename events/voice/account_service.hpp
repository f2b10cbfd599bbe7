#pragma once
/// Balance commands: open an account, top it up and adjust it (staff actions), debit it.
/// Loads `voice_account-<customer id>`, runs core/voice/account_decider and appends with the
/// expected revision, retrying on conflict. CDR debits are appended by the CDR service
/// (cdr_service.hpp) together with the CDR, in one atomic append; debit() here is for other
/// charges and for tests.

#include <memory>
#include <string>

#include "core/actor.hpp"
#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/account_decider.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::voice {

/// Balance commands of one tenant.
/// @thread safe.
class AccountService {
  public:
    AccountService(EventStore& store, std::string tenant);
    ~AccountService();

    /// Errors as core/voice/account_decider.hpp (OpenAccount).
    core::Result<CommandOutcome<>> open(const core::voice::OpenAccount& c,
                                        const core::DecisionContext& ctx);
    /// A top-up by `staff` (recorded as the event's actor and in its `by`).
    /// @errors Forbidden when `staff` is not a user or API key with an id; as
    ///         core/voice/account_decider.hpp (TopUp).
    core::Result<CommandOutcome<>> top_up(core::voice::TopUp c, const core::Actor& staff,
                                          core::DecisionContext ctx);
    /// An adjustment by `staff`. @errors as top_up, and as the decider (Adjust).
    core::Result<CommandOutcome<>> adjust(core::voice::Adjust c, const core::Actor& staff,
                                          core::DecisionContext ctx);
    /// Errors as core/voice/account_decider.hpp (Debit).
    core::Result<CommandOutcome<>> debit(const core::voice::Debit& c,
                                         const core::DecisionContext& ctx);

    /// The account as the log has it (no terms when never opened) and its stream's revision.
    /// @errors the store's; Invalid when an event cannot be decoded.
    core::Result<std::pair<core::voice::AccountState, std::int64_t>> load(
        const std::string& customer_id);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::voice
