#include "api/qr_png.hpp"

#include <png.h>
#include <qrencode.h>

#include <memory>
#include <vector>

namespace switchyard::api {

namespace {

void append_png(png_structp png, png_bytep data, png_size_t length) {
    auto* out = static_cast<std::string*>(png_get_io_ptr(png));
    out->append(reinterpret_cast<const char*>(data), length);
}

}  // namespace

core::Result<std::string> qr_png(std::string_view text, int scale) {
    const std::string input(text);
    std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
        QRcode_encodeString8bit(input.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!qr) {
        if (errno == ERANGE)
            return core::fail(core::Errc::Invalid, "text", "is too long for a QR code");
        return core::fail(core::Errc::Internal, "text", "the QR code could not be made");
    }
    constexpr int kQuiet = 4;
    const int modules = qr->width + 2 * kQuiet;
    const int side = modules * scale;
    std::vector<png_byte> row(static_cast<std::size_t>(side));

    std::string out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!png || !info) {
        png_destroy_write_struct(&png, &info);
        return core::fail(core::Errc::Internal, "png", "libpng cannot start");
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return core::fail(core::Errc::Internal, "png", "libpng failed");
    }
    png_set_write_fn(png, &out, append_png, nullptr);
    png_set_IHDR(png, info, static_cast<png_uint_32>(side), static_cast<png_uint_32>(side), 8,
                 PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (int y = 0; y < side; ++y) {
        const int my = y / scale - kQuiet;
        for (int x = 0; x < side; ++x) {
            const int mx = x / scale - kQuiet;
            const bool dark = mx >= 0 && my >= 0 && mx < qr->width && my < qr->width &&
                              (qr->data[my * qr->width + mx] & 1);
            row[static_cast<std::size_t>(x)] = dark ? 0 : 255;
        }
        png_write_row(png, row.data());
    }
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

}  // namespace switchyard::api
