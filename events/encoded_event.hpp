#pragma once
/// Event payloads as a module's codec writes them, before they get an envelope
/// (events/command_handler.hpp `make_new_event`), and the wire types the event structs carry.
///
/// Every event struct of a module (core/<module>/*.hpp) carries its wire type, written once:
/// `static constexpr std::string_view kType = "iptv.line.created";`, and optionally its payload
/// schema version `kSchema` (default 1). Codecs, projectors and the schema test
/// (tests/events/event_types_test.cpp) all read it from there.

#include <concepts>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace switchyard::events {

/// An event payload ready for an envelope.
struct EncodedEvent {
    std::string type;  ///< `<module>.<aggregate>.<past_tense>`, e.g. `iptv.stream.added`.
    int schema = 1;    ///< Payload schema version: schemas/events/<module>/<type>.v<N>.json.
    std::string data;  ///< JSON object text.
};

/// `T` is one of `Ts` (for templates that serve a fixed list of commands or events).
template <class T, class... Ts>
concept OneOf = (std::same_as<T, Ts> || ...);

/// An event struct that carries its wire type as `kType`.
template <class E>
concept WireEvent = requires {
    { E::kType } -> std::convertible_to<std::string_view>;
};

/// The payload schema version of `E`: `E::kSchema`, or 1 when it has none.
template <WireEvent E>
constexpr int schema_of() {
    if constexpr (requires { E::kSchema; }) {
        return E::kSchema;
    } else {
        return 1;
    }
}

/// True when `type` is the wire type of one of `Events`.
template <WireEvent... Events>
bool is_one_of(std::string_view type) {
    return ((type == Events::kType) || ...);
}

/// Calls `fn(std::type_identity<E>{})` for each alternative `E` of the variant `Variant`, in
/// order.
template <class Variant, class Fn>
void for_each_alternative(Fn&& fn) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (fn(std::type_identity<std::variant_alternative_t<I, Variant>>{}), ...);
    }
    (std::make_index_sequence<std::variant_size_v<Variant>>{});
}

/// True when `type` is the wire type of an alternative of the variant `Variant`.
template <class Variant>
bool is_type_of(std::string_view type) {
    bool found = false;
    for_each_alternative<Variant>(
        [&]<class E>(std::type_identity<E>) { found = found || type == E::kType; });
    return found;
}

}  // namespace switchyard::events
