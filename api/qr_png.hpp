#pragma once
/// QR codes as PNG images (libqrencode to encode, libpng to write), e.g. for the `otpauth://`
/// URI of a two-factor setup or a WireGuard configuration.

#include <string>
#include <string_view>

#include "core/result.hpp"

namespace switchyard::api {

/// A PNG (8-bit grayscale) of the QR code of `text`: error correction level M, `scale` pixels
/// per module, a quiet zone of 4 modules.
/// @errors Invalid naming `text` when it does not fit in a QR code (about 2.3 KB of bytes at
///         level M); Internal when encoding fails otherwise.
core::Result<std::string> qr_png(std::string_view text, int scale = 6);

}  // namespace switchyard::api
