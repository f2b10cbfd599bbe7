#pragma once
/// API keys: bearer credentials of the `/v1` API. Only a hash of the key is ever stored;
/// the key itself is shown once, when it is created.

#include <string>

namespace switchyard::core::identity {

/// A key was created.
struct ApiKeyCreated {
    std::string key_id;  ///< Stable id, e.g. `k_01J...`.
    std::string name;    ///< Operator-given label, e.g. `bootstrap admin`.
    std::string prefix;  ///< First characters of the key, shown in listings to recognise it.
    std::string hash;    ///< Lower-case hex SHA-256 of the whole key.
    std::string role;    ///< `admin` for now; issue 4 adds the others.
};

/// Stream of a key.
inline std::string api_key_stream(const std::string& key_id) { return "api_key-" + key_id; }

}  // namespace switchyard::core::identity
