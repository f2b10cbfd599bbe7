#pragma once
/// Rate deck commands: create a deck, import a version (header, chunks and publication in one
/// atomic append), record a version's differences, derive a sell card's version from its buy
/// deck. Loads `voice_deck-<id>`, runs core/voice/deck_decider and appends with the expected
/// revision, retrying on conflict.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/deck_decider.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"
#include "events/voice/tariff_registry.hpp"

namespace switchyard::events::voice {

/// What an import did.
struct ImportOutcome {
    std::int64_t version = 0;  ///< The new version, or the existing one with the same content.
    bool unchanged = false;    ///< The content was already a version of the deck: nothing new.
    std::int64_t chunks = 0;   ///< `voice.deck.rates_loaded` events appended.
    std::string content_sha256;
};

/// Rate deck commands of one tenant.
/// @thread safe.
class DeckService {
  public:
    /// @param registry when given, brought up to date after each import (it must outlive the
    ///        service); derive() needs it.
    DeckService(EventStore& store, std::string tenant, TariffRegistry* registry = nullptr);
    ~DeckService();

    /// Creates a deck. Errors as core/voice/deck_decider.hpp (CreateDeck); with a registry,
    /// Conflict naming `name` when another deck already has that name (checked against the
    /// registry, so two creates racing with one name in the same instant may both pass).
    core::Result<CommandOutcome<>> create(const core::voice::CreateDeck& c,
                                          const core::DecisionContext& ctx);

    /// Imports a version. When `c.content_sha256` is empty it is the SHA-256 of the tariff's
    /// canonical JSON (tariff_codec.hpp): the same rates give the same hash. Identical content
    /// answers `unchanged` with the existing version and appends nothing. With a registry and
    /// an earlier usable version, the differences against it (core/voice/deck_diff.hpp) are
    /// recorded after, as `voice.deck.version_diffed`.
    /// @errors as core/voice/deck_decider.hpp (ImportDeckVersion); the store's.
    core::Result<CommandOutcome<ImportOutcome>> import_version(core::voice::ImportDeckVersion c,
                                                               const core::DecisionContext& ctx);

    /// Records a version's differences. Errors as core/voice/deck_decider.hpp (RecordDeckDiff).
    core::Result<CommandOutcome<>> record_diff(const core::voice::RecordDeckDiff& c,
                                               const core::DecisionContext& ctx);

    /// Imports a new version of the derived sell card `deck_id`: the latest usable version of
    /// its source buy deck, marked up by the card's rule (core::voice::apply_markup).
    /// @errors NotFound `deck_id` (unknown deck, or the registry has no source version yet);
    ///         Rejected `deck_id` when the deck is not a derived card; Invalid when no registry.
    core::Result<CommandOutcome<ImportOutcome>> derive(const std::string& deck_id,
                                                       core::Timestamp effective_from,
                                                       const core::DecisionContext& ctx);

    /// The notice carriers owe on price increases, in days (7 by default): an increase that
    /// takes effect sooner after its import is flagged `short_notice` in the differences.
    void set_notice_days(std::int64_t days);

    /// The deck's state as the log has it. @errors the store's; Invalid when undecodable.
    core::Result<core::voice::DeckState> state(const std::string& deck_id);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::voice
