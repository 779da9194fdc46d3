package dev.devops.rules;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validates and completes a {@link RawRedirect} the way netlify/build's redirect-parser ({@code
 * normalize.js}, {@code status.js}, {@code conditions.js}) does; its error messages are kept word
 * for word.
 */
final class RedirectNormalizer {
  /** Conditions that may be written in lower case and hold comma-separated lists. */
  private static final List<String> LIST_CONDITIONS = List.of("Role", "Language", "Country");

  private RedirectNormalizer() {}

  static final class InvalidRule extends Exception {
    InvalidRule(String message) {
      super(message, null, false, false);
    }
  }

  static RedirectRule normalize(RawRedirect raw, String file, int line, int number, String text)
      throws InvalidRule {
    if (raw.from() == null) {
      throw new InvalidRule("Missing \"from\" field");
    }
    Integer status = status(raw.status());
    String to = raw.to();
    if (to == null) {
      // A forward rule: "/api/* 200" means "/api/* /api/:splat 200".
      if (raw.from().endsWith("/*") && status != null && status >= 200 && status < 300) {
        to = raw.from().substring(0, raw.from().length() - 2) + "/:splat";
      } else {
        throw new InvalidRule("Missing \"to\" field");
      }
    }
    String host = null;
    String path = raw.from();
    if (UrlText.isUrl(raw.from())) {
      try {
        URI uri = new URI(raw.from());
        host = uri.getHost();
        path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (host == null) {
          throw new URISyntaxException(raw.from(), "no host");
        }
      } catch (URISyntaxException e) {
        throw new InvalidRule("Invalid URL: " + SafeText.quote(e.getMessage()));
      }
    }
    if (path.startsWith("/.netlify")) {
      throw new InvalidRule("\"path\" field must not start with \"/.netlify\"");
    }
    return new RedirectRule(
        file,
        line,
        number,
        text,
        raw.from(),
        host,
        path,
        raw.query(),
        to,
        status == null ? RedirectRule.DEFAULT_STATUS : status,
        raw.force(),
        conditions(raw.conditions()),
        raw.signed());
  }

  /**
   * The status as JavaScript's {@code parseInt} reads it ({@code "301!"} is 301), or null when none
   * was written. netlify/build accepts any integer; a status outside 100-599 is refused here too,
   * since no HTTP response can carry it.
   */
  static Integer status(String written) throws InvalidRule {
    if (written == null) {
      return null;
    }
    Long parsed = leadingInteger(written);
    if (parsed == null || parsed < 100 || parsed > 599) {
      throw new InvalidRule("Invalid status code: " + SafeText.quote(written));
    }
    return parsed.intValue();
  }

  /** The integer JavaScript's {@code parseInt(text)} gives, or null where it gives NaN. */
  static Long leadingInteger(String text) {
    String s = text.strip();
    int i = 0;
    boolean negative = false;
    if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    int start = i;
    while (i < s.length() && i - start < 12 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    if (i == start) {
      return null;
    }
    long value = Long.parseLong(s.substring(start, i));
    return negative ? -value : value;
  }

  private static Map<String, List<String>> conditions(Map<String, List<String>> raw) {
    Map<String, List<String>> result = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> condition : raw.entrySet()) {
      String name = capitalized(condition.getKey());
      List<String> values = new ArrayList<>();
      for (String value : condition.getValue()) {
        if (LIST_CONDITIONS.contains(name)) {
          for (String item : value.strip().split("\\s*,\\s*")) {
            values.add(item);
          }
        } else {
          values.add(value);
        }
      }
      result.put(name, List.copyOf(values));
    }
    return result;
  }

  private static String capitalized(String name) {
    for (String known : LIST_CONDITIONS) {
      if (known.toLowerCase(Locale.ROOT).equals(name)) {
        return known;
      }
    }
    return name;
  }
}
