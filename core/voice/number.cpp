#include "core/voice/number.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

namespace switchyard::core::voice {

namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

/// Digits of `s`, keeping a leading `+`; separators dropped. Empty when another character
/// appears.
std::string clean(std::string_view s, bool& ok) {
    std::string out;
    ok = true;
    for (char c : s) {
        if (c >= '0' && c <= '9') {
            out.push_back(c);
        } else if (c == '+' && out.empty()) {
            out.push_back(c);
        } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '\t') {
            continue;
        } else {
            ok = false;
            return {};
        }
    }
    return out;
}

/// Parses `text` for `region`; the number when valid (or merely possible with `possible_ok`).
bool try_parse(const PhoneNumberUtil& util, const std::string& text, const std::string& region,
               bool possible_ok, PhoneNumber& out) {
    PhoneNumber n;
    if (util.Parse(text, region, &n) != PhoneNumberUtil::NO_PARSING_ERROR) return false;
    if (util.IsValidNumber(n) || (possible_ok && util.IsPossibleNumber(n))) {
        out = n;
        return true;
    }
    return false;
}

/// Learned rewrites (see to_e164): key = region, leading digits and length; value = how many
/// leading digits to strip and what to put in front.
struct Rewrite {
    std::size_t strip = 0;
    std::string prepend;
};

class RewriteCache {
  public:
    std::optional<Rewrite> find(const std::string& key) const {
        std::shared_lock lock(mu_);
        auto it = map_.find(key);
        if (it == map_.end()) return std::nullopt;
        return it->second;
    }
    void add(std::string key, Rewrite r) {
        std::unique_lock lock(mu_);
        if (map_.size() >= 100'000) map_.clear();  // Bounded; relearned on demand.
        map_.emplace(std::move(key), std::move(r));
    }

  private:
    mutable std::shared_mutex mu_;
    std::unordered_map<std::string, Rewrite> map_;
};

RewriteCache& rewrites() {
    static RewriteCache cache;
    return cache;
}

/// The cache key of `digits` dialled in `region` once `strip` leading digits are known to be
/// rewritten: the region, the stripped digits and the next two, and the length.
std::string rewrite_key(const std::string& region, const std::string& digits, std::size_t strip) {
    return region + '|' + digits.substr(0, std::min(digits.size(), strip + 2)) + '|' +
           std::to_string(digits.size());
}

}  // namespace

Result<std::string> to_e164(std::string_view dialled, const NumberContext& ctx) {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    std::string_view rest = dialled;
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\t')) rest.remove_prefix(1);
    // The longest tech prefix that starts the dialled string.
    std::size_t strip = 0;
    for (const auto& p : ctx.tech_prefixes)
        if (!p.empty() && p.size() > strip && rest.substr(0, p.size()) == p) strip = p.size();
    rest.remove_prefix(strip);
    bool ok = false;
    const std::string digits = clean(rest, ok);
    if (!ok || digits.empty() || digits == "+")
        return fail(Errc::Invalid, "dialled",
                    "'" + std::string(dialled) + "' is not a dialable number.");
    std::string region = ctx.country;
    std::transform(region.begin(), region.end(), region.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const bool international = digits.front() == '+';
    if (!international && util.GetCountryCodeForRegion(region) == 0)
        return fail(Errc::Invalid, "country",
                    "'" + ctx.country + "' is not an ISO 3166 country libphonenumber knows.");

    // A number dialled like an earlier one (same region, same digits up to two past the part
    // rewritten, same length) is rewritten the same way without asking libphonenumber again:
    // parsing costs tens of microseconds, a CDR file repeats a few shapes millions of times.
    if (!international) {
        for (std::size_t strip = 0; strip <= 4 && strip < digits.size(); ++strip) {
            if (auto r = rewrites().find(rewrite_key(region, digits, strip));
                r && r->strip == strip)
                return r->prepend + digits.substr(strip);
        }
    }
    PhoneNumber n;
    bool found = false;
    if (international) {
        found = try_parse(util, digits, "ZZ", true, n);
    } else {
        // 1. As dialled in the country (national prefix, international prefix, or the
        //    country code without +), valid numbers only; 2. as international digits;
        //    3. the looser "possible" check, national then international.
        found = try_parse(util, digits, region, false, n) ||
                try_parse(util, "+" + digits, "ZZ", false, n) ||
                try_parse(util, digits, region, true, n) ||
                try_parse(util, "+" + digits, "ZZ", true, n);
    }
    if (!found)
        return fail(Errc::Invalid, "dialled",
                    "'" + std::string(dialled) + "' is not a possible number when dialled from " +
                        region + ".");
    std::string e164;
    util.Format(n, PhoneNumberUtil::E164, &e164);
    if (!e164.empty() && e164.front() == '+') e164.erase(0, 1);
    if (!international) {
        // Learn the rewrite: the longest common tail of the dialled digits and the result.
        std::size_t tail = 0;
        while (tail < digits.size() && tail < e164.size() &&
               digits[digits.size() - 1 - tail] == e164[e164.size() - 1 - tail])
            ++tail;
        const std::size_t strip = digits.size() - tail;
        if (strip <= 4 && tail >= 4)
            rewrites().add(rewrite_key(region, digits, strip),
                           Rewrite{strip, e164.substr(0, e164.size() - tail)});
    }
    return e164;
}

NumberType classify_e164(std::string_view e164) {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    if (e164.empty() ||
        !std::all_of(e164.begin(), e164.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return NumberType::Unknown;
    PhoneNumber n;
    if (util.Parse("+" + std::string(e164), "ZZ", &n) != PhoneNumberUtil::NO_PARSING_ERROR ||
        !util.IsValidNumber(n))
        return NumberType::Unknown;
    switch (util.GetNumberType(n)) {
        case PhoneNumberUtil::FIXED_LINE:
            return NumberType::FixedLine;
        case PhoneNumberUtil::MOBILE:
            return NumberType::Mobile;
        case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
            return NumberType::FixedLineOrMobile;
        case PhoneNumberUtil::TOLL_FREE:
            return NumberType::TollFree;
        case PhoneNumberUtil::PREMIUM_RATE:
            return NumberType::PremiumRate;
        case PhoneNumberUtil::SHARED_COST:
            return NumberType::SharedCost;
        case PhoneNumberUtil::VOIP:
            return NumberType::Voip;
        case PhoneNumberUtil::PERSONAL_NUMBER:
            return NumberType::PersonalNumber;
        case PhoneNumberUtil::PAGER:
            return NumberType::Pager;
        case PhoneNumberUtil::UAN:
            return NumberType::Uan;
        case PhoneNumberUtil::VOICEMAIL:
            return NumberType::Voicemail;
        case PhoneNumberUtil::UNKNOWN:
            return NumberType::Unknown;
    }
    return NumberType::Unknown;
}

const char* to_string(NumberType type) noexcept {
    switch (type) {
        case NumberType::FixedLine:
            return "fixed";
        case NumberType::Mobile:
            return "mobile";
        case NumberType::FixedLineOrMobile:
            return "fixed_or_mobile";
        case NumberType::TollFree:
            return "toll_free";
        case NumberType::PremiumRate:
            return "premium_rate";
        case NumberType::SharedCost:
            return "shared_cost";
        case NumberType::Voip:
            return "voip";
        case NumberType::PersonalNumber:
            return "personal";
        case NumberType::Pager:
            return "pager";
        case NumberType::Uan:
            return "uan";
        case NumberType::Voicemail:
            return "voicemail";
        case NumberType::Unknown:
            return "unknown";
    }
    return "unknown";
}

}  // namespace switchyard::core::voice
