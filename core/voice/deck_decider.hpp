#pragma once
/// Decide and evolve for rate decks (pure; see core/voice/deck.hpp).

#include <string>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/deck.hpp"

namespace switchyard::core::voice {

/// Creates a deck. Creating it again with the same terms decides nothing.
struct CreateDeck {
    DeckInfo deck;
};

/// Imports a new version of a deck: header, rates in chunks, published, all in one decision.
struct ImportDeckVersion {
    std::string deck_id;
    Tariff tariff;
    Timestamp effective_from;
    std::vector<std::string> files;
    std::string content_sha256;  ///< Computed by the command side (events/voice/deck_service).
    std::string rating_plan_id;  ///< Empty: the first rating plan entry's plan id, if any.
    std::size_t max_chunk_rows = kMaxChunkRows;
    std::size_t max_chunk_bytes = kMaxChunkBytes;
};

/// Records the differences of a version against an earlier one (the hook for deck_diff).
struct RecordDeckDiff {
    std::string deck_id;
    DeckVersionDiffed diff;
};

void evolve(DeckState& state, const DeckEvent& event);

/// @errors Invalid naming the field: `deck_id` not `[A-Za-z0-9_.-]{1,64}`, `name` empty or over
///         200 bytes, `currency` not three upper-case letters, `carrier_id` missing on a buy deck
///         or present on a sell card, `source_deck_id`/`markup` missing on a derived card or
///         present on another, a negative markup part. Conflict naming `deck_id` when the deck
///         exists with other terms.
Result<std::vector<DeckEvent>> decide(const DeckState& s, const CreateDeck& c,
                                      const DecisionContext& ctx);
/// Decides nothing when a version with the same `content_sha256` exists (an unchanged deck).
/// @errors NotFound `deck_id` when the deck was never created; Invalid `content_sha256` when
///         not 64 hex digits; Rejected `currency` when the tariff's currency is not the deck's;
///         Rejected `rating_plan_id` when it names no plan of the tariff.
Result<std::vector<DeckEvent>> decide(const DeckState& s, const ImportDeckVersion& c,
                                      const DecisionContext& ctx);
/// Decides nothing when the version already has its differences recorded.
/// @errors NotFound `version` (or `against_version`) for a version the deck does not have.
Result<std::vector<DeckEvent>> decide(const DeckState& s, const RecordDeckDiff& c,
                                      const DecisionContext& ctx);

}  // namespace switchyard::core::voice
