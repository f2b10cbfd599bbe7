#include "events/id_allocator.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "events/command_handler.hpp"
#include "events/json_reader.hpp"

namespace switchyard::events {

namespace {

constexpr std::string_view kIdBlockReserved = ".id_block.reserved";

}  // namespace

std::string id_block_type(std::string_view module) {
    return std::string(module) + std::string(kIdBlockReserved);
}

bool is_id_block_type(std::string_view type) { return type.ends_with(kIdBlockReserved); }

IdAllocator::IdAllocator(EventStore& store, std::string module, std::string tenant,
                         std::string kind, std::int64_t block)
    : store_(store),
      module_(std::move(module)),
      tenant_(std::move(tenant)),
      kind_(std::move(kind)),
      stream_(fmt::format("{}_ids-{}-{}", module_, tenant_, kind_)),
      block_(std::max<std::int64_t>(block, 1)) {}

core::Result<std::int64_t> IdAllocator::take(std::int64_t count, const core::DecisionContext& ctx) {
    count = std::max<std::int64_t>(count, 1);
    std::lock_guard lock(mu_);
    if (end_ - next_ < count) SY_TRY(reserve(count, ctx));
    const auto first = next_;
    next_ += count;
    return first;
}

core::Result<void> IdAllocator::reserve(std::int64_t count, const core::DecisionContext& ctx) {
    const auto type = id_block_type(module_);
    for (int attempt = 0; attempt < 64; ++attempt) {
        // Catch up with blocks reserved since (by this process before a restart, or by others).
        for (;;) {
            auto batch = SY_TRY(store_.read_stream(stream_, log_revision_ + 1, 1024));
            for (const auto& e : batch) {
                auto end = with_json_object(
                    e.data, [](const JsonObject& o) { return o.i64("first") + o.i64("count"); });
                if (!end) return tl::unexpected(end.error());
                log_end_ = std::max(log_end_, *end);
                log_revision_ = e.revision;
            }
            if (batch.size() < 1024) break;
        }
        const auto first = log_end_;
        const auto size = std::max(block_, count);
        boost::json::object data{{"kind", kind_}, {"first", first}, {"count", size}};
        std::vector<StreamWrite> writes{
            {stream_,
             log_revision_ < 0 ? ExpectedRevision::no_stream()
                               : ExpectedRevision::exact(log_revision_),
             {make_new_event(type, 1, boost::json::serialize(data), ctx, tenant_)}}};
        auto appended = store_.append(std::move(writes));
        if (appended) {
            log_end_ = first + size;
            ++log_revision_;
            // A block right after the current one extends it, so that ids stay consecutive.
            if (first != end_) next_ = first;
            end_ = first + size;
            return {};
        }
        if (appended.error().code != core::Errc::Conflict) return tl::unexpected(appended.error());
    }
    return core::fail(core::Errc::Conflict, "id",
                      fmt::format("could not reserve {} ids: {} stayed contended", kind_, stream_));
}

}  // namespace switchyard::events
