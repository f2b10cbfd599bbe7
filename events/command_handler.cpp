#include "events/command_handler.hpp"

#include <random>
#include <thread>

#include "events/uuid.hpp"

namespace switchyard::events {

core::Result<AppendResult> execute_command(EventStore& store, const Attempt& attempt,
                                           int max_attempts) {
    return execute_command(store, attempt, RetryPolicy{max_attempts, std::chrono::hours(1)});
}

core::Result<AppendResult> execute_command(EventStore& store, const Attempt& attempt,
                                           RetryPolicy policy) {
    core::Error last{core::Errc::Conflict, "", "no attempt was made"};
    const auto deadline = std::chrono::steady_clock::now() + policy.budget;
    thread_local std::minstd_rand jitter(std::random_device{}());
    for (int i = 0; i < policy.max_attempts; ++i) {
        if (i >= 2) {
            if (std::chrono::steady_clock::now() >= deadline) break;
            const auto cap = std::min(20, 1 << std::min(i, 5));
            std::this_thread::sleep_for(std::chrono::microseconds(
                std::uniform_int_distribution<int>(0, cap * 1000)(jitter)));
        }
        auto writes = SY_TRY(attempt());
        bool any = false;
        for (const auto& w : writes) any = any || !w.events.empty();
        if (!any) return AppendResult{};
        auto appended = store.append(std::move(writes));
        if (appended) return appended;
        if (appended.error().code != core::Errc::Conflict) return appended;
        last = appended.error();
    }
    last.message = "gave up after repeated conflicts: " + last.message;
    return core::fail(std::move(last));
}

NewEvent make_new_event(std::string type, int schema, std::string data,
                        const core::DecisionContext& ctx, const std::string& tenant) {
    NewEvent e;
    e.id = new_uuid_v7(ctx.now);
    e.type = std::move(type);
    e.schema = schema;
    e.time = ctx.now;
    e.actor = ctx.actor;
    e.correlation_id = ctx.correlation_id;
    e.tenant = tenant;
    e.data = std::move(data);
    return e;
}

NewEvent make_new_event(EncodedEvent event, const core::DecisionContext& ctx,
                        const std::string& tenant) {
    return make_new_event(std::move(event.type), event.schema, std::move(event.data), ctx, tenant);
}

core::Result<std::set<std::string>> streams_with_event(EventStore& store, std::string_view type) {
    std::set<std::string> out;
    Checkpoint cursor;
    for (;;) {
        auto batch = SY_TRY(store.read_all(cursor, 4096));
        if (batch.empty()) break;
        for (const auto& e : batch) {
            cursor.advance(e.position);
            if (e.type == type) out.insert(e.stream);
        }
    }
    return out;
}

}  // namespace switchyard::events
