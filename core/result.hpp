#pragma once
/// Errors as values: every expected failure in Switchyard is a `Result<T>`.
/// The `Errc` enum is small on purpose; api/problem.cpp maps it to HTTP status in one function.

#include <string>
#include <type_traits>
#include <utility>

#include <tl/expected.hpp>

namespace switchyard::core {

/// What went wrong, in the terms a caller can act on.
enum class Errc {
    Invalid,               ///< Input is malformed or a field is out of range (HTTP 400).
    Unauthorized,          ///< Missing or wrong credentials (HTTP 401).
    Forbidden,             ///< Authenticated, but not allowed (HTTP 403).
    NotFound,              ///< The addressed thing does not exist (HTTP 404).
    Conflict,              ///< Expected revision mismatch or a uniqueness clash (HTTP 409).
    Rejected,              ///< A business rule refuses the command (HTTP 422).
    Timeout,               ///< A bounded wait ran out (HTTP 504 for read-your-writes).
    TooMany,               ///< A rate limit or a lockout holds the caller back (HTTP 429).
    UnsupportedMediaType,  ///< The body's Content-Type is not one the route reads (HTTP 415).
    Unavailable,           ///< A dependency is down or shutting down (HTTP 503).
    Internal,              ///< A bug or an I/O failure (HTTP 500).
};

/// Stable lower-case name of an error code, used in problem+json `type` and logs.
const char* to_string(Errc code) noexcept;

/// An error value: the code, the field it concerns (may be empty) and a sentence for humans.
struct Error {
    Errc code = Errc::Internal;
    std::string field;    ///< JSON pointer-ish field name, e.g. "username" or "bouquets[2]".
    std::string message;  ///< Plain sentence: what is wrong and why.
};

/// A value or an `Error`.
template <class T>
using Result = tl::expected<T, Error>;

/// Builds the unexpected side of a Result.
inline tl::unexpected<Error> fail(Errc code, std::string field, std::string message) {
    return tl::unexpected<Error>(Error{code, std::move(field), std::move(message)});
}

/// Builds the unexpected side of a Result from an existing Error.
inline tl::unexpected<Error> fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

namespace detail {
/// The value of a successful Result (nothing for Result<void>); used by SY_TRY.
template <class R>
auto take(R&& r) {
    using T = typename std::decay_t<R>::value_type;
    if constexpr (std::is_void_v<T>) {
        return;
    } else {
        return T(*std::forward<R>(r));
    }
}
}  // namespace detail

}  // namespace switchyard::core

/// Evaluates a Result expression; returns its error from the enclosing function, else yields value.
#define SY_TRY(expr)                                                                              \
    __extension__({                                                                               \
        auto&& sy_try_result_ = (expr);                                                           \
        if (!sy_try_result_) return ::tl::unexpected(sy_try_result_.error());                     \
        ::switchyard::core::detail::take(std::forward<decltype(sy_try_result_)>(sy_try_result_)); \
    })
