#pragma once
/// Field-by-field checks of aggregates (events, rows) that carry no `operator==` of their own: a
/// failure names the type and the index of the field that differs (0-based, in declaration
/// order). Fields are found by structured bindings (aggregates of 1 to 16 fields, no base
/// classes); Boost.PFR does the same but makes g++ 12 crash on members whose default is a braced
/// list (`LineSettings::allowed_output_formats`).

#include <doctest/doctest.h>

#include <cstddef>
#include <tuple>
#include <typeinfo>
#include <utility>
#include <variant>
#include <vector>

namespace switchyard::testing {

namespace detail {

/// Converts to anything: counts the initializers an aggregate takes (never called).
struct AnyField {
    template <class U>
    operator U() const;
};

template <class T, std::size_t... I>
constexpr bool takes_initializers(std::index_sequence<I...>) {
    return requires { T{(void(I), AnyField{})...}; };
}

/// The number of fields of the aggregate `T`.
template <class T, std::size_t N = 0>
constexpr std::size_t field_count() {
    if constexpr (takes_initializers<T>(std::make_index_sequence<N + 1>{})) {
        return field_count<T, N + 1>();
    } else {
        return N;
    }
}

/// The fields of `value` as a tuple of references, in declaration order.
template <class T>
auto tie_fields(const T& value) {
    constexpr std::size_t kCount = field_count<T>();
    static_assert(kCount >= 1 && kCount <= 16, "an aggregate of 1 to 16 fields");
    if constexpr (kCount == 1) {
        const auto& [f0] = value;
        return std::tie(f0);
    } else if constexpr (kCount == 2) {
        const auto& [f0, f1] = value;
        return std::tie(f0, f1);
    } else if constexpr (kCount == 3) {
        const auto& [f0, f1, f2] = value;
        return std::tie(f0, f1, f2);
    } else if constexpr (kCount == 4) {
        const auto& [f0, f1, f2, f3] = value;
        return std::tie(f0, f1, f2, f3);
    } else if constexpr (kCount == 5) {
        const auto& [f0, f1, f2, f3, f4] = value;
        return std::tie(f0, f1, f2, f3, f4);
    } else if constexpr (kCount == 6) {
        const auto& [f0, f1, f2, f3, f4, f5] = value;
        return std::tie(f0, f1, f2, f3, f4, f5);
    } else if constexpr (kCount == 7) {
        const auto& [f0, f1, f2, f3, f4, f5, f6] = value;
        return std::tie(f0, f1, f2, f3, f4, f5, f6);
    } else if constexpr (kCount == 8) {
        const auto& [f0, f1, f2, f3, f4, f5, f6, f7] = value;
        return std::tie(f0, f1, f2, f3, f4, f5, f6, f7);
    } else if constexpr (kCount == 9) {
        const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8] = value;
        return std::tie(f0, f1, f2, f3, f4, f5, f6, f7, f8);
    } else if constexpr (kCount == 10) {
        const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9] = value;
        return std::tie(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9);
    } else if constexpr (kCount == 11) {
        const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10] = value;
        return std::tie(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10);
    } else if constexpr (kCount == 12) {
        const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11] = value;
        return std::tie(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11);
    } else if constexpr (kCount == 13) {
        const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12] = value;
        return std::tie(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12);
    } else if constexpr (kCount == 14) {
        const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13] = value;
        return std::tie(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13);
    } else if constexpr (kCount == 15) {
        const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14] = value;
        return std::tie(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14);
    } else if constexpr (kCount == 16) {
        const auto& [f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15] = value;
        return std::tie(f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14, f15);
    }
}

template <class T, class Visit, std::size_t... I>
void for_each_field_index(const T& a, const T& b, Visit visit, std::index_sequence<I...>) {
    const auto fields_a = tie_fields(a);
    const auto fields_b = tie_fields(b);
    (visit(I, std::get<I>(fields_a), std::get<I>(fields_b)), ...);
}

template <class T, class Visit>
void for_each_field_pair(const T& a, const T& b, Visit visit) {
    for_each_field_index(a, b, visit, std::make_index_sequence<field_count<T>()>{});
}

}  // namespace detail

/// Checks that `actual` and `expected` hold equal values in every field.
template <class T>
void check_same_fields(const T& actual, const T& expected) {
    detail::for_each_field_pair(actual, expected, [](std::size_t i, const auto& a, const auto& e) {
        CHECK_MESSAGE(a == e, typeid(T).name(), " field ", i);
    });
}

/// Checks that two variants hold the same alternative, with the same fields.
template <class... Ts>
void check_same_fields(const std::variant<Ts...>& actual, const std::variant<Ts...>& expected) {
    REQUIRE(actual.index() == expected.index());
    std::visit(
        [&](const auto& a) { check_same_fields(a, std::get<std::decay_t<decltype(a)>>(expected)); },
        actual);
}

/// Checks two lists of events (variants) element by element: the "then" of a decider test.
template <class Event>
void check_same_events(const std::vector<Event>& actual, const std::vector<Event>& expected) {
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < actual.size(); ++i) {
        CAPTURE(i);
        check_same_fields(actual[i], expected[i]);
    }
}

/// Checks that no field of `sample` holds its default value (that of `T{}`): a round trip of
/// such a sample shows that every field is written and read back.
template <class T>
void check_no_default_field(const T& sample) {
    const T fresh{};
    detail::for_each_field_pair(sample, fresh, [](std::size_t i, const auto& s, const auto& d) {
        CHECK_MESSAGE(!(s == d), typeid(T).name(), " field ", i, " holds its default value");
    });
}

}  // namespace switchyard::testing
