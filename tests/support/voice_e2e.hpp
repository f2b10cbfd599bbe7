#pragma once
/// Helpers of the voice end-to-end tests (tests/integration/voice_*_test.cpp): whether
/// Kamailio and SIPp can run here, and reading the JSON answers of the API.
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "tests/support/kamailio.hpp"
#include "tests/support/sipp.hpp"
#include "tests/support/skip.hpp"

namespace switchyard::testing {

/// True when Kamailio (with the modules the shipped configuration loads) and SIPp are
/// installed; else reports the test skipped (failed under CI=true) naming what is missing.
inline bool can_run() {
    if (auto m = missing_kamailio()) {
        skip("needs " + *m);
        return false;
    }
    if (auto m = missing_sipp()) {
        skip("needs " + *m);
        return false;
    }
    return true;
}

/// The first value named `key` anywhere in `v` (depth first), or null.
inline const boost::json::value* find_key(const boost::json::value& v, std::string_view key) {
    if (const auto* o = v.if_object()) {
        if (const auto* hit = o->if_contains(key)) return hit;
        for (const auto& [k, child] : *o)
            if (const auto* hit = find_key(child, key)) return hit;
    } else if (const auto* a = v.if_array()) {
        for (const auto& child : *a)
            if (const auto* hit = find_key(child, key)) return hit;
    }
    return nullptr;
}

/// The string `v` points at, or empty when it is null or not a string.
inline std::string text(const boost::json::value* v) {
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace switchyard::testing
