#pragma once
/// Decide and evolve for the IPTV catalogue (pure; see core/iptv/catalogue.hpp).

#include <optional>
#include <string>
#include <vector>

#include "core/decision_context.hpp"
#include "core/iptv/catalogue.hpp"
#include "core/result.hpp"

namespace switchyard::core::iptv {

// ---- commands ----

struct CreateCategory {
    std::string name;  ///< 1 to 200 bytes, unique per kind among live categories.
    CategoryKind kind = CategoryKind::Live;
    std::int64_t parent_id = 0;
};
struct RenameCategory {
    std::int64_t category_id{};
    std::string name;
};
struct DeleteCategory {
    std::int64_t category_id{};
    std::optional<std::int64_t> move_streams_to;  ///< Required when the category holds streams.
};
struct AddStream {
    StreamFields fields;
    std::string source;  ///< Import source name; empty for API-created streams.
};
struct UpdateStream {
    std::int64_t stream_id{};
    StreamFields fields;
};
struct RemoveStream {
    std::int64_t stream_id{};
};
struct CreateBouquet {
    std::string name;
    std::vector<std::int64_t> category_ids;
    std::vector<std::int64_t> stream_ids;
};
struct UpdateBouquet {
    std::int64_t bouquet_id{};
    std::string name;
    std::vector<std::int64_t> category_ids;
    std::vector<std::int64_t> stream_ids;
};
struct DeleteBouquet {
    std::int64_t bouquet_id{};
};
/// One valid playlist entry; `category_name` empty means no category.
struct ImportEntry {
    std::int64_t line{};  ///< 1-based line of the `#EXTINF` in the playlist.
    StreamFields fields;  ///< `category_id` is ignored; `category_name` decides it.
    std::string category_name;
};
struct ImportPlaylist {
    std::string source;  ///< Name of the playlist source, e.g. `us`.
    std::vector<ImportEntry> entries;
    std::int64_t invalid = 0;  ///< Entries the parser refused (reported to the caller).
};

/// The outcome of a catalogue command: the events to append and the id of the thing addressed
/// (the new or existing category/stream/bouquet id; 0 for imports).
struct CatalogueDecision {
    std::vector<CatalogueEvent> events;
    std::int64_t id = 0;
    std::optional<PlaylistImported> summary;  ///< Imports only, also when nothing was created.
};

/// Applies one event to the state. Total: accepts every catalogue event ever written.
void evolve(CatalogueState& state, const CatalogueEvent& event);

/// Decisions. Each is idempotent on retry: repeating a command that already took effect yields
/// no events and the same id.
/// @errors Invalid for a malformed field (naming it); NotFound for an unknown id; Conflict when a
///         different thing holds the unique name or URL; Rejected when a rule refuses (deleting a
///         category that holds streams without `move_streams_to`).
Result<CatalogueDecision> decide(const CatalogueState& s, const CreateCategory& c,
                                 const DecisionContext& ctx);
Result<CatalogueDecision> decide(const CatalogueState& s, const RenameCategory& c,
                                 const DecisionContext& ctx);
Result<CatalogueDecision> decide(const CatalogueState& s, const DeleteCategory& c,
                                 const DecisionContext& ctx);
Result<CatalogueDecision> decide(const CatalogueState& s, const AddStream& c,
                                 const DecisionContext& ctx);
Result<CatalogueDecision> decide(const CatalogueState& s, const UpdateStream& c,
                                 const DecisionContext& ctx);
Result<CatalogueDecision> decide(const CatalogueState& s, const RemoveStream& c,
                                 const DecisionContext& ctx);
Result<CatalogueDecision> decide(const CatalogueState& s, const CreateBouquet& c,
                                 const DecisionContext& ctx);
Result<CatalogueDecision> decide(const CatalogueState& s, const UpdateBouquet& c,
                                 const DecisionContext& ctx);
Result<CatalogueDecision> decide(const CatalogueState& s, const DeleteBouquet& c,
                                 const DecisionContext& ctx);
/// Imports entries: a URL already in the catalogue counts as unchanged; categories are created
/// by name as needed. When anything was created the events end with a PlaylistImported summary;
/// an import that creates nothing appends nothing (so a retry is a no-op).
Result<CatalogueDecision> decide(const CatalogueState& s, const ImportPlaylist& c,
                                 const DecisionContext& ctx);

/// Checks the fields of a stream as the catalogue accepts them (also used by the M3U importer).
/// @errors Invalid naming the field.
Result<void> validate_stream_fields(const StreamFields& f);

}  // namespace switchyard::core::iptv
