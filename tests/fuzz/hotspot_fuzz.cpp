// Fuzz target: the hotspot event decoders and the hotspot parsers never crash; a payload one
// decoder accepts encodes to a payload that decodes to the same type again; MACs and voucher
// codes come out canonical or not at all. Input: the event type on the first line, the payload
// after it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/hotspot/account_decider.hpp"
#include "core/hotspot/catalog_decider.hpp"
#include "core/hotspot/voucher_decider.hpp"
#include "events/hotspot/hotspot_codec.hpp"

namespace {

using namespace switchyard;

template <class Variant, class Decode>
void round_trip(const events::RecordedEvent& e, Decode decode) {
    auto first = decode(e);
    if (!first) return;
    auto encoded = events::hotspot::encode(*first);
    if (encoded.type != e.type) std::abort();
    events::RecordedEvent again = e;
    again.data = encoded.data;
    auto second = decode(again);
    if (!second || second->index() != first->index()) std::abort();
    if (events::hotspot::encode(*second).data != encoded.data) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto nl = text.find('\n');
    events::RecordedEvent e;
    e.type = std::string(text.substr(0, nl == std::string_view::npos ? 0 : nl));
    e.schema = 1;
    e.data = std::string(nl == std::string_view::npos ? text : text.substr(nl + 1));
    round_trip<core::hotspot::CatalogEvent>(e, events::hotspot::decode_catalog_event);
    round_trip<core::hotspot::AccountEvent>(e, events::hotspot::decode_account_event);
    round_trip<core::hotspot::BatchEvent>(e, events::hotspot::decode_batch_event);
    round_trip<core::hotspot::CodeIndexEvent>(e, events::hotspot::decode_code_index_event);
    (void)events::hotspot::parse_nas(e.data);
    (void)events::hotspot::parse_plan(e.data);
    (void)events::hotspot::parse_account(e.data);
    (void)events::hotspot::parse_batch(e.data);

    const auto line = text.substr(0, std::min<std::size_t>(text.size(), 64));
    if (auto mac = core::hotspot::normalize_mac(line)) {
        if (mac->size() != 17 || core::hotspot::normalize_mac(*mac) != mac) std::abort();
    }
    const auto code = core::hotspot::canonical_voucher_code(line);
    if (core::hotspot::canonical_voucher_code(code) != code) std::abort();
    (void)core::hotspot::parse_price(line);
    core::hotspot::CatalogState catalog;
    core::hotspot::Nas n;
    n.nas_id = "n";
    n.address = std::string(line);
    catalog.nas["n"] = n;
    (void)core::hotspot::find_nas_by_address(catalog, line);
    return 0;
}
