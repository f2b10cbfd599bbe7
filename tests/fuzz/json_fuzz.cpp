// Fuzz target: request bodies and stored envelopes are parsed without crashing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/json_body.hpp"
#include "events/envelope_codec.hpp"
#include "events/iptv/iptv_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace switchyard;
    const std::string text(reinterpret_cast<const char*>(data), size);
    if (auto body = api::JsonBody::parse(text)) {
        (void)body->only({"username", "password"});
        (void)body->opt_string("username");
        (void)body->opt_nullable_int("exp_date");
        (void)body->opt_int_list("bouquets");
        (void)body->opt_string_list("allowed_output_formats");
        (void)body->opt_bool("is_trial");
    }
    if (auto e = events::decode_envelope(text)) {
        (void)events::iptv::decode_catalogue_event(*e);
        (void)events::iptv::decode_line_event(*e);
        (void)events::encode_envelope(*e);
    }
    events::RecordedEvent e;
    e.schema = 1;
    e.data = text;
    for (const char* type : {"iptv.stream.added", "iptv.line.created", "iptv.category.deleted"}) {
        e.type = type;
        (void)events::iptv::decode_catalogue_event(e);
        (void)events::iptv::decode_line_event(e);
    }
    return 0;
}
