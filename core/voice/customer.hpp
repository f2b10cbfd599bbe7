#pragma once
/// Voice customers and how they are grouped (DIDTron phase 1): customer categories (the public
/// ones are SIP Trunk, Enterprise, Call Center, Individual; an admin may add more), groups
/// inside a category, customers (one category, one group), and the assignments of
/// configuration items to them (core/voice/assignment.hpp). One aggregate per tenant,
/// `voice_directory-<tenant>`, so that an assignment is decided against the categories, groups
/// and customers it names.
///
/// A customer carries the owner path of identity (core/identity/user.hpp): `/` for the
/// operator's own, `<reseller's owner path><reseller id>/` for a reseller's, so that a reseller
/// sees and manages its own subtree only.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/time.hpp"
#include "core/voice/assignment.hpp"

namespace switchyard::core::voice {

/// A customer category (DIDTron `customer_categories`).
struct Category {
    std::string category_id;  ///< `[a-z0-9_-]{1,32}`, e.g. `sip_trunk`.
    std::string name;         ///< e.g. `SIP Trunk`.
    std::string description;
    bool is_public = true;  ///< Shown on the operator's website (DIDTron `show_on_website`).
    std::int64_t display_order = 0;
    friend bool operator==(const Category&, const Category&) = default;
};

/// A group inside a category (DIDTron `customer_groups`): an admin's segment.
struct Group {
    std::string group_id;     ///< `[a-z0-9_-]{1,32}`, unique across categories.
    std::string category_id;  ///< The category it belongs to; never changes.
    std::string name;
    std::string description;
    friend bool operator==(const Group&, const Group&) = default;
};

/// How a customer pays. Wire names `prepaid`, `postpaid`.
enum class BillingType { Prepaid, Postpaid };
const char* to_string(BillingType b) noexcept;
bool parse_billing_type(std::string_view text, BillingType& out) noexcept;

/// Whether a customer may place calls. Wire names `active`, `suspended`.
enum class CustomerStatus { Active, Suspended };
const char* to_string(CustomerStatus s) noexcept;
bool parse_customer_status(std::string_view text, CustomerStatus& out) noexcept;

/// A voice customer.
struct Customer {
    std::int64_t customer_id = 0;  ///< From 1, handed out by the directory.
    std::string name;              ///< 1 to 64 characters.
    std::string company;           ///< At most 128 characters; may be empty.
    /// ISO 3166-1 alpha-2 (`DE`): the country national numbers are read in.
    std::string country;
    std::string currency;  ///< ISO 4217 (`EUR`): the currency the customer is billed in.
    BillingType billing_type = BillingType::Prepaid;
    /// CDR accountcodes (Asterisk `accountcode`, FreeSWITCH `accountcode`) that identify the
    /// customer; each belongs to one customer only. 0 to 32 of `[A-Za-z0-9_.@-]{1,80}`.
    std::vector<std::string> accountcodes;
    /// Source addresses of its SIP trunk: IP addresses or CIDR blocks (IPv4 or IPv6); 0 to 64.
    std::vector<std::string> source_ips;
    std::string tech_prefix;  ///< Digits (and `#`, `*`) the customer dials before the number.
    /// Trunk names as its switch writes them in a CDR: the Asterisk peer or endpoint of the
    /// inbound channel (`acme` in `SIP/acme-0000002a`, `PJSIP/acme-00000001`), FreeSWITCH's
    /// `sip_gateway_name`, the JSON batch's `trunk`. Each belongs to one customer; 0 to 32 of
    /// `[A-Za-z0-9_.@:+-]{1,80}`.
    std::vector<std::string> trunks;
    /// Caller rules: the E.164 prefixes (digits, no `+`) its callers' numbers (CLI) may have,
    /// e.g. `4930123` for a DID block. A CDR with no accountcode, trunk or known source address
    /// belongs to the customer with the longest matching caller prefix. 0 to 64 of 1 to 15
    /// digits.
    std::vector<std::string> caller_prefixes;
    CustomerStatus status = CustomerStatus::Active;
    std::string category_id;       ///< An existing category.
    std::string group_id;          ///< An existing group of that category.
    std::string owner_path = "/";  ///< Identity's owner path (see the top of this file).
    /// The identity user (role `customer`) who signs in as this customer; may be empty.
    std::string user_id;
    Timestamp created_at{};
    friend bool operator==(const Customer&, const Customer&) = default;
};

// ---- events ----

/// A category was created or replaced (all fields).
struct CategoryDefined {
    static constexpr std::string_view kType = "voice.category.defined";
    Category category;
};
/// A group was created or replaced (all fields).
struct GroupDefined {
    static constexpr std::string_view kType = "voice.group.defined";
    Group group;
};
/// A customer was created.
struct CustomerCreated {
    static constexpr std::string_view kType = "voice.customer.created";
    Customer customer;
    std::string command_id;  ///< The creating request (a retry with it creates nothing).
};
/// A customer's fields changed (all fields after the change).
struct CustomerUpdated {
    static constexpr std::string_view kType = "voice.customer.updated";
    Customer customer;
};
/// A configuration item was assigned.
struct AssignmentCreated {
    static constexpr std::string_view kType = "voice.assignment.created";
    Assignment assignment;
    std::string command_id;  ///< The creating request (a retry with it creates nothing).
};
/// An assignment was deleted.
struct AssignmentDeleted {
    static constexpr std::string_view kType = "voice.assignment.deleted";
    std::int64_t assignment_id = 0;
};

using DirectoryEvent = std::variant<CategoryDefined, GroupDefined, CustomerCreated, CustomerUpdated,
                                    AssignmentCreated, AssignmentDeleted>;

struct DirectoryState {
    bool categories_ever_defined = false;  ///< The public categories are seeded only once.
    std::map<std::string, Category> categories;
    std::map<std::string, Group> groups;
    std::map<std::int64_t, Customer> customers;
    Assignments assignments;                                  ///< Live ones.
    std::set<std::int64_t> deleted_assignments;               ///< Ids of deleted ones.
    std::map<std::string, std::int64_t> accountcodes;         ///< accountcode -> customer id.
    std::map<std::string, std::int64_t> trunks;               ///< trunk name -> customer id.
    std::map<std::string, std::int64_t> customer_commands;    ///< command id -> customer id.
    std::map<std::string, std::int64_t> assignment_commands;  ///< command id -> assignment id.
    std::int64_t next_customer_id = 1;
    std::int64_t next_assignment_id = 1;

    /// The resolver's view of a customer. @pre the customer exists.
    CustomerRef ref_of(const Customer& c) const {
        return {c.customer_id, c.category_id, c.group_id};
    }
};

inline std::string directory_stream(const std::string& tenant) {
    return "voice_directory-" + tenant;
}

}  // namespace switchyard::core::voice
