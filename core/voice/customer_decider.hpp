#pragma once
/// Decide and evolve for voice customer categories, groups, customers and assignments (pure;
/// see core/voice/customer.hpp and core/voice/assignment.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/customer.hpp"
#include "core/voice/reference.hpp"
#include "core/voice/reference_decider.hpp"

namespace switchyard::core::voice {

/// Creates (mode Create) or replaces (mode Update) a category.
struct DefineCategory {
    Category category;
    DefineMode mode = DefineMode::Create;
};
/// Appends `categories` only when the directory never had a category (first start).
struct SeedCategories {
    std::vector<Category> categories;
};
/// Creates (mode Create) or replaces (mode Update) a group; its category never changes.
struct DefineGroup {
    Group group;
    DefineMode mode = DefineMode::Create;
};
/// Creates a customer; `customer.customer_id` and `created_at` are handed out by the decider.
struct CreateCustomer {
    Customer customer;
    std::string command_id;  ///< Idempotency: a second command with it creates nothing.
};
/// Replaces a customer's fields; `owner_path` and `created_at` are kept.
struct UpdateCustomer {
    Customer customer;
};
/// Assigns an item; `assignment_id` and `created_at` are handed out by the decider.
struct CreateAssignment {
    Assignment assignment;
    std::string command_id;  ///< Idempotency: a second command with it creates nothing.
};
struct DeleteAssignment {
    std::int64_t assignment_id = 0;
};

/// What a directory command decided, and the id it created or addressed (customer or
/// assignment; 0 for categories and groups).
struct DirectoryDecision {
    std::vector<DirectoryEvent> events;
    std::int64_t id = 0;
};

void evolve(DirectoryState& state, const DirectoryEvent& event);

/// @errors Invalid naming `category_id`, `name`, `description`, `display_order`; Conflict
///         naming `category_id` when Create finds a different category under the id; NotFound
///         naming it when Update finds none.
Result<DirectoryDecision> decide(const DirectoryState& s, const DefineCategory& c,
                                 const DecisionContext& ctx);
/// @errors Invalid as for DefineCategory, prefixed `categories[<i>].`.
Result<DirectoryDecision> decide(const DirectoryState& s, const SeedCategories& c,
                                 const DecisionContext& ctx);
/// @errors Invalid naming `group_id`, `name`, `description`; NotFound naming `category_id` for
///         an unknown category; Conflict naming `group_id` when Create finds a different group;
///         NotFound naming `group_id` when Update finds none; Rejected naming `category_id` when
///         Update moves the group to another category.
Result<DirectoryDecision> decide(const DirectoryState& s, const DefineGroup& c,
                                 const DecisionContext& ctx);
/// @errors Invalid naming `name`, `company`, `country` (not ISO 3166-1 alpha-2), `currency`
///         (not ISO 4217), `accountcodes`, `source_ips` (not an IP address or CIDR block),
///         `trunks`, `caller_prefixes` (not 1 to 15 digits), `tech_prefix`, `user_id`;
///         NotFound naming `category_id` or `group_id` when unknown; Invalid naming `group_id`
///         when the group is of another category; Conflict naming `accountcodes` or `trunks`
///         when another customer has one of them.
Result<DirectoryDecision> decide(const DirectoryState& s, const CreateCustomer& c,
                                 const DecisionContext& ctx);
/// @errors as CreateCustomer; NotFound naming `customer_id` for an unknown customer.
Result<DirectoryDecision> decide(const DirectoryState& s, const UpdateCustomer& c,
                                 const DecisionContext& ctx);
/// @errors Invalid naming `value` (empty, longer than 128, or control characters) or `target`
///         (set for scope all, missing otherwise); NotFound naming `target` for an unknown
///         category, group or customer; NotFound naming `value` for an unknown voice tier,
///         codec set, channel plan or POP, Rejected naming `value` for a retired one.
Result<DirectoryDecision> decide(const DirectoryState& s, const ReferenceState& reference,
                                 const CreateAssignment& c, const DecisionContext& ctx);
/// An assignment already deleted decides nothing.
/// @errors NotFound naming `assignment_id` for one that never existed.
Result<DirectoryDecision> decide(const DirectoryState& s, const DeleteAssignment& c,
                                 const DecisionContext& ctx);

/// True for a CDR accountcode a customer may claim: `[A-Za-z0-9_.@-]{1,80}`.
bool valid_accountcode(std::string_view code) noexcept;

/// True for a trunk name: `[A-Za-z0-9_.@:+-]{1,80}` (Asterisk peer and endpoint names,
/// FreeSWITCH gateway names).
bool valid_trunk(std::string_view name) noexcept;

}  // namespace switchyard::core::voice
