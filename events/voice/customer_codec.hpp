#pragma once
/// JSON payloads of the voice directory events: categories, groups, customers, assignments.
/// Shapes: schemas/events/voice/<type>.v1.json. They live on `voice_directory-<tenant>`.
/// The JSON views here are also what the API shows of each.

#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/result.hpp"
#include "core/voice/customer.hpp"
#include "events/encoded_event.hpp"
#include "events/envelope.hpp"

namespace switchyard::events::voice {

EncodedEvent encode(const core::voice::DirectoryEvent& event);
/// @errors Invalid for an unknown type/schema or a malformed payload (naming the field).
core::Result<core::voice::DirectoryEvent> decode_directory_event(const RecordedEvent& event);

/// `{"category_id", "name", "description", "public", "display_order"}`.
boost::json::object category_json(const core::voice::Category& c);
/// `{"group_id", "category_id", "name", "description"}`.
boost::json::object group_json(const core::voice::Group& g);
/// The customer as in `voice.customer.created` (without the command id): `customer_id`,
/// `name`, `company`, `country`, `currency`, `billing_type`, `accountcodes`, `source_ips`,
/// `tech_prefix`, `status`, `category_id`, `group_id`, `owner_path`, `user_id`, `created_at`.
boost::json::object customer_json(const core::voice::Customer& c);
/// A customer read back from customer_json's shape. @errors Invalid naming the field.
core::Result<core::voice::Customer> parse_customer(std::string_view json);
/// `{"assignment_id", "kind", "value", "scope", "target", "created_at"}`.
boost::json::object assignment_json(const core::voice::Assignment& a);

/// The categories of a data file `{"categories": [<category>, ...]}`
/// (config/voice/categories.json). @errors Invalid naming the field.
core::Result<std::vector<core::voice::Category>> parse_categories(std::string_view json);

}  // namespace switchyard::events::voice
