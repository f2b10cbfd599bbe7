#include "api/gzip.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

namespace switchyard::api {

namespace {

/// `text` without leading and trailing spaces and tabs (RFC 9110 OWS).
std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

/// A qvalue (`0`, `0.5`, `1`, `1.000`) in thousandths; nullopt when it is not one.
/// @source RFC 9110 section 12.4.2.
std::optional<int> qvalue(std::string_view text) {
    if (text.empty() || (text[0] != '0' && text[0] != '1')) return std::nullopt;
    int whole = text[0] - '0';
    if (text.size() == 1) return whole * 1000;
    if (text[1] != '.' || text.size() > 5) return std::nullopt;
    int frac = 0, digits = 0;
    for (const char c : text.substr(2)) {
        if (c < '0' || c > '9') return std::nullopt;
        frac = frac * 10 + (c - '0');
        ++digits;
    }
    for (; digits < 3; ++digits) frac *= 10;
    if (whole == 1 && frac != 0) return std::nullopt;
    return whole * 1000 + frac;
}

}  // namespace

bool accepts_gzip(const HttpRequest& r) {
    std::string value = r.header("accept-encoding");
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::optional<int> gzip_q, any_q;  // the weight given to gzip itself and to `*`
    std::string_view rest(value);
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        auto item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        auto params = std::string_view();
        if (const auto semi = item.find(';'); semi != std::string_view::npos) {
            params = item.substr(semi + 1);
            item = item.substr(0, semi);
        }
        const auto coding = trim(item);
        const bool gzip = coding == "gzip" || coding == "x-gzip";  // x-gzip: RFC 9110 8.4.1.3
        if (!gzip && coding != "*") continue;
        int q = 1000;
        while (!params.empty()) {
            const auto semi = params.find(';');
            const auto param = trim(params.substr(0, semi));
            params = semi == std::string_view::npos ? std::string_view() : params.substr(semi + 1);
            if (param.size() < 2 || param[0] != 'q' || trim(param.substr(1)).front() != '=')
                continue;
            // An unreadable weight refuses the coding rather than guess.
            q = qvalue(trim(trim(param.substr(1)).substr(1))).value_or(0);
        }
        auto& slot = gzip ? gzip_q : any_q;
        slot = std::max(slot.value_or(0), q);
    }
    // A coding named explicitly takes precedence over `*` (RFC 9110 section 12.5.3).
    if (gzip_q) return *gzip_q > 0;
    return any_q.value_or(0) > 0;
}

}  // namespace switchyard::api
