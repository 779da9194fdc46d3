package dev.devops.util;

/**
 * The one sanitiser of text from outside (the API, files, the environment) on its way to a
 * terminal: every control character, line or paragraph separator and invisible formatting character
 * (bidirectional overrides and isolates, zero-width characters, tags) is shown as a {@code \\uXXXX}
 * escape instead of acting on the screen. {@code dev.devops.cli.Text.clean} is its name in the
 * views; JSON output keeps the data as it is (JSON escapes it).
 */
public final class Printable {
  private Printable() {}

  /**
   * {@code text} with every non-printing character (but none of the printable ones) made visible.
   */
  public static String clean(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder b = null;
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      int next = i + Character.charCount(c);
      if (acts(c)) {
        if (b == null) {
          b = new StringBuilder(text.length() + 8).append(text, 0, i);
        }
        for (int k = i; k < next; k++) {
          b.append(String.format("\\u%04x", (int) text.charAt(k)));
        }
      } else if (b != null) {
        b.appendCodePoint(c);
      }
      i = next;
    }
    return b == null ? text : b.toString();
  }

  /** {@link #clean}, cut to {@code maxChars} with "..." when longer. */
  public static String clean(String text, int maxChars) {
    String cleaned = clean(text);
    return cleaned == null || cleaned.length() <= maxChars
        ? cleaned
        : cleaned.substring(0, maxChars) + "...";
  }

  /** A character a terminal acts on, or one that hides or reorders the text around it. */
  private static boolean acts(int c) {
    if (Character.isISOControl(c)) {
      return true; // C0 (ESC, BEL, CR, LF, TAB...), DEL and C1 (including the one-byte CSI)
    }
    int type = Character.getType(c);
    return type == Character.FORMAT // bidi overrides and isolates, zero-width, soft hyphen, tags
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || type == Character.SURROGATE; // an unpaired half
  }
}
