#include "adapters/hotspot/voucher_sheet.hpp"

#include <hpdf.h>
#include <qrencode.h>

#include <fmt/format.h>

#include <memory>

#include "adapters/pdf/libharu.hpp"
#include "core/text.hpp"

namespace switchyard::adapters::hotspot {

namespace {

using core::html_escape;
using pdf::HpdfError;
using pdf::on_hpdf_error;
using pdf::to_win_ansi;

constexpr int kQuietZone = 4;        // modules of white around the symbol (ISO/IEC 18004 7.3.7)
constexpr int kPixelsPerModule = 4;  // PDF image resolution

/// The dark/light modules of a QR code, row by row.
struct QrMatrix {
    int width = 0;
    std::vector<bool> dark;
    bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * width + x)]; }
};

core::Result<QrMatrix> encode_qr(const std::string& text, std::size_t index) {
    QRcode* code = QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M);
    if (!code)
        return core::fail(core::Errc::Invalid, fmt::format("codes[{}]", index),
                          "its login URL does not fit in a QR code (level M); shorten "
                          "login_url_template");
    QrMatrix m;
    m.width = code->width;
    m.dark.resize(static_cast<std::size_t>(code->width * code->width));
    for (std::size_t i = 0; i < m.dark.size(); ++i) m.dark[i] = (code->data[i] & 1) != 0;
    QRcode_free(code);
    return m;
}

/// The QR code as an SVG: one unit per module, the quiet zone included, dark modules as one path
/// of 1x1 squares (`shape-rendering: crispEdges` keeps them sharp when printed).
std::string qr_svg(const QrMatrix& m, std::string_view label) {
    const int size = m.width + 2 * kQuietZone;
    std::string path;
    for (int y = 0; y < m.width; ++y)
        for (int x = 0; x < m.width; ++x)
            if (m.at(x, y)) path += fmt::format("M{} {}h1v1h-1z", x + kQuietZone, y + kQuietZone);
    return fmt::format(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {0}\" "
        "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"{1}\"><rect width=\"{0}\" "
        "height=\"{0}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{2}\"/></svg>",
        size, html_escape(label), path);
}

bool code_char_ok(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

}  // namespace

std::string voucher_login_url(std::string_view login_url_template, std::string_view code) {
    std::string encoded;
    for (char c : code) {
        const auto u = static_cast<unsigned char>(c);
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~')
            encoded += c;
        else
            encoded += fmt::format("%{:02X}", u);
    }
    std::string out;
    std::size_t i = 0;
    constexpr std::string_view kSlot = "{code}";
    while (i < login_url_template.size()) {
        if (login_url_template.substr(i, kSlot.size()) == kSlot) {
            out += encoded;
            i += kSlot.size();
        } else {
            out += login_url_template[i++];
        }
    }
    return out;
}

core::Result<void> check_voucher_sheet(const VoucherSheet& sheet) {
    using core::Errc;
    if (sheet.codes.empty()) return core::fail(Errc::Invalid, "codes", "no voucher codes given");
    if (sheet.codes.size() > kMaxVoucherSheetCodes)
        return core::fail(Errc::Invalid, "codes",
                          fmt::format("{} codes: a sheet takes at most {}", sheet.codes.size(),
                                      kMaxVoucherSheetCodes));
    for (std::size_t i = 0; i < sheet.codes.size(); ++i) {
        const auto& code = sheet.codes[i];
        if (code.empty() || code.size() > 64)
            return core::fail(Errc::Invalid, fmt::format("codes[{}]", i),
                              "a voucher code has 1 to 64 characters");
        for (char c : code)
            if (!code_char_ok(c))
                return core::fail(Errc::Invalid, fmt::format("codes[{}]", i),
                                  "a voucher code has only letters, digits, '_' and '-'");
    }
    const auto& t = sheet.login_url_template;
    if (!(t.starts_with("http://") || t.starts_with("https://")))
        return core::fail(Errc::Invalid, "login_url_template",
                          "the portal login URL must start with http:// or https://");
    if (t.find("{code}") == std::string::npos)
        return core::fail(Errc::Invalid, "login_url_template",
                          "the portal login URL must contain {code} where the voucher code goes");
    if (t.size() > 1024)
        return core::fail(Errc::Invalid, "login_url_template",
                          "the portal login URL is longer than 1024 characters");
    for (char c : t)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>')
            return core::fail(Errc::Invalid, "login_url_template",
                              "the portal login URL has a space, a control character or one of "
                              "\" < > (percent-encode it)");
    const std::pair<const char*, const std::string*> texts[] = {{"title", &sheet.title},
                                                                {"plan_name", &sheet.plan_name},
                                                                {"price", &sheet.price},
                                                                {"validity", &sheet.validity}};
    for (const auto& [name, text] : texts)
        if (text->size() > 200) return core::fail(Errc::Invalid, name, "longer than 200 bytes");
    return {};
}

core::Result<std::string> render_voucher_sheet_html(const VoucherSheet& sheet) {
    if (auto ok = check_voucher_sheet(sheet); !ok) return core::fail(ok.error());
    std::string cards;
    for (std::size_t i = 0; i < sheet.codes.size(); ++i) {
        const auto& code = sheet.codes[i];
        auto qr = encode_qr(voucher_login_url(sheet.login_url_template, code), i);
        if (!qr) return core::fail(qr.error());
        cards += fmt::format(
            "<div class=\"card\">\n<div class=\"title\">{}</div>\n<div class=\"code\">{}</div>\n"
            "<div class=\"body\">{}<div class=\"info\"><div class=\"plan\">{}</div>"
            "<div class=\"price\">{}</div><div class=\"validity\">{}</div></div></div>\n</div>\n",
            html_escape(sheet.title), html_escape(code), qr_svg(*qr, code),
            html_escape(sheet.plan_name), html_escape(sheet.price), html_escape(sheet.validity));
    }
    return fmt::format(
        R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{0} - {1}</title>
<style>
@page {{ size: A4; margin: 10mm; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; color: #000; background: #fff; }}
.sheet {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 4mm; }}
.card {{ border: 0.3mm dashed #555; padding: 3mm; break-inside: avoid; page-break-inside: avoid; height: 52mm; overflow: hidden; }}
.title {{ font-size: 9pt; font-weight: bold; }}
.code {{ font-family: "DejaVu Sans Mono", Courier, monospace; font-size: 15pt; font-weight: bold; letter-spacing: 0.5mm; margin: 1.5mm 0; }}
.body {{ display: flex; gap: 3mm; align-items: flex-start; }}
.qr {{ width: 28mm; height: 28mm; flex: none; }}
.info {{ font-size: 8pt; line-height: 1.35; }}
.plan {{ font-weight: bold; }}
</style>
</head>
<body>
<div class="sheet">
{2}</div>
</body>
</html>
)",
        html_escape(sheet.title), html_escape(sheet.plan_name), cards);
}

core::Result<std::string> render_voucher_sheet_pdf(const VoucherSheet& sheet) {
    if (auto ok = check_voucher_sheet(sheet); !ok) return core::fail(ok.error());
    std::vector<QrMatrix> qrs;
    qrs.reserve(sheet.codes.size());
    for (std::size_t i = 0; i < sheet.codes.size(); ++i) {
        auto qr = encode_qr(voucher_login_url(sheet.login_url_template, sheet.codes[i]), i);
        if (!qr) return core::fail(qr.error());
        qrs.push_back(std::move(*qr));
    }

    HpdfError error;
    std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, void (*)(HPDF_Doc)> pdf(
        HPDF_New(on_hpdf_error, &error), [](HPDF_Doc d) { HPDF_Free(d); });
    auto failed = [&](const char* what) {
        return core::fail(core::Errc::Internal, "pdf",
                          fmt::format("libharu failed {}: error 0x{:04X}, detail {}", what,
                                      error.error, error.detail));
    };
    if (!pdf) return failed("to create a document");
    HPDF_SetCompressionMode(pdf.get(), HPDF_COMP_ALL);
    HPDF_Font helvetica = HPDF_GetFont(pdf.get(), "Helvetica", "WinAnsiEncoding");
    HPDF_Font helvetica_bold = HPDF_GetFont(pdf.get(), "Helvetica-Bold", "WinAnsiEncoding");
    HPDF_Font courier_bold = HPDF_GetFont(pdf.get(), "Courier-Bold", "WinAnsiEncoding");
    if (error.error != 0) return failed("to load the standard fonts");

    // A4 in points; 10 mm margins; a 3 x 5 grid of cards.
    constexpr float kMargin = 28.35f, kGap = 8.0f;
    constexpr int kColumns = 3, kRows = 5;
    constexpr float kQrSize = 70.9f;  // 25 mm
    const std::string title = to_win_ansi(sheet.title);
    const std::string info = to_win_ansi(sheet.plan_name) + "\n" + to_win_ansi(sheet.price) + "\n" +
                             to_win_ansi(sheet.validity);

    HPDF_Page page = nullptr;
    float page_w = 0, page_h = 0, card_w = 0, card_h = 0;
    for (std::size_t i = 0; i < sheet.codes.size(); ++i) {
        const std::size_t slot = i % kVoucherCardsPerPdfPage;
        if (slot == 0) {
            page = HPDF_AddPage(pdf.get());
            HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
            page_w = HPDF_Page_GetWidth(page);
            page_h = HPDF_Page_GetHeight(page);
            card_w = (page_w - 2 * kMargin - (kColumns - 1) * kGap) / kColumns;
            card_h = (page_h - 2 * kMargin - (kRows - 1) * kGap) / kRows;
        }
        const float left = kMargin + static_cast<float>(slot % kColumns) * (card_w + kGap);
        const float top = page_h - kMargin - static_cast<float>(slot / kColumns) * (card_h + kGap);

        // The cut line.
        const HPDF_UINT16 dash[] = {3, 2};
        HPDF_Page_SetDash(page, dash, 2, 0);
        HPDF_Page_SetLineWidth(page, 0.5f);
        HPDF_Page_SetGrayStroke(page, 0.4f);
        HPDF_Page_Rectangle(page, left, top - card_h, card_w, card_h);
        HPDF_Page_Stroke(page);

        // Title and code.
        HPDF_Page_SetGrayFill(page, 0.0f);
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, helvetica_bold, 9);
        HPDF_Page_TextRect(page, left + 8, top - 6, left + card_w - 8, top - 18, title.c_str(),
                           HPDF_TALIGN_LEFT, nullptr);
        HPDF_Page_SetFontAndSize(page, courier_bold, sheet.codes[i].size() > 14 ? 11 : 14);
        HPDF_Page_TextOut(page, left + 8, top - 36, sheet.codes[i].c_str());
        HPDF_Page_EndText(page);

        // The QR code: 4 pixels per module, quiet zone included.
        const QrMatrix& m = qrs[i];
        const int modules = m.width + 2 * kQuietZone;
        const int px = modules * kPixelsPerModule;
        std::vector<HPDF_BYTE> gray(static_cast<std::size_t>(px * px), 0xFF);
        for (int y = 0; y < m.width; ++y)
            for (int x = 0; x < m.width; ++x)
                if (m.at(x, y))
                    for (int dy = 0; dy < kPixelsPerModule; ++dy)
                        for (int dx = 0; dx < kPixelsPerModule; ++dx) {
                            const int gx = (x + kQuietZone) * kPixelsPerModule + dx;
                            const int gy = (y + kQuietZone) * kPixelsPerModule + dy;
                            gray[static_cast<std::size_t>(gy * px + gx)] = 0;
                        }
        HPDF_Image image =
            HPDF_LoadRawImageFromMem(pdf.get(), gray.data(), static_cast<HPDF_UINT>(px),
                                     static_cast<HPDF_UINT>(px), HPDF_CS_DEVICE_GRAY, 8);
        if (!image) return failed("to load a QR image");
        const float qr_top = top - 44;
        HPDF_Page_DrawImage(page, image, left + 4, qr_top - kQrSize, kQrSize, kQrSize);

        // Plan, price, validity beside the QR code.
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, helvetica, 8);
        HPDF_Page_SetTextLeading(page, 10);
        HPDF_Page_TextRect(page, left + 8 + kQrSize, qr_top - 4, left + card_w - 6,
                           top - card_h + 6, info.c_str(), HPDF_TALIGN_LEFT, nullptr);
        HPDF_Page_EndText(page);
        // TextRect reports HPDF_PAGE_INSUFFICIENT_SPACE when text is cut: not an error here.
        if (error.error == HPDF_PAGE_INSUFFICIENT_SPACE) {
            error = {0, 0};
            HPDF_ResetError(pdf.get());
        }
        if (error.error != 0) return failed("to draw a card");
    }

    if (HPDF_SaveToStream(pdf.get()) != HPDF_OK) return failed("to write the document");
    std::string out(HPDF_GetStreamSize(pdf.get()), '\0');
    HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
    const HPDF_STATUS read =
        HPDF_ReadFromStream(pdf.get(), reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
    if (read != HPDF_OK && read != HPDF_STREAM_EOF) return failed("to read the document back");
    out.resize(size);
    return out;
}

}  // namespace switchyard::adapters::hotspot
