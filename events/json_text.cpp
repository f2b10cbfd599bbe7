#include "events/json_text.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/string_view.hpp>

namespace switchyard::events {

void append_json_string(std::string& out, std::string_view text) {
    out += boost::json::serialize(boost::json::string_view(text.data(), text.size()));
}

std::string json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

void append_json_key(std::string& out, std::string_view key) {
    append_json_string(out, key);
    out += ':';
}

}  // namespace switchyard::events
