#include "events/log_time.hpp"

#include <set>

namespace switchyard::events {

core::Result<Checkpoint> checkpoint_at_time(EventStore& store, core::Timestamp until) {
    Checkpoint read;  // what has been read, so the next batch starts after it
    Checkpoint out;   // what the answer covers
    std::set<Checkpoint::Key> ended;
    for (;;) {
        auto batch = SY_TRY(store.read_all(read, 4096));
        if (batch.empty()) break;
        for (const auto& e : batch) {
            read.advance(e.position);
            const Checkpoint::Key key{e.position.topic, e.position.partition};
            if (ended.count(key)) continue;
            if (e.time > until) {
                ended.insert(key);
                out.set_next(key, e.position.offset);
                continue;
            }
            out.advance(e.position);
        }
    }
    return out;
}

}  // namespace switchyard::events
