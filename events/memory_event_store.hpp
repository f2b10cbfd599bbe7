#pragma once
/// An in-memory EventStore for tests: the full contract except durability.

#include <memory>

#include "events/event_store.hpp"

namespace switchyard::events {

/// Creates an empty in-memory store (one partition).
std::unique_ptr<EventStore> make_memory_event_store();

}  // namespace switchyard::events
