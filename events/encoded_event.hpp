#pragma once
/// An event payload as a module's codec writes it, before it gets an envelope
/// (events/command_handler.hpp `make_new_event`).

#include <string>

namespace switchyard::events {

/// An event payload ready for an envelope.
struct EncodedEvent {
    std::string type;  ///< `<module>.<aggregate>.<past_tense>`, e.g. `iptv.stream.added`.
    int schema = 1;    ///< Payload schema version: schemas/events/<module>/<type>.v<N>.json.
    std::string data;  ///< JSON object text.
};

}  // namespace switchyard::events
