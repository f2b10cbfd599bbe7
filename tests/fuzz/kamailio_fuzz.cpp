// Fuzz target: the readers of what Kamailio sends (events/voice/kamailio_json.hpp) never
// crash; an error names a field and says why; what they accept is within the documented
// bounds, and a routing answer written for it is JSON again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <boost/json.hpp>

#include "events/voice/kamailio_json.hpp"

using namespace switchyard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto now = core::from_unix_seconds(1'790'000'000);
    auto check_error = [](const core::Error& e) {
        if (e.field.empty() || e.message.empty()) std::abort();
    };
    if (auto setup = events::voice::parse_route_request(text, now)) {
        if (setup->call_id.empty() || setup->call_id.size() > 255 || setup->ruri_user.empty() ||
            setup->source_port < 0 || setup->source_port > 65535)
            std::abort();
        events::voice::RoutingAnswer a;
        a.action = "route";
        core::voice::RouteOption o;
        o.uri = "sip:" + setup->ruri_user + "@h";
        o.extra_headers = "X-From: " + setup->from_display + "\r\n";
        o.why = setup->pai_user;
        a.routes = {o};
        boost::system::error_code ec;
        (void)boost::json::parse(events::voice::write_routing_answer(a), ec);
        if (ec) std::abort();
    } else {
        check_error(setup.error());
    }
    if (auto report = events::voice::parse_call_report(text, now)) {
        if (report->call_id.empty() || report->sip_code < 0 || report->sip_code > 699 ||
            report->attempt < 0 || report->attempt > 100)
            std::abort();
    } else {
        check_error(report.error());
    }
    if (auto creds = events::voice::parse_credentials_request(text)) {
        if (creds->username.empty() || creds->realm.empty()) std::abort();
    } else {
        check_error(creds.error());
    }
    return 0;
}
