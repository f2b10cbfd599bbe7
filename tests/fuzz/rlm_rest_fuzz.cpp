// Fuzz target: the rlm_rest JSON reader never crashes; what it accepts has non-empty names and
// values and a known type, goes through the accounting reader and decision without crashing,
// and a reply written from it is JSON again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <boost/json.hpp>

#include "core/hotspot/accounting.hpp"
#include "events/hotspot/rlm_rest_json.hpp"

using namespace switchyard;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto req = events::hotspot::parse_rlm_rest_request(text);
    if (!req) {
        if (req.error().field.empty() || req.error().message.empty()) std::abort();
        return 0;
    }
    std::vector<core::hotspot::ReplyAttribute> echo;
    for (const auto& [name, attr] : req->attributes()) {
        if (name.empty() || attr.type.empty() || attr.values.empty()) std::abort();
        echo.push_back({name, attr.values.front()});
    }
    boost::system::error_code ec;
    (void)boost::json::parse(events::hotspot::write_rlm_rest_reply(echo, echo), ec);
    if (ec) std::abort();
    if (auto access = events::hotspot::access_request(*req); access && access->username.empty())
        std::abort();
    const auto acct = events::hotspot::accounting_request(*req, "fuzz", core::from_unix_seconds(0));
    if (acct) {
        core::hotspot::SessionBook book;
        auto events = core::hotspot::decide_accounting(book, *acct);
        if (events) {
            for (const auto& e : *events) core::hotspot::evolve(book, e);
            (void)core::hotspot::decide_accounting(book, *acct);
        }
    }
    return 0;
}
