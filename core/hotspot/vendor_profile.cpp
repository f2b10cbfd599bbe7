#include "core/hotspot/vendor_profile.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

namespace switchyard::core::hotspot {

namespace {

constexpr std::int64_t kTwoTo32 = std::int64_t{1} << 32;

std::int64_t seconds_between(Timestamp from, Timestamp to) {
    return std::chrono::floor<std::chrono::seconds>(to - from).count();
}

void add_quota(std::vector<ReplyAttribute>& out, const QuotaAttributes& names, std::int64_t bytes) {
    if (names.octets.empty()) return;
    bytes = std::max<std::int64_t>(bytes, 0);
    if (names.gigawords.empty()) {
        out.push_back({names.octets, std::min(bytes, kTwoTo32 - 1)});
        return;
    }
    const auto split = split_octets(bytes);
    out.push_back({names.octets, split.octets});
    out.push_back({names.gigawords, split.gigawords});
}

}  // namespace

std::string_view speed_format_name(SpeedFormat f) noexcept {
    switch (f) {
        case SpeedFormat::None:
            return "none";
        case SpeedFormat::MikrotikRateLimit:
            return "mikrotik_rate_limit";
        case SpeedFormat::BitsPerSecond:
            return "bits_per_second";
        case SpeedFormat::KilobitsPerSecond:
            return "kilobits_per_second";
    }
    return "none";
}

bool parse_speed_format(std::string_view text, SpeedFormat& out) noexcept {
    for (auto f : {SpeedFormat::None, SpeedFormat::MikrotikRateLimit, SpeedFormat::BitsPerSecond,
                   SpeedFormat::KilobitsPerSecond}) {
        if (speed_format_name(f) == text) {
            out = f;
            return true;
        }
    }
    return false;
}

OctetsGigawords split_octets(std::int64_t bytes) noexcept {
    if (bytes <= 0) return {};
    return {bytes % kTwoTo32, bytes / kTwoTo32};
}

Remaining remaining(const Plan& plan, const Account& account, const Usage& total, Timestamp now) {
    const Usage usage = usage_since(total, account.usage_base);
    Remaining r;
    if (plan.data_limit_bytes) {
        std::int64_t used = 0;
        switch (plan.data_direction) {
            case DataDirection::Total:
                used = usage.input_bytes + usage.output_bytes;
                break;
            case DataDirection::Download:
                used = usage.output_bytes;
                break;
            case DataDirection::Upload:
                used = usage.input_bytes;
                break;
        }
        r.data_bytes = *plan.data_limit_bytes + account.extra_data_bytes - used;
    }
    if (plan.session_time_seconds) {
        r.online_seconds =
            *plan.session_time_seconds + account.extra_session_seconds - usage.online_seconds;
    }
    if (account.expires_at) {
        r.expires_at = account.expires_at;
    } else if (plan.duration_seconds) {
        const auto duration = std::chrono::seconds(*plan.duration_seconds);
        if (plan.time_from == TimeFrom::Purchase) {
            r.expires_at = account.created_at + duration;
        } else {
            r.expires_at = account.first_login_at.value_or(now) + duration;
        }
    }
    if (r.online_seconds || r.expires_at) {
        std::int64_t left = r.online_seconds.value_or(INT64_MAX);
        if (r.expires_at) left = std::min(left, seconds_between(now, *r.expires_at));
        r.seconds_left = std::max<std::int64_t>(left, 0);
    }
    return r;
}

std::optional<std::string> mikrotik_rate_limit(const Plan& plan) {
    if (!plan.download_kbps && !plan.upload_kbps) return std::nullopt;
    const auto up = plan.upload_kbps.value_or(0);
    const auto down = plan.download_kbps.value_or(0);
    auto text = fmt::format("{}k/{}k", up, down);
    const auto& b = plan.burst;
    if (b != Burst{}) {
        text +=
            fmt::format(" {}k/{}k {}k/{}k {}/{}", b.upload_kbps, b.download_kbps,
                        b.threshold_upload_kbps, b.threshold_download_kbps, b.seconds, b.seconds);
    }
    return text;
}

std::vector<ReplyAttribute> speed_attributes(const VendorProfile& profile, const Plan& plan) {
    std::vector<ReplyAttribute> out;
    switch (profile.speed_format) {
        case SpeedFormat::None:
            break;
        case SpeedFormat::MikrotikRateLimit:
            if (auto text = mikrotik_rate_limit(plan);
                text && !profile.rate_limit_attribute.empty())
                out.push_back({profile.rate_limit_attribute, *text});
            break;
        case SpeedFormat::BitsPerSecond:
        case SpeedFormat::KilobitsPerSecond: {
            const std::int64_t factor =
                profile.speed_format == SpeedFormat::BitsPerSecond ? 1000 : 1;
            if (plan.download_kbps && !profile.download_speed_attribute.empty())
                out.push_back({profile.download_speed_attribute, *plan.download_kbps * factor});
            if (plan.upload_kbps && !profile.upload_speed_attribute.empty())
                out.push_back({profile.upload_speed_attribute, *plan.upload_kbps * factor});
            break;
        }
    }
    return out;
}

std::vector<ReplyAttribute> reply_attributes(const VendorProfile& profile, const Plan& plan,
                                             const Account& account, const Usage& usage,
                                             Timestamp now) {
    auto out = speed_attributes(profile, plan);
    const auto left = remaining(plan, account, usage, now);
    if (left.data_bytes) {
        switch (plan.data_direction) {
            case DataDirection::Total:
                add_quota(out, profile.total_quota, *left.data_bytes);
                break;
            case DataDirection::Download:
                add_quota(out, profile.download_quota, *left.data_bytes);
                break;
            case DataDirection::Upload:
                add_quota(out, profile.upload_quota, *left.data_bytes);
                break;
        }
    }
    if (left.seconds_left && !profile.session_timeout_attribute.empty()) {
        out.push_back({profile.session_timeout_attribute,
                       std::clamp<std::int64_t>(*left.seconds_left, 1, kTwoTo32 - 1)});
    }
    if (plan.idle_timeout_seconds && !profile.idle_timeout_attribute.empty())
        out.push_back({profile.idle_timeout_attribute, *plan.idle_timeout_seconds});
    if (!plan.address_pool.empty() && !profile.pool_attribute.empty())
        out.push_back({profile.pool_attribute, plan.address_pool});
    if (profile.acct_interim_interval_seconds > 0)
        out.push_back({"Acct-Interim-Interval", profile.acct_interim_interval_seconds});
    return out;
}

std::vector<ReplyAttribute> expired_pool_attributes(const VendorProfile& profile,
                                                    const Plan& plan) {
    std::vector<ReplyAttribute> out;
    if (!plan.expired_pool.empty() && !profile.pool_attribute.empty())
        out.push_back({profile.pool_attribute, plan.expired_pool});
    if (profile.acct_interim_interval_seconds > 0)
        out.push_back({"Acct-Interim-Interval", profile.acct_interim_interval_seconds});
    return out;
}

}  // namespace switchyard::core::hotspot
