#include "events/billing/invoice_numbers.hpp"

#include <mutex>
#include <unordered_map>

#include "events/billing/ledger_codec.hpp"

namespace switchyard::events::billing {

using namespace core::billing;

struct InvoiceNumbers::Impl {
    Impl(EventStore& s, std::string t)
        : store(s), tenant(std::move(t)), series(s, decode_invoice_series_event) {}

    core::Result<std::optional<InvoiceNumbered>> find(const std::string& invoice_id) {
        auto events = SY_TRY(store.read_stream(invoice_stream(invoice_id), 0, 1));
        if (events.empty()) return std::optional<InvoiceNumbered>{};
        auto decoded = SY_TRY(decode_invoice_number_event(events.front()));
        return std::optional<InvoiceNumbered>{std::get<InvoiceNumbered>(decoded)};
    }

    /// The mutex numberings of `name` take turns on (one per series; series are few).
    std::mutex& turn_of(const std::string& name) {
        std::lock_guard lock(turns_mu);
        auto& turn = turns[name];
        if (!turn) turn = std::make_unique<std::mutex>();
        return *turn;
    }

    /// The series' advance at `revision` and the document's new stream (`numbered`, then
    /// `document`).
    std::vector<StreamWrite> writes_of(const NumberInvoice& c, const InvoiceSeriesAdvanced& advance,
                                       std::int64_t revision, const InvoiceNumbered& numbered,
                                       std::vector<NewEvent> document,
                                       const core::DecisionContext& ctx) {
        auto events = to_new_events(std::vector<InvoiceNumberEvent>{numbered}, encode, ctx, tenant);
        for (auto& e : document) events.push_back(std::move(e));
        return {{invoice_series_stream(c.series), ExpectedRevision::at(revision),
                 to_new_events(std::vector<InvoiceSeriesEvent>{advance}, encode, ctx, tenant)},
                {invoice_stream(c.invoice_id), ExpectedRevision::no_stream(), std::move(events)}};
    }

    EventStore& store;
    std::string tenant;
    AggregateLoader<InvoiceSeriesState, InvoiceSeriesEvent> series;
    std::mutex turns_mu;
    std::unordered_map<std::string, std::unique_ptr<std::mutex>> turns;
};

InvoiceNumbers::InvoiceNumbers(EventStore& store, std::string tenant)
    : impl_(std::make_unique<Impl>(store, std::move(tenant))) {}
InvoiceNumbers::~InvoiceNumbers() = default;

core::Result<CommandOutcome<NumberDetail>> InvoiceNumbers::number(
    const NumberInvoice& c, const core::DecisionContext& ctx) {
    return number_with(c, ctx, nullptr);
}

core::Result<CommandOutcome<NumberDetail>> InvoiceNumbers::number_with(
    const NumberInvoice& c, const core::DecisionContext& ctx, const WithNumber& with) {
    SY_TRY(decide(InvoiceSeriesState{}, c, std::nullopt));  // the shape, before any turn
    std::lock_guard turn(impl_->turn_of(c.series));
    NumberDetail detail;
    auto appended =
        SY_TRY(execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
            const auto existing = SY_TRY(impl_->find(c.invoice_id));
            auto [state, revision] = SY_TRY(impl_->series.load(invoice_series_stream(c.series)));
            auto d = SY_TRY(decide(state, c, existing));
            if (!d.series) {
                detail = {existing->number, existing->invoice_number};
                return std::vector<StreamWrite>{};
            }
            detail = {d.invoice->number, d.invoice->invoice_number};
            NumberedWrites more;
            if (with) more = SY_TRY(with(*d.invoice));
            auto writes = impl_->writes_of(c, *d.series, revision, *d.invoice,
                                           std::move(more.document_events), ctx);
            for (auto& w : more.writes) writes.push_back(std::move(w));
            return writes;
        }));
    return outcome_of(appended, std::move(detail));
}

core::Result<std::optional<std::vector<StreamWrite>>> InvoiceNumbers::prepare(
    const NumberInvoice& c, const core::DecisionContext& ctx,
    std::vector<NewEvent> document_events) {
    const auto existing = SY_TRY(impl_->find(c.invoice_id));
    auto [state, revision] = SY_TRY(impl_->series.load(invoice_series_stream(c.series)));
    auto d = SY_TRY(decide(state, c, existing));
    if (!d.series) return std::optional<std::vector<StreamWrite>>{};
    return std::optional<std::vector<StreamWrite>>{
        impl_->writes_of(c, *d.series, revision, *d.invoice, std::move(document_events), ctx)};
}

std::mutex& InvoiceNumbers::turn(const std::string& series) { return impl_->turn_of(series); }

core::Result<std::optional<InvoiceNumbered>> InvoiceNumbers::find(const std::string& invoice_id) {
    return impl_->find(invoice_id);
}

}  // namespace switchyard::events::billing
