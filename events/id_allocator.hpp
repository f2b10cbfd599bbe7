#pragma once
/// Integer ids (the Xtream `stream_id`, `category_id`, line ids) without a counter append per
/// command: ids are reserved from the log in blocks, one `<module>.id_block.reserved` event
/// (`{"kind", "first", "count"}`) in the stream `<module>_ids-<tenant>-<kind>` per block, and
/// handed out from memory. Blocks never overlap, also between processes, because each
/// reservation appends with the expected revision of the block stream. Ids of a block a process
/// did not use before it stopped are never used: ids stay unique and increasing; they skip only
/// after a restart or where another process reserved a block in between.

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "events/event_store.hpp"

namespace switchyard::events {

/// The type of a block reservation of `module`: `<module>.id_block.reserved`.
std::string id_block_type(std::string_view module);
/// True for the type of a block reservation of any module.
bool is_id_block_type(std::string_view type);

/// Hands out ids of one kind (e.g. `stream`) of one tenant.
/// @thread safe; reservations of one allocator are serialized by its own lock.
class IdAllocator {
  public:
    /// @param module  event type prefix and stream prefix, e.g. `iptv`.
    /// @param kind    what the ids number, e.g. `stream`; printable ASCII without spaces.
    /// @param block   ids per reservation (a request for more reserves as many as asked).
    IdAllocator(EventStore& store, std::string module, std::string tenant, std::string kind,
                std::int64_t block = 64);

    /// Takes `count` consecutive ids (count >= 1) and returns the first; reserves a block when
    /// the current one has fewer left (appending with `ctx` as the event's context).
    /// @errors the store's errors; Conflict when the block stream stayed contended.
    core::Result<std::int64_t> take(std::int64_t count, const core::DecisionContext& ctx);

    /// The block stream's name.
    const std::string& stream() const { return stream_; }

  private:
    core::Result<void> reserve(std::int64_t count, const core::DecisionContext& ctx);

    EventStore& store_;
    std::string module_, tenant_, kind_, stream_;
    std::int64_t block_;
    std::mutex mu_;
    std::int64_t next_ = 0, end_ = 0;  ///< The ids left: [next_, end_).
    std::int64_t log_revision_ = -1;   ///< Last block event read from the log.
    std::int64_t log_end_ = 1;         ///< End of the last block reserved in the log.
};

}  // namespace switchyard::events
