package dev.devops.rules;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Turning rule file bytes into lines and tokens the way Node's string functions would. */
final class RuleText {
  /** JavaScript's {@code \s}: Unicode white space, including no-break spaces and the BOM. */
  static final Pattern WHITESPACE =
      Pattern.compile(
          "[\\s\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF]+");

  private RuleText() {}

  /** UTF-8 text (malformed bytes become U+FFFD, as Node's {@code readFile(..., 'utf8')}). */
  static String decode(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** JavaScript's {@code String.prototype.trim}. */
  static String trim(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && isSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(start, end);
  }

  static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF';
  }

  static String[] lines(String text) {
    return text.split("\n", -1);
  }
}
