#pragma once
/// JSON payloads of the movie and series events (core/iptv/vod.hpp).
/// Shapes: schemas/events/iptv/iptv.{movie,series,episode,xtream}.*.v1.json.

#include "core/iptv/vod.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::iptv {

/// The payload of a movie, series, episode or Xtream import event.
EncodedEvent encode(const core::iptv::VodEvent& event);
/// Decodes a VOD event. @errors Invalid for an unknown type/schema or a malformed payload.
core::Result<core::iptv::VodEvent> decode_vod_event(const RecordedEvent& event);

}  // namespace switchyard::events::iptv
