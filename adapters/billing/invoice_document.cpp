#include "adapters/billing/invoice_document.hpp"

#include <hpdf.h>

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>
#include <string_view>
#include <type_traits>

#include "adapters/pdf/libharu.hpp"
#include "core/billing/invoice.hpp"
#include "core/billing/ledger.hpp"
#include "core/billing/plan.hpp"
#include "core/billing/tax.hpp"
#include "core/text.hpp"

namespace switchyard::adapters::billing {

namespace {

using core::Errc;
using core::html_escape;
using pdf::HpdfError;
using pdf::on_hpdf_error;
using pdf::to_win_ansi;

constexpr std::size_t kMaxText = 2000;  // bytes of a free text (name, address, note, footer)
constexpr std::size_t kMaxShort = 64;   // bytes of a number, a VAT id, a promo code, a status

// ---- checks ----

/// Checks one text: required or not, at most `max` bytes, UTF-8, no control characters but
/// newlines when `multiline`.
core::Result<void> check_text(const std::string& field, std::string_view s, std::size_t max,
                              bool required, bool multiline) {
    if (required && s.empty()) return core::fail(Errc::Invalid, field, "is required");
    if (s.size() > max)
        return core::fail(Errc::Invalid, field, fmt::format("is longer than {} bytes", max));
    if (!core::is_valid_utf8(s)) return core::fail(Errc::Invalid, field, "is not valid UTF-8");
    bool control = false;
    if (multiline) {
        std::size_t start = 0;
        while (!control) {
            const std::size_t nl = s.find('\n', start);
            control = core::has_control_chars(s.substr(start, nl - start));
            if (nl == std::string_view::npos) break;
            start = nl + 1;
        }
    } else {
        control = core::has_control_chars(s);
    }
    if (control)
        return core::fail(Errc::Invalid, field,
                          multiline ? "holds a control character other than a newline"
                                    : "holds a control character");
    return {};
}

/// True for an RFC 3339 full-date naming a day of the calendar: `2026-12-03`.
bool valid_full_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9') return false;
    auto number = [&](std::size_t at, std::size_t n) {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
        return v;
    };
    const std::chrono::year_month_day day{std::chrono::year{number(0, 4)},
                                          std::chrono::month{static_cast<unsigned>(number(5, 2))},
                                          std::chrono::day{static_cast<unsigned>(number(8, 2))}};
    return day.ok();
}

core::Result<void> check_party(const DocumentParty& p, const std::string& who) {
    SY_TRY(check_text(who + ".name", p.name, kMaxText, true, false));
    SY_TRY(check_text(who + ".address", p.address, kMaxText, false, true));
    if (!p.country.empty() &&
        !(p.country.size() == 2 && std::all_of(p.country.begin(), p.country.end(),
                                               [](char c) { return c >= 'A' && c <= 'Z'; })))
        return core::fail(Errc::Invalid, who + ".country",
                          "must be empty or an ISO 3166-1 alpha-2 code such as DE");
    SY_TRY(check_text(who + ".vat_id", p.vat_id, kMaxShort, false, false));
    SY_TRY(check_text(who + ".email", p.email, kMaxText, false, false));
    return {};
}

// ---- texts ----

/// A tax rate in parts per million as a percentage: 190'000 -> `19 %`, 72'500 -> `7.25 %`.
std::string format_rate(std::int64_t ppm) {
    const bool negative = ppm < 0;
    const std::uint64_t m = negative ? 0 - static_cast<std::uint64_t>(ppm) : ppm;
    std::string out = (negative ? "-" : "") + std::to_string(m / 10'000);
    if (const std::uint64_t rest = m % 10'000; rest != 0) {
        std::string digits = fmt::format("{:04}", rest);
        while (digits.back() == '0') digits.pop_back();
        out += "." + digits;
    }
    return out + " %";
}

std::string title_of(const InvoiceDocument& doc) {
    return doc.credit_note ? "Credit note" : "Invoice";
}

std::string tax_label(const InvoiceDocument& doc) {
    std::string label = "Tax (" + format_rate(doc.tax_rate_ppm);
    if (!doc.tax_jurisdiction.empty()) label += ", " + doc.tax_jurisdiction;
    return label + ")";
}

std::string discount_label(const InvoiceDocument& doc) {
    return doc.promo_code.empty() ? "Discount" : "Discount (promo code " + doc.promo_code + ")";
}

bool shows_discount(const InvoiceDocument& doc) {
    return doc.discount_micros != 0 || !doc.promo_code.empty();
}

/// The lines of a party block below its name: address lines, country (not `ZZ`, ISO 3166's
/// unknown country), VAT id, email.
std::vector<std::string> party_lines(const DocumentParty& p) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= p.address.size() && !p.address.empty()) {
        const std::size_t nl = p.address.find('\n', start);
        out.push_back(p.address.substr(start, nl - start));
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    if (!p.country.empty() && p.country != "ZZ") out.push_back(p.country);
    if (!p.vat_id.empty()) out.push_back("VAT id: " + p.vat_id);
    if (!p.email.empty()) out.push_back(p.email);
    return out;
}

// ---- HTML ----

/// Escaped, each newline a `<br>`.
std::string html_lines(std::string_view s) {
    std::string out;
    std::size_t start = 0;
    while (true) {
        const std::size_t nl = s.find('\n', start);
        out += html_escape(s.substr(start, nl - start));
        if (nl == std::string_view::npos) break;
        out += "<br>\n";
        start = nl + 1;
    }
    return out;
}

std::string html_party(const DocumentParty& p, const char* css_class, const char* label) {
    std::string out = fmt::format("<div class=\"party {}\">\n", css_class);
    if (label[0] != '\0') out += fmt::format("<div class=\"label\">{}</div>\n", label);
    out += fmt::format("<div class=\"name\">{}</div>\n", html_escape(p.name));
    for (const auto& line : party_lines(p))
        out += fmt::format("<div>{}</div>\n", html_escape(line));
    return out + "</div>\n";
}

/// A CSS class for the stamp: the known statuses by name, any other `other`.
const char* stamp_class(const std::string& status) {
    for (const char* known : {"paid", "open", "credited", "void", "uncollectible"})
        if (core::ascii_lower(status) == known) return known;
    return "other";
}

// ---- PDF ----

/// A standard font with the widths of its 256 WinAnsi bytes, in 1/1000 of the font size.
struct Font {
    HPDF_Font font = nullptr;
    std::array<float, 256> widths{};

    void load(HPDF_Font f) {
        font = f;
        if (!f) return;
        for (std::size_t b = 0; b < widths.size(); ++b) {
            const auto byte = static_cast<HPDF_BYTE>(b);
            widths[b] = static_cast<float>(HPDF_Font_TextWidth(f, &byte, 1).width);
        }
    }
    float width(std::string_view s, float size) const {
        float w = 0;
        for (char c : s) w += widths[static_cast<unsigned char>(c)];
        return w * size / 1000.0f;
    }
    float width(char c, float size) const {
        return widths[static_cast<unsigned char>(c)] * size / 1000.0f;
    }
};

// A4 in points; 14 mm margins; the running footer below kBottom.
constexpr float kMargin = 40.0f;
constexpr float kBottom = 60.0f;
constexpr float kFooterBaseline = 30.0f;
constexpr float kBodySize = 9.0f, kBodyLeading = 11.5f;
constexpr float kTableSize = 8.5f, kTableLeading = 11.0f, kCellPad = 3.0f;
constexpr float kHeaderRowHeight = 16.0f;

/// The table's columns; the description takes the width the others leave.
struct Column {
    const char* label;
    float width;
};
constexpr std::array<Column, 7> kColumns{{{"Description", 0},
                                          {"Qty", 32},
                                          {"Unit price", 64},
                                          {"Discount", 60},
                                          {"Net", 64},
                                          {"Tax", 60},
                                          {"Total", 66}}};

/// Lays the document out top to bottom, opening a page when the next piece does not fit.
class PdfWriter {
  public:
    explicit PdfWriter(const InvoiceDocument& doc) : doc_(doc) {}

    core::Result<std::string> render() {
        pdf_.reset(HPDF_New(on_hpdf_error, &error_));
        if (!pdf_) return failed("to create a document");
        HPDF_SetCompressionMode(pdf_.get(), HPDF_COMP_ALL);
        HPDF_SetInfoAttr(pdf_.get(), HPDF_INFO_CREATOR, "Switchyard");
        HPDF_SetInfoAttr(pdf_.get(), HPDF_INFO_TITLE,
                         to_win_ansi(title_of(doc_) + " " + doc_.invoice_number).c_str());
        regular_.load(HPDF_GetFont(pdf_.get(), "Helvetica", "WinAnsiEncoding"));
        bold_.load(HPDF_GetFont(pdf_.get(), "Helvetica-Bold", "WinAnsiEncoding"));
        if (error_.error != 0 || !regular_.font || !bold_.font)
            return failed("to load the standard fonts");

        add_page();
        if (page_ == nullptr || error_.error != 0) return failed("to add a page");
        width_ = right() - kMargin;
        heading();
        table();
        totals();
        notes();
        page_numbers();
        if (error_.error != 0) return failed("to draw the document");

        if (HPDF_SaveToStream(pdf_.get()) != HPDF_OK) return failed("to write the document");
        std::string out(HPDF_GetStreamSize(pdf_.get()), '\0');
        auto size = static_cast<HPDF_UINT32>(out.size());
        const HPDF_STATUS read =
            HPDF_ReadFromStream(pdf_.get(), reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
        if (read != HPDF_OK && read != HPDF_STREAM_EOF) return failed("to read the document back");
        out.resize(size);
        return out;
    }

  private:
    core::Result<std::string> failed(const char* what) const {
        return core::fail(Errc::Internal, "pdf",
                          fmt::format("libharu failed {}: error 0x{:04X}, detail {}", what,
                                      error_.error, error_.detail));
    }

    float right() const { return page_w_ - kMargin; }

    void add_page() {
        page_ = HPDF_AddPage(pdf_.get());
        if (!page_) return;
        HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
        page_w_ = HPDF_Page_GetWidth(page_);
        y_ = HPDF_Page_GetHeight(page_) - kMargin;
        pages_.push_back(page_);
        if (pages_.size() > 1) {
            // A continuation page names the document at its top.
            HPDF_Page_SetGrayFill(page_, 0.35f);
            text(regular_, 8, kMargin, y_ - 8,
                 to_win_ansi(title_of(doc_) + " " + doc_.invoice_number + " (continued)"));
            HPDF_Page_SetGrayFill(page_, 0.0f);
            y_ -= 24;
        }
        if (in_table_) table_header();
    }

    /// Opens a page unless `height` points still fit above the bottom margin.
    void need(float height) {
        if (y_ - height < kBottom) add_page();
    }

    void text(const Font& f, float size, float x, float baseline, const std::string& s) {
        if (s.empty() || !page_) return;
        HPDF_Page_BeginText(page_);
        HPDF_Page_SetFontAndSize(page_, f.font, size);
        HPDF_Page_TextOut(page_, x, baseline, s.c_str());
        HPDF_Page_EndText(page_);
    }

    /// `s` between `left` and `right` (right-aligned when `align_right`), in a smaller size when
    /// it would not fit.
    void text_in(const Font& f, float size, float left, float right, float baseline,
                 const std::string& s, bool align_right) {
        const float room = right - left;
        float w = f.width(s, size);
        if (w > room && w > 0) {
            size = std::max(4.0f, size * room / w);
            w = f.width(s, size);
        }
        text(f, size, align_right ? right - w : left, baseline, s);
    }

    /// `s` (WinAnsi) broken into lines of at most `max_width` points: at its newlines, at spaces,
    /// and inside a word longer than a line.
    std::vector<std::string> wrap(const Font& f, float size, float max_width,
                                  std::string_view s) const {
        std::vector<std::string> out;
        std::size_t para_start = 0;
        while (true) {
            const std::size_t nl = s.find('\n', para_start);
            const std::string_view p = s.substr(para_start, nl - para_start);
            std::size_t start = 0;
            while (true) {
                float w = 0;
                std::size_t i = start, last_space = std::string_view::npos;
                while (i < p.size() && w + f.width(p[i], size) <= max_width) {
                    if (p[i] == ' ') last_space = i;
                    w += f.width(p[i], size);
                    ++i;
                }
                if (i == p.size()) {
                    out.emplace_back(p.substr(start));
                    break;
                }
                std::size_t end = i;
                if (p[i] != ' ' && last_space != std::string_view::npos && last_space > start)
                    end = last_space;
                end = std::max(end, start + 1);
                out.emplace_back(p.substr(start, end - start));
                start = end;
                while (start < p.size() && p[start] == ' ') ++start;
                if (start == p.size()) break;
            }
            if (nl == std::string_view::npos) break;
            para_start = nl + 1;
        }
        return out;
    }

    /// Lines of text flowing down from the current position, a page opened when one does not fit.
    void flow(const Font& f, float size, float leading, float left, float max_width,
              const std::string& utf8) {
        for (const auto& line : wrap(f, size, max_width, to_win_ansi(utf8))) {
            need(leading);
            text(f, size, left, y_ - size, line);
            y_ -= leading;
        }
    }

    void party(const DocumentParty& p, float left, float max_width) {
        flow(bold_, 10.5f, 13.0f, left, max_width, p.name);
        for (const auto& line : party_lines(p))
            flow(regular_, kBodySize, kBodyLeading, left, max_width, line);
    }

    /// Seller top left; title, number, dates and status stamp top right; the buyer below.
    void heading() {
        const float top = y_;
        const float column = width_ * 0.48f;
        const float right_left = right() - column;

        // The right column first: it stays on the first page.
        float yr = top;
        text_in(bold_, 20, right_left, right(), yr - 18, title_of(doc_), false);
        yr -= 30;
        text_in(bold_, 11, right_left, right(), yr - 11, to_win_ansi("No. " + doc_.invoice_number),
                false);
        yr -= 17;
        std::vector<std::string> meta{"Issue date: " + doc_.issue_date};
        if (!doc_.due_date.empty()) meta.push_back("Due date: " + doc_.due_date);
        if (doc_.credit_note) meta.push_back("Credits invoice " + doc_.credited_invoice_number);
        for (const auto& m : meta) {
            text_in(regular_, kBodySize, right_left, right(), yr - kBodySize, to_win_ansi(m),
                    false);
            yr -= kBodyLeading;
        }
        if (!doc_.status.empty()) yr = stamp(right_left, yr - 8);

        // The seller, flowing down the left column.
        party(doc_.seller, kMargin, column);
        if (pages_.size() == 1) y_ = std::min(y_, yr);
        y_ -= 22;

        need(12);
        HPDF_Page_SetGrayFill(page_, 0.35f);
        text(regular_, 7.5f, kMargin, y_ - 7.5f, "BILL TO");
        HPDF_Page_SetGrayFill(page_, 0.0f);
        y_ -= 12;
        party(doc_.buyer, kMargin, column);
        y_ -= 18;
    }

    /// The status as a framed stamp whose top is at `top`; returns its bottom.
    float stamp(float left, float top) {
        const std::string label = to_win_ansi(core::ascii_upper(doc_.status));
        const std::string kind = stamp_class(doc_.status);
        float r = 0.6f, g = 0.1f, b = 0.1f;
        if (kind == "paid") r = 0.05f, g = 0.5f, b = 0.2f;
        if (kind == "open") r = 0.2f, g = 0.3f, b = 0.6f;
        if (kind == "credited" || kind == "void") r = g = b = 0.4f;
        constexpr float kSize = 14, kHeight = 24;
        const float max_w = right() - left;
        const float w = std::min(bold_.width(label, kSize) + 16, max_w);
        HPDF_Page_SetRGBStroke(page_, r, g, b);
        HPDF_Page_SetRGBFill(page_, r, g, b);
        HPDF_Page_SetLineWidth(page_, 1.5f);
        HPDF_Page_Rectangle(page_, left, top - kHeight, w, kHeight);
        HPDF_Page_Stroke(page_);
        text_in(bold_, kSize, left + 8, left + w - 8, top - 17, label, false);
        HPDF_Page_SetRGBFill(page_, 0, 0, 0);
        HPDF_Page_SetRGBStroke(page_, 0, 0, 0);
        return top - kHeight;
    }

    float description_width() const {
        float fixed = 0;
        for (const auto& c : kColumns) fixed += c.width;
        return width_ - fixed;
    }

    /// The column's left edge and width.
    std::pair<float, float> column(std::size_t i) const {
        float left = kMargin;
        for (std::size_t k = 0; k < i; ++k)
            left += k == 0 ? description_width() : kColumns[k].width;
        return {left, i == 0 ? description_width() : kColumns[i].width};
    }

    void table_header() {
        HPDF_Page_SetGrayFill(page_, 0.9f);
        HPDF_Page_Rectangle(page_, kMargin, y_ - kHeaderRowHeight, width_, kHeaderRowHeight);
        HPDF_Page_Fill(page_);
        HPDF_Page_SetGrayFill(page_, 0.0f);
        for (std::size_t i = 0; i < kColumns.size(); ++i) {
            const auto [left, w] = column(i);
            text_in(bold_, 8, left + kCellPad, left + w - kCellPad, y_ - 11, kColumns[i].label,
                    i != 0);
        }
        y_ -= kHeaderRowHeight;
    }

    void rule(float x0, float x1, float gray, float width) {
        HPDF_Page_SetGrayStroke(page_, gray);
        HPDF_Page_SetLineWidth(page_, width);
        HPDF_Page_MoveTo(page_, x0, y_);
        HPDF_Page_LineTo(page_, x1, y_);
        HPDF_Page_Stroke(page_);
        HPDF_Page_SetGrayStroke(page_, 0.0f);
    }

    void table() {
        const std::string currency_line =
            "Amounts in " + doc_.currency + (doc_.tax_inclusive ? "; prices include tax" : "");
        need(12 + kHeaderRowHeight + kTableLeading + 2 * kCellPad);
        text(regular_, 8, kMargin, y_ - 8, currency_line);
        y_ -= 12;
        table_header();
        in_table_ = true;
        // The most a fresh page holds below the continuation line and the table header.
        const float fresh =
            HPDF_Page_GetHeight(page_) - 2 * kMargin - 24 - kHeaderRowHeight - (kBottom - kMargin);
        for (const auto& line : doc_.lines) {
            const auto [desc_left, desc_w] = column(0);
            const auto desc =
                wrap(regular_, kTableSize, desc_w - 2 * kCellPad, to_win_ansi(line.description));
            const float height = static_cast<float>(desc.size()) * kTableLeading + 2 * kCellPad;
            if (y_ - height < kBottom && height <= fresh) add_page();  // keep the row together
            y_ -= kCellPad;
            for (std::size_t k = 0; k < desc.size(); ++k) {
                if (y_ - kTableLeading < kBottom) add_page();
                const float baseline = y_ - kTableSize;
                text(regular_, kTableSize, desc_left + kCellPad, baseline, desc[k]);
                if (k == 0) {
                    const std::string cells[] = {
                        std::to_string(line.quantity),
                        format_amount(line.unit_amount_micros, doc_.currency),
                        format_amount(line.discount_micros, doc_.currency),
                        format_amount(line.net_micros, doc_.currency),
                        format_amount(line.tax_micros, doc_.currency),
                        format_amount(line.total_micros, doc_.currency)};
                    for (std::size_t c = 1; c < kColumns.size(); ++c) {
                        const auto [left, w] = column(c);
                        text_in(regular_, kTableSize, left + kCellPad, left + w - kCellPad,
                                baseline, cells[c - 1], true);
                    }
                }
                y_ -= kTableLeading;
            }
            y_ -= kCellPad;
            rule(kMargin, right(), 0.75f, 0.5f);
        }
        in_table_ = false;
    }

    void totals() {
        std::vector<std::pair<std::string, std::string>> rows{
            {"Subtotal", format_amount(doc_.subtotal_micros, doc_.currency)}};
        if (shows_discount(doc_))
            rows.emplace_back(discount_label(doc_),
                              format_amount(doc_.discount_micros, doc_.currency));
        rows.emplace_back("Net", format_amount(doc_.net_micros, doc_.currency));
        rows.emplace_back(tax_label(doc_), format_amount(doc_.tax_micros, doc_.currency));
        constexpr float kRow = 13.0f;
        need(10 + kRow * static_cast<float>(rows.size()) + 22);
        y_ -= 10;
        const float label_left = right() - 260, value_left = right() - 110;
        for (const auto& [label, value] : rows) {
            text_in(regular_, kBodySize, label_left, value_left - 6, y_ - kBodySize,
                    to_win_ansi(label), false);
            text_in(regular_, kBodySize, value_left, right(), y_ - kBodySize, value, true);
            y_ -= kRow;
        }
        y_ -= 3;
        rule(label_left, right(), 0.0f, 0.8f);
        y_ -= 5;
        text_in(bold_, 11, label_left, value_left - 6, y_ - 11, "Total (" + doc_.currency + ")",
                false);
        text_in(bold_, 11, value_left, right(), y_ - 11,
                format_amount(doc_.total_micros, doc_.currency) + " " + doc_.currency, true);
        y_ -= 26;
    }

    void notes() {
        if (doc_.reverse_charge) {
            need(14);
            text(bold_, 10, kMargin, y_ - 10, "Reverse charge");
            y_ -= 14;
        }
        if (!doc_.tax_note.empty())
            flow(regular_, kBodySize, kBodyLeading, kMargin, width_, doc_.tax_note);
        if (doc_.reverse_charge || !doc_.tax_note.empty()) y_ -= 10;
        if (!doc_.footer.empty()) {
            need(8 + kBodyLeading);
            rule(kMargin, right(), 0.6f, 0.5f);
            y_ -= 8;
            flow(regular_, 8, 10, kMargin, width_, doc_.footer);
        }
    }

    /// `<number>` and `Page i of n` at the bottom of every page.
    void page_numbers() {
        const std::string name = to_win_ansi(title_of(doc_) + " " + doc_.invoice_number);
        for (std::size_t i = 0; i < pages_.size(); ++i) {
            page_ = pages_[i];
            HPDF_Page_SetGrayFill(page_, 0.35f);
            const std::string number = fmt::format("Page {} of {}", i + 1, pages_.size());
            const float number_w = regular_.width(number, 8);
            text_in(regular_, 8, kMargin, right() - number_w - 12, kFooterBaseline, name, false);
            text(regular_, 8, right() - number_w, kFooterBaseline, number);
        }
    }

    const InvoiceDocument& doc_;
    HpdfError error_;
    std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, void (*)(HPDF_Doc)> pdf_{
        nullptr, [](HPDF_Doc d) { HPDF_Free(d); }};
    Font regular_, bold_;
    std::vector<HPDF_Page> pages_;
    HPDF_Page page_ = nullptr;
    float page_w_ = 0, width_ = 0, y_ = 0;
    bool in_table_ = false;
};

}  // namespace

std::string format_amount(std::int64_t micros, const std::string& currency) {
    const int digits = core::billing::minor_unit_digits(currency);
    std::uint64_t per_minor = 1, per_unit = 1;
    for (int i = digits; i < 6; ++i) per_minor *= 10;
    for (int i = 0; i < digits; ++i) per_unit *= 10;
    const bool negative = micros < 0;
    const std::uint64_t magnitude =
        negative ? 0 - static_cast<std::uint64_t>(micros) : static_cast<std::uint64_t>(micros);
    const std::uint64_t minor = magnitude / per_minor;  // toward zero
    std::string out = negative && minor != 0 ? "-" : "";
    out += std::to_string(minor / per_unit);
    if (digits > 0) out += fmt::format(".{:0{}}", minor % per_unit, digits);
    return out;
}

core::Result<void> check_invoice_document(const InvoiceDocument& doc) {
    SY_TRY(check_text("invoice_number", doc.invoice_number, kMaxShort, true, false));
    SY_TRY(check_text("credited_invoice_number", doc.credited_invoice_number, kMaxShort,
                      doc.credit_note, false));
    if (!valid_full_date(doc.issue_date))
        return core::fail(Errc::Invalid, "issue_date",
                          "must be a calendar date written YYYY-MM-DD (RFC 3339 full-date)");
    if (!doc.due_date.empty() && !valid_full_date(doc.due_date))
        return core::fail(Errc::Invalid, "due_date",
                          "must be empty or a calendar date written YYYY-MM-DD");
    if (!core::billing::valid_currency(doc.currency))
        return core::fail(Errc::Invalid, "currency",
                          "must be an ISO 4217 code of three upper-case letters such as EUR");
    SY_TRY(check_party(doc.seller, "seller"));
    SY_TRY(check_party(doc.buyer, "buyer"));
    if (doc.lines.empty() || doc.lines.size() > core::billing::kMaxInvoiceLines)
        return core::fail(Errc::Invalid, "lines",
                          fmt::format("{} lines: a document has 1 to {}", doc.lines.size(),
                                      core::billing::kMaxInvoiceLines));
    for (std::size_t i = 0; i < doc.lines.size(); ++i)
        SY_TRY(check_text(fmt::format("lines[{}].description", i), doc.lines[i].description,
                          kMaxText, true, false));
    if (doc.tax_rate_ppm < 0 || doc.tax_rate_ppm > 1'000'000)
        return core::fail(Errc::Invalid, "tax_rate_ppm",
                          "must be 0 to 1000000 parts per million (19 % is 190000)");
    if (!doc.tax_jurisdiction.empty() && !core::billing::valid_jurisdiction(doc.tax_jurisdiction))
        return core::fail(Errc::Invalid, "tax_jurisdiction",
                          "must be empty, a country such as DE or a country and region such as "
                          "US-CA");
    SY_TRY(check_text("tax_note", doc.tax_note, kMaxText, false, false));
    SY_TRY(check_text("promo_code", doc.promo_code, kMaxShort, false, false));
    SY_TRY(check_text("status", doc.status, kMaxShort, false, false));
    SY_TRY(check_text("footer", doc.footer, kMaxText, false, true));
    return {};
}

core::Result<std::string> render_invoice_html(const InvoiceDocument& doc) {
    SY_TRY(check_invoice_document(doc));
    const std::string& cur = doc.currency;

    std::string meta = fmt::format("<div>Issue date: {}</div>\n", html_escape(doc.issue_date));
    if (!doc.due_date.empty())
        meta += fmt::format("<div>Due date: {}</div>\n", html_escape(doc.due_date));
    if (doc.credit_note)
        meta += fmt::format("<div class=\"credits\">Credits invoice {}</div>\n",
                            html_escape(doc.credited_invoice_number));
    if (!doc.status.empty())
        meta += fmt::format("<div class=\"stamp {}\">{}</div>\n", stamp_class(doc.status),
                            html_escape(core::ascii_upper(doc.status)));

    std::string rows;
    for (const auto& l : doc.lines)
        rows += fmt::format(
            "<tr><td class=\"desc\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
            "<td>{}</td><td>{}</td></tr>\n",
            html_escape(l.description), l.quantity, format_amount(l.unit_amount_micros, cur),
            format_amount(l.discount_micros, cur), format_amount(l.net_micros, cur),
            format_amount(l.tax_micros, cur), format_amount(l.total_micros, cur));

    std::string totals = fmt::format("<tr><th>Subtotal</th><td>{}</td></tr>\n",
                                     format_amount(doc.subtotal_micros, cur));
    if (shows_discount(doc))
        totals += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", html_escape(discount_label(doc)),
                              format_amount(doc.discount_micros, cur));
    totals += fmt::format("<tr><th>Net</th><td>{}</td></tr>\n", format_amount(doc.net_micros, cur));
    totals += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", html_escape(tax_label(doc)),
                          format_amount(doc.tax_micros, cur));
    totals += fmt::format("<tr class=\"total\"><th>Total ({0})</th><td>{1} {0}</td></tr>\n", cur,
                          format_amount(doc.total_micros, cur));

    std::string notes;
    if (doc.reverse_charge || !doc.tax_note.empty()) {
        notes += "<p class=\"tax-note\">";
        if (doc.reverse_charge) notes += "<strong>Reverse charge</strong>";
        if (doc.reverse_charge && !doc.tax_note.empty()) notes += "<br>\n";
        notes += html_escape(doc.tax_note) + "</p>\n";
    }
    if (!doc.footer.empty()) notes += fmt::format("<footer>{}</footer>\n", html_lines(doc.footer));

    return fmt::format(
        R"(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{0} {1}</title>
<style>
@page {{ size: A4; margin: 14mm; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; font-size: 9.5pt; color: #000; background: #fff; }}
@media screen {{ body {{ max-width: 182mm; margin: 10mm auto; padding: 0 4mm; }} }}
.top {{ display: flex; justify-content: space-between; gap: 8mm; }}
.party {{ max-width: 48%; line-height: 1.35; overflow-wrap: anywhere; }}
.party .name {{ font-weight: bold; font-size: 11pt; }}
.party .label {{ font-size: 7.5pt; color: #555; text-transform: uppercase; }}
.heading {{ text-align: left; min-width: 45%; }}
h1 {{ margin: 0 0 2mm; font-size: 20pt; }}
.number {{ font-weight: bold; font-size: 11pt; margin-bottom: 1mm; }}
.stamp {{ display: inline-block; margin-top: 3mm; padding: 1mm 3mm; border: 0.5mm solid #991a1a; color: #991a1a; font-weight: bold; font-size: 14pt; transform: rotate(-4deg); }}
.stamp.paid {{ border-color: #0d8033; color: #0d8033; }}
.stamp.open {{ border-color: #334d99; color: #334d99; }}
.stamp.credited, .stamp.void {{ border-color: #666; color: #666; }}
.buyer {{ margin-top: 8mm; }}
.currency {{ margin-top: 6mm; font-size: 8pt; }}
table.lines {{ width: 100%; border-collapse: collapse; margin-top: 1mm; }}
table.lines th {{ background: #e6e6e6; font-size: 8pt; text-align: right; padding: 1.2mm; }}
table.lines th:first-child, table.lines td.desc {{ text-align: left; }}
table.lines td {{ text-align: right; padding: 1.2mm; border-bottom: 0.2mm solid #bfbfbf; vertical-align: top; }}
table.lines td {{ white-space: nowrap; }}
table.lines td.desc {{ white-space: normal; overflow-wrap: anywhere; }}
table.lines tr {{ break-inside: avoid; page-break-inside: avoid; }}
thead {{ display: table-header-group; }}
table.totals {{ margin: 4mm 0 0 auto; border-collapse: collapse; min-width: 90mm; }}
table.totals th {{ text-align: left; font-weight: normal; padding: 0.8mm 4mm 0.8mm 0; }}
table.totals td {{ text-align: right; padding: 0.8mm 0; }}
table.totals tr.total th, table.totals tr.total td {{ font-weight: bold; font-size: 11pt; border-top: 0.3mm solid #000; padding-top: 1.5mm; }}
.tax-note {{ margin-top: 6mm; overflow-wrap: anywhere; }}
footer {{ margin-top: 6mm; padding-top: 2mm; border-top: 0.2mm solid #999; font-size: 8pt; overflow-wrap: anywhere; }}
</style>
</head>
<body>
<div class="top">
{2}<div class="heading">
<h1>{0}</h1>
<div class="number">No. {1}</div>
{3}</div>
</div>
{4}<div class="currency">Amounts in {5}{6}</div>
<table class="lines">
<thead><tr><th>Description</th><th>Qty</th><th>Unit price</th><th>Discount</th><th>Net</th><th>Tax</th><th>Total</th></tr></thead>
<tbody>
{7}</tbody>
</table>
<table class="totals">
{8}</table>
{9}</body>
</html>
)",
        title_of(doc), html_escape(doc.invoice_number), html_party(doc.seller, "seller", ""), meta,
        html_party(doc.buyer, "buyer", "Bill to"), cur,
        doc.tax_inclusive ? "; prices include tax" : "", rows, totals, notes);
}

core::Result<std::string> render_invoice_pdf(const InvoiceDocument& doc) {
    SY_TRY(check_invoice_document(doc));
    return PdfWriter(doc).render();
}

}  // namespace switchyard::adapters::billing
