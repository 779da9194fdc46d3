package dev.devops.cli;

import dev.devops.util.Printable;

/**
 * Makes text from outside (the API, files, the environment) safe to print on a terminal: control
 * characters, including escape sequences, are shown as {@code \\uXXXX} instead of acting on the
 * screen. JSON output keeps the data as it is (JSON escapes it).
 */
public final class Text {
  private Text() {}

  private static final java.time.format.DateTimeFormatter TIME =
      java.time.format.DateTimeFormatter.ofPattern(
              "yyyy-MM-dd HH:mm:ss 'UTC'", java.util.Locale.ROOT)
          .withZone(java.time.ZoneOffset.UTC);

  /** A moment as people read it: "2026-12-01 06:44:03 UTC" (seconds, no fraction). */
  public static String time(java.time.Instant at) {
    return at == null ? "unknown time" : TIME.format(at);
  }

  /** A size as people read it: "512 B", "4.2 KB", "1.3 MB", "2.0 GB". */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /**
   * {@code text} with every control sequence, bidirectional override and invisible character made
   * visible ({@code \\u001b}): the one sanitiser, {@link Printable#clean}.
   */
  public static String clean(String text) {
    return Printable.clean(text);
  }
}
