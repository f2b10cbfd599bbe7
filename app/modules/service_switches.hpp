#pragma once
/// The service switch of each line (app/modules/module.hpp ServiceSwitch): what turning one
/// subscriber's service off and on means for IPTV, VPN, hotspot and voice, built on each line's
/// own commands so that its adapters act as they do for staff (issue 16, item 3).

#include "app/modules/module.hpp"
#include "events/hotspot/hotspot_service.hpp"
#include "events/iptv/connection_service.hpp"
#include "events/iptv/iptv_service.hpp"
#include "events/voice/voice_service.hpp"
#include "events/vpn/vpn_service.hpp"

namespace switchyard::app {

/// IPTV: `service_id` is the line id. Off: an active line is disabled (`iptv.line.updated`)
/// and its open connections are closed (reason `unpaid`), so players stop at their next
/// segment; on: a disabled line is active again. A banned line stays banned.
ServiceSwitch iptv_service_switch(events::iptv::IptvService& lines,
                                  events::iptv::ConnectionService& connections);

/// VPN: `service_id` is the customer id. Off: every enabled peer is disabled with reason
/// `unpaid` (`vpn.peer.disabled`), so the WireGuard reconciler removes it from its interface;
/// on: the peers disabled as unpaid are enabled again (others keep their reason).
ServiceSwitch vpn_service_switch(events::vpn::VpnService& vpn);

/// Hotspot: `service_id` is the account's username. Off: the account is disabled (reason
/// `unpaid`), so the enforcer sends its sessions a Disconnect-Request and FreeRADIUS refuses
/// it; on: enabled again.
ServiceSwitch hotspot_service_switch(events::hotspot::HotspotService& hotspot);

/// Voice: `service_id` is the customer id. Off: the customer is suspended, so the call path
/// refuses new calls (403 `customer_suspended`); on: active again.
ServiceSwitch voice_service_switch(events::voice::VoiceService& voice);

/// IPTV: the owner path of line `service_id`. @errors NotFound for no such line.
ServiceOwner iptv_service_owner(events::iptv::IptvService& lines);

/// VPN: the owner path of customer `service_id`. @errors NotFound for no such customer.
ServiceOwner vpn_service_owner(events::vpn::VpnService& vpn);

/// Hotspot: the owner path of the account whose username is `service_id`.
/// @errors NotFound naming `service_id` for no such account.
ServiceOwner hotspot_service_owner(events::hotspot::HotspotService& hotspot);

/// Voice: the owner path of customer `service_id` (a customer id).
/// @errors Invalid naming `service_id` (not an id); NotFound naming it for no such customer.
ServiceOwner voice_service_owner(events::voice::VoiceService& voice);

}  // namespace switchyard::app
