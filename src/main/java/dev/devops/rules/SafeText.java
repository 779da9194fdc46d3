package dev.devops.rules;

/**
 * Makes text taken from a rule file safe to print: control and invisible formatting characters
 * become {@code \\uXXXX} escapes, and long fragments are cut.
 */
final class SafeText {
  private SafeText() {}

  static String quote(String text) {
    return quote(text, RuleLimits.MAX_QUOTED_CHARS);
  }

  static String quote(String text, int maxChars) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars) + 8);
    for (int i = 0; i < text.length(); i++) {
      if (out.length() >= maxChars) {
        out.append("...");
        break;
      }
      char c = text.charAt(i);
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
