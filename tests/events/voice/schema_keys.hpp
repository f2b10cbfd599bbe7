#pragma once
// The property names of a voice event's JSON Schema and of an encoded payload, to check that
// the codec writes exactly the fields the schema (the contract with analysts) lists.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "events/encoded_event.hpp"

namespace switchyard::testing {

inline std::set<std::string> object_keys(const std::string& json, const char* member = nullptr) {
    simdjson::dom::parser parser;
    auto doc = parser.parse(json);
    REQUIRE_MESSAGE(!doc.error(), json);
    auto obj = member ? doc.value()[member].get_object() : doc.value().get_object();
    REQUIRE(!obj.error());
    std::set<std::string> out;
    for (auto field : obj.value()) out.emplace(field.key);
    return out;
}

/// The keys of `event`'s payload equal the properties of its schema file, all required.
inline void check_against_schema(const events::EncodedEvent& event) {
    const auto path = std::string(SY_SCHEMA_DIR) + "/voice/" + event.type + ".v1.json";
    std::ifstream in(path);
    REQUIRE_MESSAGE(in, path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK_MESSAGE(object_keys(event.data) == object_keys(text.str(), "properties"), event.type);
}

}  // namespace switchyard::testing
