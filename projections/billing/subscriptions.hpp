#pragma once
/// The `billing_subscriptions` read model: plans and subscriptions as they stand
/// (core/billing/plan.hpp, core/billing/subscription.hpp), and the index of what comes due
/// when, which the billing worker reads to advance subscriptions on time.
///
/// Keys (ids never contain `/`):
/// - `p/<plan id>` -> the plan (`billing.plan.defined`'s payload) with `retired`;
/// - `s/<subscription id>` -> the subscription: its terms, plan, status, period, payments;
/// - `c/<customer id>/<subscription id>` -> empty: a customer's subscriptions;
/// - `d/<be64 due time us>/<subscription id>` -> empty: each subscription's next due time
///   (core::billing::next_due), replaced when it changes.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/billing/plan.hpp"
#include "core/billing/subscription.hpp"
#include "core/time.hpp"
#include "projections/projector.hpp"

namespace switchyard::projections::billing {

inline constexpr const char* kBillingSubscriptions = "billing_subscriptions.v1";

std::unique_ptr<Projector> make_billing_subscriptions_projector();

/// A plan as the read model has it.
struct PlanRow {
    core::billing::Plan plan;
    bool retired = false;
};

/// A subscription as the read model has it: its state and times.
struct SubscriptionRow {
    core::billing::SubscriptionTerms terms;
    core::billing::SubscriptionState state;  ///< `state.terms` is set.
    std::optional<core::Timestamp> next_due;
    core::Timestamp created_at{};
    core::Timestamp updated_at{};
};

std::optional<PlanRow> find_plan(const ReadModelView& view, const std::string& plan_id);
/// Up to `limit` plans after `after` (a plan id), by id.
std::vector<PlanRow> list_plans(const ReadModelView& view, const std::string& after,
                                std::size_t limit);

std::optional<SubscriptionRow> find_subscription(const ReadModelView& view,
                                                 const std::string& subscription_id);
/// Up to `limit` subscriptions after `after` (a subscription id), by id; only the customer's
/// when `customer_id` is set, only in `status` when set.
std::vector<SubscriptionRow> list_subscriptions(
    const ReadModelView& view, const std::string& customer_id,
    std::optional<core::billing::SubscriptionStatus> status, const std::string& after,
    std::size_t limit);
/// The ids of up to `limit` subscriptions due at or before `now`, earliest first.
std::vector<std::string> due_subscriptions(const ReadModelView& view, core::Timestamp now,
                                           std::size_t limit);

}  // namespace switchyard::projections::billing
