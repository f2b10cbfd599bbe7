/* MD5 (RFC 1321) for the captive portal: MikroTik's CHAP login sends
 * hex MD5(chap-id + password + chap-challenge), CoovaChilli's UAM sends hex MD5(0x00 + password
 * + challenge). Written here because the portal loads nothing from a CDN.
 * Input is bytes (an array of integers 0..255); output is 32 lower-case hex digits.
 */
(function (global) {
  'use strict';

  // Per-round shift amounts (RFC 1321 section 3.4).
  var S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
  // T[i] = the integer part of 4294967296 * abs(sin(i + 1)), i in radians (section 3.4).
  var T = [];
  for (var t = 0; t < 64; t++) T[t] = Math.floor(Math.abs(Math.sin(t + 1)) * 4294967296) | 0;

  function hexOfWord(w) {
    var out = '';
    for (var i = 0; i < 4; i++) {
      var b = (w >>> (8 * i)) & 0xff;
      out += (b < 16 ? '0' : '') + b.toString(16);
    }
    return out;
  }

  /** MD5 of `bytes` (array of 0..255) as 32 lower-case hex digits. */
  function md5Hex(bytes) {
    var n = bytes.length;
    // Padding (section 3.1) and length (3.2): 16-word blocks, little-endian words.
    var words = (((n + 8) >>> 6) + 1) * 16;
    var m = new Array(words);
    for (var i = 0; i < words; i++) m[i] = 0;
    for (i = 0; i < n; i++) m[i >> 2] |= (bytes[i] & 0xff) << ((i % 4) * 8);
    m[n >> 2] |= 0x80 << ((n % 4) * 8);
    m[words - 2] = (n * 8) | 0;
    m[words - 1] = Math.floor(n / 536870912) | 0;

    var a0 = 0x67452301, b0 = 0xefcdab89 | 0, c0 = 0x98badcfe | 0, d0 = 0x10325476;
    for (var off = 0; off < words; off += 16) {
      var A = a0, B = b0, C = c0, D = d0;
      for (var j = 0; j < 64; j++) {
        var f, g;
        if (j < 16) { f = (B & C) | (~B & D); g = j; }
        else if (j < 32) { f = (D & B) | (~D & C); g = (5 * j + 1) % 16; }
        else if (j < 48) { f = B ^ C ^ D; g = (3 * j + 5) % 16; }
        else { f = C ^ (B | ~D); g = (7 * j) % 16; }
        var x = (A + f + T[j] + m[off + g]) | 0;
        var s = S[(j >> 4) * 4 + (j % 4)];
        A = D;
        D = C;
        C = B;
        B = (B + ((x << s) | (x >>> (32 - s)))) | 0;
      }
      a0 = (a0 + A) | 0;
      b0 = (b0 + B) | 0;
      c0 = (c0 + C) | 0;
      d0 = (d0 + D) | 0;
    }
    return hexOfWord(a0) + hexOfWord(b0) + hexOfWord(c0) + hexOfWord(d0);
  }

  /** The UTF-8 bytes of a JavaScript string. */
  function utf8Bytes(text) {
    var out = [];
    var encoded = new TextEncoder().encode(text);
    for (var i = 0; i < encoded.length; i++) out.push(encoded[i]);
    return out;
  }

  /** The bytes of a "binary string" whose characters are 0..255 (as MikroTik's octal escapes
   * decode to). */
  function binaryBytes(text) {
    var out = [];
    for (var i = 0; i < text.length; i++) out.push(text.charCodeAt(i) & 0xff);
    return out;
  }

  global.PortalMD5 = { md5Hex: md5Hex, utf8Bytes: utf8Bytes, binaryBytes: binaryBytes };
})(window);
