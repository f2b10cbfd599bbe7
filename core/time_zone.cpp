#include "core/time_zone.hpp"

#include <algorithm>
#include <optional>

namespace switchyard::core {

namespace {

std::int64_t be(std::string_view b, std::size_t at, int n) {
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
    if (n == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return static_cast<std::int64_t>(v);
}

struct Header {
    std::int64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
    std::size_t block(int time_size) const {
        return static_cast<std::size_t>(timecnt * time_size + timecnt + typecnt * 6 + charcnt +
                                        leapcnt * (time_size + 4) + isstdcnt + isutcnt);
    }
};

std::optional<Header> header_at(std::string_view b, std::size_t at) {
    if (b.size() < at + 44 || b.substr(at, 4) != "TZif") return std::nullopt;
    Header h{be(b, at + 20, 4), be(b, at + 24, 4), be(b, at + 28, 4),
             be(b, at + 32, 4), be(b, at + 36, 4), be(b, at + 40, 4)};
    if (h.isutcnt < 0 || h.isstdcnt < 0 || h.leapcnt < 0 || h.timecnt < 0 || h.typecnt < 1 ||
        h.charcnt < 0)
        return std::nullopt;
    return h;
}

/// A POSIX TZ rule `STDoff[DST[off][,Mm.w.d[/time],Mm.w.d[/time]]]`.
struct PosixRule {
    std::int32_t std_offset = 0;  ///< East positive (POSIX writes west positive).
    bool has_dst = false;
    std::int32_t dst_offset = 0;
    int start_month = 0, start_week = 0, start_day = 0, end_month = 0, end_week = 0, end_day = 0;
    std::int32_t start_time = 7200, end_time = 7200;  ///< Local seconds after midnight.
};

struct Reader {
    std::string_view s;
    std::size_t i = 0;
    bool name() {
        if (i < s.size() && s[i] == '<') {
            const auto end = s.find('>', i);
            if (end == std::string_view::npos) return false;
            i = end + 1;
            return true;
        }
        const auto start = i;
        while (i < s.size() && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) ++i;
        return i - start >= 3;
    }
    std::optional<std::int32_t> number() {
        std::int32_t v = 0;
        const auto start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
        if (i == start) return std::nullopt;
        return v;
    }
    /// `[+-]hh[:mm[:ss]]` in seconds.
    std::optional<std::int32_t> time() {
        int sign = 1;
        if (i < s.size() && (s[i] == '+' || s[i] == '-')) sign = s[i++] == '-' ? -1 : 1;
        auto h = number();
        if (!h) return std::nullopt;
        std::int32_t v = *h * 3600;
        for (int k = 0; k < 2 && i < s.size() && s[i] == ':'; ++k) {
            ++i;
            auto p = number();
            if (!p) return std::nullopt;
            v += k == 0 ? *p * 60 : *p;
        }
        return sign * v;
    }
    bool date(int& m, int& w, int& d, std::int32_t& t) {
        if (i >= s.size() || s[i] != 'M') return false;
        ++i;
        auto mm = number();
        if (!mm || i >= s.size() || s[i++] != '.') return false;
        auto ww = number();
        if (!ww || i >= s.size() || s[i++] != '.') return false;
        auto dd = number();
        if (!dd) return false;
        m = *mm, w = *ww, d = *dd;
        if (i < s.size() && s[i] == '/') {
            ++i;
            auto tt = time();
            if (!tt) return false;
            t = *tt;
        }
        return m >= 1 && m <= 12 && w >= 1 && w <= 5 && d >= 0 && d <= 6;
    }
};

std::optional<PosixRule> parse_posix(std::string_view text) {
    Reader r{text};
    PosixRule p;
    if (!r.name()) return std::nullopt;
    auto off = r.time();
    if (!off) return std::nullopt;
    p.std_offset = -*off;
    if (r.i == text.size()) return p;
    if (!r.name()) return std::nullopt;
    p.has_dst = true;
    p.dst_offset = p.std_offset + 3600;
    if (r.i < text.size() && text[r.i] != ',') {
        auto d = r.time();
        if (!d) return std::nullopt;
        p.dst_offset = -*d;
    }
    if (r.i >= text.size() || text[r.i++] != ',') return std::nullopt;
    if (!r.date(p.start_month, p.start_week, p.start_day, p.start_time)) return std::nullopt;
    if (r.i >= text.size() || text[r.i++] != ',') return std::nullopt;
    if (!r.date(p.end_month, p.end_week, p.end_day, p.end_time)) return std::nullopt;
    if (r.i != text.size()) return std::nullopt;
    return p;
}

/// Unix seconds of local midnight (as if UTC) of day `d` (0 = Sunday) of week `w` (5 = last)
/// of `month` in `year`.
std::int64_t rule_day(int year, int month, int w, int d) {
    using namespace std::chrono;
    const auto first = sys_days(std::chrono::year(year) / std::chrono::month(month) / 1);
    const int first_wd = static_cast<int>(weekday(first).c_encoding());
    int day = 1 + (d - first_wd + 7) % 7 + (w - 1) * 7;
    const int month_days = static_cast<int>(
        unsigned((std::chrono::year(year) / std::chrono::month(month) / std::chrono::last).day()));
    while (day > month_days) day -= 7;
    return duration_cast<seconds>((first + days(day - 1)).time_since_epoch()).count();
}

std::int32_t posix_offset(const PosixRule& p, std::int64_t t) {
    if (!p.has_dst) return p.std_offset;
    using namespace std::chrono;
    const auto ymd = year_month_day(floor<days>(sys_seconds(seconds(t + p.std_offset))));
    const int y = static_cast<int>(ymd.year());
    // DST starts at start_time local standard time, ends at end_time local daylight time.
    const auto start =
        rule_day(y, p.start_month, p.start_week, p.start_day) + p.start_time - p.std_offset;
    const auto end = rule_day(y, p.end_month, p.end_week, p.end_day) + p.end_time - p.dst_offset;
    const bool in_dst = start < end ? (t >= start && t < end) : !(t >= end && t < start);
    return in_dst ? p.dst_offset : p.std_offset;
}

}  // namespace

std::chrono::seconds TimeZone::offset_at(Timestamp t) const {
    const auto s = unix_seconds(t);
    if (transitions_.empty() || s >= transitions_.back()) {
        if (!footer_.empty())
            if (auto p = parse_posix(footer_)) return std::chrono::seconds(posix_offset(*p, s));
        return std::chrono::seconds(offsets_after_.empty() ? offset_before_
                                                           : offsets_after_.back());
    }
    const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), s);
    if (it == transitions_.begin()) return std::chrono::seconds(offset_before_);
    return std::chrono::seconds(
        offsets_after_[static_cast<std::size_t>(std::distance(transitions_.begin(), it) - 1)]);
}

Result<TimeZone> parse_tzif(std::string_view b) {
    auto bad = [](const char* why) { return fail(Errc::Invalid, "timezone", why); };
    auto h = header_at(b, 0);
    if (!h) return bad("not a TZif file (RFC 8536)");
    const char version = b[4];
    std::size_t at = 44;
    int time_size = 4;
    if (version >= '2') {
        at += h->block(4);
        h = header_at(b, at);
        if (!h) return bad("the TZif file's second header is missing");
        at += 44;
        time_size = 8;
    }
    if (b.size() < at + h->block(time_size)) return bad("the TZif file is cut short");
    const auto n = static_cast<std::size_t>(h->timecnt);
    const auto types_at = at + n * time_size + n;
    std::vector<std::int32_t> type_offsets;
    for (std::int64_t k = 0; k < h->typecnt; ++k)
        type_offsets.push_back(
            static_cast<std::int32_t>(be(b, types_at + static_cast<std::size_t>(k) * 6, 4)));
    TimeZone z;
    for (std::size_t k = 0; k < n; ++k) {
        z.transitions_.push_back(be(b, at + k * time_size, time_size));
        const auto type = static_cast<unsigned char>(b[at + n * time_size + k]);
        if (type >= type_offsets.size()) return bad("a TZif transition names no type");
        z.offsets_after_.push_back(type_offsets[type]);
    }
    z.offset_before_ = type_offsets[0];
    if (version >= '2') {
        const auto footer_at = at + h->block(time_size);
        if (footer_at < b.size() && b[footer_at] == '\n') {
            const auto end = b.find('\n', footer_at + 1);
            if (end != std::string_view::npos)
                z.footer_ = std::string(b.substr(footer_at + 1, end - footer_at - 1));
        }
    }
    return z;
}

}  // namespace switchyard::core
