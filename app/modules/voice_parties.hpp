#pragma once
/// Who a CDR belongs to: the customer and carrier resolvers and the destination normaliser the
/// voice module gives its CDR service (events/voice/cdr_service.hpp), built on the voice
/// directory (customers, the assignment system) and the reference data (carriers).

#include <string>

#include "events/voice/cdr_service.hpp"
#include "events/voice/tariff_registry.hpp"
#include "events/voice/voice_service.hpp"

namespace switchyard::app {

/// The CDR service's options for `tenant`:
/// - customer, in this order: the record's accountcode; its trunk (the peer of the Asterisk
///   inbound channel, `acme` in `SIP/acme-0000002a`, or the record's `trunk`) among the
///   customers' `trunks`; its source IP inside a customer's source addresses (CIDRs); its caller
///   number under the longest of the customers' `caller_prefixes`. The sell card is the
///   customer's effective `rate_card` assignment. An unknown or suspended customer is NotFound
///   (the CDR is recorded unrated).
/// - carrier: the carrier whose id or name is the record's trunk, or one of whose trunk hosts
///   appears in the record's trunk or destination channel (`SIP/carrier-host-0001`); its buy
///   deck is that carrier's buy deck (with several, the last by deck id).
/// - a Kamailio record (CdrSource::Kamailio, events/voice/call_service.hpp call_record_of),
///   which Switchyard routed itself: the customer whose id (decimal) is the accountcode and the
///   carrier whose id is the trunk, nothing else; either missing is NotFound.
/// The resolvers share an index built from one revision of the directory, the reference data
/// and the deck list; it is rebuilt when one of them moves, so a CDR batch costs two stream
/// reads per CDR and no copies.
/// - normalise: core/voice/number.hpp `to_e164` in the customer's country, its tech prefix
///   stripped first.
/// `voice` and `tariffs` must outlive the service.
events::voice::CdrServiceOptions cdr_service_options(const std::string& tenant,
                                                     events::voice::VoiceService& voice,
                                                     events::voice::TariffRegistry& tariffs);

}  // namespace switchyard::app
