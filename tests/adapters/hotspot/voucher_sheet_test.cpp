// The printable voucher sheet: HTML for printing and PDF (libharu), with QR codes that a phone
// reads as the portal login URL of each voucher. The QR codes are read back by zbarimg
// (zbar-tools); the HTML is rendered by Chromium headless, the PDF read by a small parser here
// (header, cross-reference table, page tree, image streams) and its images inflated by zlib.
#include "adapters/hotspot/voucher_sheet.hpp"

#include <doctest/doctest.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "adapters/process/process.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using switchyard::adapters::run_process;
using namespace switchyard::adapters::hotspot;
namespace fs = std::filesystem;

const char* kTemplate = "http://portal.example.net/portal/?voucher={code}&autologin=1";

VoucherSheet sheet_of(std::size_t n) {
    VoucherSheet s;
    s.title = "Hotel <Aurora> & Spa";
    s.plan_name = "Day pass";
    s.price = "2.50 EUR";
    s.validity = "24 hours from first login";
    s.login_url_template = kTemplate;
    // Codes from kVoucherAlphabet, distinct, with a prefix.
    const std::string alphabet = "34679ACDEFGHJKMNPQRTUVWXY";
    for (std::size_t i = 0; i < n; ++i) {
        std::string code = "HX-";
        std::size_t v = i * 7919 + 12345;
        for (int k = 0; k < 8; ++k) {
            code += alphabet[v % alphabet.size()];
            v /= alphabet.size();
            v += i + static_cast<std::size_t>(k);
        }
        s.codes.push_back(code);
    }
    return s;
}

bool have(const char* tool) {
    auto r = run_process({"sh", "-c", std::string("command -v ") + tool}, "", 5000, 4096);
    return r.exit_code == 0;
}

std::set<std::string> zbar(const fs::path& image) {
    auto r = run_process({"zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", image.string()},
                         "", 60000, 1 << 20);
    std::set<std::string> out;
    std::istringstream in(r.output);
    std::string line;
    // zbarimg's stderr (merged here) may carry D-Bus noise: keep the symbols, which are URLs.
    while (std::getline(in, line))
        if (line.starts_with("http://") || line.starts_with("https://")) out.insert(line);
    return out;
}

/// A PDF read the way a reader starts: `startxref`, the classic cross-reference table, each
/// in-use entry's offset pointing at `N G obj`, then objects by number.
struct Pdf {
    std::string bytes;
    std::map<int, std::size_t> offsets;  // object number -> byte offset

    static long number_after(std::string_view s, std::string_view key) {
        auto at = s.find(key);
        if (at == std::string_view::npos) return -1;
        at += key.size();
        while (at < s.size() && (s[at] == ' ' || s[at] == '\r' || s[at] == '\n')) ++at;
        long v = -1;
        std::from_chars(s.data() + at, s.data() + s.size(), v);
        return v;
    }
    /// The text of object `n` from `N 0 obj` to `endobj`.
    std::string_view object(int n) const {
        auto it = offsets.find(n);
        if (it == offsets.end()) return {};
        std::string_view s(bytes);
        auto end = s.find("endobj", it->second);
        return s.substr(it->second, end - it->second);
    }
    /// A dictionary value that is a number, direct or an indirect reference to a number object.
    long value(std::string_view obj, std::string_view key) const {
        auto at = obj.find(key);
        if (at == std::string_view::npos) return -1;
        std::istringstream in(std::string(obj.substr(at + key.size(), 40)));
        long a = -1, b = -1;
        std::string r;
        in >> a >> b >> r;
        if (r == "R") {
            auto o = object(static_cast<int>(a));
            auto obj_at = o.find("obj");
            if (obj_at == std::string_view::npos) return -1;
            long v = -1;
            std::istringstream vin(std::string(o.substr(obj_at + 3)));
            vin >> v;
            return v;
        }
        return a;
    }
};

/// Reads the cross-reference table; fails the test when an entry does not point at its object.
Pdf read_pdf(std::string bytes) {
    Pdf pdf{std::move(bytes), {}};
    const std::string_view s(pdf.bytes);
    REQUIRE(s.starts_with("%PDF-1."));
    const auto eof = s.rfind("%%EOF");
    REQUIRE(eof != std::string_view::npos);
    CHECK(s.find_first_not_of("\r\n ", eof + 5) == std::string_view::npos);
    const long xref = Pdf::number_after(s.substr(s.rfind("startxref")), "startxref");
    REQUIRE(xref > 0);
    REQUIRE(s.substr(static_cast<std::size_t>(xref), 4) == "xref");
    std::istringstream in(std::string(s.substr(static_cast<std::size_t>(xref) + 4)));
    std::string word;
    while (in >> word && word != "trailer") {
        const int first = std::stoi(word);
        int count = 0;
        in >> count;
        for (int i = 0; i < count; ++i) {
            std::string off, gen, kind;
            in >> off >> gen >> kind;
            REQUIRE(off.size() == 10);
            REQUIRE(gen.size() == 5);
            if (kind != "n") continue;
            const auto at = static_cast<std::size_t>(std::stoul(off));
            const std::string head =
                std::to_string(first + i) + " " + std::to_string(std::stoi(gen)) + " obj";
            REQUIRE_MESSAGE(s.substr(at, head.size()) == head, "xref entry ", first + i);
            pdf.offsets[first + i] = at;
        }
    }
    return pdf;
}

/// The page count from the document catalogue's page tree (/Root -> /Pages -> /Count).
long page_count(const Pdf& pdf) {
    const std::string_view s(pdf.bytes);
    const auto trailer = s.substr(s.rfind("trailer"));
    const long root = Pdf::number_after(trailer, "/Root");
    const auto catalog = pdf.object(static_cast<int>(root));
    REQUIRE(catalog.find("/Catalog") != std::string_view::npos);
    const long pages = Pdf::number_after(catalog, "/Pages");
    return pdf.value(pdf.object(static_cast<int>(pages)), "/Count");
}

struct GrayImage {
    long width = 0, height = 0;
    std::string pixels;
};

/// Every image XObject: FlateDecode, 8-bit DeviceGray, inflated.
std::vector<GrayImage> images(const Pdf& pdf) {
    std::vector<GrayImage> out;
    for (const auto& [n, at] : pdf.offsets) {
        const auto obj = pdf.object(n);
        if (obj.find("/Subtype /Image") == std::string_view::npos) continue;
        REQUIRE(obj.find("/ColorSpace /DeviceGray") != std::string_view::npos);
        REQUIRE(obj.find("/BitsPerComponent 8") != std::string_view::npos);
        INFO(obj.substr(0, 200));
        REQUIRE(obj.find("/FlateDecode") != std::string_view::npos);
        GrayImage img;
        img.width = pdf.value(obj, "/Width");
        img.height = pdf.value(obj, "/Height");
        const long length = pdf.value(obj, "/Length");
        auto data = obj.find("stream");
        REQUIRE(data != std::string_view::npos);
        data += 6;
        if (obj[data] == '\r') ++data;
        REQUIRE(obj[data] == '\n');
        ++data;
        const auto compressed = obj.substr(data, static_cast<std::size_t>(length));
        img.pixels.resize(static_cast<std::size_t>(img.width * img.height));
        uLongf size = img.pixels.size();
        REQUIRE(uncompress(reinterpret_cast<Bytef*>(img.pixels.data()), &size,
                           reinterpret_cast<const Bytef*>(compressed.data()),
                           compressed.size()) == Z_OK);
        REQUIRE(size == img.pixels.size());
        out.push_back(std::move(img));
    }
    return out;
}

}  // namespace

TEST_CASE("a voucher's login URL puts the percent-encoded code where {code} is") {
    CHECK(voucher_login_url(kTemplate, "HX-7KQ9") ==
          "http://portal.example.net/portal/?voucher=HX-7KQ9&autologin=1");
    CHECK(voucher_login_url("https://a/{code}/{code}", "A B") == "https://a/A%20B/A%20B");
}

TEST_CASE("a voucher sheet without codes, with a bad code or without {code} is refused") {
    auto s = sheet_of(2);
    s.codes.clear();
    auto r = render_voucher_sheet_html(s);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "codes");

    s = sheet_of(3);
    s.codes[1] = "AB<script>";
    r = render_voucher_sheet_pdf(s);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "codes[1]");

    s = sheet_of(1);
    s.login_url_template = "http://portal.example.net/portal/?voucher=";
    r = render_voucher_sheet_html(s);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "login_url_template");

    s.login_url_template = "javascript:alert({code})";
    r = render_voucher_sheet_html(s);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "login_url_template");

    s = sheet_of(1);
    s.login_url_template = "http://x/?v={code}&pad=" + std::string(1100, 'a');
    r = render_voucher_sheet_html(s);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "login_url_template");
}

TEST_CASE("the HTML voucher sheet is made for printing and each QR code reads as its login URL") {
    const auto s = sheet_of(7);
    auto html = render_voucher_sheet_html(s);
    REQUIRE_MESSAGE(html, (html ? "" : html.error().message));
    CHECK(html->find("@page { size: A4; margin: 10mm; }") != std::string::npos);
    CHECK(html->find("break-inside: avoid") != std::string::npos);
    // Escaped, never raw.
    CHECK(html->find("Hotel &lt;Aurora&gt; &amp; Spa") != std::string::npos);
    CHECK(html->find("<Aurora>") == std::string::npos);
    std::size_t cards = 0;
    for (auto at = html->find("class=\"card\""); at != std::string::npos;
         at = html->find("class=\"card\"", at + 1))
        ++cards;
    CHECK(cards == 7);
    for (const auto& code : s.codes) CHECK(html->find(">" + code + "<") != std::string::npos);

    if (!have("chromium") || !have("zbarimg")) {
        switchyard::testing::skip("chromium or zbarimg (zbar-tools) is not installed");
        return;
    }
    switchyard::testing::TempDir dir;
    const auto page = dir.path() / "sheet.html";
    if (std::getenv("SY_KEEP")) std::ofstream("/tmp/sheet.html") << *html;
    std::ofstream(page) << *html;
    const auto png = dir.path() / "sheet.png";
    auto r = run_process(
        {"chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--user-data-dir=" + (dir.path() / "profile").string(), "--force-device-scale-factor=3",
         "--window-size=800,1100", "--screenshot=" + png.string(), "file://" + page.string()},
        "", 120000, 1 << 20);
    REQUIRE_MESSAGE(fs::exists(png), r.output);
    std::set<std::string> expected;
    for (const auto& code : s.codes)
        expected.insert("http://portal.example.net/portal/?voucher=" + code + "&autologin=1");
    CHECK(zbar(png) == expected);
}

TEST_CASE("the PDF voucher sheet has one page per 15 cards and each QR code reads as its URL") {
    const auto s = sheet_of(17);
    auto bytes = render_voucher_sheet_pdf(s);
    REQUIRE_MESSAGE(bytes, (bytes ? "" : bytes.error().message));
    const Pdf pdf = read_pdf(*bytes);
    CHECK(page_count(pdf) == 2);  // 17 cards: 15 on the first page, 2 on the second
    std::size_t page_objects = 0;
    for (const auto& [n, at] : pdf.offsets) {
        const auto obj = pdf.object(n);
        if (obj.find("/Type /Page") != std::string_view::npos &&
            obj.find("/Type /Pages") == std::string_view::npos)
            ++page_objects;
    }
    CHECK(page_objects == 2);
    const auto imgs = images(pdf);
    REQUIRE(imgs.size() == 17);

    if (!have("zbarimg")) {
        switchyard::testing::skip("zbarimg (zbar-tools) is not installed");
        return;
    }
    switchyard::testing::TempDir dir;
    std::multiset<std::string> decoded;
    for (std::size_t i = 0; i < imgs.size(); ++i) {
        const auto file = dir.path() / ("qr" + std::to_string(i) + ".pgm");
        std::ofstream out(file, std::ios::binary);
        out << "P5\n" << imgs[i].width << " " << imgs[i].height << "\n255\n" << imgs[i].pixels;
        out.close();
        auto got = zbar(file);
        REQUIRE_MESSAGE(got.size() == 1, "image ", i);
        decoded.insert(*got.begin());
    }
    std::multiset<std::string> expected;
    for (const auto& code : s.codes)
        expected.insert("http://portal.example.net/portal/?voucher=" + code + "&autologin=1");
    CHECK(decoded == expected);
}

TEST_CASE("one voucher gives a one-page PDF and text outside Windows-1252 does not break it") {
    auto s = sheet_of(1);
    s.title = "Café Ωmega — Wi-Fi €";
    auto bytes = render_voucher_sheet_pdf(s);
    REQUIRE_MESSAGE(bytes, (bytes ? "" : bytes.error().message));
    CHECK(page_count(read_pdf(*bytes)) == 1);
}
