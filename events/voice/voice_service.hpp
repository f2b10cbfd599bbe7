#pragma once
/// The voice command side for customers and reference data: loads the directory
/// (`voice_directory-<tenant>`: categories, groups, customers, assignments) and the reference
/// data (`voice_reference-<tenant>`: POPs, tiers, codecs, codec sets, channel plans, carriers),
/// runs the pure deciders (core/voice/customer_decider.hpp, reference_decider.hpp) and appends
/// their events with expected revisions, retrying on conflict. Its reads (directory(),
/// reference(), effective_config()) fold the streams in memory and are current with every
/// command this process appended; other parts of the voice module (rating, CDRs) call
/// effective_config() to find a customer's rate card, tier, codecs, channels and POP.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/assignment.hpp"
#include "core/voice/customer_decider.hpp"
#include "core/voice/reference_decider.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::voice {

/// What a directory command gives back: the customer or assignment id it created or
/// addressed (0 for categories and groups).
struct DirectoryDetail {
    std::int64_t id = 0;
};

/// A customer and its effective configuration.
struct CustomerConfig {
    core::voice::Customer customer;
    core::voice::EffectiveConfig effective;
};

/// Voice directory and reference commands of one tenant.
/// @thread safe.
class VoiceService {
  public:
    VoiceService(EventStore& store, std::string tenant);
    ~VoiceService();

    /// Directory commands decided on the directory alone. Errors as
    /// core/voice/customer_decider.hpp, and the store's.
    template <OneOf<core::voice::DefineCategory, core::voice::SeedCategories,
                    core::voice::DefineGroup, core::voice::CreateCustomer,
                    core::voice::UpdateCustomer, core::voice::DeleteAssignment>
                  Command>
    core::Result<CommandOutcome<DirectoryDetail>> execute(const Command& c,
                                                          const core::DecisionContext& ctx) {
        return on_directory(
            ctx,
            [&](const core::voice::DirectoryState& s, const core::voice::ReferenceState*) {
                return decide(s, c, ctx);
            },
            false);
    }
    /// Decided against the reference data too (the item it assigns must be live); the append
    /// holds the reference stream's revision, so a retirement in between makes it decide again.
    core::Result<CommandOutcome<DirectoryDetail>> execute(const core::voice::CreateAssignment& c,
                                                          const core::DecisionContext& ctx);

    /// Reference commands: DefineItem<Item>, RetireItem<Item>, SeedTiers. Errors as
    /// core/voice/reference_decider.hpp, and the store's.
    template <class Command>
    requires requires(const core::voice::ReferenceState& s, const Command& c,
                      const core::DecisionContext& ctx) {
        decide(s, c, ctx);
    }
    core::Result<CommandOutcome<>> execute(const Command& c, const core::DecisionContext& ctx) {
        return on_reference(
            ctx, [&](const core::voice::ReferenceState& s) { return decide(s, c, ctx); });
    }

    /// The current directory and reference data. @errors the store's; Invalid for an event
    /// that cannot be decoded.
    core::Result<core::voice::DirectoryState> directory();
    core::Result<core::voice::ReferenceState> reference();

    /// A shared, immutable state and the revision of its stream's last event (-1: none yet).
    template <class State>
    struct Snapshot {
        std::shared_ptr<const State> state;  ///< Never null.
        std::int64_t revision = -1;
    };
    /// As directory() and reference(), without copying: readers on a hot path (the CDR
    /// resolvers) compare revisions and rebuild their indexes only when one moved.
    core::Result<Snapshot<core::voice::DirectoryState>> directory_snapshot();
    core::Result<Snapshot<core::voice::ReferenceState>> reference_snapshot();

    /// A customer with its effective configuration (core/voice/assignment.hpp resolve()).
    /// @errors NotFound naming `customer_id` for an unknown customer; the store's.
    core::Result<CustomerConfig> effective_config(std::int64_t customer_id);

  private:
    using DirectoryDecide = std::function<core::Result<core::voice::DirectoryDecision>(
        const core::voice::DirectoryState&, const core::voice::ReferenceState*)>;
    using ReferenceDecide = std::function<core::Result<std::vector<core::voice::ReferenceEvent>>(
        const core::voice::ReferenceState&)>;
    /// Decides on the directory (and, with `with_reference`, the reference data, whose revision
    /// the append then holds) and appends what it decided.
    core::Result<CommandOutcome<DirectoryDetail>> on_directory(const core::DecisionContext& ctx,
                                                               const DirectoryDecide& decide,
                                                               bool with_reference);
    core::Result<CommandOutcome<>> on_reference(const core::DecisionContext& ctx,
                                                const ReferenceDecide& decide);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::voice
