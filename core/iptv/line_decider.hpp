#pragma once
/// Decide and evolve for IPTV lines (pure; see core/iptv/line.hpp).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/decision_context.hpp"
#include "core/iptv/catalogue.hpp"
#include "core/iptv/line.hpp"
#include "core/result.hpp"

namespace switchyard::core::iptv {

/// Length of a generated line password (URL-safe base64 characters). At least 12 by the rules.
inline constexpr std::size_t kGeneratedPasswordLength = 16;

struct CreateLine {
    std::string command_id;  ///< Idempotency key of the request.
    std::string username;    ///< 3 to 64 of `A-Z a-z 0-9 . _ - @`; unique per tenant, any case.
    std::optional<std::string>
        password;  ///< 8 to 64 URL-path-safe characters; generated if absent.
    LineSettings settings;
    std::string owner_path = "/";  ///< The creator's scope (set by the server, not the client).
};
/// Changes settings; unset fields keep their value.
struct UpdateLine {
    std::int64_t line_id{};
    std::optional<LineStatus> status;
    std::optional<std::optional<std::int64_t>>
        exp_date;  ///< Set to nullopt-inside = never expires.
    std::optional<std::int64_t> max_connections;
    std::optional<bool> is_trial;
    std::optional<std::vector<std::string>> allowed_output_formats;
    std::optional<std::vector<std::int64_t>> bouquets;
    std::optional<std::int64_t> signed_url_ttl_s;
    std::optional<std::string> password;
};
struct DeleteLine {
    std::int64_t line_id{};
};

/// What a line command decided: events for the registry and for the line, the line id, and the
/// password in clear when the command set or generated one (to show once; never stored).
struct LineDecision {
    std::vector<LineRegistryEvent> registry_events;
    std::vector<LineEvent> line_events;
    std::int64_t line_id = 0;
    std::optional<std::string> password;
};

void evolve(LineRegistryState& state, const LineRegistryEvent& event);
void evolve(LineState& state, const LineEvent& event);

/// Creates a line. A retry with the same `command_id` yields no events and the same line id.
/// @errors Invalid naming a malformed field; Conflict when the username is taken; NotFound when a
///         bouquet does not exist in `catalogue`.
Result<LineDecision> decide(const LineRegistryState& registry, const CatalogueState& catalogue,
                            const CreateLine& c, const DecisionContext& ctx);
/// @errors NotFound for an unknown or deleted line; Invalid / NotFound as for CreateLine.
Result<LineDecision> decide(const LineState& line, const CatalogueState& catalogue,
                            const UpdateLine& c, const DecisionContext& ctx);
/// Deleting a deleted line is a no-op. @errors NotFound for a line that never existed.
Result<LineDecision> decide(const LineState& line, const DeleteLine& c, const DecisionContext& ctx);

/// `settings` with the changes `c` names (its unset fields keep their value); the password is
/// not a setting. UpdateLine's decision starts from this; the API builds a new line's settings
/// from the defaults with it.
LineSettings with_changes(LineSettings settings, const UpdateLine& c);

/// True when the line may use the service at `now`: active and not past `exp_date`.
bool line_usable(const LineSettings& settings, Timestamp now);

/// Whether the line may receive streams in `format` (the Xtream `output` of `get.php`, the
/// extension of `/live/...`): it must be one of `settings.allowed_output_formats`, compared
/// exactly (`TS` is not `ts`).
/// @errors Forbidden naming `output` ("this line may not use the <format> output") otherwise.
Result<void> check_output_allowed(const LineSettings& settings, std::string_view format);

}  // namespace switchyard::core::iptv
