#include "api/routes/voice/voice_support.hpp"

#include <fmt/format.h>
#include <boost/json.hpp>

namespace switchyard::api::voice {

namespace json = boost::json;
using core::Errc;

std::string command_id_of(const HttpRequest& request, const core::DecisionContext& ctx) {
    const auto& key = request.header("idempotency-key");
    return key.empty() ? ctx.correlation_id : "idem:" + key;
}

HttpResponse answer(int status, json::object body, const std::vector<events::Position>& positions) {
    return command_response(status, with_position(std::move(body), positions), positions);
}

HttpResponse json_ok(const json::object& body) { return json_response(200, json::serialize(body)); }

bool may_see(const HttpRequest& request, const core::voice::Customer& customer) {
    const auto& p = caller_of(request).principal;
    if (p.role == core::identity::Role::Customer) {
        const auto& me = p.user_id.empty() ? p.id : p.user_id;
        return !customer.user_id.empty() && customer.user_id == me;
    }
    return core::identity::in_scope(p.scope, customer.owner_path);
}

core::Result<std::optional<std::set<std::string>>> customer_reach(VoiceApi& api,
                                                                  const HttpRequest& request) {
    const auto& p = caller_of(request).principal;
    if (p.role != core::identity::Role::Customer && p.scope == "/")
        return std::optional<std::set<std::string>>();
    const auto directory = SY_TRY(api.voice.directory());
    std::set<std::string> out;
    for (const auto& [id, customer] : directory.customers)
        if (may_see(request, customer)) out.insert(std::to_string(id));
    return std::optional<std::set<std::string>>(std::move(out));
}

std::string money_text(core::voice::Micros amount) { return core::voice::format_micros(amount, 6); }

core::Result<void> current_tariffs(VoiceApi& api) { return api.tariffs.catch_up(api.ctx.store); }

std::string price_text(core::voice::Micros amount) {
    auto s = core::voice::format_micros(amount, 6);
    while (s.back() == '0' && s.size() - s.find('.') - 1 > 4) s.pop_back();
    return s;
}

core::Result<std::string> text_param(const HttpRequest& request, const char* name) {
    auto it = request.params.find(name);
    if (it == request.params.end() || it->second.empty())
        return core::fail(Errc::Invalid, name, "is required");
    return it->second;
}

tl::unexpected<core::Error> not_found(const char* what, const std::string& id, const char* field) {
    return core::fail(Errc::NotFound, field, fmt::format("{} '{}' does not exist", what, id));
}

std::string string_page(const PageRequest& page,
                        const std::vector<std::pair<std::string, json::object>>& items) {
    PageWriter out(page);
    for (const auto& [key, item] : items) {
        if (!page.cursor.empty() && key <= page.cursor) continue;
        if (!out.add(json::serialize(item), key)) break;
    }
    return out.body();
}

}  // namespace switchyard::api::voice
