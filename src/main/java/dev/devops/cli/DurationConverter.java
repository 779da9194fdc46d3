package dev.devops.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Durations as people type them: {@code 90} (seconds), {@code 90s}, {@code 2m}, {@code 1m30s},
 * {@code 500ms}, {@code 1h}.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern SECONDS = Pattern.compile("\\d{1,9}(\\.\\d{1,3})?");
  private static final Pattern PART = Pattern.compile("(\\d{1,9}(?:\\.\\d{1,3})?)(ms|s|m|h)");

  @Override
  public Duration convert(String value) {
    Duration parsed = parse(value);
    if (parsed == null) {
      throw new CommandLine.TypeConversionException(
          "'"
              + Text.clean(value)
              + "' is not a duration: write for example 90s, 2m, 1m30s or 500ms");
    }
    return parsed;
  }

  static Duration parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (SECONDS.matcher(v).matches()) {
      return millis(Double.parseDouble(v) * 1000);
    }
    Matcher m = PART.matcher(v);
    double ms = 0;
    int end = 0;
    while (m.find() && m.start() == end) {
      double n = Double.parseDouble(m.group(1));
      ms +=
          switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
          };
      end = m.end();
    }
    return end == 0 || end != v.length() ? null : millis(ms);
  }

  private static Duration millis(double ms) {
    return Duration.ofMillis(Math.round(ms));
  }
}
