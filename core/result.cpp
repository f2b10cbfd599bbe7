#include "core/result.hpp"

namespace switchyard::core {

const char* to_string(Errc code) noexcept {
    switch (code) {
        case Errc::Invalid:
            return "invalid";
        case Errc::Unauthorized:
            return "unauthorized";
        case Errc::Forbidden:
            return "forbidden";
        case Errc::NotFound:
            return "not-found";
        case Errc::Conflict:
            return "conflict";
        case Errc::Rejected:
            return "rejected";
        case Errc::Timeout:
            return "timeout";
        case Errc::TooMany:
            return "too_many_requests";
        case Errc::UnsupportedMediaType:
            return "unsupported-media-type";
        case Errc::Unavailable:
            return "unavailable";
        case Errc::Internal:
            return "internal";
    }
    return "internal";
}

}  // namespace switchyard::core
