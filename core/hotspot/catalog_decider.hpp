#pragma once
/// Decide and evolve for a tenant's NAS devices and plans (pure; see core/hotspot/catalog.hpp).
/// Every command carries a command id: a command whose id the catalog has seen decides nothing,
/// so a retried request changes nothing.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decision_context.hpp"
#include "core/hotspot/catalog.hpp"
#include "core/result.hpp"

namespace switchyard::core::hotspot {

/// Whether a definition creates a new NAS or plan or replaces an existing one.
enum class DefineMode { Create, Update };

/// Creates or replaces a NAS. The events layer seals `secret` into `nas.secret_sealed` before
/// the decision; the decider checks the clear `secret` and never writes it to an event.
struct DefineNas {
    Nas nas;  ///< `coa_port` 0 = default_coa_port(vendor); `disabled` is kept on Update.
    /// The RADIUS shared secret in clear (RFC 2865 section 3): 8 to 128 printable ASCII
    /// characters without blanks. Required on Create; empty on Update keeps the sealed one.
    std::string secret;
    DefineMode mode = DefineMode::Create;
    std::string command_id;
};
struct DisableNas {
    std::string nas_id;
    std::string reason;  ///< At most 256 characters; may be empty.
    std::string command_id;
};
struct EnableNas {
    std::string nas_id;
    std::string command_id;
};
/// Creates or replaces a plan; `retired` is kept on Update.
struct DefinePlan {
    Plan plan;
    DefineMode mode = DefineMode::Create;
    std::string command_id;
};
struct RetirePlan {
    std::string plan_id;
    std::string command_id;
};

void evolve(CatalogState& state, const CatalogEvent& event);

/// @errors Invalid naming `nas_id` (not `[a-z0-9_-]{1,32}`), `name` (1 to 64 characters),
///         `address` (not an IPv4/IPv6 address or CIDR block), `secret` (missing on Create,
///         shorter than 8 or longer than 128, or not printable ASCII), `coa_address` (not an IP
///         address), `site`, `timezone` (not an IANA name such as `Europe/Berlin`), `owner_path`;
///         Conflict naming `nas_id` when Create finds the id taken; NotFound naming `nas_id` when
///         Update finds none; Conflict naming `address` when another NAS has the same address.
Result<std::vector<CatalogEvent>> decide(const CatalogState& s, const DefineNas& c,
                                         const DecisionContext& ctx);
/// A disabled NAS decides nothing. @errors NotFound naming `nas_id`; Invalid naming `reason`.
Result<std::vector<CatalogEvent>> decide(const CatalogState& s, const DisableNas& c,
                                         const DecisionContext& ctx);
/// An enabled NAS decides nothing. @errors NotFound naming `nas_id`.
Result<std::vector<CatalogEvent>> decide(const CatalogState& s, const EnableNas& c,
                                         const DecisionContext& ctx);
/// @errors Invalid naming `plan_id`, `name`, `duration_seconds`, `session_time_seconds`,
///         `data_limit_bytes`, `download_kbps`, `upload_kbps`, `idle_timeout_seconds` (each
///         must be positive when set), `burst.*` (see check_burst), `shared_users` (1 to 1000),
///         `valid_until` (not after `valid_from`), `price_micros` (negative), `currency` (not
///         ISO 4217), `address_pool`/`expired_pool` (not `[A-Za-z0-9_.-]{0,64}`), `owner_path`;
///         Conflict naming `plan_id` when Create finds the id taken; NotFound naming `plan_id`
///         when Update finds none.
Result<std::vector<CatalogEvent>> decide(const CatalogState& s, const DefinePlan& c,
                                         const DecisionContext& ctx);
/// A retired plan decides nothing. @errors NotFound naming `plan_id`.
Result<std::vector<CatalogEvent>> decide(const CatalogState& s, const RetirePlan& c,
                                         const DecisionContext& ctx);

/// True for a NAS, plan or batch id: `[a-z0-9_-]{1,32}`.
bool valid_hotspot_id(std::string_view id) noexcept;

/// True for an owner path: starts and ends with `/`, at most 256 printable ASCII characters.
bool valid_owner_path(std::string_view path) noexcept;

/// Checks MikroTik burst parameters against the plan's rates (RouterOS queues: a burst applies
/// when the average rate stays below `burst-threshold`, up to `burst-limit` for about
/// `burst-time`). All zero = no burst. Otherwise the plan needs both rates, each burst rate must
/// exceed its rate, each threshold must be 1 to its rate, and `seconds` 1 to 86,400.
/// @errors Invalid naming `burst.download_kbps`, `burst.upload_kbps`,
///         `burst.threshold_download_kbps`, `burst.threshold_upload_kbps` or `burst.seconds`.
/// @source MikroTik RouterOS manual, Queues: Burst.
Result<void> check_burst(const Plan& plan);

/// A price as decimal text (`2.50`, `0`, `1000`) in micro-units.
/// @errors Invalid naming `price`: empty, not a number, more than 6 decimals, negative, or
///         above 1,000,000,000.
Result<Micros> parse_price(std::string_view text);

/// The NAS a RADIUS request from `ip` (NAS-IP-Address or the packet's source) comes from: an
/// enabled NAS whose address is `ip`, else the enabled NAS whose CIDR block holds it with the
/// longest prefix. Disabled NAS never match. @returns none when no NAS matches.
std::optional<Nas> find_nas_by_address(const CatalogState& s, std::string_view ip);

}  // namespace switchyard::core::hotspot
