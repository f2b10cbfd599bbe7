// Fuzz target: the ledger's entry payload decoder and checks never crash; an entry that passes
// check_entry balances (debits equal credits, one positive side per posting, every account a
// code of the chart), and deciding it against empty books either refuses it or posts it with
// the same postings; an account code that parses prints back as the same text. The same input
// read as a plan (`billing.plan.defined`): a plan that passes check_plan gives periods that end
// after they start, prorations between 0 and the price, and a subscription whose first charge is
// a balanced entry; read as a subscription event, folding it and asking its next due time never
// crash. Read as a notification template (`billing.notification_template.set`) and as
// template text: checking and rendering never crash, and rendering without values never
// lengthens the text; read as a notification log event, folding it never crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "core/billing/ledger.hpp"
#include "core/billing/notification.hpp"
#include "core/billing/plan.hpp"
#include "core/billing/subscription.hpp"
#include "events/billing/ledger_codec.hpp"
#include "events/billing/notification_codec.hpp"
#include "events/billing/subscription_codec.hpp"

namespace {

using namespace switchyard;
using namespace switchyard::core::billing;

void check_entry_invariants(const JournalEntry& e) {
    if (!check_entry(e)) return;
    Micros debits = 0, credits = 0;
    for (const auto& p : e.postings) {
        if ((p.debit_micros > 0) == (p.credit_micros > 0)) std::abort();
        if (p.debit_micros < 0 || p.credit_micros < 0) std::abort();
        if (!parse_account(p.account, "account")) std::abort();
        debits += p.debit_micros;
        credits += p.credit_micros;
    }
    if (debits != credits || e.postings.size() < 2) std::abort();
    std::map<std::string, AccountState> guarded;
    for (const auto& code : guarded_accounts(e)) {
        AccountState s;
        evolve(s, AccountOpened{code, e.currency, 0});
        evolve(s, AccountMoved{"seed", 1'000'000, 1'000'000});
        guarded[code] = s;
    }
    auto d = decide_entry(e, std::nullopt, guarded);
    if (!d) return;
    if (d->entry.size() != 1 || !(std::get<EntryPosted>(d->entry.front()).entry == e)) std::abort();
    for (const auto& [code, events] : d->accounts)
        for (const auto& ev : events)
            if (std::get<AccountMoved>(ev).balance_micros < 0) std::abort();
    const auto reversal = reversal_of(e, "fuzz");
    if (e.entry_id.size() + 9 <= 128 && !check_entry(reversal)) std::abort();
}

void check_plan_invariants(const Plan& p) {
    if (!check_plan(p)) return;
    const auto anchor = *core::parse_rfc3339("2026-01-31T10:00:00Z");
    for (std::int64_t k = 1; k <= 3; ++k)
        if (add_intervals(anchor, p.interval, p.interval_count, k) <=
            add_intervals(anchor, p.interval, p.interval_count, k - 1))
            std::abort();
    for (const auto& price : p.prices) {
        const auto rounded = round_to_minor_unit(price.amount_micros, price.currency);
        for (std::int64_t part : {0, 1, 15, 30}) {
            const auto v = prorate(price.amount_micros, part, 30, price.currency);
            if (v < 0 || v > rounded) std::abort();
        }
        CreateSubscription c;
        c.terms = {"fuzz-sub", "fuzz-customer", price.currency, "wallet:fuzz-customer", ""};
        c.plan_id = p.plan_id;
        auto d = decide(SubscriptionState{}, c, PlanState{p, false}, anchor);
        if (!d || d->events.size() != 1) std::abort();
        if (d->charge && !check_entry(*d->charge)) std::abort();
        SubscriptionState s;
        evolve(s, d->events.front());
        if (next_due(s) && *next_due(s) > s.period_end) std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    if (auto code = parse_account(text, "account"); code && code->text() != text) std::abort();
    events::RecordedEvent recorded;
    recorded.type = std::string(EntryPosted::kType);
    recorded.schema = 1;
    recorded.data = text;
    if (auto decoded = events::billing::decode_entry_event(recorded))
        check_entry_invariants(std::get<EntryPosted>(*decoded).entry);
    recorded.type = std::string(PlanDefined::kType);
    if (auto plan = events::billing::decode_plan_event(recorded))
        check_plan_invariants(std::get<PlanDefined>(*plan).plan);
    recorded.type = std::string(SubscriptionCreated::kType);
    if (auto created = events::billing::decode_subscription_event(recorded)) {
        SubscriptionState s;
        evolve(s, *created);
        (void)next_due(s);
    }
    for (auto trigger : notification_triggers()) {
        const NotificationTemplate t{trigger, NotificationChannel::Email, "en", "subject", text};
        (void)check_template(t);
    }
    if (render_template(text, {}).size() > text.size()) std::abort();
    (void)render_template(text, {{"name", "{{name}}"}, {"plan_id", text}});
    recorded.type = std::string(NotificationTemplateSet::kType);
    if (auto t = events::billing::decode_notification_template_event(recorded)) {
        NotificationTemplateState state;
        evolve(state, *t);
        if (state.terms) (void)check_template(*state.terms);
    }
    for (auto type :
         {NotificationQueued::kType, NotificationFailed::kType, NotificationDelivered::kType}) {
        recorded.type = std::string(type);
        if (auto n = events::billing::decode_notification_event(recorded)) {
            NotificationState state;
            evolve(state, *n);
        }
    }
    return 0;
}
