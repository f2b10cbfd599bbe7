#pragma once
/// Customer SIP trunks: the commands that manage them (`voice_trunks-<tenant>`, decided by
/// core/voice/trunk_decider.hpp against the voice directory and reference data) and the
/// `TrunkDirectory` of the call path (core/voice/call_path.hpp): which trunk an INVITE came
/// from, and the HA1 Kamailio verifies a digest with.
///
/// identify() runs on every call. It keeps an in-memory index (address blocks longest first,
/// digest usernames, each trunk's customer terms, codec names) built from one revision of the
/// trunk stream, the directory and the reference data, and rebuilds it only when one of them
/// moved (three cached stream reads per call, no copies).
///
/// Digest passwords are never stored nor logged: set_password() computes HA1 =
/// lowercase hex MD5(`username:realm:password`) (RFC 2617 §3.2.2.2, OpenSSL EVP) for the
/// service's realm, seals it under the master key bound to the tenant and trunk
/// (events/secret_box.hpp) and records only the sealed text. ha1() opens it for the realm it was
/// made for. A realm change (a new `--sip-realm`) needs a new password for every digest trunk.

#include <memory>
#include <optional>
#include <string>

#include "core/decision_context.hpp"
#include "core/result.hpp"
#include "core/voice/call_path.hpp"
#include "core/voice/trunk_decider.hpp"
#include "events/command_handler.hpp"
#include "events/event_store.hpp"
#include "events/secret_box.hpp"
#include "events/voice/tariff_registry.hpp"
#include "events/voice/voice_service.hpp"

namespace switchyard::events::voice {

/// Lowercase hex MD5 of `username:realm:password` (RFC 2617 §3.2.2.2 HA1 for `MD5`).
/// RFC 2617 §3.5: `Mufasa`, `testrealm@host.com`, `Circle Of Life` give
/// `939e7578ed9e3c518a452acee763bce9`.
std::string digest_ha1(std::string_view username, std::string_view realm,
                       std::string_view password);

/// The sealing context of a trunk's HA1: it opens only for that tenant and trunk.
std::string trunk_ha1_context(const std::string& tenant, const std::string& trunk_id);

/// The limits a trunk adds to its customer's (0 = only the customer's).
struct TrunkLimits {
    std::int64_t channels = 0;
    std::int64_t cps = 0;
};

/// Trunk commands and the call path's trunk directory of one tenant.
/// @thread safe: commands and reads from any thread.
class TrunkService : public core::voice::TrunkDirectory {
  public:
    /// @param voice the directory and reference data trunks are decided against and whose
    ///        customers, assignments (route group, rate card, codec set) identify() reads.
    /// @param tariffs finds the rate card's rating plan at the call's setup time.
    /// @param keyring seals the HA1s. @param realm the SIP digest realm Kamailio challenges with
    ///        (its `auth` domain). All must outlive the service.
    TrunkService(EventStore& store, std::string tenant, VoiceService& voice,
                 const TariffRegistry& tariffs, const MasterKeyring& keyring, std::string realm);
    ~TrunkService() override;

    /// Creates or replaces a trunk. Errors as core/voice/trunk_decider.hpp, and the store's.
    core::Result<CommandOutcome<>> execute(const core::voice::DefineTrunk& c,
                                           const core::DecisionContext& ctx);
    /// Removes a trunk. Errors as core/voice/trunk_decider.hpp, and the store's.
    core::Result<CommandOutcome<>> execute(const core::voice::RemoveTrunk& c,
                                           const core::DecisionContext& ctx);
    /// Sets a digest trunk's password: records its HA1 for realm(), sealed. The password is
    /// not kept, logged nor written anywhere.
    /// @errors Invalid naming `password` when shorter than 8 or longer than 128 characters or
    ///         with control characters; as core/voice/trunk_decider.hpp (SetTrunkPassword).
    core::Result<CommandOutcome<>> set_password(const std::string& trunk_id,
                                                const std::string& password,
                                                const core::DecisionContext& ctx);

    /// Seals again every HA1 sealed under an older master key (master key rotation), one
    /// `voice.trunk.password_set` each with the same username and realm. @returns how many.
    /// @errors the store's; Invalid naming `sealed` when one cannot be opened (retired key).
    core::Result<int> reseal_ha1s(const core::DecisionContext& ctx);

    /// Every trunk as the log has it. @errors the store's; Invalid for an undecodable event.
    core::Result<std::shared_ptr<const core::voice::TrunkState>> state();
    /// One trunk; none when it does not exist. @errors as state().
    core::Result<std::optional<core::voice::TrunkEntry>> find(const std::string& trunk_id);
    /// A trunk's own channel and CPS limits (admission). @errors NotFound naming `trunk_id`.
    core::Result<TrunkLimits> limits(const std::string& trunk_id);

    /// The realm the HA1s are made for.
    const std::string& realm() const;

    /// core::voice::TrunkDirectory (see call_path.hpp). Refusals: no trunk matches (by digest
    /// username, else by the longest source block of an IP trunk) -> 403 `unknown_trunk`;
    /// no match by address while the tenant has digest trunks, or an address match on a trunk
    /// that also needs a digest, without `auth_user` -> `challenge` (407); a disabled trunk ->
    /// 403 `unknown_trunk`; a suspended customer -> 403 `customer_suspended`; offered codecs
    /// that share none with the trunk's (else the customer's) codec set -> 488
    /// `codec_not_allowed`; a CLI outside the trunk's ranges with policy `reject` -> 403
    /// `cli_not_allowed`; a dialled number that is no E.164 number -> 404 `no_route`.
    /// @errors the store's.
    core::Result<std::variant<core::voice::TrunkMatch, core::voice::CallRefusal>> identify(
        const core::voice::CallSetup& setup) const override;
    /// @errors NotFound naming `username` for an unknown username or one without a password,
    ///         `realm` for another realm than the one the HA1 was made for; Invalid naming
    ///         `sealed` when it cannot be opened (retired master key).
    core::Result<std::string> ha1(const std::string& username,
                                  const std::string& realm) const override;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace switchyard::events::voice
