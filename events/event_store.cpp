#include "events/event_store.hpp"

namespace switchyard::events {

void EventStore::append_async(std::vector<StreamWrite> writes, AppendCallback done) {
    done(append(std::move(writes)));
}

}  // namespace switchyard::events
