#include "events/voice/trunk_service.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "core/text.hpp"
#include "core/voice/number.hpp"
#include "events/voice/trunk_codec.hpp"

namespace switchyard::events::voice {

using namespace core::voice;

std::string digest_ha1(std::string_view username, std::string_view realm,
                       std::string_view password) {
    std::string input;
    input.reserve(username.size() + realm.size() + password.size() + 2);
    input.append(username).append(":").append(realm).append(":").append(password);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    EVP_Digest(input.data(), input.size(), digest, &size, EVP_md5(), nullptr);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (unsigned int i = 0; i < size; ++i) {
        out.push_back(kHex[digest[i] >> 4]);
        out.push_back(kHex[digest[i] & 0x0F]);
    }
    // The input held the password: leave nothing of it behind in freed memory.
    std::fill(input.begin(), input.end(), '\0');
    return out;
}

std::string trunk_ha1_context(const std::string& tenant, const std::string& trunk_id) {
    return "voice-trunk-ha1:" + tenant + ":" + trunk_id;
}

namespace {

/// A trunk with what identify() needs of its customer, resolved once per index.
struct TrunkView {
    Trunk trunk;
    bool digest = false;
    bool ip = false;
    bool customer_active = true;
    std::string country;
    std::string currency;
    std::string customer_tech_prefix;
    std::string route_group_id;
    std::string rate_card;
    std::vector<std::string> cli_prefixes;  ///< The trunk's, else the customer's.
    std::set<std::string> codec_names;      ///< Upper-case SDP names; empty = not checked.
    bool codecs_checked = false;
};

struct Index {
    std::int64_t trunks_rev = -2, directory_rev = -2, reference_rev = -2;
    std::vector<std::unique_ptr<TrunkView>> views;
    std::vector<std::pair<IpBlock, const TrunkView*>> by_block;  ///< Longest prefix first.
    std::unordered_map<std::string, const TrunkView*> by_username;
    std::unordered_map<std::string, const TrunkView*> by_id;
    bool any_digest = false;
};

std::string upper(std::string s) {
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}

std::shared_ptr<const Index> build_index(const TrunkState& trunks, const DirectoryState& d,
                                         const ReferenceState& r) {
    auto ix = std::make_shared<Index>();
    for (const auto& [id, entry] : trunks.trunks) {
        auto v = std::make_unique<TrunkView>();
        v->trunk = entry.trunk;
        v->digest = !entry.trunk.username.empty();
        v->ip = !entry.trunk.source_ips.empty();
        auto c = d.customers.find(entry.trunk.customer_id);
        if (c != d.customers.end()) {
            const auto effective = resolve(d.assignments, d.ref_of(c->second));
            v->customer_active = c->second.status == CustomerStatus::Active;
            v->country = c->second.country;
            v->currency = c->second.currency;
            v->customer_tech_prefix = c->second.tech_prefix;
            v->route_group_id = effective.value(ItemKind::RouteGroup).value_or("");
            v->rate_card = effective.value(ItemKind::RateCard).value_or("");
            v->cli_prefixes = entry.trunk.cli_prefixes.empty() ? c->second.caller_prefixes
                                                               : entry.trunk.cli_prefixes;
            std::string codec_set = entry.trunk.codec_set_id;
            if (codec_set.empty()) codec_set = effective.value(ItemKind::CodecSet).value_or("");
            if (const auto* set = codec_set.empty() ? nullptr : r.live<CodecSet>(codec_set)) {
                v->codecs_checked = true;
                for (const auto& codec_id : set->codecs)
                    if (const auto* codec = r.live<Codec>(codec_id))
                        v->codec_names.insert(upper(codec->name));
            }
        } else {
            v->customer_active = false;
        }
        const auto* view = v.get();
        ix->by_id[id] = view;
        for (const auto& text : entry.trunk.source_ips) {
            std::string error;
            if (auto b = IpBlock::parse(text, error)) ix->by_block.emplace_back(*b, view);
        }
        if (view->digest) {
            ix->by_username[entry.trunk.username] = view;
            ix->any_digest = true;
        }
        ix->views.push_back(std::move(v));
    }
    std::stable_sort(ix->by_block.begin(), ix->by_block.end(),
                     [](const auto& a, const auto& b) { return a.first.prefix > b.first.prefix; });
    return ix;
}

CallRefusal refuse(int code, std::string reason, std::string machine) {
    return CallRefusal{code, std::move(reason), std::move(machine)};
}

/// `+4930...` and `004930...` as digits; empty when anything but digits is left.
std::string plain_digits(std::string_view s) {
    if (!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    else if (s.size() > 2 && s.substr(0, 2) == "00")
        s.remove_prefix(2);
    if (s.empty() ||
        !std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        return {};
    return std::string(s);
}

bool under_prefixes(const std::string& number, const std::vector<std::string>& prefixes) {
    return std::any_of(prefixes.begin(), prefixes.end(),
                       [&](const std::string& p) { return number.rfind(p, 0) == 0; });
}

}  // namespace

struct TrunkService::Impl {
    Impl(EventStore& s, std::string t, VoiceService& v, const TariffRegistry& tr,
         const MasterKeyring& k, std::string r)
        : store(s),
          tenant(std::move(t)),
          voice(v),
          tariffs(tr),
          keyring(k),
          realm(std::move(r)),
          loader(s, decode_trunk_event) {}

    EventStore& store;
    std::string tenant;
    VoiceService& voice;
    const TariffRegistry& tariffs;
    const MasterKeyring& keyring;
    std::string realm;
    AggregateLoader<TrunkState, TrunkEvent> loader;
    std::mutex index_mu;
    std::shared_ptr<const Index> index;

    core::Result<CommandOutcome<>> run(
        const core::DecisionContext& ctx, bool with_parties,
        const std::function<core::Result<std::vector<TrunkEvent>>(
            const TrunkState&, const DirectoryState&, const ReferenceState&)>& decide) {
        const auto stream = trunks_stream(tenant);
        auto appended =
            SY_TRY(execute_command(store, [&]() -> core::Result<std::vector<StreamWrite>> {
                auto [state, rev] = SY_TRY(loader.snapshot(stream));
                std::vector<StreamWrite> writes;
                std::vector<TrunkEvent> events;
                if (with_parties) {
                    const auto d = SY_TRY(voice.directory_snapshot());
                    const auto r = SY_TRY(voice.reference_snapshot());
                    events = SY_TRY(decide(*state, *d.state, *r.state));
                    // Decided against these revisions: a customer or codec set changed in
                    // between makes it decide again.
                    writes.push_back(
                        {directory_stream(tenant), ExpectedRevision::at(d.revision), {}});
                    writes.push_back(
                        {reference_stream(tenant), ExpectedRevision::at(r.revision), {}});
                } else {
                    events = SY_TRY(decide(*state, DirectoryState{}, ReferenceState{}));
                }
                if (events.empty()) return std::vector<StreamWrite>{};
                writes.insert(writes.begin(),
                              StreamWrite{stream, ExpectedRevision::at(rev),
                                          to_new_events(events, encode, ctx, tenant)});
                return writes;
            }));
        return outcome_of(appended);
    }

    /// The index for the current revisions of the three streams.
    core::Result<std::shared_ptr<const Index>> current_index() {
        auto [trunks, trunks_rev] = SY_TRY(loader.snapshot(trunks_stream(tenant)));
        const auto d = SY_TRY(voice.directory_snapshot());
        const auto r = SY_TRY(voice.reference_snapshot());
        std::lock_guard lock(index_mu);
        if (!index || index->trunks_rev != trunks_rev || index->directory_rev != d.revision ||
            index->reference_rev != r.revision) {
            auto fresh = build_index(*trunks, *d.state, *r.state);
            auto* mut = const_cast<Index*>(fresh.get());
            mut->trunks_rev = trunks_rev;
            mut->directory_rev = d.revision;
            mut->reference_rev = r.revision;
            index = std::move(fresh);
        }
        return index;
    }
};

TrunkService::TrunkService(EventStore& store, std::string tenant, VoiceService& voice,
                           const TariffRegistry& tariffs, const MasterKeyring& keyring,
                           std::string realm)
    : impl_(std::make_unique<Impl>(store, std::move(tenant), voice, tariffs, keyring,
                                   std::move(realm))) {}

TrunkService::~TrunkService() = default;

const std::string& TrunkService::realm() const { return impl_->realm; }

core::Result<CommandOutcome<>> TrunkService::execute(const DefineTrunk& c,
                                                     const core::DecisionContext& ctx) {
    return impl_->run(ctx, true,
                      [&](const TrunkState& s, const DirectoryState& d, const ReferenceState& r) {
                          return decide(s, d, r, c, ctx);
                      });
}

core::Result<CommandOutcome<>> TrunkService::execute(const RemoveTrunk& c,
                                                     const core::DecisionContext& ctx) {
    return impl_->run(ctx, false,
                      [&](const TrunkState& s, const DirectoryState&, const ReferenceState&) {
                          return decide(s, c, ctx);
                      });
}

core::Result<CommandOutcome<>> TrunkService::set_password(const std::string& trunk_id,
                                                          const std::string& password,
                                                          const core::DecisionContext& ctx) {
    if (password.size() < 8 || password.size() > 128 || core::has_control_chars(password) ||
        !core::is_valid_utf8(password))
        return core::fail(core::Errc::Invalid, "password", "must be 8 to 128 printable characters");
    return impl_->run(
        ctx, false, [&](const TrunkState& s, const DirectoryState&, const ReferenceState&) {
            SetTrunkPassword c;
            c.trunk_id = trunk_id;
            if (auto it = s.trunks.find(trunk_id); it != s.trunks.end()) {
                const auto& username = it->second.trunk.username;
                c.credential.username = username;
                c.credential.realm = impl_->realm;
                if (!username.empty()) {
                    auto ha1 = digest_ha1(username, impl_->realm, password);
                    c.credential.ha1_sealed =
                        impl_->keyring.seal(ha1, trunk_ha1_context(impl_->tenant, trunk_id));
                    std::fill(ha1.begin(), ha1.end(), '\0');
                }
            }
            return decide(s, c, ctx);
        });
}

core::Result<int> TrunkService::reseal_ha1s(const core::DecisionContext& ctx) {
    const auto s = SY_TRY(state());
    int resealed = 0;
    for (const auto& [id, entry] : s->trunks) {
        if (!entry.credential || impl_->keyring.sealed_with_current(entry.credential->ha1_sealed))
            continue;
        const auto context = trunk_ha1_context(impl_->tenant, id);
        auto clear = SY_TRY(impl_->keyring.open(entry.credential->ha1_sealed, context));
        SetTrunkPassword c{id, *entry.credential};
        c.credential.ha1_sealed = impl_->keyring.seal(clear, context);
        std::fill(clear.begin(), clear.end(), '\0');
        auto o = SY_TRY(impl_->run(
            ctx, false, [&](const TrunkState& st, const DirectoryState&, const ReferenceState&) {
                return decide(st, c, ctx);
            }));
        if (o.changed) ++resealed;
    }
    return resealed;
}

core::Result<std::shared_ptr<const TrunkState>> TrunkService::state() {
    auto [state, rev] = SY_TRY(impl_->loader.snapshot(trunks_stream(impl_->tenant)));
    return state;
}

core::Result<std::optional<TrunkEntry>> TrunkService::find(const std::string& trunk_id) {
    const auto s = SY_TRY(state());
    auto it = s->trunks.find(trunk_id);
    if (it == s->trunks.end()) return std::optional<TrunkEntry>{};
    return std::optional<TrunkEntry>{it->second};
}

core::Result<TrunkLimits> TrunkService::limits(const std::string& trunk_id) {
    const auto ix = SY_TRY(impl_->current_index());
    if (auto it = ix->by_id.find(trunk_id); it != ix->by_id.end())
        return TrunkLimits{it->second->trunk.channels, it->second->trunk.cps};
    return core::fail(core::Errc::NotFound, "trunk_id",
                      fmt::format("trunk '{}' does not exist", trunk_id));
}

core::Result<std::variant<TrunkMatch, CallRefusal>> TrunkService::identify(
    const CallSetup& setup) const {
    using Answer = std::variant<TrunkMatch, CallRefusal>;
    const auto ix = SY_TRY(impl_->current_index());
    const TrunkView* v = nullptr;
    if (!setup.auth_user.empty()) {
        auto it = ix->by_username.find(setup.auth_user);
        if (it == ix->by_username.end())
            return Answer{refuse(403, "Unknown trunk", "unknown_trunk")};
        v = it->second;
        // A trunk that also lists addresses takes the digest only from them.
        if (v->ip && std::none_of(v->trunk.source_ips.begin(), v->trunk.source_ips.end(),
                                  [&](const std::string& text) {
                                      std::string error;
                                      auto b = IpBlock::parse(text, error);
                                      return b && b->contains(setup.source_ip);
                                  }))
            return Answer{refuse(403, "Unknown trunk", "unknown_trunk")};
    } else {
        if (const auto source = IpAddress::parse(setup.source_ip))
            for (const auto& [block, view] : ix->by_block)
                if (block.contains(*source)) {
                    v = view;
                    break;
                }
        if (!v || v->digest) {
            if (v || ix->any_digest)
                return Answer{refuse(407, "Proxy Authentication Required", "challenge")};
            return Answer{refuse(403, "Unknown trunk", "unknown_trunk")};
        }
    }
    const auto& t = v->trunk;
    if (t.status != TrunkStatus::Active)
        return Answer{refuse(403, "Trunk disabled", "unknown_trunk")};
    if (!v->customer_active) return Answer{refuse(403, "Customer suspended", "customer_suspended")};
    if (v->codecs_checked && !setup.codecs.empty() &&
        std::none_of(setup.codecs.begin(), setup.codecs.end(),
                     [&](const std::string& c) { return v->codec_names.count(upper(c)) > 0; }))
        return Answer{refuse(488, "Not Acceptable Here", "codec_not_allowed")};

    TrunkMatch m;
    m.customer_id = t.customer_id;
    m.trunk_id = t.trunk_id;
    m.tech_prefix = t.tech_prefix;
    // The trunk's tech prefix, else the customer's.
    m.tech_prefix = t.tech_prefix.empty() ? v->customer_tech_prefix : t.tech_prefix;
    std::string_view dialled = setup.ruri_user;
    if (!m.tech_prefix.empty() && dialled.rfind(m.tech_prefix, 0) == 0)
        dialled.remove_prefix(m.tech_prefix.size());
    auto e164 = to_e164(dialled, NumberContext{v->country, {}});
    m.destination = e164 ? *e164 : plain_digits(dialled);
    if (m.destination.empty()) return Answer{refuse(404, "Not Found", "no_route")};

    const std::string caller = plain_digits(setup.from_user);
    m.caller = caller.empty() ? setup.from_user : caller;
    if (!v->cli_prefixes.empty() && !under_prefixes(caller, v->cli_prefixes)) {
        if (t.cli_policy == CliPolicy::Reject || t.default_cli.empty())
            return Answer{refuse(403, "Caller ID not allowed", "cli_not_allowed")};
        m.caller = t.default_cli;
    }
    switch (t.pai_policy) {
        case PaiPolicy::Pass:
            m.pai_user = setup.pai_user;
            break;
        case PaiPolicy::Strip:
            break;
        case PaiPolicy::Set:
            m.pai_user = t.default_cli;
            break;
    }
    m.route_group_id = v->route_group_id;
    m.currency = v->currency;
    m.sell_deck_id = v->rate_card;
    if (!v->rate_card.empty())
        if (auto version = impl_->tariffs.current(v->rate_card, setup.setup_at))
            m.sell_rating_plan = version->header.rating_plan_id;
    return Answer{std::move(m)};
}

core::Result<std::string> TrunkService::ha1(const std::string& username,
                                            const std::string& realm) const {
    const auto s = SY_TRY(impl_->loader.snapshot(trunks_stream(impl_->tenant))).first;
    auto user = s->usernames.find(username);
    if (user == s->usernames.end())
        return core::fail(core::Errc::NotFound, "username", "no trunk has this username");
    const auto& entry = s->trunks.at(user->second);
    if (!entry.credential || entry.credential->username != username)
        return core::fail(core::Errc::NotFound, "username", "the trunk has no password set");
    if (entry.credential->realm != realm)
        return core::fail(core::Errc::NotFound, "realm",
                          "the password was set for another realm; set it again");
    return impl_->keyring.open(entry.credential->ha1_sealed,
                               trunk_ha1_context(impl_->tenant, user->second));
}

}  // namespace switchyard::events::voice
