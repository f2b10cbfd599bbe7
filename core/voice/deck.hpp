#pragma once
/// Rate decks in the log. A deck is a carrier's rate deck (buy side) or a rate card sold to
/// customers (sell side); one aggregate per deck, stream `voice_deck-<deck id>`. Each import of
/// a deck appends, in one atomic append, a version header (`voice.deck.version_imported`), the
/// version's tariff (core/voice/tariff.hpp) split into chunk events of bounded size
/// (`voice.deck.rates_loaded`, at most kMaxChunkRows rows each, so that a 13k-prefix deck of
/// ~1.5 MB fits Kafka's 1 MB message limit chunk by chunk) and `voice.deck.version_published`.
/// A version is usable only once every chunk of it has been read (readers join the chunks on
/// `version_published`). Re-importing content whose SHA-256 a version of the deck already has
/// appends nothing.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.hpp"
#include "core/voice/deck_diff.hpp"
#include "core/voice/markup.hpp"
#include "core/voice/money.hpp"
#include "core/voice/tariff.hpp"

namespace switchyard::core::voice {

/// Which side of the business a deck prices. Wire names `buy` (a carrier's rate deck, what a
/// call costs us) and `sell` (a rate card, what a customer pays).
enum class DeckKind { Buy, Sell };

/// The format a deck was imported from. Wire names `cdrtool` (CDRTool CSV tables), `cgrates`
/// (a CGRateS tariff plan folder), `csv` (a carrier CSV with a column mapping), `derived` (a
/// sell card computed from a buy deck by a markup rule).
enum class DeckFormat { Cdrtool, Cgrates, Csv, Derived };

const char* to_string(DeckKind k) noexcept;
const char* to_string(DeckFormat f) noexcept;
/// Parses the wire names above; false on anything else.
bool parse_deck_kind(std::string_view text, DeckKind& out) noexcept;
bool parse_deck_format(std::string_view text, DeckFormat& out) noexcept;

/// A deck's identity and terms, as `voice.deck.created` records them.
struct DeckInfo {
    std::string deck_id;  ///< `[A-Za-z0-9_.-]{1,64}`.
    std::string name;     ///< Human name, 1 to 200 bytes; the registry finds decks by it.
    DeckKind kind = DeckKind::Buy;
    std::string carrier_id;  ///< Buy decks: the carrier whose deck it is; empty for sell cards.
    std::string currency;    ///< ISO 4217, three upper-case letters.
    DeckFormat format = DeckFormat::Csv;
    std::string source_deck_id;        ///< Derived cards: the buy deck they are computed from.
    std::optional<MarkupRule> markup;  ///< Derived cards: the rule.
    friend bool operator==(const DeckInfo&, const DeckInfo&) = default;
};

/// How much a version holds (counts of the tariff's rows).
struct TariffCounts {
    std::int64_t destinations = 0;
    std::int64_t prefixes = 0;
    std::int64_t rate_groups = 0;
    std::int64_t destination_rates = 0;
    std::int64_t timings = 0;
    std::int64_t rating_plans = 0;
    std::int64_t rating_profiles = 0;
    friend bool operator==(const TariffCounts&, const TariffCounts&) = default;
};

/// The counts of `t`.
TariffCounts count_rows(const Tariff& t);

/// Most rows (destinations with their prefixes, rate groups with their intervals, destination
/// rates, timings, plan entries, profiles) one `voice.deck.rates_loaded` carries.
inline constexpr std::size_t kMaxChunkRows = 2000;
/// Most payload bytes of one `voice.deck.rates_loaded`, as estimated from the rows (the
/// estimate is generous: a chunk's payload stays under ~256 KB, a Kafka message under 1 MB).
inline constexpr std::size_t kMaxChunkBytes = 200 * 1024;

/// Splits a tariff into chunks of at most `max_rows` rows and about `max_bytes` payload bytes
/// (a destination counts 1 plus its prefixes, a rate group 1 plus its intervals; a destination
/// larger than a chunk is split across chunks under the same id). Each chunk carries
/// `t.currency`. At least one chunk, even for an empty tariff.
/// `join_chunks(split_tariff(t)) == t` (unless `t` itself lists one destination id twice in a
/// row across a chunk boundary).
std::vector<Tariff> split_tariff(const Tariff& t, std::size_t max_rows = kMaxChunkRows,
                                 std::size_t max_bytes = kMaxChunkBytes);
/// Joins chunks in order: the lists concatenated, destinations split by split_tariff merged.
Tariff join_chunks(const std::vector<Tariff>& chunks);

// ---- events (stream `voice_deck-<deck id>`) ----

struct DeckCreated {
    static constexpr std::string_view kType = "voice.deck.created";
    DeckInfo deck;
    friend bool operator==(const DeckCreated&, const DeckCreated&) = default;
};

/// The header of a version; its rates follow in `chunks` DeckRatesLoaded events.
struct DeckVersionImported {
    static constexpr std::string_view kType = "voice.deck.version_imported";
    std::int64_t version = 0;  ///< 1, 2, ... per deck.
    Timestamp effective_from;  ///< Calls set up from this instant on are rated with it.
    Timestamp imported_at;
    std::vector<std::string> files;  ///< File names the version came from (may be empty).
    TariffCounts counts;
    std::string content_sha256;  ///< Lower-case hex SHA-256 of the imported content.
    std::string rating_plan_id;  ///< The plan route selection and sell cards rate against.
    std::string currency;        ///< The tariff's currency (the deck's).
    std::int64_t chunks = 0;     ///< Number of DeckRatesLoaded that carry the version.
    friend bool operator==(const DeckVersionImported&, const DeckVersionImported&) = default;
};

/// One chunk of a version's tariff (`rates.currency` is the version's currency).
struct DeckRatesLoaded {
    static constexpr std::string_view kType = "voice.deck.rates_loaded";
    std::int64_t version = 0;
    std::int64_t chunk = 0;  ///< 0-based.
    Tariff rates;
    friend bool operator==(const DeckRatesLoaded&, const DeckRatesLoaded&) = default;
};

/// Every chunk of the version is in the log: readers may join and use it.
struct DeckVersionPublished {
    static constexpr std::string_view kType = "voice.deck.version_published";
    std::int64_t version = 0;
    friend bool operator==(const DeckVersionPublished&, const DeckVersionPublished&) = default;
};

/// The differences of a version against an earlier one, computed by core/voice/deck_diff
/// and recorded through the deck decider (RecordDeckDiff) after each import.
struct DeckVersionDiffed {
    static constexpr std::string_view kType = "voice.deck.version_diffed";
    std::int64_t version = 0;
    std::int64_t against_version = 0;
    std::vector<PrefixRate> added;    ///< Prefixes only in the new version (new price).
    std::vector<PrefixRate> removed;  ///< Prefixes only in the old version (old price).
    std::vector<PriceChange> increases, decreases;  ///< core/voice/deck_diff.hpp
    std::int64_t unchanged = 0;
    friend bool operator==(const DeckVersionDiffed&, const DeckVersionDiffed&) = default;
};

using DeckEvent = std::variant<DeckCreated, DeckVersionImported, DeckRatesLoaded,
                               DeckVersionPublished, DeckVersionDiffed>;

/// A version as the deck's state knows it (the rates themselves are left to readers).
struct DeckVersionState {
    DeckVersionImported header;
    std::int64_t chunks_loaded = 0;
    bool published = false;
    bool diffed = false;
};

struct DeckState {
    std::optional<DeckInfo> info;  ///< None until created.
    std::map<std::int64_t, DeckVersionState> versions;
    std::map<std::string, std::int64_t> version_by_sha256;
    std::int64_t last_version = 0;
};

inline std::string deck_stream(const std::string& deck_id) { return "voice_deck-" + deck_id; }

}  // namespace switchyard::core::voice
