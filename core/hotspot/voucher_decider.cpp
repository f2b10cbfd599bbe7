#include "core/hotspot/voucher_decider.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "core/hotspot/account_decider.hpp"
#include "core/hotspot/catalog_decider.hpp"
#include "core/overloaded.hpp"
#include "core/text.hpp"

namespace switchyard::core::hotspot {

void evolve(BatchState& state, const BatchEvent& event) {
    auto remember = [&](const std::string& id) {
        if (!id.empty()) state.command_ids.insert(id);
    };
    std::visit(Overloaded{
                   [&](const VoucherBatchGenerated& e) {
                       state.exists = true;
                       state.batch = e.batch;
                       for (const auto& code : e.codes) state.vouchers[code] = Voucher{code};
                       remember(e.command_id);
                   },
                   [&](const VoucherRedeemed& e) {
                       auto& v = state.vouchers[e.code];
                       v.code = e.code;
                       v.state = VoucherState::Active;
                       v.username = e.username;
                       if (!e.command_id.empty()) state.redeem_commands[e.command_id] = e.code;
                       remember(e.command_id);
                   },
                   [&](const VoucherExpired& e) {
                       if (auto it = state.vouchers.find(e.code); it != state.vouchers.end())
                           it->second.state = VoucherState::Expired;
                       remember(e.command_id);
                   },
                   [&](const VoucherBatchRevoked& e) {
                       state.revoked = true;
                       for (const auto& code : e.revoked_codes)
                           if (auto it = state.vouchers.find(code); it != state.vouchers.end())
                               it->second.state = VoucherState::Revoked;
                       remember(e.command_id);
                   },
               },
               event);
}

void evolve(CodeIndexState& state, const CodeIndexEvent& event) {
    std::visit(
        Overloaded{
            [&](const VoucherCodesReserved& e) {
                for (const auto& code : e.codes) state.batch_of[code] = e.batch_id;
                if (!e.command_id.empty()) state.commands[e.command_id] = e.batch_id;
            },
        },
        event);
}

std::string canonical_voucher_code(std::string_view typed) {
    std::string out;
    out.reserve(typed.size());
    for (char ch : typed) {
        if (ch == ' ' || ch == '-' || ch == '\t') continue;
        out += (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
    }
    return out;
}

bool valid_voucher_code(std::string_view code, std::string_view prefix,
                        std::int64_t length) noexcept {
    if (length < 0 || code.size() != prefix.size() + static_cast<std::size_t>(length) ||
        code.substr(0, prefix.size()) != prefix)
        return false;
    const auto body = code.substr(prefix.size());
    return std::all_of(body.begin(), body.end(),
                       [](char ch) { return kVoucherAlphabet.find(ch) != std::string_view::npos; });
}

namespace {

bool valid_text(std::string_view s, std::size_t max) {
    return s.size() <= max && is_valid_utf8(s) && !has_control_chars(s);
}

bool valid_prefix(std::string_view p) {
    return p.size() <= 8 && std::all_of(p.begin(), p.end(), [](char ch) {
               return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
           });
}

}  // namespace

Result<GenerateDecision> decide(const CodeIndexState& index, const BatchState& batch,
                                const CatalogState& catalog, const GenerateVoucherBatch& c,
                                const DecisionContext& ctx) {
    if (c.command_id.empty() || !valid_text(c.command_id, 128))
        return fail(Errc::Invalid, "command_id", "is required (1 to 128 printable characters)");
    if (auto it = index.commands.find(c.command_id); it != index.commands.end())
        return GenerateDecision{{}, {}, it->second};
    VoucherBatch b = c.batch;
    if (!valid_hotspot_id(b.batch_id))
        return fail(Errc::Invalid, "batch_id", "must be [a-z0-9_-]{1,32}");
    if (b.count < 1 || b.count > 10'000)
        return fail(Errc::Invalid, "count",
                    fmt::format("must be 1 to 10000 vouchers, not {}", b.count));
    if (b.length < 6 || b.length > 16)
        return fail(Errc::Invalid, "length",
                    fmt::format("must be 6 to 16 characters, not {}", b.length));
    if (!valid_prefix(b.prefix))
        return fail(Errc::Invalid, "prefix", "must be 0 to 8 of A-Z and 0-9");
    if (!valid_text(b.note, 256))
        return fail(Errc::Invalid, "note", "must be at most 256 printable characters");
    if (!valid_owner_path(b.owner_path))
        return fail(Errc::Invalid, "owner_path", "must start and end with '/'");
    SY_TRY(usable_plan(catalog, b.plan_id, b.owner_path, ctx.now, "plan_id"));
    if (batch.exists)
        return fail(Errc::Conflict, "batch_id",
                    fmt::format("batch '{}' already exists", b.batch_id));
    if (c.codes.size() != static_cast<std::size_t>(b.count))
        return fail(Errc::Invalid, "codes",
                    fmt::format("{} codes were drawn for a batch of {}", c.codes.size(), b.count));
    std::set<std::string_view> seen;
    for (const auto& code : c.codes) {
        if (!valid_voucher_code(code, b.prefix, b.length))
            return fail(Errc::Invalid, "codes",
                        fmt::format("'{}' is not the prefix '{}' and {} characters of {}", code,
                                    b.prefix, b.length, kVoucherAlphabet));
        if (!seen.insert(code).second)
            return fail(Errc::Invalid, "codes", fmt::format("'{}' was drawn twice", code));
        if (index.batch_of.count(code))
            return fail(Errc::Conflict, "codes",
                        fmt::format("'{}' belongs to batch '{}'", code, index.batch_of.at(code)));
    }
    b.created_at = ctx.now;
    GenerateDecision out;
    out.batch_id = b.batch_id;
    out.batch_events.push_back(VoucherBatchGenerated{b, c.codes, c.command_id});
    out.index_events.push_back(VoucherCodesReserved{b.batch_id, c.codes, c.command_id});
    return out;
}

Result<RedeemDecision> decide(const BatchState& batch, const AccountState& account,
                              const CatalogState& catalog, const RedeemVoucher& c,
                              const DecisionContext& ctx) {
    if (!c.command_id.empty()) {
        if (auto it = batch.redeem_commands.find(c.command_id); it != batch.redeem_commands.end()) {
            const auto& v = batch.vouchers.at(it->second);
            RedeemDecision same;
            same.username = v.username;
            same.stacked = v.username != v.code;
            return same;
        }
    }
    if (!valid_text(c.command_id, 128))
        return fail(Errc::Invalid, "command_id", "must be at most 128 printable characters");
    const auto code = canonical_voucher_code(c.code);
    if (code.empty() || code.size() > 24 || !std::all_of(code.begin(), code.end(), [](char ch) {
            return (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        }))
        return fail(Errc::Invalid, "code", "must be 1 to 24 letters and digits");
    auto vit = batch.vouchers.find(code);
    if (!batch.exists || vit == batch.vouchers.end())
        return fail(Errc::NotFound, "code", fmt::format("voucher '{}' does not exist", code));
    switch (vit->second.state) {
        case VoucherState::Unused:
            break;
        case VoucherState::Revoked:
            return fail(Errc::Rejected, "code", fmt::format("voucher '{}' is revoked", code));
        case VoucherState::Active:
            return fail(Errc::Rejected, "code",
                        fmt::format("voucher '{}' is already redeemed", code));
        case VoucherState::Expired:
            return fail(Errc::Rejected, "code", fmt::format("voucher '{}' is expired", code));
    }
    const auto& b = batch.batch;
    auto pit = catalog.plans.find(b.plan_id);
    if (pit == catalog.plans.end())
        return fail(Errc::Rejected, "code",
                    fmt::format("the plan '{}' of voucher '{}' does not exist", b.plan_id, code));
    const Plan& plan = pit->second;
    // A voucher already sold keeps its plan when the plan is retired, but not past the
    // plan's validity window.
    if ((plan.valid_until && ctx.now >= *plan.valid_until) ||
        (plan.valid_from && ctx.now < *plan.valid_from))
        return fail(Errc::Rejected, "code",
                    fmt::format("voucher '{}' is expired: its plan '{}' is outside its validity",
                                code, plan.plan_id));
    RedeemDecision out;
    if (c.username.empty()) {
        if (account.exists)
            return fail(Errc::Conflict, "code",
                        fmt::format("an account named '{}' exists already", code));
        if (c.password_sealed.empty())
            return fail(Errc::Invalid, "password", "was not sealed before the decision");
        Account a;
        a.username = code;
        a.password_sealed = c.password_sealed;
        a.plan_id = plan.plan_id;
        a.service = plan.service;
        a.status = AccountStatus::Active;
        a.created_at = ctx.now;
        if (plan.duration_seconds && plan.time_from == TimeFrom::Purchase)
            a.expires_at = ctx.now + std::chrono::seconds(*plan.duration_seconds);
        a.voucher_code = code;
        a.owner_path = b.owner_path;
        out.account_events.push_back(AccountCreated{a, c.command_id});
        out.username = code;
    } else {
        if (!account.exists)
            return fail(Errc::NotFound, "username",
                        fmt::format("account '{}' does not exist", c.username));
        const auto& a = account.account;
        if (!plan.allow_stacking)
            return fail(Errc::Rejected, "code",
                        fmt::format("plan '{}' does not allow stacking a voucher onto an account",
                                    plan.plan_id));
        if (a.plan_id != plan.plan_id)
            return fail(Errc::Rejected, "code",
                        fmt::format("voucher '{}' is of plan '{}', account '{}' of plan '{}'", code,
                                    plan.plan_id, a.username, a.plan_id));
        if (a.status == AccountStatus::Disabled)
            return fail(Errc::Rejected, "code",
                        fmt::format("account '{}' is disabled", a.username));
        ExtendAccount extend{a.username,
                             plan.duration_seconds.value_or(0),
                             plan.data_limit_bytes.value_or(0),
                             plan.session_time_seconds.value_or(0),
                             code,
                             c.command_id};
        if (extend.add_seconds == 0 && extend.add_data_bytes == 0 &&
            extend.add_session_seconds == 0)
            return fail(Errc::Rejected, "code",
                        fmt::format("plan '{}' has no limit a voucher could add", plan.plan_id));
        out.account_events = SY_TRY(decide(account, extend, ctx));
        out.username = a.username;
        out.stacked = true;
    }
    out.batch_events.push_back(
        VoucherRedeemed{b.batch_id, code, out.username, out.stacked, c.command_id});
    return out;
}

Result<std::vector<BatchEvent>> decide(const BatchState& batch, const RevokeVoucherBatch& c,
                                       const DecisionContext&) {
    if (!c.command_id.empty() && batch.command_ids.count(c.command_id))
        return std::vector<BatchEvent>{};
    if (!batch.exists)
        return fail(Errc::NotFound, "batch_id",
                    fmt::format("batch '{}' does not exist", c.batch_id));
    if (!valid_text(c.reason, 256))
        return fail(Errc::Invalid, "reason", "must be at most 256 printable characters");
    if (batch.revoked) return std::vector<BatchEvent>{};
    VoucherBatchRevoked e{batch.batch.batch_id, c.reason, {}, c.command_id};
    for (const auto& [code, v] : batch.vouchers)
        if (v.state == VoucherState::Unused) e.revoked_codes.push_back(code);
    return std::vector<BatchEvent>{e};
}

Result<std::vector<BatchEvent>> decide(const BatchState& batch, const ExpireVoucher& c,
                                       const DecisionContext&) {
    if (!c.command_id.empty() && batch.command_ids.count(c.command_id))
        return std::vector<BatchEvent>{};
    const auto code = canonical_voucher_code(c.code);
    auto it = batch.vouchers.find(code);
    if (!batch.exists || it == batch.vouchers.end())
        return fail(Errc::NotFound, "code", fmt::format("voucher '{}' does not exist", code));
    if (it->second.state == VoucherState::Expired) return std::vector<BatchEvent>{};
    if (it->second.state != VoucherState::Active)
        return fail(
            Errc::Rejected, "code",
            fmt::format("voucher '{}' is {}, not active", code, to_string(it->second.state)));
    return std::vector<BatchEvent>{VoucherExpired{batch.batch.batch_id, code, c.command_id}};
}

}  // namespace switchyard::core::hotspot
