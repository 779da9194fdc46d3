package dev.devops.rules;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request's query string: the raw text (passed on to redirect targets as it came) and its decoded
 * parameters (matched against rules' query conditions; the first value of a name counts).
 */
public final class QueryString {
  public static final QueryString EMPTY = new QueryString("", Map.of());

  private final String raw;
  private final Map<String, String> parameters;

  private QueryString(String raw, Map<String, String> parameters) {
    this.raw = raw;
    this.parameters = parameters;
  }

  /** Parses a raw query string (without {@code ?}); null or empty gives {@link #EMPTY}. */
  public static QueryString parse(String raw) {
    if (raw == null || raw.isEmpty()) {
      return EMPTY;
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      parameters.putIfAbsent(name, value);
    }
    return new QueryString(raw, Collections.unmodifiableMap(parameters));
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return text; // a stray % is kept as written
    }
  }

  /** The query string as the client sent it, without {@code ?}. */
  public String raw() {
    return raw;
  }

  public Map<String, String> parameters() {
    return parameters;
  }

  public boolean isEmpty() {
    return raw.isEmpty();
  }
}
