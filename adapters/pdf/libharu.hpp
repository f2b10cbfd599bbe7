#pragma once
/// What the PDF renderers (voucher sheets, invoices) share around libharu (Debian
/// `libhpdf-dev`): text for its standard fonts, and the first error a document reported.

#include <hpdf.h>

#include <string>
#include <string_view>

namespace switchyard::adapters::pdf {

/// UTF-8 to Windows-1252, the WinAnsiEncoding of PDF's standard fonts (PDF 1.7 Annex D): a code
/// point it lacks, and a byte that is not UTF-8, becomes `?`.
std::string to_win_ansi(std::string_view s);

/// The first error libharu reported for a document (its error and detail numbers, libharu's
/// hpdf_error.h); 0 while none.
struct HpdfError {
    HPDF_STATUS error = 0;
    HPDF_STATUS detail = 0;
};

/// libharu's error handler: keeps the first error in the HpdfError that `user_data` points to
/// (pass it to HPDF_New). Never throws nor jumps.
void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data);

}  // namespace switchyard::adapters::pdf
