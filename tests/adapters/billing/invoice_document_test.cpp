// The invoice as the buyer receives it: amounts in the currency's minor unit, the checks on the
// document, the HTML (escaped) and the PDF (libharu), whose text is read back by pdftotext and
// whose pages are counted by pdfinfo (Debian poppler-utils).
#include "adapters/billing/invoice_document.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <string_view>

#include "adapters/process/process.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using switchyard::adapters::run_process;
using switchyard::core::Errc;
using namespace switchyard::adapters::billing;
namespace fs = std::filesystem;

bool contains(std::string_view haystack, std::string_view needle) {
    return haystack.find(needle) != std::string_view::npos;
}

std::size_t count(std::string_view haystack, std::string_view needle) {
    std::size_t n = 0;
    for (auto at = haystack.find(needle); at != std::string_view::npos;
         at = haystack.find(needle, at + needle.size()))
        ++n;
    return n;
}

DocumentLine line(std::string description, std::int64_t quantity, std::int64_t unit_micros,
                  std::int64_t tax_rate_ppm) {
    DocumentLine l;
    l.description = std::move(description);
    l.quantity = quantity;
    l.unit_amount_micros = unit_micros;
    l.net_micros = quantity * unit_micros;
    l.tax_micros = l.net_micros * tax_rate_ppm / 1'000'000;
    l.total_micros = l.net_micros + l.tax_micros;
    return l;
}

/// Sums the lines into the totals (no discount).
void total_up(InvoiceDocument& d) {
    d.subtotal_micros = d.net_micros = d.tax_micros = d.total_micros = 0;
    for (const auto& l : d.lines) {
        d.subtotal_micros += l.net_micros + l.discount_micros;
        d.discount_micros += l.discount_micros;
        d.net_micros += l.net_micros;
        d.tax_micros += l.tax_micros;
        d.total_micros += l.total_micros;
    }
}

InvoiceDocument invoice() {
    InvoiceDocument d;
    d.invoice_number = "INV-2026-000042";
    d.issue_date = "2026-12-03";
    d.due_date = "2026-12-17";
    d.currency = "EUR";
    d.seller = {"Switchyard Networks GmbH", "Hafenstrasse 1\n20457 Hamburg", "DE", "DE123456789",
                "billing@switchyard.example"};
    d.buyer = {"Acme Hosting B.V.", "Keizersgracht 100\n1015 AA Amsterdam", "NL", "NL001234567B01",
               ""};
    d.tax_rate_ppm = 190'000;
    d.tax_jurisdiction = "DE";
    d.lines = {line("VPN Business, December 2026", 3, 12'500'000, 190'000),
               line("Hotspot day passes", 40, 2'500'000, 190'000)};
    total_up(d);
    d.status = "open";
    d.footer = "Payable within 14 days.\nIBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX";
    return d;
}

/// The invoice under EU reverse charge: no tax, the mention and the article.
InvoiceDocument reverse_charge_invoice() {
    InvoiceDocument d = invoice();
    d.tax_rate_ppm = 0;
    for (auto& l : d.lines) l = line(l.description, l.quantity, l.unit_amount_micros, 0);
    total_up(d);
    d.reverse_charge = true;
    d.tax_note = "VAT to be accounted for by the recipient (Art. 196 Directive 2006/112/EC).";
    return d;
}

// ---- pdftotext / pdfinfo ----

/// True when `tool` is an executable file in a directory of PATH (looked up without a shell).
bool on_path(const std::string& tool) {
    const char* path = std::getenv("PATH");
    if (!path) return false;
    std::string_view dirs = path;
    while (!dirs.empty()) {
        const auto colon = dirs.find(':');
        const fs::path candidate = fs::path(std::string(dirs.substr(0, colon))) / tool;
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec) &&
            (fs::status(candidate, ec).permissions() & fs::perms::others_exec) != fs::perms::none)
            return true;
        if (colon == std::string_view::npos) break;
        dirs.remove_prefix(colon + 1);
    }
    return false;
}

bool have_poppler() {
    if (on_path("pdftotext") && on_path("pdfinfo")) return true;
    switchyard::testing::skip("pdftotext (poppler-utils) is missing");
    return false;
}

struct PdfReadBack {
    std::string text;  ///< pdftotext's output, UTF-8.
    int pages = 0;     ///< pdfinfo's `Pages:`.
};

PdfReadBack read_back(const std::string& pdf) {
    switchyard::testing::TempDir dir;
    const fs::path file = dir.path() / "invoice.pdf";
    {
        std::ofstream out(file, std::ios::binary);
        out.write(pdf.data(), static_cast<std::streamsize>(pdf.size()));
    }
    PdfReadBack r;
    auto text = run_process({"pdftotext", "-enc", "UTF-8", file.string(), "-"}, "", 60000, 8 << 20);
    REQUIRE_MESSAGE(text.exit_code == 0, text.output);
    r.text = text.output;
    auto info = run_process({"pdfinfo", file.string()}, "", 60000, 1 << 20);
    REQUIRE_MESSAGE(info.exit_code == 0, info.output);
    const auto at = info.output.find("Pages:");
    REQUIRE(at != std::string::npos);
    r.pages = std::atoi(info.output.c_str() + at + 6);
    return r;
}

}  // namespace

TEST_CASE("format_amount prints the currency's minor-unit digits, rounding toward zero") {
    CHECK(format_amount(12'500'000, "EUR") == "12.50");
    CHECK(format_amount(-1'500'000, "EUR") == "-1.50");
    CHECK(format_amount(0, "EUR") == "0.00");
    CHECK(format_amount(12'509'999, "EUR") == "12.50");
    CHECK(format_amount(-5'000, "EUR") == "0.00");
    CHECK(format_amount(1'000'000, "JPY") == "1");
    CHECK(format_amount(1'999'999, "JPY") == "1");
    CHECK(format_amount(-2'000'000, "JPY") == "-2");
    CHECK(format_amount(1'234'000, "BHD") == "1.234");
    CHECK(format_amount(-5'000, "BHD") == "-0.005");
    CHECK(format_amount(1'000'000'000'000'000'000, "USD") == "1000000000000.00");
    CHECK(format_amount(std::numeric_limits<std::int64_t>::min(), "EUR") == "-9223372036854.77");
    CHECK(format_amount(std::numeric_limits<std::int64_t>::max(), "EUR") == "9223372036854.77");
}

TEST_CASE("check_invoice_document accepts a complete invoice and a credit note") {
    CHECK(check_invoice_document(invoice()));
    CHECK(check_invoice_document(reverse_charge_invoice()));
    InvoiceDocument credit = invoice();
    credit.credit_note = true;
    credit.invoice_number = "CN-2026-000007";
    credit.credited_invoice_number = "INV-2026-000042";
    credit.due_date.clear();
    credit.status = "credited";
    CHECK(check_invoice_document(credit));
}

TEST_CASE("check_invoice_document refuses bad fields and names them") {
    struct Case {
        const char* field;
        std::function<void(InvoiceDocument&)> spoil;
    };
    const Case cases[] = {
        {"invoice_number", [](InvoiceDocument& d) { d.invoice_number.clear(); }},
        {"invoice_number", [](InvoiceDocument& d) { d.invoice_number = std::string(65, '1'); }},
        {"invoice_number", [](InvoiceDocument& d) { d.invoice_number = "INV\t1"; }},
        {"credited_invoice_number", [](InvoiceDocument& d) { d.credit_note = true; }},
        {"issue_date", [](InvoiceDocument& d) { d.issue_date.clear(); }},
        {"issue_date", [](InvoiceDocument& d) { d.issue_date = "2026-02-30"; }},
        {"issue_date", [](InvoiceDocument& d) { d.issue_date = "03.12.2026"; }},
        {"due_date", [](InvoiceDocument& d) { d.due_date = "2026-13-01"; }},
        {"currency", [](InvoiceDocument& d) { d.currency = "eur"; }},
        {"currency", [](InvoiceDocument& d) { d.currency = "EURO"; }},
        {"seller.name", [](InvoiceDocument& d) { d.seller.name.clear(); }},
        {"seller.vat_id", [](InvoiceDocument& d) { d.seller.vat_id = "DE\n1"; }},
        {"buyer.name", [](InvoiceDocument& d) { d.buyer.name = "Acme\xC3("; }},
        {"buyer.name", [](InvoiceDocument& d) { d.buyer.name = "Acme\nHosting"; }},
        {"buyer.address", [](InvoiceDocument& d) { d.buyer.address = "Street 1\r\nCity"; }},
        {"buyer.address", [](InvoiceDocument& d) { d.buyer.address = std::string(2001, 'a'); }},
        {"buyer.country", [](InvoiceDocument& d) { d.buyer.country = "nl"; }},
        {"lines", [](InvoiceDocument& d) { d.lines.clear(); }},
        {"lines", [](InvoiceDocument& d) { d.lines.resize(501, d.lines[0]); }},
        {"lines[1].description", [](InvoiceDocument& d) { d.lines[1].description.clear(); }},
        {"lines[0].description", [](InvoiceDocument& d) { d.lines[0].description = "a\x01"; }},
        {"lines[1].description", [](InvoiceDocument& d) { d.lines[1].description = "\xFF"; }},
        {"tax_rate_ppm", [](InvoiceDocument& d) { d.tax_rate_ppm = -1; }},
        {"tax_rate_ppm", [](InvoiceDocument& d) { d.tax_rate_ppm = 1'000'001; }},
        {"tax_jurisdiction", [](InvoiceDocument& d) { d.tax_jurisdiction = "Germany"; }},
        {"tax_note", [](InvoiceDocument& d) { d.tax_note = "a\nb"; }},
        {"promo_code", [](InvoiceDocument& d) { d.promo_code = std::string(65, 'P'); }},
        {"status", [](InvoiceDocument& d) { d.status = "paid\x7f"; }},
        {"footer", [](InvoiceDocument& d) { d.footer = "IBAN\x1b[31m"; }},
    };
    for (const auto& c : cases) {
        InvoiceDocument d = invoice();
        c.spoil(d);
        const auto checked = check_invoice_document(d);
        INFO("field ", c.field);
        REQUIRE_FALSE(checked);
        CHECK(checked.error().code == Errc::Invalid);
        CHECK(checked.error().field == c.field);
        CHECK_FALSE(checked.error().message.empty());
        // Both renderings refuse what the check refuses.
        const auto html = render_invoice_html(d);
        REQUIRE_FALSE(html);
        CHECK(html.error().field == c.field);
        const auto pdf = render_invoice_pdf(d);
        REQUIRE_FALSE(pdf);
        CHECK(pdf.error().field == c.field);
    }
}

TEST_CASE("the HTML escapes the buyer name and the descriptions") {
    InvoiceDocument d = invoice();
    d.buyer.name = "<script>alert(1)</script> & Sons";
    d.lines[0].description = "Setup <b>fee</b> & \"extras\"";
    const auto html = render_invoice_html(d);
    REQUIRE(html);
    CHECK_FALSE(contains(*html, "<script>"));
    CHECK_FALSE(contains(*html, "<b>fee"));
    CHECK(contains(*html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Sons"));
    CHECK(contains(*html, "Setup &lt;b&gt;fee&lt;/b&gt; &amp; &quot;extras&quot;"));
}

TEST_CASE("the HTML states the number, the lines, the totals and the reverse charge") {
    const InvoiceDocument d = reverse_charge_invoice();
    const auto html = render_invoice_html(d);
    REQUIRE(html);
    CHECK(html->starts_with("<!DOCTYPE html>"));
    CHECK(contains(*html, "@page"));
    CHECK(contains(*html, "<h1>Invoice</h1>"));
    CHECK(contains(*html, "INV-2026-000042"));
    CHECK(contains(*html, "<div>Hafenstrasse 1</div>"));  // one per address line
    CHECK(contains(*html, "VAT id: NL001234567B01"));
    CHECK(contains(*html, "VPN Business, December 2026"));
    CHECK(contains(*html, "<th>Unit price</th>"));
    CHECK(contains(*html, "37.50"));                                        // the first line's net
    CHECK(contains(*html, format_amount(d.total_micros, "EUR") + " EUR"));  // 137.50 EUR
    CHECK(contains(*html, "137.50 EUR"));
    CHECK(contains(*html, "Tax (0 %, DE)"));
    CHECK(contains(*html, "Reverse charge"));
    CHECK(contains(*html, "Art. 196"));
    CHECK(contains(*html, "OPEN"));

    auto taxed = invoice();
    taxed.tax_rate_ppm = 72'500;
    taxed.tax_jurisdiction = "US-CA";
    taxed.promo_code = "WELCOME10";
    taxed.discount_micros = 1'000'000;
    const auto taxed_html = render_invoice_html(taxed);
    REQUIRE(taxed_html);
    CHECK(contains(*taxed_html, "Tax (7.25 %, US-CA)"));
    CHECK(contains(*taxed_html, "Discount (promo code WELCOME10)"));
    CHECK_FALSE(contains(*taxed_html, "Reverse charge"));

    // A subscription's receipt names its buyer by the customer id in an unknown country (ZZ),
    // which is not printed.
    auto receipt = invoice();
    receipt.buyer.name = "cust-1";
    receipt.buyer.address = "";
    receipt.buyer.country = "ZZ";
    const auto receipt_html = render_invoice_html(receipt);
    REQUIRE(receipt_html);
    CHECK(contains(*receipt_html, "cust-1"));
    CHECK_FALSE(contains(*receipt_html, "ZZ"));
}

TEST_CASE("the HTML of a credit note names the invoice it credits") {
    InvoiceDocument d = invoice();
    d.credit_note = true;
    d.invoice_number = "CN-2026-000007";
    d.credited_invoice_number = "INV-2026-000042";
    d.status = "credited";
    const auto html = render_invoice_html(d);
    REQUIRE(html);
    CHECK(contains(*html, "<h1>Credit note</h1>"));
    CHECK(contains(*html, "Credits invoice INV-2026-000042"));
    CHECK(contains(*html, "CREDITED"));
}

TEST_CASE("the PDF text holds the number, the buyer, the lines, the total and the reverse charge") {
    const InvoiceDocument d = reverse_charge_invoice();
    const auto pdf = render_invoice_pdf(d);
    REQUIRE(pdf);
    CHECK(pdf->starts_with("%PDF-"));
    if (!have_poppler()) return;
    const auto back = read_back(*pdf);
    INFO(back.text);
    CHECK(back.pages == 1);
    CHECK(contains(back.text, "INV-2026-000042"));
    CHECK(contains(back.text, "Acme Hosting B.V."));
    CHECK(contains(back.text, "Switchyard Networks GmbH"));
    for (const auto& l : d.lines) CHECK(contains(back.text, l.description));
    CHECK(contains(back.text, format_amount(d.total_micros, "EUR") + " EUR"));
    CHECK(contains(back.text, "Reverse charge"));
    CHECK(contains(back.text, "Art. 196"));
    CHECK(contains(back.text, "Tax (0 %, DE)"));
    CHECK(contains(back.text, "Due date: 2026-12-17"));
    CHECK(contains(back.text, "VAT id: NL001234567B01"));
    CHECK(contains(back.text, "OPEN"));
    CHECK(contains(back.text, "COBADEFFXXX"));
    CHECK(contains(back.text, "Page 1 of 1"));
}

TEST_CASE("the PDF of a credit note names the invoice it credits") {
    InvoiceDocument d = invoice();
    d.credit_note = true;
    d.invoice_number = "CN-2026-000007";
    d.credited_invoice_number = "INV-2026-000042";
    d.due_date.clear();
    d.status = "paid";
    const auto pdf = render_invoice_pdf(d);
    REQUIRE(pdf);
    if (!have_poppler()) return;
    const auto back = read_back(*pdf);
    INFO(back.text);
    CHECK(contains(back.text, "Credit note"));
    CHECK(contains(back.text, "CN-2026-000007"));
    CHECK(contains(back.text, "Credits invoice INV-2026-000042"));
    CHECK(contains(back.text, "PAID"));
    CHECK_FALSE(contains(back.text, "Due date"));
}

TEST_CASE("a 120-line invoice takes several pages, each with the table header and its number") {
    InvoiceDocument d = invoice();
    d.lines.clear();
    for (int i = 1; i <= 120; ++i)
        d.lines.push_back(
            line("Voice usage, DID +49 40 " + std::to_string(1000 + i), i, 150'000, 190'000));
    // One description that wraps over several printed lines.
    d.lines[60].description = std::string(600, 'W') + " and a long tail of words to wrap around";
    total_up(d);
    const auto pdf = render_invoice_pdf(d);
    REQUIRE(pdf);
    CHECK(pdf->starts_with("%PDF-"));
    if (!have_poppler()) return;
    const auto back = read_back(*pdf);
    INFO(back.text);
    REQUIRE(back.pages > 1);
    const std::string n = std::to_string(back.pages);
    for (int p = 1; p <= back.pages; ++p)
        CHECK(contains(back.text, "Page " + std::to_string(p) + " of " + n));
    // The table's header on every page the table reaches (the totals may open the last page).
    const std::size_t headers = count(back.text, "Unit price");
    CHECK(headers >= 2);
    CHECK(headers + 1 >= static_cast<std::size_t>(back.pages));
    CHECK(count(back.text, "W") == 600);  // the long word, wrapped, nothing cut
    CHECK(contains(back.text, "Voice usage, DID +49 40 1001"));
    CHECK(contains(back.text, "Voice usage, DID +49 40 1120"));
    CHECK(contains(back.text, "(continued)"));
    CHECK(contains(back.text, format_amount(d.total_micros, "EUR") + " EUR"));
}

TEST_CASE("Windows-1252 characters survive in the PDF and the others print as a question mark") {
    InvoiceDocument d = invoice();
    d.buyer.name = "Müller & Söhne GmbH";
    d.buyer.address = "Straße 5\n8001 Zürich";
    d.lines[0].description = "Café Wi-Fi – 5 € per day";
    d.lines[1].description = "日本 passes";
    const auto pdf = render_invoice_pdf(d);
    REQUIRE(pdf);
    if (!have_poppler()) return;
    const auto back = read_back(*pdf);
    INFO(back.text);
    CHECK(contains(back.text, "Müller & Söhne GmbH"));
    CHECK(contains(back.text, "Straße 5"));
    CHECK(contains(back.text, "Zürich"));
    CHECK(contains(back.text, "Café Wi-Fi – 5 € per day"));
    CHECK(contains(back.text, "?? passes"));
}

TEST_CASE("documents of random and odd UTF-8 texts render without crashing") {
    // Code points from the planes that trip renderers: ASCII, Latin-1, Windows-1252 specials,
    // combining marks, right-to-left, CJK, emoji, U+FFFD, non-characters, the top of Unicode.
    const char32_t pool[] = {'a',    ' ',      ' ',    '&',    '<',    '\\',    '(',
                             ')',    0xA0,     0xE9,   0xFF,   0x20AC, 0x2013,  0x0301,
                             0x05D0, 0x0627,   0x200B, 0x202E, 0x4E2D, 0x1F600, 0xFFFD,
                             0xFFFE, 0x10FFFF, 0x7F0,  'W',    '0',    '.',     '%'};
    auto utf8 = [](char32_t cp) {
        std::string s;
        if (cp < 0x80) {
            s += static_cast<char>(cp);
        } else if (cp < 0x800) {
            s += static_cast<char>(0xC0 | (cp >> 6));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            s += static_cast<char>(0xE0 | (cp >> 12));
            s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            s += static_cast<char>(0xF0 | (cp >> 18));
            s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        }
        return s;
    };
    std::mt19937 rng(20261203);
    auto text = [&](std::size_t max_bytes, bool multiline) {
        std::string s;
        const std::size_t target = rng() % (max_bytes + 1);
        while (true) {
            std::string next = multiline && rng() % 12 == 0 ? std::string("\n")
                                                            : utf8(pool[rng() % std::size(pool)]);
            if (s.size() + next.size() > target) break;
            s += next;
        }
        return s;
    };
    auto amount = [&] {
        switch (rng() % 4) {
            case 0:
                return std::numeric_limits<std::int64_t>::min();
            case 1:
                return std::numeric_limits<std::int64_t>::max();
            default:
                return static_cast<std::int64_t>(rng()) - (std::int64_t{1} << 31);
        }
    };
    for (int round = 0; round < 40; ++round) {
        InvoiceDocument d = invoice();
        d.credit_note = round % 3 == 0;
        d.credited_invoice_number = "INV-" + text(40, false) + "x";
        d.invoice_number = text(60, false) + "1";
        d.seller.name = text(round % 5 == 0 ? 1999 : 80, false) + "S";
        d.seller.address = text(round % 7 == 0 ? 2000 : 200, true);
        d.buyer.name = text(120, false) + "B";
        d.buyer.address = text(round % 4 == 0 ? 2000 : 200, true);
        d.buyer.vat_id = text(64, false);
        d.tax_note = text(round % 6 == 0 ? 2000 : 300, false);
        d.promo_code = text(64, false);
        d.status = text(30, false);
        d.footer = text(round % 2 == 0 ? 2000 : 100, true);
        d.reverse_charge = round % 2 == 1;
        d.tax_rate_ppm = static_cast<std::int64_t>(rng() % 1'000'001);
        d.lines.clear();
        const std::size_t n = 1 + rng() % (round % 10 == 0 ? 500 : 30);
        for (std::size_t i = 0; i < n; ++i) {
            DocumentLine l;
            l.description = text(i % 17 == 0 ? 1999 : 150, false) + "d";
            l.quantity = amount();
            l.unit_amount_micros = amount();
            l.discount_micros = amount();
            l.net_micros = amount();
            l.tax_micros = amount();
            l.total_micros = amount();
            d.lines.push_back(std::move(l));
        }
        d.total_micros = amount();
        d.discount_micros = amount();
        INFO("round ", round);
        const auto checked = check_invoice_document(d);
        REQUIRE_MESSAGE(
            checked,
            (checked ? std::string() : checked.error().field + ": " + checked.error().message));
        const auto html = render_invoice_html(d);
        REQUIRE(html);
        CHECK_FALSE(contains(*html, "<script"));
        const auto pdf = render_invoice_pdf(d);
        REQUIRE_MESSAGE(pdf, (pdf ? std::string() : pdf.error().message));
        CHECK(pdf->starts_with("%PDF-"));
    }
    // Bytes that are not UTF-8 are refused, never rendered.
    for (int round = 0; round < 200; ++round) {
        InvoiceDocument d = invoice();
        std::string junk;
        for (int k = 0; k < 40; ++k) junk += static_cast<char>(rng() % 256);
        d.lines[0].description = junk;
        const auto html = render_invoice_html(d);
        const auto pdf = render_invoice_pdf(d);
        CHECK(static_cast<bool>(html) == static_cast<bool>(pdf));
        if (!html) CHECK(html.error().field == "lines[0].description");
    }
}
