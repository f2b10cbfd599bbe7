#include "events/command_handler.hpp"

#include "events/uuid.hpp"

namespace switchyard::events {

core::Result<AppendResult> execute_command(EventStore& store, const Attempt& attempt,
                                           int max_attempts) {
    core::Error last{core::Errc::Conflict, "", "no attempt was made"};
    for (int i = 0; i < max_attempts; ++i) {
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
