// problem() with extension members (api/problem.hpp): the M3U import's 422 carries its counts.
#include <doctest/doctest.h>

#include <boost/json.hpp>

#include "api/problem.hpp"

using namespace switchyard;

TEST_CASE(
    "a problem carries extension members after the standard ones, which they cannot replace") {
    const core::Error error{core::Errc::Rejected, "body", "the playlist has no usable entry"};
    const boost::json::object members{
        {"entries", 3}, {"invalid", boost::json::array{1, 2}}, {"status", 200}, {"field", "other"}};
    const auto r = api::problem(error, members);
    CHECK(r.status == 422);
    CHECK(r.content_type == "application/problem+json");
    CHECK(r.body ==
          R"({"type":"https://switchyard.dev/problems/rejected","title":"Rejected by a business )"
          R"(rule","status":422,"detail":"body: the playlist has no usable entry","field":"body",)"
          R"("entries":3,"invalid":[1,2]})");
    // Without members, the same document as problem(error).
    CHECK(api::problem(error, {}).body == api::problem(error).body);
    const auto unauthorized =
        api::problem(core::Error{core::Errc::Unauthorized, "authorization", "no key"}, members);
    REQUIRE(unauthorized.headers.size() == 1);
    CHECK(unauthorized.headers[0].first == "WWW-Authenticate");
}
