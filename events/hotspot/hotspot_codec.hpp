#pragma once
/// JSON payloads of the hotspot command side's events: the catalog (`hotspot_catalog-<tenant>`:
/// NAS and plans), accounts (`hotspot_account-<tenant>-<username>`), voucher batches
/// (`hotspot_batch-<tenant>-<batch id>`) and the code index (`hotspot_voucher_codes-<tenant>`).
/// Shapes: schemas/events/hotspot/<type>.v1.json. Sealed secrets (a NAS's RADIUS secret, an
/// account's password) are written only in the events, never in the JSON views below, which are
/// what read models keep and the API shows.

#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "core/hotspot/account.hpp"
#include "core/hotspot/catalog.hpp"
#include "core/hotspot/voucher.hpp"
#include "core/result.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::hotspot {

EncodedEvent encode(const core::hotspot::CatalogEvent& event);
EncodedEvent encode(const core::hotspot::AccountEvent& event);
EncodedEvent encode(const core::hotspot::BatchEvent& event);
EncodedEvent encode(const core::hotspot::CodeIndexEvent& event);

/// @errors Invalid naming `type` for an unknown type/schema, or the field of a malformed
///         payload (missing, mistyped, an enum value out of its list, a port out of range).
core::Result<core::hotspot::CatalogEvent> decode_catalog_event(const RecordedEvent& event);
core::Result<core::hotspot::AccountEvent> decode_account_event(const RecordedEvent& event);
core::Result<core::hotspot::BatchEvent> decode_batch_event(const RecordedEvent& event);
core::Result<core::hotspot::CodeIndexEvent> decode_code_index_event(const RecordedEvent& event);

/// The NAS without its secret: `nas_id`, `name`, `vendor`, `address`, `coa_port`,
/// `coa_address`, `site`, `timezone`, `owner_path`, `disabled`.
boost::json::object nas_json(const core::hotspot::Nas& n);
/// A NAS read back from nas_json's shape (secret_sealed empty). @errors Invalid naming the field.
core::Result<core::hotspot::Nas> parse_nas(std::string_view json);
/// The plan as in `hotspot.plan.defined` without the command id (burst fields flat as
/// `burst_download_kbps`, ...).
boost::json::object plan_json(const core::hotspot::Plan& p);
core::Result<core::hotspot::Plan> parse_plan(std::string_view json);
/// The account without its password: `username`, `mac`, `plan_id`, `service`, `status`,
/// `created_at`, `first_login_at`, `expires_at`, `extra_data_bytes`, `extra_session_seconds`,
/// `voucher_code`, `owner_path`.
boost::json::object account_json(const core::hotspot::Account& a);
core::Result<core::hotspot::Account> parse_account(std::string_view json);
/// `{"batch_id", "plan_id", "count", "prefix", "length", "note", "created_at", "owner_path"}`.
boost::json::object batch_json(const core::hotspot::VoucherBatch& b);
core::Result<core::hotspot::VoucherBatch> parse_batch(std::string_view json);

}  // namespace switchyard::events::hotspot
