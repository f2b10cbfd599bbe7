#pragma once
/// The printable voucher sheet of a voucher batch (issue 13 item 3): a grid of cards, one per
/// voucher, each with the code, the plan, the price, the validity and a QR code of the captive
/// portal's login URL for that code (scanning it opens the portal with the code filled in and
/// submitted). Two renderings of the same cards: HTML made for printing (CSS `@page`, the QR
/// codes as inline SVG) and PDF (libharu, Debian `libhpdf-dev`). QR codes by libqrencode,
/// error correction level M.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace switchyard::adapters::hotspot {

/// What goes on a voucher sheet. Texts are UTF-8.
struct VoucherSheet {
    /// The voucher codes, one card each, in this order; 1 to kMaxVoucherSheetCodes codes of 1 to
    /// 64 characters from `[A-Za-z0-9_-]` (core::hotspot::kVoucherAlphabet plus a prefix).
    std::vector<std::string> codes;
    std::string title;      ///< Printed at the top of each card, e.g. `Hotel Aurora Wi-Fi`.
    std::string plan_name;  ///< e.g. `Day pass`.
    std::string price;      ///< As printed, e.g. `2.50 EUR`; may be empty.
    std::string validity;   ///< As printed, e.g. `24 hours from first login`; may be empty.
    /// The portal login URL with `{code}` where the code goes (percent-encoded), e.g.
    /// `https://wifi.example.net/portal/?voucher={code}&autologin=1`. Must start with
    /// `http://` or `https://` and contain `{code}` at least once.
    std::string login_url_template;
};

/// The most codes one sheet takes (a batch holds at most 10,000 vouchers, core/hotspot/model.hpp).
inline constexpr std::size_t kMaxVoucherSheetCodes = 10000;

/// Cards per PDF page: 3 columns by 5 rows on A4.
inline constexpr std::size_t kVoucherCardsPerPdfPage = 15;

/// The login URL of one voucher: `login_url_template` with every `{code}` replaced by `code`,
/// percent-encoded (RFC 3986 unreserved characters stay as they are).
std::string voucher_login_url(std::string_view login_url_template, std::string_view code);

/// Checks a sheet: the codes (count, length, characters), the URL template, the text lengths.
/// @errors Invalid naming `codes`, `codes[i]`, `login_url_template`, `title`, `plan_name`,
///         `price` or `validity` and saying why.
core::Result<void> check_voucher_sheet(const VoucherSheet& sheet);

/// The sheet as one HTML document made for printing: A4 `@page` with 10 mm margins, cards in a
/// grid that does not break inside a card, each QR code an inline `<svg>` (one path of dark
/// modules, quiet zone of 4 modules). All text is HTML-escaped.
/// @errors As check_voucher_sheet; Invalid naming `codes[i]` when a login URL does not fit in a
///         QR code.
core::Result<std::string> render_voucher_sheet_html(const VoucherSheet& sheet);

/// The sheet as a PDF document (bytes): A4 pages of kVoucherCardsPerPdfPage cards, so
/// ceil(codes / 15) pages; each QR code an 8-bit DeviceGray image, 4 pixels per module with a
/// quiet zone of 4 modules, drawn 25 mm square. Text in the standard Helvetica
/// and Courier fonts with WinAnsiEncoding: characters outside Windows-1252 print as `?`.
/// @errors As render_voucher_sheet_html; Internal when libharu fails (its error number named).
/// @thread safe (each call has its own libharu document).
core::Result<std::string> render_voucher_sheet_pdf(const VoucherSheet& sheet);

}  // namespace switchyard::adapters::hotspot
