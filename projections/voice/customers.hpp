#pragma once
/// The `voice_customers` read model: the voice customers, in id order, for the customer lists
/// of the API (filters by category, group and status; a reseller's subtree only).
///
/// Keys: `c/<customer id as 8-byte big-endian>` -> the customer's JSON
/// (events/voice/customer_codec.hpp customer_json); `a/<accountcode>` -> the customer id in
/// decimal (to find the customer of a CDR).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/voice/customer.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::voice {

inline constexpr const char* kVoiceCustomers = "voice_customers.v1";

std::unique_ptr<Projector> make_voice_customers_projector();

/// What a customer list keeps; empty members match everything.
struct CustomerFilter {
    std::string category_id, group_id;
    std::optional<core::voice::CustomerStatus> status;
    std::string scope = "/";  ///< Owner-path prefix: `/` for all, a reseller's subtree.
};

/// The customer with this id, or nullopt.
std::optional<core::voice::Customer> find_customer(const ReadModelView& view, std::int64_t id);
/// The customer that claimed this CDR accountcode, or nullopt.
std::optional<core::voice::Customer> find_customer_by_accountcode(const ReadModelView& view,
                                                                  const std::string& accountcode);
/// Up to `limit` customers with ids greater than `after_id` that `filter` keeps, in id order.
std::vector<core::voice::Customer> list_customers(const ReadModelView& view, std::int64_t after_id,
                                                  std::size_t limit, const CustomerFilter& filter);

}  // namespace switchyard::projections::voice
