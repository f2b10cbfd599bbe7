#pragma once
/// What the hotspot route tests share: the API fixture with the hotspot module found, resellers
/// signed in, and requests as a given caller.

#include <string>

#include <fmt/format.h>

#include "app/modules/hotspot_module.hpp"
#include "tests/api/api_fixture.hpp"

namespace switchyard::testing {

struct HotspotFixture : ApiFixture {
    app::HotspotModule* hotspot = nullptr;

    HotspotFixture() {
        for (auto& m : modules)
            if (auto* h = dynamic_cast<app::HotspotModule*>(m.get())) hotspot = h;
        REQUIRE(hotspot);
    }

    /// Creates a user of `role` (by the admin key) and signs it in. @returns its session token.
    std::string user(const std::string& name, const char* role) {
        auto r = call("POST", "/v1/users",
                      fmt::format(R"({{"username":"{}","password":"Corr3ct-Horse","role":"{}"}})",
                                  name, role));
        REQUIRE_MESSAGE(r.status == 201, r.body);
        auto l =
            call("POST", "/v1/auth/login",
                 fmt::format(R"({{"username":"{}","password":"Corr3ct-Horse"}})", name), false);
        REQUIRE_MESSAGE(l.status == 200, l.body);
        simdjson::dom::parser p;
        return str(parse_json(p, l.body), "token");
    }

    /// A request as the holder of `token`.
    api::HttpResponse as(const std::string& token, const std::string& method,
                         const std::string& target, const std::string& body = {}) {
        return call(method, target, body, true, {{"authorization", "Bearer " + token}});
    }

    /// A POST with an Idempotency-Key.
    api::HttpResponse post_once(const std::string& target, const std::string& body,
                                const std::string& key) {
        return call("POST", target, body, true, {{"idempotency-key", key}});
    }
};

}  // namespace switchyard::testing
