// Whether a request's Accept-Encoding allows a gzip answer (api/gzip.hpp), weights included.
#include <doctest/doctest.h>

#include "api/gzip.hpp"

using namespace switchyard;

namespace {

bool accepts(const char* accept_encoding) {
    api::HttpRequest r;
    r.headers["accept-encoding"] = accept_encoding;
    return api::accepts_gzip(r);
}

}  // namespace

TEST_CASE("gzip is accepted when named or covered by * with a weight above zero") {
    for (const char* yes :
         {"gzip", "GZIP", "x-gzip", "gzip, deflate, br", "deflate, gzip", "gzip;q=1", "gzip;q=1.0",
          "gzip; q=0.5", "gzip;q=0.001", "*", "*;q=0.1", "br;q=1.0, gzip;q=0.8, *;q=0.1",
          "identity, *;q=0.5", " gzip ; q = 0.7 ", "gzip;level=1;q=0.2"}) {
        CHECK_MESSAGE(accepts(yes), yes);
    }
}

TEST_CASE("gzip is refused without the header, with q=0, or when only other codings are named") {
    api::HttpRequest none;
    CHECK_FALSE(api::accepts_gzip(none));
    for (const char* no :
         {"", "identity", "deflate, br", "gzip;q=0", "GZIP;Q=0", "gzip;q=0.0", "gzip;q=0.000",
          "gzip; q=0", "gzip;level=1;q=0", "gzip;q=0, *", "*, gzip;q=0", "x-gzip;q=0, *;q=1",
          "*;q=0", "gzipped", "gzip;q=2", "gzip;q=abc", "gzip;q=0.5000", "gzip;q=1.5"}) {
        CHECK_MESSAGE(!accepts(no), no);
    }
}
