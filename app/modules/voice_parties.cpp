#include "app/modules/voice_parties.hpp"

#include <algorithm>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "core/voice/number.hpp"
#include "core/vpn/address_pool.hpp"

namespace switchyard::app {

namespace {

using core::voice::CallRecord;
using events::voice::CarrierTerms;
using events::voice::CustomerTerms;

/// The trunk an Asterisk channel names: `acme` in `SIP/acme-0000002a` or `PJSIP/acme-00000001`
/// (technology, `/`, peer or endpoint, `-`, the channel's sequence). Empty when it has no `/`.
std::string trunk_of_channel(std::string_view channel) {
    const auto slash = channel.find('/');
    if (slash == std::string_view::npos) return {};
    auto rest = channel.substr(slash + 1);
    if (const auto dash = rest.rfind('-'); dash != std::string_view::npos && dash > 0)
        rest = rest.substr(0, dash);
    return std::string(rest);
}

/// What the resolvers look a CDR up in, built from one revision of the directory, the
/// reference data and the deck list, and shared by every CDR until one of them moves.
struct PartyIndex {
    std::int64_t directory_revision = -2;
    std::int64_t reference_revision = -2;
    std::int64_t decks_created = -1;

    std::unordered_map<std::string, CustomerTerms> by_accountcode;
    std::unordered_map<std::string, CustomerTerms> by_trunk;
    /// By customer id in decimal: a Kamailio call's CDR names its customer so (call_record_of).
    std::unordered_map<std::string, const CustomerTerms*> by_id;
    struct Source {
        std::string text;                             ///< As configured.
        std::optional<core::vpn::AddressPool> block;  ///< When it is a CIDR block.
        const CustomerTerms* terms;
    };
    std::vector<Source> by_source;
    /// Caller prefixes, longest first.
    std::vector<std::pair<std::string, const CustomerTerms*>> by_caller;
    std::vector<std::unique_ptr<CustomerTerms>> customers;  ///< Owns what the maps point to.

    struct CarrierEntry {
        std::string carrier_id, name;
        std::vector<std::string> trunk_hosts;
        CarrierTerms terms;
    };
    std::vector<CarrierEntry> carriers;
};

CustomerTerms terms_of(const core::voice::DirectoryState& d, const core::voice::Customer& c) {
    const auto effective = core::voice::resolve(d.assignments, d.ref_of(c));
    CustomerTerms t;
    t.customer_id = std::to_string(c.customer_id);
    t.currency = c.currency;
    t.sell_deck_id = effective.value(core::voice::ItemKind::RateCard).value_or("");
    t.country = c.country;
    if (!c.tech_prefix.empty()) t.tech_prefixes.push_back(c.tech_prefix);
    t.subject = t.customer_id;
    return t;
}

std::shared_ptr<PartyIndex> build_index(const core::voice::DirectoryState& d,
                                        const core::voice::ReferenceState& ref,
                                        const std::vector<core::voice::DeckInfo>& decks) {
    auto ix = std::make_shared<PartyIndex>();
    for (const auto& [id, c] : d.customers) {
        if (c.status != core::voice::CustomerStatus::Active) continue;
        ix->customers.push_back(std::make_unique<CustomerTerms>(terms_of(d, c)));
        const auto* t = ix->customers.back().get();
        ix->by_id.emplace(t->customer_id, t);
        for (const auto& code : c.accountcodes) ix->by_accountcode.emplace(code, *t);
        for (const auto& trunk : c.trunks) ix->by_trunk.emplace(trunk, *t);
        for (const auto& s : c.source_ips) {
            std::string error;
            ix->by_source.push_back({s, core::vpn::AddressPool::parse(s, error), t});
        }
        for (const auto& p : c.caller_prefixes) ix->by_caller.emplace_back(p, t);
    }
    std::stable_sort(ix->by_caller.begin(), ix->by_caller.end(),
                     [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    for (const auto& [id, entry] : ref.items<core::voice::Carrier>()) {
        if (entry.retired) continue;
        const auto& c = entry.item;
        PartyIndex::CarrierEntry e{c.carrier_id, c.name, c.trunk_hosts, {}};
        e.terms.carrier_id = c.carrier_id;
        // The carrier's buy deck; with several, the last by deck id.
        const core::voice::DeckInfo* best = nullptr;
        for (const auto& deck : decks)
            if (deck.kind == core::voice::DeckKind::Buy && deck.carrier_id == c.carrier_id)
                best = &deck;
        if (best) e.terms.buy_deck_id = best->deck_id;
        ix->carriers.push_back(std::move(e));
    }
    return ix;
}

/// Keeps the index current: one snapshot read of the directory and of the reference data per
/// CDR (no copies while nothing changed), a rebuild when a revision or the deck count moved.
class Parties {
  public:
    Parties(events::voice::VoiceService& voice, events::voice::TariffRegistry& tariffs)
        : voice_(voice), tariffs_(tariffs) {}

    core::Result<std::shared_ptr<const PartyIndex>> index() {
        const auto dir = SY_TRY(voice_.directory_snapshot());
        const auto ref = SY_TRY(voice_.reference_snapshot());
        const auto created = tariffs_.decks_created();
        std::lock_guard lock(mu_);
        if (!index_ || index_->directory_revision != dir.revision ||
            index_->reference_revision != ref.revision || index_->decks_created != created) {
            auto fresh = build_index(*dir.state, *ref.state, tariffs_.decks());
            fresh->directory_revision = dir.revision;
            fresh->reference_revision = ref.revision;
            fresh->decks_created = created;
            index_ = std::move(fresh);
        }
        return index_;
    }

  private:
    events::voice::VoiceService& voice_;
    events::voice::TariffRegistry& tariffs_;
    std::mutex mu_;
    std::shared_ptr<const PartyIndex> index_;
};

const CustomerTerms* find_customer(const PartyIndex& ix, const CallRecord& r) {
    // Switchyard routed the call itself: the accountcode is the customer id, nothing else.
    if (r.source == core::voice::CdrSource::Kamailio) {
        const auto it = ix.by_id.find(r.accountcode);
        return it == ix.by_id.end() ? nullptr : it->second;
    }
    if (!r.accountcode.empty())
        if (auto it = ix.by_accountcode.find(r.accountcode); it != ix.by_accountcode.end())
            return &it->second;
    if (!ix.by_trunk.empty()) {
        for (const auto& name : {trunk_of_channel(r.channel), r.trunk}) {
            if (name.empty()) continue;
            if (auto it = ix.by_trunk.find(name); it != ix.by_trunk.end()) return &it->second;
        }
    }
    if (!r.source_ip.empty()) {
        for (const auto& s : ix.by_source)
            if (s.text == r.source_ip || (s.block && s.block->contains(r.source_ip)))
                return s.terms;
    }
    if (!r.caller.empty() && !ix.by_caller.empty()) {
        // The caller as digits: `+4930...`, `004930...` and `4930...` all read as 4930...
        std::string digits;
        for (char ch : r.caller)
            if (ch >= '0' && ch <= '9') digits.push_back(ch);
        if (r.caller.starts_with("00")) digits.erase(0, 2);
        for (const auto& [prefix, terms] : ix.by_caller)
            if (digits.starts_with(prefix)) return terms;
    }
    return nullptr;
}

const CarrierTerms* find_carrier(const PartyIndex& ix, const CallRecord& r) {
    // Switchyard routed the call itself: the trunk is the carrier id, nothing else.
    if (r.source == core::voice::CdrSource::Kamailio) {
        for (const auto& c : ix.carriers)
            if (r.trunk == c.carrier_id) return &c.terms;
        return nullptr;
    }
    for (const auto& c : ix.carriers) {
        if (!r.trunk.empty() && (r.trunk == c.carrier_id || r.trunk == c.name)) return &c.terms;
        for (const auto& host : c.trunk_hosts) {
            if ((!r.trunk.empty() && r.trunk.find(host) != std::string::npos) ||
                (!r.dst_channel.empty() && r.dst_channel.find(host) != std::string::npos))
                return &c.terms;
        }
    }
    return nullptr;
}

}  // namespace

events::voice::CdrServiceOptions cdr_service_options(const std::string& tenant,
                                                     events::voice::VoiceService& voice,
                                                     events::voice::TariffRegistry& tariffs) {
    auto parties = std::make_shared<Parties>(voice, tariffs);
    events::voice::CdrServiceOptions o;
    o.tenant = tenant;
    o.customer = [parties](const CallRecord& r) -> core::Result<CustomerTerms> {
        const auto ix = SY_TRY(parties->index());
        if (const auto* t = find_customer(*ix, r)) return *t;
        return core::fail(core::Errc::NotFound, "accountcode",
                          "no active customer has accountcode '" + r.accountcode + "', trunk '" +
                              (r.trunk.empty() ? trunk_of_channel(r.channel) : r.trunk) +
                              "', source address '" + r.source_ip + "' or a caller rule for '" +
                              r.caller + "'");
    };
    o.carrier = [parties](const CallRecord& r) -> core::Result<CarrierTerms> {
        const auto ix = SY_TRY(parties->index());
        if (const auto* t = find_carrier(*ix, r)) return *t;
        return core::fail(core::Errc::NotFound, "trunk", "no carrier matches the record's trunk");
    };
    o.normalise = [](std::string_view dialled, const CustomerTerms& customer) {
        return core::voice::to_e164(
            dialled, core::voice::NumberContext{customer.country, customer.tech_prefixes});
    };
    return o;
}

}  // namespace switchyard::app
