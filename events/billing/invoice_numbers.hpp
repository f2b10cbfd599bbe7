#pragma once
/// Gapless invoice numbers per series (core/billing/invoice_number.hpp): the series stream and
/// the invoice's stream appended together, the series at its expected revision. Numberings of
/// one series take turns in the process; the expected revision guards against other processes.

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/billing/invoice_number.hpp"
#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"

namespace switchyard::events::billing {

/// What a numbering gives back besides its positions.
struct NumberDetail {
    std::int64_t number = 0;
    std::string invoice_number;  ///< As printed, `INV-2026-000042`.
};

/// What a command numbering a document appends with its number in the same atomic append: more
/// events of the document's stream (after `numbered`) and the writes of other streams.
struct NumberedWrites {
    std::vector<NewEvent> document_events;
    std::vector<StreamWrite> writes;
};

/// Builds a command's writes once the number is known; called inside the command's attempt, so
/// it is called again after a conflict. An error aborts the numbering (nothing is appended).
using WithNumber =
    std::function<core::Result<NumberedWrites>(const core::billing::InvoiceNumbered&)>;

/// @thread safe.
class InvoiceNumbers {
  public:
    InvoiceNumbers(EventStore& store, std::string tenant);
    ~InvoiceNumbers();

    /// Gives the invoice the next number of its series; numbering it again answers the same
    /// number (`changed` false). @errors as core::billing::decide(NumberInvoice); the store's.
    core::Result<CommandOutcome<NumberDetail>> number(const core::billing::NumberInvoice& c,
                                                      const core::DecisionContext& ctx);
    /// As number, appending `with`'s writes in the same append (an issued invoice, its journal
    /// entry). A document numbered already appends nothing and does not call `with`.
    core::Result<CommandOutcome<NumberDetail>> number_with(const core::billing::NumberInvoice& c,
                                                           const core::DecisionContext& ctx,
                                                           const WithNumber& with);

    /// The writes that number invoice `c` inside another command's attempt (its caller holds
    /// `turn(c.series)`): the series' next number at the revision read and the document's new
    /// stream, `numbered` then `document_events`. None when the invoice is numbered already in
    /// this series. A conflict on the series makes the caller's command decide again.
    /// @errors as core::billing::decide(NumberInvoice); the store's.
    core::Result<std::optional<std::vector<StreamWrite>>> prepare(
        const core::billing::NumberInvoice& c, const core::DecisionContext& ctx,
        std::vector<NewEvent> document_events);
    /// The mutex numberings of `series` take turns on in this process (number_with holds it).
    std::mutex& turn(const std::string& series);

    /// The invoice's number, or nullopt. @errors the store's; Invalid on decoding.
    core::Result<std::optional<core::billing::InvoiceNumbered>> find(const std::string& invoice_id);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::billing
