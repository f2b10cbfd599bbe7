#include "projections/billing/ledger.hpp"

#include <map>
#include <utility>

#include "events/billing/ledger_codec.hpp"
#include "events/billing/ledger_tables.hpp"
#include "projections/projector_kit.hpp"

namespace switchyard::projections::billing {

using namespace core::billing;
namespace json = events::json;

namespace {

constexpr auto kBalanceRows = json_rows<AccountBalance>(
    fields(field("account", &AccountBalance::account), field("currency", &AccountBalance::currency),
           field("class", &AccountBalance::account_class, parse_account_class),
           field("debit_micros", &AccountBalance::debit_micros),
           field("credit_micros", &AccountBalance::credit_micros),
           field("balance_micros", &AccountBalance::balance_micros),
           field("lines", &AccountBalance::lines)));

/// A statement line with the account's totals after it.
struct LineRow {
    StatementLine line;
    Micros debit_total_micros = 0;
    Micros credit_total_micros = 0;
};

constexpr auto kLineRows = json_rows<LineRow>(fields(
    flat(&LineRow::line,
         fields(field("entry_id", &StatementLine::entry_id), field("time", &StatementLine::time),
                field("debit_micros", &StatementLine::debit_micros),
                field("credit_micros", &StatementLine::credit_micros),
                field("balance_micros", &StatementLine::balance_micros),
                field("memo", &StatementLine::memo))),
    field("debit_total_micros", &LineRow::debit_total_micros),
    field("credit_total_micros", &LineRow::credit_total_micros)));

constexpr auto kEntryRows = json_rows<BookedEntry>(fields(
    flat(&BookedEntry::entry, events::billing::kJournalEntryTable),
    field("time", &BookedEntry::time), optional_field("reversed_by", &BookedEntry::reversed_by)));

std::string balance_key(const std::string& account, const std::string& currency) {
    return key_of("a", account, currency);
}
std::string lines_prefix(const std::string& account, const std::string& currency) {
    return key_of("l", account, currency) + "/";
}
std::uint64_t micros_of(core::Timestamp t) {
    return static_cast<std::uint64_t>(t.time_since_epoch().count());
}
std::string entry_key(const std::string& entry_id) { return key_of("e", entry_id); }

core::Result<void> apply(const EntryEvent& event, const events::RecordedEvent& recorded,
                         ProjectionWrites& w) {
    const auto& e = std::get<EntryPosted>(event).entry;
    // Postings of one account in one entry make one statement line each, in entry order.
    for (const auto& p : e.postings) {
        auto code = parse_account(p.account, "account");
        if (!code) return core::fail(core::Errc::Invalid, "postings", code.error().message);
        const auto key = balance_key(p.account, e.currency);
        auto row = kBalanceRows.find(w, key).value_or(
            AccountBalance{p.account, e.currency, class_of(code->kind), 0, 0, 0, 0});
        row.debit_micros += p.debit_micros;
        row.credit_micros += p.credit_micros;
        row.balance_micros += balance_effect(p, row.account_class);
        LineRow line{{e.entry_id, recorded.time, p.debit_micros, p.credit_micros,
                      row.balance_micros, e.memo},
                     row.debit_micros,
                     row.credit_micros};
        kLineRows.put(w,
                      lines_prefix(p.account, e.currency) + be64(micros_of(recorded.time)) +
                          be64(static_cast<std::uint64_t>(row.lines)),
                      line);
        ++row.lines;
        kBalanceRows.put(w, key, row);
    }
    kEntryRows.put(w, entry_key(e.entry_id), BookedEntry{e, recorded.time, {}});
    if (!e.reverses.empty())
        kEntryRows.update(w, entry_key(e.reverses),
                          [&](BookedEntry& original) { original.reversed_by = e.entry_id; });
    return {};
}

/// The last statement line of an account at or before `as_of`, with its line number (0-based,
/// from its key).
std::optional<std::pair<LineRow, std::int64_t>> line_as_of(const ReadModelView& view,
                                                           const std::string& account,
                                                           const std::string& currency,
                                                           core::Timestamp as_of) {
    // Lines sort by time, then by line number; the last one not after `as_of` wins.
    const auto prefix = lines_prefix(account, currency);
    const auto limit = micros_of(as_of);
    std::optional<std::pair<LineRow, std::int64_t>> last;
    view.scan(prefix, prefix, [&](std::string_view key, std::string_view value) {
        if (from_be64(key.substr(prefix.size())) > limit) return false;
        if (auto row = kLineRows.decode(value))
            last.emplace(std::move(*row),
                         static_cast<std::int64_t>(from_be64(key.substr(prefix.size() + 8))));
        return true;
    });
    return last;
}

}  // namespace

std::unique_ptr<Projector> make_billing_ledger_projector() {
    return make_projector<EntryEvent>(kBillingLedger, events::billing::decode_entry_event, apply);
}

std::optional<AccountBalance> find_account(const ReadModelView& view, const std::string& account,
                                           const std::string& currency,
                                           std::optional<core::Timestamp> as_of) {
    auto now = kBalanceRows.find(view, balance_key(account, currency));
    if (!now || !as_of) return now;
    auto line = line_as_of(view, account, currency, *as_of);
    if (!line) return std::nullopt;
    AccountBalance then = *now;
    then.debit_micros = line->first.debit_total_micros;
    then.credit_micros = line->first.credit_total_micros;
    then.balance_micros = line->first.line.balance_micros;
    then.lines = line->second + 1;
    return then;
}

std::vector<AccountBalance> list_accounts(const ReadModelView& view, const std::string& after,
                                          std::size_t limit) {
    std::vector<AccountBalance> out;
    if (limit == 0) return out;
    const auto start = after.empty() ? std::string("a/") : "a/" + after;
    view.scan("a/", start, [&](std::string_view key, std::string_view value) {
        if (!after.empty() && key.substr(2) <= after) return true;
        if (auto row = kBalanceRows.decode(value)) out.push_back(std::move(*row));
        return out.size() < limit;
    });
    return out;
}

std::vector<StatementLine> statement(const ReadModelView& view, const std::string& account,
                                     const std::string& currency, std::int64_t from,
                                     std::size_t limit) {
    std::vector<StatementLine> out;
    if (limit == 0) return out;
    std::int64_t index = 0;
    const auto prefix = lines_prefix(account, currency);
    view.scan(prefix, prefix, [&](std::string_view, std::string_view value) {
        if (index++ < from) return true;
        if (auto row = kLineRows.decode(value)) out.push_back(std::move(row->line));
        return out.size() < limit;
    });
    return out;
}

std::optional<BookedEntry> find_entry(const ReadModelView& view, const std::string& entry_id) {
    return kEntryRows.find(view, entry_key(entry_id));
}

std::vector<TrialBalance> trial_balance(const ReadModelView& view,
                                        std::optional<core::Timestamp> as_of) {
    std::map<std::string, TrialBalance> by_currency;
    view.scan("a/", "a/", [&](std::string_view, std::string_view value) {
        auto row = kBalanceRows.decode(value);
        if (!row) return true;
        if (as_of) {
            row = find_account(view, row->account, row->currency, as_of);
            if (!row) return true;
        }
        auto& tb = by_currency[row->currency];
        tb.currency = row->currency;
        // A balance on its normal side counts there; a balance against it counts on the other.
        const bool debit_side = debit_normal(row->account_class) == (row->balance_micros >= 0);
        const auto magnitude =
            row->balance_micros >= 0 ? row->balance_micros : -row->balance_micros;
        (debit_side ? tb.debit_balances_micros : tb.credit_balances_micros) += magnitude;
        tb.accounts.push_back(std::move(*row));
        return true;
    });
    std::vector<TrialBalance> out;
    for (auto& [currency, tb] : by_currency) out.push_back(std::move(tb));
    return out;
}

}  // namespace switchyard::projections::billing
