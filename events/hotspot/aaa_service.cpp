#include "events/hotspot/aaa_service.hpp"

#include <cctype>

#include <fmt/format.h>
#include <boost/json.hpp>

#include "core/hotspot/enforcement.hpp"

namespace switchyard::events::hotspot {

using core::hotspot::Account;
using core::hotspot::AccountStatus;
using core::hotspot::AuthorizeDecision;
using core::hotspot::AuthorizeInput;
using core::hotspot::EnforcementReason;
using core::hotspot::Nas;
using core::hotspot::Plan;
using core::hotspot::RejectReason;

bool parse_rest_action(std::string_view text, RestAction& out) noexcept {
    if (text == "authorize")
        out = RestAction::Authorize;
    else if (text == "authenticate")
        out = RestAction::Authenticate;
    else if (text == "post-auth")
        out = RestAction::PostAuth;
    else if (text == "accounting")
        out = RestAction::Accounting;
    else
        return false;
    return true;
}

RestAnswer bad_request_answer(const core::Error& error) {
    boost::json::object body;
    body["error"] = core::to_string(error.code);
    body["field"] = error.field;
    body["message"] = error.message;
    return {400, boost::json::serialize(body)};
}

namespace {

RestAnswer reject(std::string_view message) {
    return {401, write_rlm_rest_reply({{"Reply-Message", std::string(message)}}, {})};
}

}  // namespace

/// What decide() found, kept for post-auth.
struct AaaService::Lookup {
    std::optional<Nas> nas;
    std::optional<core::hotspot::AccountState> account;
    std::optional<Plan> plan;
    /// The unused voucher whose code is the User-Name (its first login): post-auth redeems it.
    std::string voucher_code;
};

AaaService::AaaService(HotspotService& hotspot, SessionService& sessions,
                       const VendorProfiles& profiles)
    : hotspot_(hotspot), sessions_(sessions), profiles_(profiles) {}

core::Result<void> AaaService::start() {
    const auto catalog = SY_TRY(hotspot_.catalog());
    std::vector<std::string> ids;
    for (const auto& [id, nas] : catalog.nas) ids.push_back(id);
    return sessions_.preload(ids);
}

std::optional<AuthorizeDecision> AaaService::voucher_first_login(const AccessRequest& request,
                                                                 core::Timestamp now, Lookup& found,
                                                                 AuthorizeInput& in) {
    // No account has this name: it may be an unused voucher's code, typed as username and
    // password into the portal (docs/hotspot-portal.md). It is authorized as the account its
    // redemption would make; post-auth redeems it once the Access-Accept has gone out.
    core::DecisionContext ctx;
    ctx.now = now;
    auto preview = hotspot_.voucher_account_preview(request.username, ctx);
    if (!preview) {
        if (preview.error().code == core::Errc::NotFound) return std::nullopt;  // unknown user
        AuthorizeDecision refused;
        refused.reason = preview.error().message.find("expired") != std::string::npos
                             ? RejectReason::Expired
                             : RejectReason::Disabled;
        // The decider's words name the state: "voucher 'HT7K...' is revoked" / "is expired" /
        // "is already redeemed" / the plan's window.
        auto text = preview.error().message;
        if (!text.empty()) text[0] = static_cast<char>(std::toupper(text[0]));
        refused.reply_message = text + ".";
        return refused;
    }
    found.account = std::move(*preview);
    found.voucher_code = found.account->account.voucher_code;
    in.account = &found.account->account;
    if (auto plan = hotspot_.plan(found.account->account.plan_id)) {
        found.plan = std::move(*plan);
        in.plan = &*found.plan;
    }
    // The voucher's password is its code; the NAS sends the code as the guest typed it.
    in.cleartext_password = request.username;
    return std::nullopt;
}

AuthorizeDecision AaaService::decide(const AccessRequest& request, bool have_nas_ip,
                                     core::Timestamp now, Lookup& found) {
    AuthorizeInput in;
    in.now = now;
    in.calling_station_id = request.calling_station_id;
    if (have_nas_ip) {
        if (auto nas = hotspot_.nas_by_address(request.nas_ip)) found.nas = std::move(*nas);
    } else {
        // A GET from a stock configuration carries no body: FreeRADIUS authenticated the NAS
        // by its client entry; answer with the generic vendor's attributes.
        found.nas = Nas{};
        found.nas->nas_id = "";
        found.nas->vendor = core::hotspot::Vendor::Generic;
    }
    const core::hotspot::VendorProfile* profile = nullptr;
    if (found.nas) {
        profile = profiles_.find(core::hotspot::to_string(found.nas->vendor));
        if (profile == nullptr) profile = profiles_.find("generic");
        if (profile != nullptr) in.nas = &*found.nas;
    }
    in.profile = profile;
    if (auto st = hotspot_.account_state(request.username); st && st->first.exists) {
        found.account = std::move(st->first);
        in.account = &found.account->account;
        if (auto plan = hotspot_.plan(found.account->account.plan_id)) {
            found.plan = std::move(*plan);
            in.plan = &*found.plan;
        }
        if (auto pw = hotspot_.account_password(request.username))
            in.cleartext_password = std::move(*pw);
        const auto u = sessions_.usage(request.username);
        in.usage = u.usage;
        in.active_sessions = u.active_sessions;
    } else if (auto refused = voucher_first_login(request, now, found, in)) {
        return *refused;
    }
    auto decision = core::hotspot::authorize(in);
    // An exhausted account (marked by accounting) is refused even when its counters were
    // reset by a plan change that the totals do not see.
    if (decision.accept && !decision.expired_pool && found.account && found.account->exhausted &&
        found.account->account.status == AccountStatus::Exhausted) {
        decision.accept = false;
        decision.reason = RejectReason::QuotaUsed;
        decision.reply_message = std::string(core::hotspot::reject_message(decision.reason));
        decision.reply.clear();
        decision.cleartext_password.clear();
    }
    return decision;
}

AaaAnswer AaaService::handle(RestAction action, std::string_view body, std::string_view path_user,
                             const core::DecisionContext& ctx) {
    AaaAnswer out;
    const bool no_body = body.find_first_not_of(" \t\r\n") == std::string_view::npos;
    RestRequest request;
    if (no_body) {
        if (action != RestAction::Authorize) {
            out.answer = bad_request_answer(
                {core::Errc::Invalid, "body", "rlm_rest must send the attributes (body = json)"});
            return out;
        }
        if (path_user.empty()) {
            out.answer = bad_request_answer(
                {core::Errc::Invalid, "User-Name", "the URI carries no User-Name"});
            return out;
        }
        request.add("User-Name", RestAttribute{"string", {std::string(path_user)}});
    } else {
        auto parsed = parse_rlm_rest_request(body);
        if (!parsed) {
            out.answer = bad_request_answer(parsed.error());
            return out;
        }
        request = std::move(*parsed);
    }
    if (action == RestAction::Accounting) return accounting(request, ctx);

    auto access = access_request(request);
    if (!access) {
        out.answer = bad_request_answer(access.error());
        return out;
    }
    const bool have_nas_ip = !no_body;
    Lookup found;
    out.decision = decide(*access, have_nas_ip, ctx.now, found);
    switch (action) {
        case RestAction::Authorize:
            out.answer = authorize_answer(out.decision);
            break;
        case RestAction::Authenticate:
            if (!out.decision.accept)
                out.answer = reject(out.decision.reply_message);
            else
                out.answer = authenticate_answer(core::hotspot::password_matches(
                    access->user_password, out.decision.cleartext_password));
            break;
        case RestAction::PostAuth:
            // The Access-Accept went out: a first login under a `first_login` plan starts the
            // clock now. Failures here must not turn the accept into a reject: 204 always.
            if (out.decision.accept && !found.voucher_code.empty()) {
                // A voucher's first login: redeem it now (the command id makes a retransmitted
                // post-auth, or a second NAS racing this one, redeem it once).
                core::hotspot::RedeemVoucher c{found.voucher_code, "", "",
                                               "radius-redeem:" + found.voucher_code};
                (void)hotspot_.execute(c, ctx);
            }
            if (out.decision.accept && out.decision.first_login) {
                // The decider ignores it once first_login_at is set (a retransmitted post-auth).
                core::hotspot::RecordFirstLogin c{access->username, ctx.now,
                                                  fmt::format("first-login:{}:{}", access->username,
                                                              ctx.now.time_since_epoch().count())};
                (void)hotspot_.execute(c, ctx);
            }
            out.answer = {204, ""};
            break;
        case RestAction::Accounting:
            break;
    }
    return out;
}

AaaAnswer AaaService::accounting(const RestRequest& request, const core::DecisionContext& ctx) {
    AaaAnswer out;
    const auto nas_ip = request.text("NAS-IP-Address").empty() ? request.text("NAS-IPv6-Address")
                                                               : request.text("NAS-IP-Address");
    if (nas_ip.empty()) {
        out.answer = bad_request_answer(
            {core::Errc::Invalid, "NAS-IP-Address", "the request carries no NAS-IP-Address"});
        return out;
    }
    auto nas = hotspot_.nas_by_address(nas_ip);
    if (!nas) {
        out.answer = reject(core::hotspot::reject_message(RejectReason::UnknownNas));
        return out;
    }
    auto acct = accounting_request(request, nas->nas_id, ctx.now);
    if (!acct) {
        out.answer = bad_request_answer(acct.error());
        return out;
    }
    auto applied = sessions_.apply(*acct, ctx);
    if (!applied) {
        out.answer = accounting_answer(tl::unexpected(applied.error()));
        return out;
    }
    out.accounting = std::move(*applied);
    out.answer = {204, ""};
    // A crossing found from the counters: record it once, the enforcement worker cuts.
    for (const auto& username : out.accounting.usernames) {
        auto st = hotspot_.account_state(username);
        if (!st || !st->first.exists) continue;
        const auto& state = st->first;
        const auto& account = state.account;
        if (account.status != AccountStatus::Active) continue;
        auto plan = hotspot_.plan(account.plan_id);
        if (!plan) continue;
        const auto usage = sessions_.usage(username).usage;
        const auto crossed = core::hotspot::limit_crossed(*plan, account, usage, ctx.now);
        if (!crossed) continue;
        const auto mark = fmt::format("acct:{}:{}:{}:{}", username, usage.input_bytes,
                                      usage.output_bytes, usage.online_seconds);
        switch (*crossed) {
            case EnforcementReason::DataUsed:
                (void)hotspot_.execute(
                    core::hotspot::MarkExhausted{username, core::hotspot::ExhaustedLimit::Data,
                                                 "exhausted:" + mark},
                    ctx);
                break;
            case EnforcementReason::TimeUsed:
                (void)hotspot_.execute(
                    core::hotspot::MarkExhausted{
                        username, core::hotspot::ExhaustedLimit::SessionTime, "exhausted:" + mark},
                    ctx);
                break;
            case EnforcementReason::Expired:
                (void)hotspot_.execute(core::hotspot::ExpireAccount{username, "expired:" + mark},
                                       ctx);
                break;
            default:
                continue;
        }
        out.crossed.emplace_back(core::hotspot::enforcement_reason_name(*crossed));
    }
    return out;
}

}  // namespace switchyard::events::hotspot
