#include "api/gzip.hpp"

#include <algorithm>
#include <cctype>

namespace switchyard::api {

bool accepts_gzip(const HttpRequest& r) {
    std::string value = r.header("accept-encoding");
    std::transform(value.begin(), value.end(), value.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    std::string_view rest(value);
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        auto item = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        const auto semi = item.find(';');
        auto coding = item.substr(0, semi);
        while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
        if (coding != "gzip" && coding != "*") continue;
        if (semi == std::string_view::npos) return true;
        auto params = item.substr(semi + 1);
        params.remove_prefix(std::min(params.find_first_not_of(' '), params.size()));
        if (params.starts_with("q=")) {
            const auto q = params.substr(2);
            if (q.find_first_not_of("0.") == std::string_view::npos) continue;  // q=0, q=0.0
        }
        return true;
    }
    return false;
}

}  // namespace switchyard::api
