#include "projections/billing/subscriptions.hpp"

#include "core/overloaded.hpp"
#include "events/billing/plan_tables.hpp"
#include "events/billing/subscription_codec.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::billing {

using namespace core::billing;

namespace {

constexpr auto kPlanRows = json_rows<PlanRow>(
    fields(flat(&PlanRow::plan, events::billing::kPlanTable), field("retired", &PlanRow::retired)));

constexpr auto kStateTable =
    fields(field("plan_id", &SubscriptionState::plan_id), field("line", &SubscriptionState::line),
           optional_field("pending_plan_id", &SubscriptionState::pending_plan_id),
           field("status", &SubscriptionState::status, parse_subscription_status),
           field("auto_renew", &SubscriptionState::auto_renew),
           field("cancel_at_period_end", &SubscriptionState::cancel_at_period_end),
           field("setup_fee_paid", &SubscriptionState::setup_fee_paid),
           field("anchor", &SubscriptionState::anchor),
           field("period_start", &SubscriptionState::period_start),
           field("period_end", &SubscriptionState::period_end),
           field("periods_paid", &SubscriptionState::periods_paid),
           field("index", &SubscriptionState::index),
           field("plan_changes", &SubscriptionState::plan_changes),
           field("renewal_attempts", &SubscriptionState::renewal_attempts),
           field("next_attempt_at", &SubscriptionState::next_attempt_at),
           field("paused_at", &SubscriptionState::paused_at),
           field("reminded_days", &SubscriptionState::reminded_days));

constexpr auto kSubscriptionRows = json_rows<SubscriptionRow>(fields(
    flat(&SubscriptionRow::terms, events::billing::kTermsTable),
    flat(&SubscriptionRow::state, kStateTable), field("next_due", &SubscriptionRow::next_due),
    field("created_at", &SubscriptionRow::created_at),
    field("updated_at", &SubscriptionRow::updated_at)));

std::string plan_key(const std::string& id) { return key_of("p", id); }
std::string subscription_key(const std::string& id) { return key_of("s", id); }
std::string due_key(core::Timestamp t, const std::string& id) {
    return "d/" + be64(static_cast<std::uint64_t>(t.time_since_epoch().count())) + "/" + id;
}

bool is_model_type(std::string_view type) {
    return type.starts_with("billing.plan.") || type.starts_with("billing.subscription.");
}

std::optional<SubscriptionRow> with_terms(std::optional<SubscriptionRow> row) {
    if (row) row->state.terms = row->terms;
    return row;
}

core::Result<void> apply_plan(const PlanEvent& event, ProjectionWrites& w) {
    std::visit(core::Overloaded{[&](const PlanDefined& d) {
                                    kPlanRows.put(w, plan_key(d.plan.plan_id), {d.plan, false});
                                },
                                [&](const PlanRetired& r) {
                                    kPlanRows.update(w, plan_key(r.plan_id),
                                                     [](PlanRow& row) { row.retired = true; });
                                }},
               event);
    return {};
}

core::Result<void> apply_subscription(const SubscriptionEvent& event,
                                      const events::RecordedEvent& recorded, ProjectionWrites& w) {
    const auto prefix = std::string("billing_subscription-");
    if (!recorded.stream.starts_with(prefix)) return {};
    const auto id = recorded.stream.substr(prefix.size());
    const auto key = subscription_key(id);
    auto row = with_terms(kSubscriptionRows.find(w, key));
    if (!row) {
        if (!std::holds_alternative<SubscriptionCreated>(event)) return {};
        row = SubscriptionRow{};
        row->created_at = recorded.time;
    }
    if (row->next_due) w.erase(due_key(*row->next_due, id));
    evolve(row->state, event);
    row->terms = *row->state.terms;
    row->next_due = next_due(row->state);
    row->updated_at = recorded.time;
    if (row->next_due) w.put(due_key(*row->next_due, id), "");
    w.put(key_of("c", row->terms.customer_id, id), "");
    kSubscriptionRows.put(w, key, *row);
    return {};
}

}  // namespace

std::unique_ptr<Projector> make_billing_subscriptions_projector() {
    return make_projector(
        kBillingSubscriptions,
        [](const events::RecordedEvent& e, ProjectionWrites& w) -> core::Result<void> {
            if (e.type.starts_with("billing.plan."))
                return apply_plan(SY_TRY(events::billing::decode_plan_event(e)), w);
            if (e.type.starts_with("billing.subscription."))
                return apply_subscription(SY_TRY(events::billing::decode_subscription_event(e)), e,
                                          w);
            return {};
        },
        &is_model_type);
}

std::optional<PlanRow> find_plan(const ReadModelView& view, const std::string& plan_id) {
    return kPlanRows.find(view, plan_key(plan_id));
}

std::vector<PlanRow> list_plans(const ReadModelView& view, const std::string& after,
                                std::size_t limit) {
    std::vector<PlanRow> out;
    if (limit == 0) return out;
    view.scan("p/", after.empty() ? "p/" : "p/" + after,
              [&](std::string_view key, std::string_view value) {
                  if (!after.empty() && key.substr(2) <= after) return true;
                  if (auto row = kPlanRows.decode(value)) out.push_back(std::move(*row));
                  return out.size() < limit;
              });
    return out;
}

std::optional<SubscriptionRow> find_subscription(const ReadModelView& view,
                                                 const std::string& subscription_id) {
    return with_terms(kSubscriptionRows.find(view, subscription_key(subscription_id)));
}

std::vector<SubscriptionRow> list_subscriptions(const ReadModelView& view,
                                                const std::string& customer_id,
                                                std::optional<SubscriptionStatus> status,
                                                const std::string& after, std::size_t limit) {
    std::vector<SubscriptionRow> out;
    if (limit == 0) return out;
    const std::string prefix = customer_id.empty() ? "s/" : key_of("c", customer_id) + "/";
    view.scan(prefix, after.empty() ? prefix : prefix + after,
              [&](std::string_view key, std::string_view value) {
                  const auto id = std::string(key.substr(prefix.size()));
                  if (!after.empty() && id <= after) return true;
                  auto row = customer_id.empty() ? with_terms(kSubscriptionRows.decode(value))
                                                 : find_subscription(view, id);
                  if (row && (!status || row->state.status == *status))
                      out.push_back(std::move(*row));
                  return out.size() < limit;
              });
    return out;
}

std::vector<std::string> due_subscriptions(const ReadModelView& view, core::Timestamp now,
                                           std::size_t limit) {
    std::vector<std::string> out;
    const auto until = static_cast<std::uint64_t>(now.time_since_epoch().count());
    view.scan("d/", "d/", [&](std::string_view key, std::string_view) {
        if (key.size() < 11 || from_be64(key.substr(2, 8)) > until) return false;
        out.emplace_back(key.substr(11));
        return out.size() < limit;
    });
    return out;
}

}  // namespace switchyard::projections::billing
