// Fuzz target: the routing items read from API bodies and events (gateways, routes, route
// groups) never crash, and a gateway that passes validation never yields a Request-URI or
// header block a SIP peer could read as extra header lines (no CR or LF but the CRLF after
// each configured header).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/voice/lcr.hpp"
#include "core/voice/routing.hpp"
#include "events/voice/routing_codec.hpp"

namespace {

using namespace switchyard::core::voice;

void check_gateway(std::string_view text) {
    auto g = switchyard::events::voice::parse_routing_item<Gateway>(text);
    if (!g || !check_item(*g)) return;
    const auto uri = gateway_uri(*g, "0711#", "4930123456");
    if (uri.find_first_of("\r\n ") != std::string::npos) std::abort();
    const auto headers = extra_headers(*g);
    std::size_t crlf = 0;
    for (std::size_t i = 0; i < headers.size(); ++i) {
        if (headers[i] == '\r') {
            if (i + 1 >= headers.size() || headers[i + 1] != '\n') std::abort();
            ++crlf;
            ++i;
        } else if (headers[i] == '\n') {
            std::abort();
        }
    }
    if (crlf != g->headers.size()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check_gateway(text);
    if (auto r = switchyard::events::voice::parse_routing_item<Route>(text)) (void)check_item(*r);
    if (auto g = switchyard::events::voice::parse_routing_item<RouteGroup>(text))
        (void)check_item(*g);
    return 0;
}
