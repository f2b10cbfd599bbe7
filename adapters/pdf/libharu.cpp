#include "adapters/pdf/libharu.hpp"

#include <algorithm>
#include <array>

namespace switchyard::adapters::pdf {

std::string to_win_ansi(std::string_view s) {
    // Code points of bytes 0x80 to 0x9F; 0 where Windows-1252 has no character.
    static constexpr std::array<char32_t, 32> kHigh{
        0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
    std::string out;
    out.reserve(s.size());
    std::size_t i = 0;
    while (i < s.size()) {
        const auto lead = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;  // bytes of the sequence; 0 for a byte that cannot lead one
        if (lead < 0x80)
            n = 1;
        else if ((lead & 0xE0) == 0xC0)
            n = 2;
        else if ((lead & 0xF0) == 0xE0)
            n = 3;
        else if ((lead & 0xF8) == 0xF0)
            n = 4;
        char32_t cp = n == 1 ? lead : n == 2 ? lead & 0x1F : n == 3 ? lead & 0x0F : lead & 0x07;
        bool ok = n != 0 && i + n <= s.size();
        for (std::size_t k = 1; ok && k < n; ++k) {
            const auto cont = static_cast<unsigned char>(s[i + k]);
            ok = (cont & 0xC0) == 0x80;
            cp = (cp << 6) | (cont & 0x3F);
        }
        i += ok ? n : 1;
        char byte = '?';
        if (ok && (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))) {
            byte = static_cast<char>(cp);
        } else if (ok) {
            const auto at = std::find(kHigh.begin(), kHigh.end(), cp);
            if (at != kHigh.end()) byte = static_cast<char>(0x80 + (at - kHigh.begin()));
        }
        out += byte;
    }
    return out;
}

void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) {
    auto* first = static_cast<HpdfError*>(user_data);
    if (first->error == 0) *first = {error_no, detail_no};
}

}  // namespace switchyard::adapters::pdf
