#pragma once
/// The tariff registry: every published version of every rate deck, compiled for rating, in
/// memory, built from the log (`voice.deck.*` events, core/voice/deck.hpp). Rating reads it;
/// imports and a subscription keep it current.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/time.hpp"
#include "core/voice/deck.hpp"
#include "core/voice/rating.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::voice {

/// One usable version of a deck: its terms, its header and its compiled tariff.
struct DeckVersionView {
    core::voice::DeckInfo deck;
    core::voice::DeckVersionImported header;
    std::shared_ptr<const core::voice::RatingIndex> index;  ///< Never null.
};

/// Deck id -> versions -> compiled tariff.
/// @thread reads (current, version, latest, deck, find, decks, versions) are safe from any
///         thread and never wait for a tariff being compiled; apply/catch_up are serialised
///         internally.
class TariffRegistry {
  public:
    TariffRegistry();
    ~TariffRegistry();
    TariffRegistry(const TariffRegistry&) = delete;
    TariffRegistry& operator=(const TariffRegistry&) = delete;

    /// Folds one recorded event: deck events of `voice_deck-*` streams; anything else, and an
    /// event the registry has already seen (by log position), is ignored. A version becomes
    /// usable on its `voice.deck.version_published`, once every chunk was read; a version whose
    /// tariff does not compile (RatingIndex::build refuses it) stays unusable, and
    /// `build_error` says why.
    void apply(const RecordedEvent& event);

    /// Reads the log from where the registry stands to its head and applies it.
    /// @errors the store's read errors.
    core::Result<void> catch_up(EventStore& store);

    /// Follows the log from where the registry stands (catch-up, then live) on the
    /// subscription's own thread. Keep the subscription alive as long as the registry is
    /// followed.
    std::unique_ptr<Subscription> follow(EventStore& store);

    /// The version of `deck_id` that rates a call set up at `at`: the usable version with the
    /// latest `effective_from` not after `at` (the higher version when two share it); before
    /// the first version's `effective_from`, the first version (a deck imported today prices
    /// the CDRs of last month).
    /// @returns none for an unknown deck or a deck without a usable version.
    std::optional<DeckVersionView> current(const std::string& deck_id, core::Timestamp at) const;
    /// A usable version by number; none when unknown or not usable.
    std::optional<DeckVersionView> version(const std::string& deck_id, std::int64_t version) const;
    /// The usable version with the highest number, whatever its effective date.
    std::optional<DeckVersionView> latest(const std::string& deck_id) const;
    /// A deck's terms; none when unknown.
    std::optional<core::voice::DeckInfo> deck(const std::string& deck_id) const;
    /// The deck named `name` (exact match; the most recently created when several share it).
    std::optional<core::voice::DeckInfo> find(const std::string& name) const;
    /// Every deck, by id.
    std::vector<core::voice::DeckInfo> decks() const;
    /// How many decks were created so far: a reader that caches what decks() told it (the CDR
    /// resolvers' carrier-to-buy-deck map) rebuilds when this moves.
    std::int64_t decks_created() const;
    /// The headers of a deck's usable versions, oldest first.
    std::vector<core::voice::DeckVersionImported> versions(const std::string& deck_id) const;
    /// Why a published version is unusable; empty when it is usable or unknown.
    std::string build_error(const std::string& deck_id, std::int64_t version) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::voice
