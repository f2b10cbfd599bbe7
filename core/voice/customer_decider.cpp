#include "core/voice/customer_decider.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/overloaded.hpp"
#include "core/text.hpp"
#include "core/voice/reference_codes.hpp"
#include "core/vpn/address_pool.hpp"

namespace switchyard::core::voice {

const char* to_string(BillingType b) noexcept {
    return b == BillingType::Prepaid ? "prepaid" : "postpaid";
}
bool parse_billing_type(std::string_view text, BillingType& out) noexcept {
    if (text == "prepaid") {
        out = BillingType::Prepaid;
        return true;
    }
    if (text == "postpaid") {
        out = BillingType::Postpaid;
        return true;
    }
    return false;
}

const char* to_string(CustomerStatus s) noexcept {
    return s == CustomerStatus::Active ? "active" : "suspended";
}
bool parse_customer_status(std::string_view text, CustomerStatus& out) noexcept {
    if (text == "active") {
        out = CustomerStatus::Active;
        return true;
    }
    if (text == "suspended") {
        out = CustomerStatus::Suspended;
        return true;
    }
    return false;
}

bool valid_accountcode(std::string_view code) noexcept {
    return !code.empty() && code.size() <= 80 && std::all_of(code.begin(), code.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '_' || ch == '.' || ch == '@' || ch == '-';
    });
}

bool valid_trunk(std::string_view name) noexcept {
    return !name.empty() && name.size() <= 80 && std::all_of(name.begin(), name.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '_' || ch == '.' || ch == '@' || ch == '-' || ch == ':' || ch == '+';
    });
}

/// Points the accountcode and trunk indexes at `c`, or (with `index` false) removes them.
static void index_customer(DirectoryState& state, const Customer& c, bool index) {
    for (const auto& code : c.accountcodes) {
        if (index)
            state.accountcodes[code] = c.customer_id;
        else
            state.accountcodes.erase(code);
    }
    for (const auto& t : c.trunks) {
        if (index)
            state.trunks[t] = c.customer_id;
        else
            state.trunks.erase(t);
    }
}

void evolve(DirectoryState& state, const DirectoryEvent& event) {
    std::visit(Overloaded{
                   [&](const CategoryDefined& e) {
                       state.categories_ever_defined = true;
                       state.categories[e.category.category_id] = e.category;
                   },
                   [&](const GroupDefined& e) { state.groups[e.group.group_id] = e.group; },
                   [&](const CustomerCreated& e) {
                       const auto id = e.customer.customer_id;
                       state.customers[id] = e.customer;
                       index_customer(state, e.customer, true);
                       if (!e.command_id.empty()) state.customer_commands[e.command_id] = id;
                       state.next_customer_id = std::max(state.next_customer_id, id + 1);
                   },
                   [&](const CustomerUpdated& e) {
                       const auto id = e.customer.customer_id;
                       if (auto it = state.customers.find(id); it != state.customers.end())
                           index_customer(state, it->second, false);
                       state.customers[id] = e.customer;
                       index_customer(state, e.customer, true);
                   },
                   [&](const AssignmentCreated& e) {
                       const auto id = e.assignment.assignment_id;
                       state.assignments[id] = e.assignment;
                       if (!e.command_id.empty()) state.assignment_commands[e.command_id] = id;
                       state.next_assignment_id = std::max(state.next_assignment_id, id + 1);
                   },
                   [&](const AssignmentDeleted& e) {
                       state.assignments.erase(e.assignment_id);
                       state.deleted_assignments.insert(e.assignment_id);
                   },
               },
               event);
}

namespace {

bool valid_name(std::string_view s) {
    return !s.empty() && s.size() <= 64 && is_valid_utf8(s) && !has_control_chars(s);
}
bool valid_text(std::string_view s, std::size_t max) {
    return s.size() <= max && is_valid_utf8(s) && !has_control_chars(s);
}

Result<void> check_category(const Category& c, const std::string& prefix = "") {
    if (!valid_voice_id(c.category_id))
        return fail(Errc::Invalid, prefix + "category_id", "must be [a-z0-9_-]{1,32}");
    if (!valid_name(c.name))
        return fail(Errc::Invalid, prefix + "name", "must be 1 to 64 characters");
    if (!valid_text(c.description, 512))
        return fail(Errc::Invalid, prefix + "description",
                    "must be at most 512 printable characters");
    if (c.display_order < 0 || c.display_order > 1000000)
        return fail(Errc::Invalid, prefix + "display_order", "must be 0 to 1000000");
    return {};
}

Result<void> check_customer(const DirectoryState& s, const Customer& c) {
    if (!valid_name(c.name)) return fail(Errc::Invalid, "name", "must be 1 to 64 characters");
    if (!valid_text(c.company, 128))
        return fail(Errc::Invalid, "company", "must be at most 128 printable characters");
    if (!is_iso3166_alpha2(c.country))
        return fail(Errc::Invalid, "country",
                    "must be an ISO 3166-1 alpha-2 country code such as DE or US");
    if (!is_iso4217(c.currency))
        return fail(Errc::Invalid, "currency", "must be an ISO 4217 code such as USD or EUR");
    if (c.accountcodes.size() > 32)
        return fail(Errc::Invalid, "accountcodes", "must list at most 32 accountcodes");
    std::set<std::string> seen;
    for (const auto& code : c.accountcodes) {
        if (!valid_accountcode(code))
            return fail(Errc::Invalid, "accountcodes",
                        fmt::format("'{}' is not an accountcode ([A-Za-z0-9_.@-]{{1,80}})", code));
        if (!seen.insert(code).second)
            return fail(Errc::Invalid, "accountcodes", fmt::format("'{}' is listed twice", code));
    }
    if (c.source_ips.size() > 64)
        return fail(Errc::Invalid, "source_ips", "must list at most 64 addresses or blocks");
    for (const auto& ip : c.source_ips)
        if (!vpn::is_ip_address(ip) && !vpn::is_cidr(ip))
            return fail(Errc::Invalid, "source_ips",
                        fmt::format("'{}' is not an IP address or CIDR block", ip));
    if (c.trunks.size() > 32) return fail(Errc::Invalid, "trunks", "must list at most 32 trunks");
    std::set<std::string> trunk_seen;
    for (const auto& t : c.trunks) {
        if (!valid_trunk(t))
            return fail(Errc::Invalid, "trunks",
                        fmt::format("'{}' is not a trunk name ([A-Za-z0-9_.@:+-]{{1,80}})", t));
        if (!trunk_seen.insert(t).second)
            return fail(Errc::Invalid, "trunks", fmt::format("'{}' is listed twice", t));
        if (auto owner = s.trunks.find(t);
            owner != s.trunks.end() && owner->second != c.customer_id)
            return fail(Errc::Conflict, "trunks",
                        fmt::format("trunk '{}' belongs to customer {}", t, owner->second));
    }
    if (c.caller_prefixes.size() > 64)
        return fail(Errc::Invalid, "caller_prefixes", "must list at most 64 prefixes");
    for (const auto& p : c.caller_prefixes)
        if (p.empty() || p.size() > 15 ||
            !std::all_of(p.begin(), p.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
            return fail(Errc::Invalid, "caller_prefixes",
                        fmt::format("'{}' is not an E.164 prefix (1 to 15 digits, no +)", p));
    if (!c.tech_prefix.empty() && !valid_tech_prefix(c.tech_prefix))
        return fail(Errc::Invalid, "tech_prefix", "must be 1 to 16 of 0-9, # and *");
    if (!valid_text(c.user_id, 64)) return fail(Errc::Invalid, "user_id", "must be a user id");
    auto cat = s.categories.find(c.category_id);
    if (cat == s.categories.end())
        return fail(Errc::NotFound, "category_id",
                    fmt::format("category '{}' does not exist", c.category_id));
    auto group = s.groups.find(c.group_id);
    if (group == s.groups.end())
        return fail(Errc::NotFound, "group_id",
                    fmt::format("group '{}' does not exist", c.group_id));
    if (group->second.category_id != c.category_id)
        return fail(Errc::Invalid, "group_id",
                    fmt::format("group '{}' belongs to category '{}', not '{}'", c.group_id,
                                group->second.category_id, c.category_id));
    for (const auto& code : c.accountcodes) {
        auto owner = s.accountcodes.find(code);
        if (owner != s.accountcodes.end() && owner->second != c.customer_id)
            return fail(
                Errc::Conflict, "accountcodes",
                fmt::format("accountcode '{}' belongs to customer {}", code, owner->second));
    }
    return {};
}

/// NotFound/Rejected naming `value` when a reference item of `Item` is unknown or retired.
template <class Item>
Result<void> check_value(const ReferenceState& r, const std::string& id) {
    const auto& m = r.items<Item>();
    auto it = m.find(id);
    if (it == m.end())
        return fail(Errc::NotFound, "value",
                    fmt::format("{} '{}' does not exist", Item::kKind, id));
    if (it->second.retired)
        return fail(Errc::Rejected, "value", fmt::format("{} '{}' is retired", Item::kKind, id));
    return {};
}

}  // namespace

Result<DirectoryDecision> decide(const DirectoryState& s, const DefineCategory& c,
                                 const DecisionContext&) {
    SY_TRY(check_category(c.category));
    auto it = s.categories.find(c.category.category_id);
    if (c.mode == DefineMode::Create && it != s.categories.end()) {
        if (it->second == c.category) return DirectoryDecision{};
        return fail(Errc::Conflict, "category_id",
                    fmt::format("category '{}' already exists", c.category.category_id));
    }
    if (c.mode == DefineMode::Update) {
        if (it == s.categories.end())
            return fail(Errc::NotFound, "category_id",
                        fmt::format("category '{}' does not exist", c.category.category_id));
        if (it->second == c.category) return DirectoryDecision{};
    }
    return DirectoryDecision{{CategoryDefined{c.category}}, 0};
}

Result<DirectoryDecision> decide(const DirectoryState& s, const SeedCategories& c,
                                 const DecisionContext&) {
    DirectoryDecision out;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < c.categories.size(); ++i) {
        const auto prefix = fmt::format("categories[{}].", i);
        SY_TRY(check_category(c.categories[i], prefix));
        if (!seen.insert(c.categories[i].category_id).second)
            return fail(Errc::Invalid, prefix + "category_id", "is listed twice");
        if (!s.categories_ever_defined) out.events.push_back(CategoryDefined{c.categories[i]});
    }
    return out;
}

Result<DirectoryDecision> decide(const DirectoryState& s, const DefineGroup& c,
                                 const DecisionContext&) {
    const auto& g = c.group;
    if (!valid_voice_id(g.group_id))
        return fail(Errc::Invalid, "group_id", "must be [a-z0-9_-]{1,32}");
    if (!valid_name(g.name)) return fail(Errc::Invalid, "name", "must be 1 to 64 characters");
    if (!valid_text(g.description, 512))
        return fail(Errc::Invalid, "description", "must be at most 512 printable characters");
    if (!s.categories.count(g.category_id))
        return fail(Errc::NotFound, "category_id",
                    fmt::format("category '{}' does not exist", g.category_id));
    auto it = s.groups.find(g.group_id);
    if (c.mode == DefineMode::Create && it != s.groups.end()) {
        if (it->second == g) return DirectoryDecision{};
        return fail(Errc::Conflict, "group_id",
                    fmt::format("group '{}' already exists", g.group_id));
    }
    if (c.mode == DefineMode::Update) {
        if (it == s.groups.end())
            return fail(Errc::NotFound, "group_id",
                        fmt::format("group '{}' does not exist", g.group_id));
        if (it->second.category_id != g.category_id)
            return fail(Errc::Rejected, "category_id",
                        "a group stays in its category; create a group in the other category");
        if (it->second == g) return DirectoryDecision{};
    }
    return DirectoryDecision{{GroupDefined{g}}, 0};
}

Result<DirectoryDecision> decide(const DirectoryState& s, const CreateCustomer& c,
                                 const DecisionContext& ctx) {
    if (!c.command_id.empty()) {
        if (auto it = s.customer_commands.find(c.command_id); it != s.customer_commands.end())
            return DirectoryDecision{{}, it->second};
    }
    Customer customer = c.customer;
    customer.customer_id = s.next_customer_id;
    customer.created_at = ctx.now;
    if (customer.owner_path.empty()) customer.owner_path = "/";
    SY_TRY(check_customer(s, customer));
    return DirectoryDecision{{CustomerCreated{customer, c.command_id}}, customer.customer_id};
}

Result<DirectoryDecision> decide(const DirectoryState& s, const UpdateCustomer& c,
                                 const DecisionContext&) {
    auto it = s.customers.find(c.customer.customer_id);
    if (it == s.customers.end())
        return fail(Errc::NotFound, "customer_id",
                    fmt::format("customer {} does not exist", c.customer.customer_id));
    Customer customer = c.customer;
    customer.owner_path = it->second.owner_path;
    customer.created_at = it->second.created_at;
    SY_TRY(check_customer(s, customer));
    if (customer == it->second) return DirectoryDecision{{}, customer.customer_id};
    return DirectoryDecision{{CustomerUpdated{customer}}, customer.customer_id};
}

Result<DirectoryDecision> decide(const DirectoryState& s, const ReferenceState& reference,
                                 const CreateAssignment& c, const DecisionContext& ctx) {
    if (!c.command_id.empty()) {
        if (auto it = s.assignment_commands.find(c.command_id); it != s.assignment_commands.end())
            return DirectoryDecision{{}, it->second};
    }
    Assignment a = c.assignment;
    if (a.value.empty() || a.value.size() > 128 || !is_valid_utf8(a.value) ||
        has_control_chars(a.value))
        return fail(Errc::Invalid, "value", "must be 1 to 128 printable characters");
    switch (a.scope) {
        case AssignmentScope::All:
            if (!a.target.empty())
                return fail(Errc::Invalid, "target", "must be empty for scope all");
            break;
        case AssignmentScope::Category:
            if (a.target.empty()) return fail(Errc::Invalid, "target", "must name a category");
            if (!s.categories.count(a.target))
                return fail(Errc::NotFound, "target",
                            fmt::format("category '{}' does not exist", a.target));
            break;
        case AssignmentScope::Group:
            if (a.target.empty()) return fail(Errc::Invalid, "target", "must name a group");
            if (!s.groups.count(a.target))
                return fail(Errc::NotFound, "target",
                            fmt::format("group '{}' does not exist", a.target));
            break;
        case AssignmentScope::Customer: {
            if (a.target.empty()) return fail(Errc::Invalid, "target", "must name a customer id");
            std::int64_t id = 0;
            const bool digits = a.target.size() <= 18 &&
                                std::all_of(a.target.begin(), a.target.end(),
                                            [](char ch) { return ch >= '0' && ch <= '9'; });
            if (digits) id = std::stoll(a.target);
            if (!digits || !s.customers.count(id))
                return fail(Errc::NotFound, "target",
                            fmt::format("customer '{}' does not exist", a.target));
            a.target = std::to_string(id);  // canonical: no leading zeros
            break;
        }
    }
    switch (a.kind) {
        case ItemKind::VoiceTier:
            SY_TRY(check_value<VoiceTier>(reference, a.value));
            break;
        case ItemKind::CodecSet:
            SY_TRY(check_value<CodecSet>(reference, a.value));
            break;
        case ItemKind::ChannelPlan:
            SY_TRY(check_value<ChannelPlan>(reference, a.value));
            break;
        case ItemKind::Pop:
            SY_TRY(check_value<Pop>(reference, a.value));
            break;
        case ItemKind::RateCard:
        case ItemKind::RouteGroup:
            break;  // opaque ids of other parts of the module
    }
    a.assignment_id = s.next_assignment_id;
    a.created_at = ctx.now;
    return DirectoryDecision{{AssignmentCreated{a, c.command_id}}, a.assignment_id};
}

Result<DirectoryDecision> decide(const DirectoryState& s, const DeleteAssignment& c,
                                 const DecisionContext&) {
    if (s.deleted_assignments.count(c.assignment_id)) return DirectoryDecision{{}, c.assignment_id};
    if (!s.assignments.count(c.assignment_id))
        return fail(Errc::NotFound, "assignment_id",
                    fmt::format("assignment {} does not exist", c.assignment_id));
    return DirectoryDecision{{AssignmentDeleted{c.assignment_id}}, c.assignment_id};
}

}  // namespace switchyard::core::voice
