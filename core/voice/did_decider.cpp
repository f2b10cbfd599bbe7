#include "core/voice/did_decider.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/overloaded.hpp"
#include "core/text.hpp"
#include "core/voice/reference.hpp"
#include "core/voice/reference_codes.hpp"

namespace switchyard::core::voice {

namespace {

template <class E, std::size_t N>
bool parse_enum(std::string_view text, E& out, const char* const (&names)[N]) noexcept {
    for (std::size_t i = 0; i < N; ++i)
        if (text == names[i]) {
            out = static_cast<E>(i);
            return true;
        }
    return false;
}

constexpr const char* kDidTypes[] = {"local", "national", "mobile", "tollfree"};
constexpr const char* kDidStatuses[] = {"available", "reserved",  "pending_kyc",
                                        "active",    "suspended", "released"};
constexpr const char* kPortStatuses[] = {"none", "port_in_requested", "port_in_completed",
                                         "port_out_requested", "ported_out"};
constexpr const char* kKycStatuses[] = {"submitted", "approved", "rejected"};
constexpr const char* kFeeKinds[] = {"setup", "monthly"};
constexpr const char* kTargetKinds[] = {"trunk", "uri", "extension", "ring_group"};

}  // namespace

const char* to_string(DidType t) noexcept { return kDidTypes[static_cast<int>(t)]; }
bool parse_did_type(std::string_view text, DidType& out) noexcept {
    return parse_enum(text, out, kDidTypes);
}
const char* to_string(DidStatus s) noexcept { return kDidStatuses[static_cast<int>(s)]; }
bool parse_did_status(std::string_view text, DidStatus& out) noexcept {
    return parse_enum(text, out, kDidStatuses);
}
const char* to_string(PortStatus s) noexcept { return kPortStatuses[static_cast<int>(s)]; }
bool parse_port_status(std::string_view text, PortStatus& out) noexcept {
    return parse_enum(text, out, kPortStatuses);
}
const char* to_string(KycStatus s) noexcept { return kKycStatuses[static_cast<int>(s)]; }
bool parse_kyc_status(std::string_view text, KycStatus& out) noexcept {
    return parse_enum(text, out, kKycStatuses);
}
const char* to_string(FeeKind k) noexcept { return kFeeKinds[static_cast<int>(k)]; }
bool parse_fee_kind(std::string_view text, FeeKind& out) noexcept {
    return parse_enum(text, out, kFeeKinds);
}
const char* to_string(DidTargetKind k) noexcept { return kTargetKinds[static_cast<int>(k)]; }
bool parse_did_target_kind(std::string_view text, DidTargetKind& out) noexcept {
    return parse_enum(text, out, kTargetKinds);
}

std::optional<std::string> did_number(std::string_view text) {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    if (text.size() < 6 || text.size() > 15 || text.front() == '0') return std::nullopt;
    if (text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    return std::string(text);
}

std::string month_of(Timestamp t) {
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(t)};
    return fmt::format("{:04}-{:02}", int(ymd.year()), unsigned(ymd.month()));
}

bool valid_period(std::string_view p) noexcept {
    if (p.size() != 7 || p[4] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6})
        if (p[i] < '0' || p[i] > '9') return false;
    const int year = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
    const int month = (p[5] - '0') * 10 + (p[6] - '0');
    return year >= 2000 && month >= 1 && month <= 12;
}

std::optional<RoutePlan> inbound_plan(const Did& did, const TrunkResolver& resolve) {
    if (did.status != DidStatus::Active || did.routing.empty()) return std::nullopt;
    RoutePlan plan;
    plan.route_group_id = "did:" + did.inventory.number;
    plan.strategy = "priority";
    for (std::size_t i = 0; i < did.routing.size(); ++i) {
        const auto& t = did.routing[i];
        RouteOption r;
        r.why = fmt::format("did inbound #{}", i + 1);
        if (t.kind == DidTargetKind::Uri) {
            r.uri = t.value;
        } else if (t.kind == DidTargetKind::Extension || t.kind == DidTargetKind::RingGroup) {
            r.uri = fmt::format("{}:{}", to_string(t.kind), t.value);
            r.carrier_id = std::to_string(did.customer_id);
        } else {
            const auto host = resolve ? resolve(t.value) : std::nullopt;
            if (!host) {
                plan.skipped.push_back(
                    SkippedRoute{"", t.value, "unresolved_trunk",
                                 fmt::format("trunk '{}' has no address", t.value)});
                continue;
            }
            r.gateway_id = t.value;
            r.uri = fmt::format("sip:{}@{}", did.inventory.number, *host);
        }
        plan.routes.push_back(std::move(r));
    }
    plan.max_attempts = static_cast<std::int64_t>(plan.routes.size());
    return plan;
}

// ---- evolve ----

namespace {

Did* find(DidState& s, const std::string& number) {
    auto it = s.dids.find(number);
    return it == s.dids.end() ? nullptr : &it->second;
}

void set_status(Did& d, DidStatus status, Timestamp at) {
    d.status = status;
    d.status_since = at;
}

}  // namespace

void evolve(DidState& s, const DidEvent& event) {
    std::visit(
        Overloaded{
            [&](const DidCountryDefined& e) { s.countries[e.country.country] = e.country; },
            [&](const DidProviderDefined& e) { s.providers[e.provider.provider_id] = e.provider; },
            [&](const DidImported& e) {
                if (!e.command_id.empty()) s.import_commands.insert(e.command_id);
                auto it = s.dids.find(e.did.number);
                if (it == s.dids.end() || it->second.status == DidStatus::Released) {
                    Did fresh;
                    fresh.inventory = e.did;
                    if (it != s.dids.end()) {
                        fresh.port_status = it->second.port_status;
                        fresh.port_status_since = it->second.port_status_since;
                        if (fresh.port_status == PortStatus::PortedOut) {
                            fresh.port_status = PortStatus::None;
                            fresh.port_status_since = e.at;
                        }
                    }
                    set_status(fresh, DidStatus::Available, e.at);
                    s.dids[e.did.number] = std::move(fresh);
                } else {
                    it->second.inventory = e.did;
                }
            },
            [&](const DidReserved& e) {
                if (auto* d = find(s, e.number)) {
                    d->customer_id = e.customer_id;
                    set_status(*d, DidStatus::Reserved, e.at);
                }
            },
            [&](const DidOrdered& e) {
                if (auto* d = find(s, e.number)) {
                    d->customer_id = e.customer_id;
                    d->kyc_required = e.kyc_required;
                    set_status(*d, e.kyc_required ? DidStatus::PendingKyc : DidStatus::Reserved,
                               e.at);
                }
            },
            [&](const DidActivated& e) {
                if (auto* d = find(s, e.number)) {
                    d->customer_id = e.customer_id;
                    if (!d->activated_at) d->activated_at = e.at;
                    set_status(*d, DidStatus::Active, e.at);
                }
            },
            [&](const DidSuspended& e) {
                if (auto* d = find(s, e.number)) set_status(*d, DidStatus::Suspended, e.at);
            },
            [&](const DidResumed& e) {
                if (auto* d = find(s, e.number)) set_status(*d, DidStatus::Active, e.at);
            },
            [&](const DidReleased& e) {
                if (auto* d = find(s, e.number)) {
                    set_status(*d, DidStatus::Released, e.at);
                    d->customer_id = 0;
                    d->routing.clear();
                }
            },
            [&](const DidRoutingSet& e) {
                if (auto* d = find(s, e.number)) d->routing = e.targets;
            },
            [&](const DidPortStatusChanged& e) {
                if (auto* d = find(s, e.number)) {
                    d->port_status = e.port_status;
                    d->port_status_since = e.at;
                }
            },
            [&](const DidFeeCharged& e) {
                if (auto* d = find(s, e.number)) {
                    if (e.kind == FeeKind::Setup)
                        d->setup_charged = true;
                    else
                        d->monthly_charged.insert(e.period);
                }
            },
            [&](const KycSubmitted& e) {
                if (auto* d = find(s, e.number)) {
                    KycDocument doc;
                    doc.document_id = e.document_id;
                    doc.doc_type = e.doc_type;
                    doc.sha256 = e.sha256;
                    doc.content_type = e.content_type;
                    doc.size_bytes = e.size_bytes;
                    doc.submitted_at = e.at;
                    d->kyc.push_back(std::move(doc));
                }
                s.next_document_id = std::max(s.next_document_id, e.document_id + 1);
            },
            [&](const KycApproved& e) {
                if (auto* d = find(s, e.number))
                    for (auto& doc : d->kyc)
                        if (doc.document_id == e.document_id) {
                            doc.status = KycStatus::Approved;
                            doc.decided_at = e.at;
                        }
            },
            [&](const KycRejected& e) {
                if (auto* d = find(s, e.number))
                    for (auto& doc : d->kyc)
                        if (doc.document_id == e.document_id) {
                            doc.status = KycStatus::Rejected;
                            doc.reason = e.reason;
                            doc.decided_at = e.at;
                        }
            },
        },
        event);
}

// ---- decide ----

namespace {

bool valid_name(std::string_view s, std::size_t max = 64) {
    return !s.empty() && s.size() <= max && is_valid_utf8(s) && !has_control_chars(s);
}

bool valid_doc_type(std::string_view t) {
    return !t.empty() && t.size() <= 32 && std::all_of(t.begin(), t.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    });
}

bool valid_trunk_id(std::string_view t) {
    return !t.empty() && t.size() <= 64 && std::all_of(t.begin(), t.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '_' || ch == '-' || ch == '.';
    });
}

bool valid_sip_uri(std::string_view u) {
    const bool scheme = u.starts_with("sip:") || u.starts_with("sips:");
    if (!scheme || u.size() > 256) return false;
    const auto rest = u.substr(u.find(':') + 1);
    if (rest.empty()) return false;
    return std::all_of(u.begin(), u.end(), [](char ch) { return ch > ' ' && ch < 127; });
}

/// The DID `number` names: Invalid for a malformed number, NotFound for an unknown one.
Result<const Did*> lookup(const DidState& s, const std::string& number) {
    const auto n = did_number(number);
    if (!n) return fail(Errc::Invalid, "number", "must be E.164: 6 to 15 digits, optional +");
    auto it = s.dids.find(*n);
    if (it == s.dids.end())
        return fail(Errc::NotFound, "number", fmt::format("DID '{}' does not exist", *n));
    return &it->second;
}

tl::unexpected<Error> wrong_status(const Did& d, std::string_view wants) {
    return fail(Errc::Rejected, "status",
                fmt::format("DID {} is {}; {}", d.inventory.number, to_string(d.status), wants));
}

/// The activation of `d` for `customer` and its fees.
void activate(const Did& d, std::int64_t customer, const DecisionContext& ctx,
              std::vector<DidEvent>& out) {
    const auto& n = d.inventory.number;
    out.push_back(DidActivated{n, customer, ctx.now});
    const auto period = month_of(ctx.now);
    if (!d.setup_charged && d.inventory.setup_price > 0)
        out.push_back(DidFeeCharged{n, customer, FeeKind::Setup, period, d.inventory.setup_price,
                                    d.inventory.currency, ctx.now});
    if (!d.monthly_charged.contains(period) && d.inventory.monthly_price > 0)
        out.push_back(DidFeeCharged{n, customer, FeeKind::Monthly, period,
                                    d.inventory.monthly_price, d.inventory.currency, ctx.now});
}

Result<void> check_customer(std::int64_t customer_id) {
    if (customer_id <= 0)
        return fail(Errc::Invalid, "customer_id", "must be a customer id, 1 or more");
    return {};
}

/// The country's required document types (none for an unknown country).
std::vector<std::string> required_of(const DidState& s, const Did& d) {
    auto it = s.countries.find(d.inventory.country);
    return it == s.countries.end() ? std::vector<std::string>{} : it->second.kyc_documents;
}

const KycDocument* document(const Did& d, std::int64_t id) {
    for (const auto& doc : d.kyc)
        if (doc.document_id == id) return &doc;
    return nullptr;
}

/// The start of the month after `period` (`YYYY-MM`, valid).
Timestamp end_of_period(std::string_view period) {
    using namespace std::chrono;
    const int y = std::stoi(std::string(period.substr(0, 4)));
    const unsigned m = static_cast<unsigned>(std::stoi(std::string(period.substr(5, 2))));
    const year_month next = year_month{year{y}, month{m}} + months{1};
    return Timestamp(sys_days(next / day{1}));
}

}  // namespace

std::vector<std::string> missing_kyc(const DidState& s, const Did& did) {
    std::vector<std::string> out;
    for (const auto& type : required_of(s, did)) {
        const bool approved = std::any_of(did.kyc.begin(), did.kyc.end(), [&](const auto& doc) {
            return doc.doc_type == type && doc.status == KycStatus::Approved;
        });
        if (!approved) out.push_back(type);
    }
    return out;
}

Result<void> check_inventory(const DidInventory& d) {
    if (!did_number(d.number) || d.number.front() == '+')
        return fail(Errc::Invalid, "number", "must be E.164: 6 to 15 digits, optional +");
    if (!is_iso3166_alpha2(d.country))
        return fail(Errc::Invalid, "country", "must be an ISO 3166-1 alpha-2 code such as DE");
    if (!valid_voice_id(d.provider_id))
        return fail(Errc::Invalid, "provider", "must be a provider id [a-z0-9_-]{1,32}");
    if (d.area.size() > 64 || !is_valid_utf8(d.area) || has_control_chars(d.area))
        return fail(Errc::Invalid, "area", "must be at most 64 printable characters");
    if (!is_iso4217(d.currency))
        return fail(Errc::Invalid, "currency", "must be an ISO 4217 code such as USD or EUR");
    for (auto [field, v] :
         {std::pair{"setup_cost", d.setup_cost}, std::pair{"monthly_cost", d.monthly_cost},
          std::pair{"setup_price", d.setup_price}, std::pair{"monthly_price", d.monthly_price}})
        if (v < 0) return fail(Errc::Invalid, field, "must be 0 or more");
    if (d.channels < 1 || d.channels > 10000)
        return fail(Errc::Invalid, "channels", "must be 1 to 10000");
    return {};
}

Result<std::vector<DidEvent>> decide(const DidState& s, const DefineDidCountry& c,
                                     const DecisionContext&) {
    const auto& k = c.country;
    if (!is_iso3166_alpha2(k.country))
        return fail(Errc::Invalid, "country", "must be an ISO 3166-1 alpha-2 code such as DE");
    if (!valid_name(k.name)) return fail(Errc::Invalid, "name", "must be 1 to 64 characters");
    if (k.kyc_documents.size() > 8)
        return fail(Errc::Invalid, "kyc_documents", "must list at most 8 document types");
    std::set<std::string> seen;
    for (const auto& t : k.kyc_documents) {
        if (!valid_doc_type(t))
            return fail(Errc::Invalid, "kyc_documents",
                        fmt::format("'{}' is not a document type [a-z0-9_]{{1,32}}", t));
        if (!seen.insert(t).second)
            return fail(Errc::Invalid, "kyc_documents", fmt::format("'{}' is listed twice", t));
    }
    auto it = s.countries.find(k.country);
    if (it != s.countries.end() && it->second == k) return std::vector<DidEvent>{};
    return std::vector<DidEvent>{DidCountryDefined{k}};
}

Result<std::vector<DidEvent>> decide(const DidState& s, const DefineDidProvider& c,
                                     const DecisionContext&) {
    const auto& p = c.provider;
    if (!valid_voice_id(p.provider_id))
        return fail(Errc::Invalid, "provider_id", "must be [a-z0-9_-]{1,32}");
    if (!valid_name(p.name)) return fail(Errc::Invalid, "name", "must be 1 to 64 characters");
    if (!is_iso4217(p.currency))
        return fail(Errc::Invalid, "currency", "must be an ISO 4217 code such as USD or EUR");
    if (p.api_notes.size() > 2000 || !is_valid_utf8(p.api_notes))
        return fail(Errc::Invalid, "api_notes", "must be at most 2000 characters of UTF-8");
    auto it = s.providers.find(p.provider_id);
    if (it != s.providers.end() && it->second == p) return std::vector<DidEvent>{};
    return std::vector<DidEvent>{DidProviderDefined{p}};
}

DidImportDecision decide_import(const DidState& s, const ImportDids& c,
                                const DecisionContext& ctx) {
    DidImportDecision out;
    if (!c.command_id.empty() && s.import_commands.contains(c.command_id)) {
        out.replayed = true;
        return out;
    }
    std::map<std::string, std::int64_t> seen;  // number -> line
    for (const auto& row : c.rows) {
        auto refuse = [&](std::string field, std::string reason) {
            out.errors.push_back(RowError{c.file, row.line, std::move(field), std::move(reason)});
        };
        DidInventory did = row.did;
        if (did.currency.empty())  // the provider's currency when the row names none
            if (auto p = s.providers.find(did.provider_id); p != s.providers.end())
                did.currency = p->second.currency;
        if (auto ok = check_inventory(did); !ok) {
            refuse(ok.error().field, ok.error().message);
            continue;
        }
        if (!s.countries.contains(did.country)) {
            refuse("country", fmt::format("country '{}' is not defined", did.country));
            continue;
        }
        if (!s.providers.contains(did.provider_id)) {
            refuse("provider", fmt::format("provider '{}' is not defined", did.provider_id));
            continue;
        }
        const auto [at, inserted] = seen.emplace(did.number, row.line);
        if (!inserted) {
            refuse("number",
                   fmt::format("number {} is already on line {}", did.number, at->second));
            continue;
        }
        auto it = s.dids.find(did.number);
        if (it == s.dids.end()) {
            ++out.imported;
        } else if (it->second.inventory == did && it->second.status != DidStatus::Released) {
            ++out.unchanged;
            continue;
        } else {
            ++out.updated;
        }
        out.events.push_back(DidImported{did, c.command_id, ctx.now});
    }
    return out;
}

Result<std::vector<DidEvent>> decide(const DidState& s, const ReserveDid& c,
                                     const DecisionContext& ctx) {
    const auto* d = SY_TRY(lookup(s, c.number));
    SY_TRY(check_customer(c.customer_id));
    if (d->status == DidStatus::Reserved && d->customer_id == c.customer_id)
        return std::vector<DidEvent>{};
    if (d->status != DidStatus::Available)
        return wrong_status(*d, "only an available DID can be reserved");
    return std::vector<DidEvent>{DidReserved{d->inventory.number, c.customer_id, ctx.now}};
}

Result<std::vector<DidEvent>> decide(const DidState& s, const OrderDid& c,
                                     const DecisionContext& ctx) {
    const auto* d = SY_TRY(lookup(s, c.number));
    SY_TRY(check_customer(c.customer_id));
    const bool mine = d->customer_id == c.customer_id;
    if (mine && (d->status == DidStatus::PendingKyc || d->status == DidStatus::Active ||
                 d->status == DidStatus::Suspended))
        return std::vector<DidEvent>{};  // already ordered: a retry
    if (!(d->status == DidStatus::Available || (d->status == DidStatus::Reserved && mine)))
        return wrong_status(*d,
                            "only an available DID, or one reserved for this customer, "
                            "can be ordered");
    const bool kyc = !required_of(s, *d).empty();
    std::vector<DidEvent> out{DidOrdered{d->inventory.number, c.customer_id, kyc, ctx.now}};
    if (!kyc) activate(*d, c.customer_id, ctx, out);
    return out;
}

Result<std::vector<DidEvent>> decide(const DidState& s, const SuspendDid& c,
                                     const DecisionContext& ctx) {
    const auto* d = SY_TRY(lookup(s, c.number));
    if (!valid_name(c.reason, 256))
        return fail(Errc::Invalid, "reason", "must be 1 to 256 printable characters");
    if (d->status == DidStatus::Suspended) return std::vector<DidEvent>{};
    if (d->status != DidStatus::Active)
        return wrong_status(*d, "only an active DID can be suspended");
    return std::vector<DidEvent>{DidSuspended{d->inventory.number, c.reason, ctx.now}};
}

Result<std::vector<DidEvent>> decide(const DidState& s, const ResumeDid& c,
                                     const DecisionContext& ctx) {
    const auto* d = SY_TRY(lookup(s, c.number));
    if (d->status != DidStatus::Suspended)
        return wrong_status(*d, "only a suspended DID can be resumed");
    return std::vector<DidEvent>{DidResumed{d->inventory.number, ctx.now}};
}

Result<std::vector<DidEvent>> decide(const DidState& s, const ReleaseDid& c,
                                     const DecisionContext& ctx) {
    const auto* d = SY_TRY(lookup(s, c.number));
    if (d->status == DidStatus::Released) return std::vector<DidEvent>{};
    if (d->status == DidStatus::Available) return wrong_status(*d, "it is not held by anyone");
    return std::vector<DidEvent>{DidReleased{d->inventory.number, d->customer_id, ctx.now}};
}

Result<std::vector<DidEvent>> decide(const DidState& s, const SetDidRouting& c,
                                     const DecisionContext& ctx) {
    const auto* d = SY_TRY(lookup(s, c.number));
    if (c.targets.size() > 8) return fail(Errc::Invalid, "targets", "must list at most 8 targets");
    for (std::size_t i = 0; i < c.targets.size(); ++i) {
        const auto& t = c.targets[i];
        if ((t.kind == DidTargetKind::Trunk || t.kind == DidTargetKind::Extension ||
             t.kind == DidTargetKind::RingGroup) &&
            !valid_trunk_id(t.value))
            return fail(Errc::Invalid, "targets",
                        fmt::format("targets[{}]: '{}' is not a trunk id (1 to 64 of "
                                    "A-Z a-z 0-9 _ - .)",
                                    i, t.value));
        if (t.kind == DidTargetKind::Uri && !valid_sip_uri(t.value))
            return fail(Errc::Invalid, "targets",
                        fmt::format("targets[{}]: '{}' is not a sip: or sips: URI", i, t.value));
    }
    if (d->status == DidStatus::Available || d->status == DidStatus::Released)
        return wrong_status(*d, "routing needs a DID held by a customer");
    if (d->routing == c.targets) return std::vector<DidEvent>{};
    return std::vector<DidEvent>{DidRoutingSet{d->inventory.number, c.targets, ctx.now}};
}

Result<std::vector<DidEvent>> decide(const DidState& s, const SetPortStatus& c,
                                     const DecisionContext& ctx) {
    const auto* d = SY_TRY(lookup(s, c.number));
    using P = PortStatus;
    const P from = d->port_status, to = c.port_status;
    if (from == to) return std::vector<DidEvent>{};
    const bool held = d->status == DidStatus::Active || d->status == DidStatus::Suspended;
    const bool allowed =
        (from == P::None && to == P::PortInRequested) ||
        (from == P::PortInRequested && (to == P::PortInCompleted || to == P::None)) ||
        ((from == P::None || from == P::PortInCompleted) && to == P::PortOutRequested && held) ||
        (from == P::PortOutRequested && (to == P::PortedOut || to == P::None));
    if (!allowed)
        return fail(
            Errc::Rejected, "port_status",
            fmt::format("DID {} cannot go from {} to {}{}", d->inventory.number, to_string(from),
                        to_string(to),
                        to == P::PortOutRequested && !held ? " (it is not in service)" : ""));
    std::vector<DidEvent> out{DidPortStatusChanged{d->inventory.number, to, ctx.now}};
    if (to == P::PortedOut && d->status != DidStatus::Released)
        out.push_back(DidReleased{d->inventory.number, d->customer_id, ctx.now});
    return out;
}

Result<std::vector<DidEvent>> decide(const DidState& s, const ChargeMonthly& c,
                                     const DecisionContext& ctx) {
    if (!valid_period(c.period))
        return fail(Errc::Invalid, "period", "must be a month YYYY-MM (2000-01 or later)");
    const auto end = end_of_period(c.period);
    std::vector<DidEvent> out;
    for (const auto& [number, d] : s.dids) {
        if (d.status != DidStatus::Active && d.status != DidStatus::Suspended) continue;
        if (!d.activated_at || *d.activated_at >= end) continue;
        if (d.monthly_charged.contains(c.period) || d.inventory.monthly_price <= 0) continue;
        out.push_back(DidFeeCharged{number, d.customer_id, FeeKind::Monthly, c.period,
                                    d.inventory.monthly_price, d.inventory.currency, ctx.now});
    }
    return out;
}

Result<std::vector<DidEvent>> decide(const DidState& s, const SubmitKyc& c,
                                     const DecisionContext& ctx) {
    const auto* d = SY_TRY(lookup(s, c.number));
    if (!valid_doc_type(c.doc_type))
        return fail(Errc::Invalid, "doc_type", "must be a document type [a-z0-9_]{1,32}");
    if (c.sha256.size() != 64 ||
        c.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)
        return fail(Errc::Invalid, "sha256", "must be 64 lowercase hex digits");
    if (c.content_type != "application/pdf" && c.content_type != "image/png" &&
        c.content_type != "image/jpeg")
        return fail(Errc::Invalid, "content_type",
                    "must be application/pdf, image/png or image/jpeg");
    if (c.size_bytes <= 0) return fail(Errc::Invalid, "size_bytes", "must be 1 or more");
    if (d->status != DidStatus::Reserved && d->status != DidStatus::PendingKyc)
        return wrong_status(*d, "KYC documents are taken for an ordered DID awaiting activation");
    const auto required = required_of(s, *d);
    if (std::find(required.begin(), required.end(), c.doc_type) == required.end())
        return fail(Errc::Rejected, "doc_type",
                    fmt::format("country {} does not ask for '{}' (it asks for: {})",
                                d->inventory.country, c.doc_type, fmt::join(required, ", ")));
    for (const auto& doc : d->kyc) {
        if (doc.doc_type != c.doc_type) continue;
        if (doc.sha256 == c.sha256 && doc.status == KycStatus::Submitted)
            return std::vector<DidEvent>{};  // a retry
        if (doc.status != KycStatus::Rejected)
            return fail(Errc::Conflict, "doc_type",
                        fmt::format("a '{}' document (id {}) is already {}", c.doc_type,
                                    doc.document_id, to_string(doc.status)));
    }
    return std::vector<DidEvent>{KycSubmitted{d->inventory.number, d->customer_id,
                                              s.next_document_id, c.doc_type, c.sha256,
                                              c.content_type, c.size_bytes, ctx.now}};
}

Result<std::vector<DidEvent>> decide(const DidState& s, const ApproveKyc& c,
                                     const DecisionContext& ctx) {
    const auto* d = SY_TRY(lookup(s, c.number));
    const auto* doc = document(*d, c.document_id);
    if (!doc)
        return fail(Errc::NotFound, "document_id",
                    fmt::format("document {} of DID {} does not exist", c.document_id,
                                d->inventory.number));
    if (doc->status == KycStatus::Approved) return std::vector<DidEvent>{};
    if (doc->status == KycStatus::Rejected)
        return fail(Errc::Rejected, "document_id",
                    fmt::format("document {} was rejected; submit a new one", c.document_id));
    std::vector<DidEvent> out{KycApproved{d->inventory.number, c.document_id, ctx.now}};
    if (d->status == DidStatus::PendingKyc) {
        Did after = *d;  // the DID with this approval, to see what is still missing
        for (auto& k : after.kyc)
            if (k.document_id == c.document_id) k.status = KycStatus::Approved;
        if (missing_kyc(s, after).empty()) activate(*d, d->customer_id, ctx, out);
    }
    return out;
}

Result<std::vector<DidEvent>> decide(const DidState& s, const RejectKyc& c,
                                     const DecisionContext& ctx) {
    const auto* d = SY_TRY(lookup(s, c.number));
    if (!valid_name(c.reason, 512))
        return fail(Errc::Invalid, "reason", "is required: 1 to 512 printable characters");
    const auto* doc = document(*d, c.document_id);
    if (!doc)
        return fail(Errc::NotFound, "document_id",
                    fmt::format("document {} of DID {} does not exist", c.document_id,
                                d->inventory.number));
    if (doc->status == KycStatus::Rejected) return std::vector<DidEvent>{};
    if (doc->status == KycStatus::Approved)
        return fail(Errc::Rejected, "document_id",
                    fmt::format("document {} was approved already", c.document_id));
    return std::vector<DidEvent>{
        KycRejected{d->inventory.number, c.document_id, c.reason, ctx.now}};
}

}  // namespace switchyard::core::voice
