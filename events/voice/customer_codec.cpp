#include "events/voice/customer_codec.hpp"

#include "events/codec_kit.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

namespace {

constexpr auto kCategory =
    fields(field("category_id", &Category::category_id), field("name", &Category::name),
           field("description", &Category::description), field("public", &Category::is_public),
           field("display_order", &Category::display_order));

constexpr auto kGroup =
    fields(field("group_id", &Group::group_id), field("category_id", &Group::category_id),
           field("name", &Group::name), field("description", &Group::description));

constexpr auto kCustomer =
    fields(field("customer_id", &Customer::customer_id), field("name", &Customer::name),
           field("company", &Customer::company), field("country", &Customer::country),
           field("currency", &Customer::currency),
           field("billing_type", &Customer::billing_type, parse_billing_type),
           field("accountcodes", &Customer::accountcodes),
           field("source_ips", &Customer::source_ips), optional_field("trunks", &Customer::trunks),
           optional_field("caller_prefixes", &Customer::caller_prefixes),
           field("tech_prefix", &Customer::tech_prefix),
           field("status", &Customer::status, parse_customer_status),
           field("category_id", &Customer::category_id), field("group_id", &Customer::group_id),
           field("owner_path", &Customer::owner_path), field("user_id", &Customer::user_id),
           field("created_at", &Customer::created_at));

constexpr auto kAssignment =
    fields(field("assignment_id", &Assignment::assignment_id),
           field("kind", &Assignment::kind, parse_item_kind), field("value", &Assignment::value),
           field("scope", &Assignment::scope, parse_assignment_scope),
           field("target", &Assignment::target), field("created_at", &Assignment::created_at));

struct Codec {
    static auto payload(As<CategoryDefined>) {
        return fields(flat(&CategoryDefined::category, kCategory));
    }
    static auto payload(As<GroupDefined>) { return fields(flat(&GroupDefined::group, kGroup)); }
    static auto payload(As<CustomerCreated>) {
        return fields(flat(&CustomerCreated::customer, kCustomer),
                      field("command_id", &CustomerCreated::command_id));
    }
    static auto payload(As<CustomerUpdated>) {
        return fields(flat(&CustomerUpdated::customer, kCustomer));
    }
    static auto payload(As<AssignmentCreated>) {
        return fields(flat(&AssignmentCreated::assignment, kAssignment),
                      field("command_id", &AssignmentCreated::command_id));
    }
    static auto payload(As<AssignmentDeleted>) {
        return fields(field("assignment_id", &AssignmentDeleted::assignment_id));
    }
};

}  // namespace

EncodedEvent encode(const DirectoryEvent& event) { return encode_as<Codec>(event); }

core::Result<DirectoryEvent> decode_directory_event(const RecordedEvent& event) {
    return decode_as<Codec, DirectoryEvent>(event);
}

json::object category_json(const Category& c) { return to_json(c, kCategory); }
json::object group_json(const Group& g) { return to_json(g, kGroup); }
json::object customer_json(const Customer& c) { return to_json(c, kCustomer); }
core::Result<Customer> parse_customer(std::string_view json) {
    return with_json_object(json,
                            [](const JsonObject& o) { return from_json<Customer>(o, kCustomer); });
}
json::object assignment_json(const Assignment& a) { return to_json(a, kAssignment); }

core::Result<std::vector<Category>> parse_categories(std::string_view json) {
    return with_json_object(json, [](const JsonObject& o) {
        std::vector<Category> out;
        for (const auto& c : o.obj_list("categories"))
            out.push_back(from_json<Category>(c, kCategory));
        return out;
    });
}

}  // namespace switchyard::events::voice
