#include "app/modules/voice_parties.hpp"

#include "core/voice/number.hpp"
#include "core/vpn/address_pool.hpp"

namespace switchyard::app {

namespace {

using core::voice::CallRecord;
using events::voice::CarrierTerms;
using events::voice::CustomerTerms;

/// True when `address` is one of `sources` (addresses or CIDR blocks).
bool source_matches(const std::vector<std::string>& sources, const std::string& address) {
    for (const auto& s : sources) {
        if (s == address) return true;
        std::string error;
        const auto pool = core::vpn::AddressPool::parse(s, error);
        if (pool && pool->contains(address)) return true;
    }
    return false;
}

core::Result<CustomerTerms> find_customer(events::voice::VoiceService& voice, const CallRecord& r) {
    const auto directory = SY_TRY(voice.directory());
    const core::voice::Customer* found = nullptr;
    if (!r.accountcode.empty()) {
        if (auto it = directory.accountcodes.find(r.accountcode);
            it != directory.accountcodes.end()) {
            if (auto c = directory.customers.find(it->second); c != directory.customers.end())
                found = &c->second;
        }
    }
    if (!found && !r.source_ip.empty()) {
        for (const auto& [id, c] : directory.customers) {
            if (source_matches(c.source_ips, r.source_ip)) {
                found = &c;
                break;
            }
        }
    }
    if (!found || found->status != core::voice::CustomerStatus::Active)
        return core::fail(core::Errc::NotFound, "accountcode",
                          "no active customer has accountcode '" + r.accountcode +
                              "' or source address '" + r.source_ip + "'");
    const auto effective = core::voice::resolve(directory.assignments, directory.ref_of(*found));
    CustomerTerms t;
    t.customer_id = std::to_string(found->customer_id);
    t.currency = found->currency;
    t.sell_deck_id = effective.value(core::voice::ItemKind::RateCard).value_or("");
    t.country = found->country;
    if (!found->tech_prefix.empty()) t.tech_prefixes.push_back(found->tech_prefix);
    t.subject = t.customer_id;
    return t;
}

core::Result<CarrierTerms> find_carrier(events::voice::VoiceService& voice,
                                        events::voice::TariffRegistry& tariffs,
                                        const CallRecord& r) {
    const auto reference = SY_TRY(voice.reference());
    for (const auto& [id, entry] : reference.items<core::voice::Carrier>()) {
        if (entry.retired) continue;
        const auto& c = entry.item;
        bool hit = !r.trunk.empty() && (r.trunk == c.carrier_id || r.trunk == c.name);
        for (const auto& host : c.trunk_hosts) {
            if (hit) break;
            hit = (!r.trunk.empty() && r.trunk.find(host) != std::string::npos) ||
                  (!r.dst_channel.empty() && r.dst_channel.find(host) != std::string::npos);
        }
        if (!hit) continue;
        CarrierTerms t;
        t.carrier_id = c.carrier_id;
        for (const auto& deck : tariffs.decks()) {
            if (deck.kind == core::voice::DeckKind::Buy && deck.carrier_id == c.carrier_id)
                t.buy_deck_id = deck.deck_id;
        }
        return t;
    }
    return core::fail(core::Errc::NotFound, "trunk", "no carrier matches the record's trunk");
}

}  // namespace

events::voice::CdrServiceOptions cdr_service_options(const std::string& tenant,
                                                     events::voice::VoiceService& voice,
                                                     events::voice::TariffRegistry& tariffs) {
    events::voice::CdrServiceOptions o;
    o.tenant = tenant;
    o.customer = [&voice](const CallRecord& r) { return find_customer(voice, r); };
    o.carrier = [&voice, &tariffs](const CallRecord& r) { return find_carrier(voice, tariffs, r); };
    o.normalise = [](std::string_view dialled, const CustomerTerms& customer) {
        return core::voice::to_e164(
            dialled, core::voice::NumberContext{customer.country, customer.tech_prefixes});
    };
    return o;
}

}  // namespace switchyard::app
