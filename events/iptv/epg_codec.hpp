#pragma once
/// JSON payloads of the EPG events (core/iptv/epg.hpp). Shapes:
/// schemas/events/iptv/iptv.channel_guide.replaced.v1.json, iptv.epg.imported.v1.json.

#include "core/iptv/epg.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::iptv {

/// `iptv.channel_guide.replaced`: `{"source", "priority", "channel_id", "display_names",
/// "icon", "window_start", "window_end", "programmes": [{"start", "stop", "title", "sub_title",
/// "desc", "categories", "episode_num", "icon", "lang"}]}` (empty texts and lists left out of a
/// programme); `iptv.epg.imported`: `{"source", "priority", "channels", "programmes", "changed",
/// "unchanged", "invalid"}`; `iptv.epg_mapping.set`: `{"stream_id", "channel_id"}`;
/// `iptv.programme.saved`: `{"source", "channel_id", <the programme's fields>}`;
/// `iptv.programme.deleted`: `{"source", "channel_id", "start"}`.
EncodedEvent encode(const core::iptv::EpgEvent& event);
/// Decodes an EPG event. @errors Invalid for an unknown type/schema or a malformed payload.
core::Result<core::iptv::EpgEvent> decode_epg_event(const RecordedEvent& event);

}  // namespace switchyard::events::iptv
