#include "projections/voice/customers.hpp"

#include <charconv>

#include "core/identity/user.hpp"
#include "core/overloaded.hpp"
#include "events/voice/customer_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::voice {

using namespace core::voice;

namespace {

std::string customer_key(std::int64_t id) { return "c/" + be64(static_cast<std::uint64_t>(id)); }
std::string accountcode_key(const std::string& code) { return "a/" + code; }

std::optional<Customer> decode(std::string_view text) {
    auto c = events::voice::parse_customer(text);
    if (!c) return std::nullopt;
    return std::move(*c);
}

void put_customer(ProjectionWrites& w, const Customer& c) {
    if (auto old = w.get(customer_key(c.customer_id)))
        if (auto before = decode(*old))
            for (const auto& code : before->accountcodes) w.erase(accountcode_key(code));
    w.put(customer_key(c.customer_id), events::json::serialize(events::voice::customer_json(c)));
    for (const auto& code : c.accountcodes)
        w.put(accountcode_key(code), std::to_string(c.customer_id));
}

core::Result<void> apply(const DirectoryEvent& event, const events::RecordedEvent&,
                         ProjectionWrites& w) {
    std::visit(core::Overloaded{
                   [&](const CustomerCreated& e) { put_customer(w, e.customer); },
                   [&](const CustomerUpdated& e) { put_customer(w, e.customer); },
                   [](const auto&) {},
               },
               event);
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_voice_customers_projector() {
    return make_projector<DirectoryEvent>(kVoiceCustomers, events::voice::decode_directory_event,
                                          apply,
                                          events::is_one_of<CustomerCreated, CustomerUpdated>);
}

std::optional<Customer> find_customer(const ReadModelView& view, std::int64_t id) {
    auto text = view.get(customer_key(id));
    return text ? decode(*text) : std::nullopt;
}

std::optional<Customer> find_customer_by_accountcode(const ReadModelView& view,
                                                     const std::string& accountcode) {
    auto id = view.get(accountcode_key(accountcode));
    if (!id) return std::nullopt;
    std::int64_t n = 0;
    auto [p, ec] = std::from_chars(id->data(), id->data() + id->size(), n);
    if (ec != std::errc()) return std::nullopt;
    return find_customer(view, n);
}

std::vector<Customer> list_customers(const ReadModelView& view, std::int64_t after_id,
                                     std::size_t limit, const CustomerFilter& filter) {
    std::vector<Customer> out;
    if (limit == 0) return out;
    view.scan("c/", customer_key(after_id + 1), [&](std::string_view, std::string_view value) {
        auto c = decode(value);
        if (!c) return true;
        if (!filter.category_id.empty() && c->category_id != filter.category_id) return true;
        if (!filter.group_id.empty() && c->group_id != filter.group_id) return true;
        if (filter.status && c->status != *filter.status) return true;
        if (!core::identity::in_scope(filter.scope, c->owner_path)) return true;
        out.push_back(std::move(*c));
        return out.size() < limit;
    });
    return out;
}

}  // namespace switchyard::projections::voice
