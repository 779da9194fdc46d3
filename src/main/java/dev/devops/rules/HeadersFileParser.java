package dev.devops.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses a {@code _headers} file: a path line ({@code /...}), then indented {@code Name: value}
 * lines. Follows netlify/build's headers-parser ({@code line_parser.ts}, {@code normalize.ts}),
 * including its error messages: a repeated name in one block joins its values with {@code ", "}, a
 * block without headers is dropped, a line that is neither a path nor has a colon is ignored.
 */
public final class HeadersFileParser {
  private static final Pattern COMMA_LIST = Pattern.compile("\\s*,\\s*");

  private HeadersFileParser() {}

  public static ParsedRules<HeaderRule> parse(String text) {
    List<HeaderRule> rules = new ArrayList<>();
    List<RuleError> errors = new ArrayList<>();
    String[] lines = RuleText.lines(text);
    String forPath = null;
    int forLine = 0;
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < lines.length; i++) {
      int lineNumber = i + 1;
      String line = RuleText.trim(lines[i]);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("/")) {
        if (forPath != null && !values.isEmpty()) {
          rules.add(new HeaderRule(RuleFiles.HEADERS, forLine, forPath, normalized(values)));
        }
        if (rules.size() >= RuleLimits.MAX_RULES_PER_FILE) {
          errors.add(
              new RuleError(
                  RuleFiles.HEADERS,
                  lineNumber,
                  "Too many header rules: only the first "
                      + RuleLimits.MAX_RULES_PER_FILE
                      + " are used; this path and the ones after it were ignored"));
          return new ParsedRules<>(rules, errors);
        }
        forPath = line;
        forLine = lineNumber;
        values = new LinkedHashMap<>();
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue; // netlify/build skips such lines without a word
      }
      String name = RuleText.trim(line.substring(0, colon));
      String value = RuleText.trim(line.substring(colon + 1));
      if (name.isEmpty() || value.isEmpty()) {
        errors.add(
            new RuleError(
                RuleFiles.HEADERS,
                lineNumber,
                "Could not parse header line "
                    + lineNumber
                    + ":\n  "
                    + SafeText.quote(line)
                    + "\n"
                    + (name.isEmpty() ? "Missing header name" : "Missing header value")));
        continue;
      }
      if (forPath == null) {
        errors.add(
            new RuleError(
                RuleFiles.HEADERS,
                lineNumber,
                "Path should come before header \"" + SafeText.quote(name) + "\""));
        continue;
      }
      values.merge(name, value, (earlier, later) -> earlier + ", " + later);
    }
    if (forPath != null && !values.isEmpty()) {
      rules.add(new HeaderRule(RuleFiles.HEADERS, forLine, forPath, normalized(values)));
    }
    return new ParsedRules<>(rules, errors);
  }

  /**
   * A value written as a comma list with odd spacing becomes {@code "a, b"}, as netlify/build's
   * {@code normalizeMultipleValues} does.
   */
  static String normalizedValue(String value) {
    return String.join(", ", COMMA_LIST.split(RuleText.trim(value), -1));
  }

  static Map<String, String> normalized(Map<String, String> values) {
    Map<String, String> result = new LinkedHashMap<>();
    values.forEach((name, value) -> result.put(name, normalizedValue(value)));
    return result;
  }
}
