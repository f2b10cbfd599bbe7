#pragma once
/// What the billing route files share (api/routes/billing/*.cpp): who reads the books, the
/// decision context of a request, a command's answer with its position, and a read model
/// caught up with the caller's last command. Include only in those .cpp files.

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "api/json_body.hpp"
#include "api/route_support.hpp"
#include "api/routes/billing/billing_api.hpp"

namespace switchyard::api::billing_routes {

/// Who reads the operator's books, plans and subscriptions: admins and support staff
/// (resellers have their own credits).
inline const std::vector<core::identity::Role> kBooksRead{core::identity::Role::Admin,
                                                          core::identity::Role::Support};

inline core::DecisionContext context_of(BillingApi& api, const HttpRequest& r) {
    return decision_context(api.ctx, r, caller_of(r).actor);
}

/// The reseller whose credits the caller addresses: a reseller its own (naming another is 403),
/// staff the one named by `named` (required).
/// @errors Invalid naming `field` (staff named none); Forbidden naming `field` (a reseller
///         names another, or the key belongs to no reseller).
inline core::Result<std::string> addressed_reseller(const Caller& caller, const std::string& named,
                                                    const char* field) {
    const auto& who = caller.principal;
    if (who.role != core::identity::Role::Reseller) {
        if (named.empty()) return core::fail(core::Errc::Invalid, field, "is required");
        return named;
    }
    if (!named.empty() && named != who.user_id)
        return core::fail(core::Errc::Forbidden, field, "a reseller acts on its own credits");
    if (who.user_id.empty())
        return core::fail(core::Errc::Forbidden, field, "this key belongs to no reseller");
    return who.user_id;
}

/// The path parameter `name` (`{payment_id}`), or empty.
inline std::string param(const HttpRequest& r, const char* name) {
    auto it = r.params.find(name);
    return it == r.params.end() ? "" : it->second;
}

/// A command's answer: `body` with the position of its append.
inline HttpResponse answer(int status, boost::json::object body,
                           const std::vector<events::Position>& positions) {
    return command_response(status, with_position(std::move(body), positions), positions);
}

/// The read model `name` once it holds the caller's last command (`X-Min-Position`).
/// @errors Unavailable naming `billing` when the model is not open; as wait_for_position.
inline core::Result<const projections::ReadModelView*> ready_view(BillingApi& api, HttpRequest& r,
                                                                  const char* name) {
    SY_TRY(wait_for_position(api.ctx, r));
    const auto* view = api.ctx.runner.view(name);
    if (!view)
        return core::fail(core::Errc::Unavailable, "billing",
                          std::string("the read model ") + name + " is not open");
    return view;
}

/// An invoice line with its amounts, as quotes and invoices answer it.
inline boost::json::object line_json(const core::billing::InvoiceLine& l) {
    return {{"description", l.input.description},
            {"line", l.input.line},
            {"plan_id", l.input.plan_id},
            {"quantity", l.input.quantity},
            {"unit_amount_micros", l.input.unit_amount_micros},
            {"amount_micros", l.amount_micros},
            {"discount_micros", l.discount_micros},
            {"net_micros", l.net_micros},
            {"tax_micros", l.tax_micros},
            {"total_micros", l.total_micros}};
}

/// The body's `lines`: `[{"description", "line"?, "plan_id"?, "quantity"?,
/// "unit_amount_micros"}]` (line `other` and quantity 1 when left out).
/// @errors Invalid naming `lines` (missing, more than 500) or `lines[i].<field>`.
inline core::Result<std::vector<core::billing::InvoiceLineInput>> invoice_lines(JsonBody& b) {
    auto lines = SY_TRY(b.opt_object_list("lines"));
    if (!lines) return core::fail(core::Errc::Invalid, "lines", "is required");
    if (lines->size() > core::billing::kMaxInvoiceLines)
        return core::fail(core::Errc::Invalid, "lines", "an invoice has 1 to 500 lines");
    std::vector<core::billing::InvoiceLineInput> out;
    for (const auto& l : *lines) {
        SY_TRY(l.only({"description", "line", "plan_id", "quantity", "unit_amount_micros"}));
        core::billing::InvoiceLineInput in;
        in.description = SY_TRY(l.string("description"));
        in.line = SY_TRY(l.opt_string("line")).value_or("other");
        in.plan_id = SY_TRY(l.opt_string("plan_id")).value_or("");
        in.quantity = SY_TRY(l.opt_int("quantity")).value_or(1);
        const auto unit = SY_TRY(l.opt_int("unit_amount_micros"));
        if (!unit)
            return core::fail(core::Errc::Invalid, l.prefix() + "unit_amount_micros",
                              "is required");
        in.unit_amount_micros = *unit;
        out.push_back(std::move(in));
    }
    return out;
}

}  // namespace switchyard::api::billing_routes
