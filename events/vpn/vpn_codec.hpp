#pragma once
/// JSON payloads of the VPN events. Shapes: schemas/events/vpn/<type>.v1.json.
/// Customer events live on `vpn_customer-<user id>`, offer events on `vpn_network-<tenant>`,
/// allocations on `vpn_server-<server id>`, usage on `vpn_usage-<server id>`.

#include <string>

#include "core/result.hpp"
#include "core/vpn/customer.hpp"
#include "core/vpn/network.hpp"
#include "core/vpn/usage.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::vpn {

EncodedEvent encode(const core::vpn::NetworkEvent& event);
EncodedEvent encode(const core::vpn::CustomerEvent& event);
EncodedEvent encode(const core::vpn::ServerAllocationEvent& event);
EncodedEvent encode(const core::vpn::UsageEvent& event);

/// Decoders. @errors Invalid for an unknown type/schema or a malformed payload.
core::Result<core::vpn::NetworkEvent> decode_network_event(const RecordedEvent& event);
core::Result<core::vpn::CustomerEvent> decode_customer_event(const RecordedEvent& event);
core::Result<core::vpn::ServerAllocationEvent> decode_allocation_event(const RecordedEvent& event);
core::Result<core::vpn::UsageEvent> decode_usage_event(const RecordedEvent& event);

/// The customer id of a `vpn_customer-<id>` stream; empty for any other stream.
std::string customer_of_stream(std::string_view stream);

}  // namespace switchyard::events::vpn
