#include "events/codec_kit.hpp"

#include <fmt/format.h>

namespace switchyard::events {

json::value opt(const std::optional<std::int64_t>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

json::value opt_time(const std::optional<core::Timestamp>& t) {
    return t ? json::value(core::format_rfc3339(*t)) : json::value(nullptr);
}

json::value opt_string(const std::string& s) {
    return s.empty() ? json::value(nullptr) : json::value(s);
}

json::array ids(const std::vector<std::int64_t>& v) { return json::array(v.begin(), v.end()); }

json::array strings(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }

void merge(json::object& into, const json::object& from) {
    for (const auto& [key, value] : from) into[key] = value;
}

core::Error unknown_type(const RecordedEvent& event) {
    return core::Error{core::Errc::Invalid, "type",
                       fmt::format("unknown event type {} v{}", event.type, event.schema)};
}

}  // namespace switchyard::events
