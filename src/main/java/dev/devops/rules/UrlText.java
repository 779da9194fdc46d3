package dev.devops.rules;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Percent-encoding and -decoding for the paths and URLs that rules produce. */
final class UrlText {
  private static final String HEX = "0123456789ABCDEF";

  private UrlText() {}

  /** A decoded value placed in a URL path: everything but unreserved and path characters. */
  static String encodeValue(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        appendEscape(out, c);
      }
    }
    return out.toString();
  }

  /**
   * A URL safe to send in a header: spaces, control characters and non-ASCII are percent-encoded,
   * everything else (including existing escapes) is kept.
   */
  static String safeUrl(String url) {
    StringBuilder out = new StringBuilder(url.length() + 8);
    for (byte b : url.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if (c <= 0x20 || c >= 0x7F) {
        appendEscape(out, c);
      } else {
        out.append((char) c);
      }
    }
    return out.toString();
  }

  private static void appendEscape(StringBuilder out, int c) {
    out.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
  }

  /** Percent-decodes {@code text} as UTF-8; malformed escapes are kept as written. */
  static String decode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    byte[] raw = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '%' && i + 2 < raw.length && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
        bytes.write(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
        i += 2;
      } else {
        bytes.write(raw[i]);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte b) {
    return Character.digit(b, 16);
  }

  static boolean isUrl(String text) {
    return text.startsWith("http://") || text.startsWith("https://");
  }
}
