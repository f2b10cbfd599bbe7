#include "events/voice/cdr_service.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/voice/account_decider.hpp"
#include "events/command_handler.hpp"
#include "events/voice/account_codec.hpp"
#include "events/voice/cdr_codec.hpp"
#include "events/voice/tariff_codec.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

core::Result<std::string> international_digits(std::string_view dialled,
                                               const CustomerTerms& customer) {
    std::string_view n = dialled;
    for (const auto& p : customer.tech_prefixes) {
        if (!p.empty() && n.substr(0, p.size()) == p) {
            n.remove_prefix(p.size());
            break;
        }
    }
    if (n.substr(0, 1) == "+") {
        n.remove_prefix(1);
    } else if (n.substr(0, 2) == "00") {
        n.remove_prefix(2);
    }
    if (n.empty() || n.size() > 15 ||
        !std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return core::fail(core::Errc::Invalid, "destination",
                          "not an international number: " + std::string(dialled));
    return std::string(n);
}

namespace {

/// A compact explanation of a cost: matched prefix and destination, plan and rate, each
/// segment (timing, increments x increment @ rate per unit = cost), connect fee, billed usage,
/// rounding, cap.
std::string explain(const Cost& c) {
    auto out = fmt::format("{} {} plan {} rate {}", c.matched_prefix, c.destination_id,
                           c.rating_plan_id, c.rate_id);
    for (const auto& s : c.segments)
        fmt::format_to(std::back_inserter(out), "; {} {}x{}s@{}/{}s={}", s.timing_id, s.increments,
                       s.interval.rate_increment_s, format_micros(s.interval.rate_micros),
                       s.interval.rate_unit_s, format_micros(s.cost_micros));
    fmt::format_to(std::back_inserter(out), "; connect {}; billed {}s; {} {}",
                   format_micros(c.connect_fee_micros), c.billed_usage_s, to_string(c.rounding),
                   c.rounding_decimals);
    if (c.max_cost_applied) fmt::format_to(std::back_inserter(out), "; max cost applied");
    return out;
}

SideCost zero_side(const DeckVersionView& v, const char* why) {
    SideCost s;
    s.deck_id = v.deck.deck_id;
    s.deck_version = v.header.version;
    s.currency = v.header.currency;
    s.rating_plan_id = v.header.rating_plan_id;
    s.explain = why;
    return s;
}

/// Prices one side. `attempt`: an unanswered call under connect on attempt, charged the connect
/// fee of the rate group its destination matches (the engine, as CGRateS, prices a call of no
/// duration at 0).
core::Result<SideCost> rate_side(const DeckVersionView& v, const CostQuery& q,
                                 bool attempt = false) {
    auto cost = v.header.rating_plan_id.empty() ? v.index->rate(q)
                                                : v.index->rate_plan(v.header.rating_plan_id, q);
    if (!cost) return core::fail(cost.error());
    if (attempt) {
        for (const auto& g : v.index->tariff().rate_groups) {
            if (g.id != cost->rate_id) continue;
            cost->connect_fee_micros = g.connect_fee_micros;
            cost->cost_micros = g.connect_fee_micros;
            break;
        }
    }
    SideCost s;
    s.deck_id = v.deck.deck_id;
    s.deck_version = v.header.version;
    s.currency = v.header.currency;
    s.cost_micros = cost->cost_micros;
    s.matched_prefix = cost->matched_prefix;
    s.destination_id = cost->destination_id;
    s.rating_plan_id = cost->rating_plan_id;
    s.rate_id = cost->rate_id;
    s.billed_usage_s = cost->billed_usage_s;
    s.explain = explain(*cost);
    return s;
}

/// A record priced, or why it could not be.
struct Priced {
    std::optional<CdrRated> rated;
    std::optional<CdrUnrated> unrated;
    bool unanswered = false;
};

CdrUnrated unrated_from(const CdrRated& r, UnratedReason why, std::string message) {
    return CdrUnrated{r.cdr_id, r.record, r.customer_id, why, std::move(message)};
}

/// How a first write or a rate-again ended for one CDR.
struct Commit {
    std::string status;  ///< `rated`, `unrated`, `duplicate`.
    std::optional<CdrRated> rated;
    std::optional<CdrUnrated> unrated;
    AppendResult appended;
};

void add_positions(std::vector<Position>& into, const AppendResult& appended) {
    for (const auto& p : appended.last_positions()) {
        auto it = std::find_if(into.begin(), into.end(), [&](const Position& q) {
            return q.topic == p.topic && q.partition == p.partition;
        });
        if (it == into.end()) {
            into.push_back(p);
        } else if (it->offset < p.offset) {
            *it = p;
        }
    }
}

}  // namespace

struct CdrService::Impl {
    Impl(EventStore& s, TariffRegistry& r, CdrServiceOptions o)
        : store(s), registry(r), options(std::move(o)), accounts(s, decode_account_event) {}

    /// A CDR stream folded (they are a few events long; not cached, there are millions).
    core::Result<std::pair<CdrState, std::int64_t>> load_cdr(const std::string& cdr_id) {
        CdrState state;
        std::int64_t rev = -1;
        for (;;) {
            auto batch = SY_TRY(store.read_stream(cdr_stream(cdr_id), rev + 1, 64));
            for (const auto& e : batch) {
                evolve(state, SY_TRY(decode_cdr_event(e)));
                rev = e.revision;
            }
            if (batch.size() < 64) break;
        }
        return std::make_pair(std::move(state), rev);
    }

    Priced price(const CallRecord& r, const std::string& cdr_id,
                 std::optional<core::Timestamp> tariffs_at) {
        Priced out;
        out.unanswered = r.billsec <= 0;
        auto unrated = [&](UnratedReason why, std::string message, std::string customer_id) {
            out.unrated = CdrUnrated{cdr_id, r, std::move(customer_id), why, std::move(message)};
            return out;
        };
        if (!options.customer)
            return unrated(UnratedReason::UnknownCustomer, "no customer resolver", "");
        auto customer = options.customer(r);
        if (!customer) return unrated(UnratedReason::UnknownCustomer, customer.error().message, "");
        const auto& cid = customer->customer_id;
        auto dest = options.normalise(r.destination, *customer);
        if (!dest) return unrated(UnratedReason::BadDestination, dest.error().message, cid);
        std::string caller;
        if (!r.caller.empty()) {
            if (auto c = options.normalise(r.caller, *customer)) caller = *c;
        }
        const auto at = tariffs_at.value_or(r.start);
        auto sell_view = registry.current(customer->sell_deck_id, at);
        if (!sell_view)
            return unrated(UnratedReason::NoDeck,
                           "no usable version of rate card '" + customer->sell_deck_id + "'", cid);
        if (sell_view->header.currency != customer->currency)
            return unrated(UnratedReason::CurrencyMismatch,
                           "the rate card is in " + sell_view->header.currency +
                               ", the customer in " + customer->currency,
                           cid);
        const bool free = out.unanswered && !options.charge_unanswered;
        CostQuery q;
        q.tenant = options.tenant;
        q.subject = customer->subject.empty() ? cid : customer->subject;
        q.destination = *dest;
        q.caller = caller;
        q.setup_time = r.answer.value_or(r.start);
        q.usage_s = std::max<std::int64_t>(r.billsec, 0);

        CdrRated e;
        e.cdr_id = cdr_id;
        e.record = r;
        e.customer_id = cid;
        e.destination = *dest;
        if (free) {
            e.sell = zero_side(*sell_view, "unanswered: not charged");
        } else {
            auto s = rate_side(*sell_view, q, out.unanswered);
            if (!s) return unrated(UnratedReason::NoRate, s.error().message, cid);
            e.sell = std::move(*s);
        }
        if (!options.carrier) {
            e.buy_error = "no carrier resolver";
        } else if (auto carrier = options.carrier(r); !carrier) {
            e.buy_error = carrier.error().message;
        } else {
            e.carrier_id = carrier->carrier_id;
            auto view = registry.current(carrier->buy_deck_id, at);
            if (!view) {
                e.buy_error = "no usable version of rate deck '" + carrier->buy_deck_id + "'";
            } else if (free) {
                e.buy = zero_side(*view, "unanswered: not charged");
            } else if (auto b = rate_side(*view, q, out.unanswered); !b) {
                e.buy_error = b.error().message;
            } else {
                e.buy = std::move(*b);
            }
        }
        if (e.buy && e.buy->currency == e.sell.currency)
            e.margin_micros = e.sell.cost_micros - e.buy->cost_micros;
        e.debit_micros = e.sell.cost_micros;
        out.rated = std::move(e);
        return out;
    }

    /// Appends a priced record: `first` for ingestion (any existing stream is a duplicate),
    /// else a rate-again of an unrated CDR.
    core::Result<Commit> commit(const Priced& priced, bool first,
                                const core::DecisionContext& ctx) {
        const auto& cdr_id = priced.rated ? priced.rated->cdr_id : priced.unrated->cdr_id;
        Commit out;
        out.appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                out = Commit{};
                auto [state, rev] = SY_TRY(load_cdr(cdr_id));
                if ((first && rev >= 0) || (!first && state.status != CdrStatus::Unrated)) {
                    out.status = "duplicate";
                    return std::vector<StreamWrite>{};
                }
                std::vector<StreamWrite> writes(1);
                std::optional<CdrUnrated> unrated = priced.unrated;
                if (priced.rated && priced.rated->debit_micros != 0) {
                    const auto& rated = *priced.rated;
                    const auto stream = account_stream(rated.customer_id);
                    auto [account, arev] = SY_TRY(accounts.load(stream));
                    if (!account.terms) {
                        unrated = unrated_from(rated, UnratedReason::NoAccount,
                                               "no account for customer " + rated.customer_id);
                    } else if (account.terms->currency != rated.sell.currency) {
                        unrated = unrated_from(rated, UnratedReason::CurrencyMismatch,
                                               "the account is in " + account.terms->currency);
                    } else {
                        auto events =
                            SY_TRY(decide(account,
                                          Debit{rated.customer_id, rated.cdr_id, rated.cdr_id,
                                                rated.debit_micros, rated.sell.currency},
                                          ctx));
                        if (!events.empty())
                            writes.push_back({stream, ExpectedRevision::at(arev),
                                              to_new_events(events, encode, ctx, options.tenant)});
                    }
                }
                std::vector<CdrEvent> events;
                if (unrated) {
                    out.status = "unrated";
                    out.unrated = unrated;
                    if (!first) return std::vector<StreamWrite>{};  // Still unrated.
                    writes.resize(1);
                    events = SY_TRY(decide(state, MarkCdrUnrated{*unrated}, ctx));
                } else {
                    out.status = "rated";
                    out.rated = priced.rated;
                    events = SY_TRY(decide(state, RateCdr{*priced.rated}, ctx));
                }
                writes[0] = {cdr_stream(cdr_id), ExpectedRevision::at(rev),
                             to_new_events(events, encode, ctx, options.tenant)};
                return writes;
            }));
        return out;
    }

    /// First writes of a batch in ONE append: each CDR on its new stream (expected: no
    /// stream) and each account's debits, decided one after the other on its state, after the
    /// account's current revision. One fsync for the batch instead of one per CDR. Answers
    /// nullopt when the batch cannot go in one append (a CDR twice in the batch or already in
    /// the log, an account written meanwhile, a store error): the caller then commits record by
    /// record, which tells duplicates from conflicts.
    std::optional<std::vector<Commit>> commit_batch(const std::vector<Priced>& priced,
                                                    const core::DecisionContext& ctx) {
        std::vector<Commit> out(priced.size());
        std::vector<StreamWrite> writes;
        writes.reserve(priced.size() + 1);
        std::map<std::string, std::pair<AccountState, std::int64_t>> accounts_seen;
        std::map<std::string, std::vector<NewEvent>> debits;  // account stream -> events
        std::set<std::string> ids;
        for (std::size_t i = 0; i < priced.size(); ++i) {
            const auto& p = priced[i];
            const auto& cdr_id = p.rated ? p.rated->cdr_id : p.unrated->cdr_id;
            if (!ids.insert(cdr_id).second) return std::nullopt;
            std::optional<CdrUnrated> unrated = p.unrated;
            if (p.rated && p.rated->debit_micros != 0) {
                const auto& rated = *p.rated;
                const auto stream = account_stream(rated.customer_id);
                auto it = accounts_seen.find(stream);
                if (it == accounts_seen.end()) {
                    auto loaded = accounts.load(stream);
                    if (!loaded) return std::nullopt;
                    it = accounts_seen.emplace(stream, std::move(*loaded)).first;
                }
                auto& account = it->second.first;
                if (!account.terms) {
                    unrated = unrated_from(rated, UnratedReason::NoAccount,
                                           "no account for customer " + rated.customer_id);
                } else if (account.terms->currency != rated.sell.currency) {
                    unrated = unrated_from(rated, UnratedReason::CurrencyMismatch,
                                           "the account is in " + account.terms->currency);
                } else {
                    auto events = decide(account,
                                         Debit{rated.customer_id, rated.cdr_id, rated.cdr_id,
                                               rated.debit_micros, rated.sell.currency},
                                         ctx);
                    if (!events) return std::nullopt;
                    for (const auto& e : *events) evolve(account, e);
                    auto encoded = to_new_events(*events, encode, ctx, options.tenant);
                    auto& into = debits[stream];
                    std::move(encoded.begin(), encoded.end(), std::back_inserter(into));
                }
            }
            const CdrState fresh;
            auto events = unrated ? decide(fresh, MarkCdrUnrated{*unrated}, ctx)
                                  : decide(fresh, RateCdr{*p.rated}, ctx);
            if (!events) return std::nullopt;
            out[i].status = unrated ? "unrated" : "rated";
            if (unrated) {
                out[i].unrated = std::move(unrated);
            } else {
                out[i].rated = p.rated;
            }
            writes.push_back({cdr_stream(cdr_id), ExpectedRevision::no_stream(),
                              to_new_events(*events, encode, ctx, options.tenant)});
        }
        for (auto& [stream, events] : debits)
            writes.push_back(
                {stream, ExpectedRevision::at(accounts_seen.at(stream).second), std::move(events)});
        auto appended = store.append(std::move(writes));
        if (!appended) return std::nullopt;
        if (!out.empty()) out.back().appended = std::move(*appended);
        return out;
    }

    /// Every CDR of the log the filter selects, with its state.
    core::Result<std::vector<CdrState>> scan(const CdrFilter& f, CdrStatus status) {
        std::map<std::string, CdrState> all;
        Checkpoint cursor;
        for (;;) {
            auto batch = SY_TRY(store.read_all(cursor, 4096));
            if (batch.empty()) break;
            for (const auto& e : batch) {
                cursor.advance(e.position);
                const auto id = cdr_of_stream(e.stream);
                if (id.empty()) continue;
                auto decoded = decode_cdr_event(e);
                if (decoded) evolve(all[id], *decoded);
            }
        }
        std::vector<CdrState> out;
        for (auto& [id, s] : all) {
            if (s.status != status) continue;
            if (f.from && s.record.start < *f.from) continue;
            if (f.to && s.record.start >= *f.to) continue;
            if (!f.customer_id.empty() && s.customer_id != f.customer_id) continue;
            if (!f.deck_id.empty() && s.sell.deck_id != f.deck_id &&
                !(s.buy && s.buy->deck_id == f.deck_id))
                continue;
            out.push_back(std::move(s));
        }
        return out;
    }

    void count(IngestReport& report, const Commit& c, std::int64_t line, bool unanswered) {
        CdrIngestOutcome o;
        o.status = c.status;
        o.line = line;
        if (c.rated) {
            o.cdr_id = c.rated->cdr_id;
            o.sell_micros = c.rated->sell.cost_micros;
            ++report.rated;
            if (unanswered) ++report.unanswered;
            auto& t = report.totals[c.rated->sell.currency];
            ++t.cdrs;
            t.sell_micros += c.rated->sell.cost_micros;
            if (c.rated->buy && c.rated->buy->currency == c.rated->sell.currency)
                t.buy_micros += c.rated->buy->cost_micros;
            if (c.rated->margin_micros) t.margin_micros += *c.rated->margin_micros;
        } else if (c.unrated) {
            o.cdr_id = c.unrated->cdr_id;
            o.reason = to_string(c.unrated->reason);
            ++report.unrated;
        } else {
            ++report.duplicates;
        }
        add_positions(report.positions, c.appended);
        report.outcomes.push_back(std::move(o));
    }

    EventStore& store;
    TariffRegistry& registry;
    CdrServiceOptions options;
    AggregateLoader<AccountState, AccountEvent> accounts;
};

CdrService::CdrService(EventStore& store, TariffRegistry& registry, CdrServiceOptions options)
    : impl_(std::make_unique<Impl>(store, registry, std::move(options))) {}
CdrService::~CdrService() = default;

std::string CdrService::cdr_id_of(const CallRecord& record) {
    return sha256_hex(cdr_id_source(record)).substr(0, 32);
}

core::Result<IngestReport> CdrService::ingest(const std::vector<CallRecord>& records,
                                              const core::DecisionContext& ctx) {
    SY_TRY(impl_->registry.catch_up(impl_->store));
    IngestReport report;
    // Every text field valid UTF-8 (the log is JSON): caller names arrive cut mid-character.
    std::vector<CallRecord> clean(records);
    for (auto& r : clean) to_valid_utf8(r);
    // Appends go in groups of kBatch records (commit_batch); a group that cannot go in one
    // append is committed record by record.
    constexpr std::size_t kBatch = 1'000;
    for (std::size_t from = 0; from < clean.size(); from += kBatch) {
        const auto to = std::min(clean.size(), from + kBatch);
        std::vector<Priced> priced;
        priced.reserve(to - from);
        for (auto i = from; i < to; ++i)
            priced.push_back(impl_->price(clean[i], cdr_id_of(clean[i]), std::nullopt));
        if (auto commits = impl_->commit_batch(priced, ctx)) {
            for (auto i = from; i < to; ++i)
                impl_->count(report, (*commits)[i - from], clean[i].line,
                             priced[i - from].unanswered);
            continue;
        }
        for (auto i = from; i < to; ++i) {
            const auto& p = priced[i - from];
            auto c = impl_->commit(p, true, ctx);
            if (!c) {
                const auto& cdr_id = p.rated ? p.rated->cdr_id : p.unrated->cdr_id;
                ++report.failed;
                report.outcomes.push_back({cdr_id, "failed", c.error().message, 0, clean[i].line});
                continue;
            }
            impl_->count(report, *c, clean[i].line, p.unanswered);
        }
    }
    return report;
}

core::Result<IngestReport> CdrService::rate_again(const CdrFilter& filter,
                                                  const core::DecisionContext& ctx) {
    SY_TRY(impl_->registry.catch_up(impl_->store));
    IngestReport report;
    for (const auto& s : SY_TRY(impl_->scan(filter, CdrStatus::Unrated))) {
        auto priced = impl_->price(s.record, s.cdr_id, std::nullopt);
        auto c = impl_->commit(priced, false, ctx);
        if (!c) {
            ++report.failed;
            report.outcomes.push_back({s.cdr_id, "failed", c.error().message, 0, s.record.line});
            continue;
        }
        impl_->count(report, *c, s.record.line, priced.unanswered);
    }
    return report;
}

core::Result<RerateReport> CdrService::rerate(const CdrFilter& filter,
                                              const core::DecisionContext& ctx) {
    SY_TRY(impl_->registry.catch_up(impl_->store));
    RerateReport report;
    for (const auto& s : SY_TRY(impl_->scan(filter, CdrStatus::Rated))) {
        ++report.considered;
        auto priced = impl_->price(s.record, s.cdr_id, filter.tariffs_at);
        if (!priced.rated) {
            ++report.failed;
            report.errors.push_back(s.cdr_id + ": " + priced.unrated->message);
            continue;
        }
        std::optional<CdrRerated> decided;
        auto appended =
            execute_command(impl_->store, [&]() -> core::Result<std::vector<StreamWrite>> {
                decided.reset();
                auto [state, rev] = SY_TRY(impl_->load_cdr(s.cdr_id));
                auto events = SY_TRY(
                    decide(state, RerateCdr{s.cdr_id, priced.rated->sell, priced.rated->buy}, ctx));
                if (events.empty()) return std::vector<StreamWrite>{};
                decided = std::get<CdrRerated>(events.front());
                std::vector<StreamWrite> writes{
                    {cdr_stream(s.cdr_id), ExpectedRevision::at(rev),
                     to_new_events(events, encode, ctx, impl_->options.tenant)}};
                if (decided->delta_micros != 0) {
                    const auto stream = account_stream(state.customer_id);
                    auto [account, arev] = SY_TRY(impl_->accounts.load(stream));
                    if (account.terms) {
                        auto debit = SY_TRY(
                            decide(account,
                                   Debit{state.customer_id,
                                         s.cdr_id + "/rerate/" + std::to_string(decided->rerating),
                                         s.cdr_id, decided->delta_micros, decided->sell.currency},
                                   ctx));
                        if (!debit.empty())
                            writes.push_back(
                                {stream, ExpectedRevision::at(arev),
                                 to_new_events(debit, encode, ctx, impl_->options.tenant)});
                    }
                }
                return writes;
            });
        if (!appended) {
            ++report.failed;
            report.errors.push_back(s.cdr_id + ": " + appended.error().message);
            continue;
        }
        if (!decided) {
            ++report.unchanged;
            continue;
        }
        ++report.rerated;
        add_positions(report.positions, *appended);
        for (auto* t : {&report.customers[decided->customer_id],
                        &report.currencies[decided->sell.currency]}) {
            t->currency = decided->sell.currency;
            ++t->rerated;
            t->old_micros += decided->old_sell_micros;
            t->new_micros += decided->sell.cost_micros;
            t->delta_micros += decided->delta_micros;
        }
    }
    return report;
}

core::Result<CdrState> CdrService::load(const std::string& cdr_id) {
    auto [s, rev] = SY_TRY(impl_->load_cdr(cdr_id));
    return std::move(s);
}

}  // namespace switchyard::events::voice
