// Fuzz target: the captive portal's path mapping and the voucher sheet's input checks never
// crash; a mapped path is always a regular file inside the portal directory, and a voucher's
// login URL carries the code only percent-encoded.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <string_view>

#include "adapters/hotspot/voucher_sheet.hpp"
#include "api/routes/hotspot/portal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace fs = std::filesystem;
    using namespace switchyard;
    const std::string text(reinterpret_cast<const char*>(data), size);
    static const fs::path root = fs::canonical(fs::path(SY_CONFIG_DIR) / "hotspot" / "portal");

    // The first line is a path below /portal/.
    const std::string first = text.substr(0, text.find('\n'));
    const auto file = api::portal_file(root, first);
    if (!file.empty()) {
        const auto rel = file.lexically_relative(root);
        if (rel.empty() || *rel.begin() == ".." || !fs::is_regular_file(file)) std::abort();
        if (api::portal_content_type(file).empty()) std::abort();
    }

    // The rest: a URL template, then codes, one a line.
    adapters::hotspot::VoucherSheet sheet;
    std::istringstream in(text);
    std::string line;
    std::getline(in, line);
    std::getline(in, sheet.login_url_template);
    while (std::getline(in, line) && sheet.codes.size() < 8) sheet.codes.push_back(line);
    sheet.title = first;
    for (const auto& code : sheet.codes) {
        const auto url = adapters::hotspot::voucher_login_url("http://p/?v={code}", code);
        for (char c : url.substr(12))
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '%' || c == '-' || c == '.' ||
                  c == '_' || c == '~'))
                std::abort();
    }
    if (adapters::hotspot::check_voucher_sheet(sheet)) {
        auto html = adapters::hotspot::render_voucher_sheet_html(sheet);
        if (html && html->find("<script") != std::string::npos) std::abort();
    }
    return 0;
}
