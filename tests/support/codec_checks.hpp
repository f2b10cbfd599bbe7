#pragma once
/// What every codec suite shares: an event encoded, put in a recorded event and decoded back
/// must come back the same alternative with the same fields (same_fields.hpp); and a decoder
/// refuses a malformed payload as Invalid, naming the field.

#include <doctest/doctest.h>

#include <string>

#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"
#include "tests/support/same_fields.hpp"

namespace switchyard::testing {

/// A recorded event holding what a codec wrote: its type, schema and data.
inline events::RecordedEvent recorded(const events::EncodedEvent& encoded) {
    events::RecordedEvent e;
    e.type = encoded.type;
    e.schema = encoded.schema;
    e.data = encoded.data;
    return e;
}

/// A recorded event of `type` (schema `schema`) with `data` as its payload.
inline events::RecordedEvent recorded(std::string type, std::string data, int schema = 1) {
    return recorded(events::EncodedEvent{std::move(type), schema, std::move(data)});
}

/// Encodes `event` as a `Variant` with `encode`, decodes it with `decode` and checks that the
/// same alternative comes back with the same fields.
/// @returns what `encode` wrote.
template <class Variant, class Event, class Encode, class Decode>
events::EncodedEvent check_round_trip(const Event& event, const Encode& encode,
                                      const Decode& decode) {
    const Variant in(event);
    auto encoded = encode(in);
    auto back = decode(recorded(encoded));
    REQUIRE_MESSAGE(back.has_value(), encoded.type, ": ",
                    back.has_value() ? "" : back.error().field + " " + back.error().message);
    check_same_fields(*back, in);
    return encoded;
}

/// One codec's encode and decode of an event variant `Variant`, for round trips.
template <class Variant, class Encode, class Decode>
struct CodecUnderTest {
    Encode encode;  ///< `EncodedEvent(const Variant&)`.
    Decode decode;  ///< `core::Result<Variant>(const events::RecordedEvent&)`.

    /// Round-trips `event` (defaults allowed: absent optionals, empty lists).
    template <class Event>
    void round_trip(const Event& event) const {
        check_round_trip<Variant>(event, encode, decode);
    }
    /// Round-trips `event`, which must hold a non-default value in every field, so that a field
    /// the codec drops or mixes up shows.
    template <class Event>
    void round_trip_full(const Event& event) const {
        check_no_default_field(event);
        round_trip(event);
    }
};

/// The codec of `Variant` made of `encode` and `decode`.
template <class Variant, class Encode, class Decode>
CodecUnderTest<Variant, Encode, Decode> codec_of(Encode encode, Decode decode) {
    return {encode, decode};
}

/// The field a decoder names when it refuses `event`; the decoder must refuse it as Invalid.
template <class Decode>
std::string refused_field(const Decode& decode, const events::RecordedEvent& event) {
    auto r = decode(event);
    REQUIRE_MESSAGE(!r.has_value(), event.type, " ", event.data, " was accepted");
    CHECK(r.error().code == core::Errc::Invalid);
    return r.error().field;
}

}  // namespace switchyard::testing
