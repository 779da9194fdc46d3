package dev.devops.rules;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devops.rules.RedirectNormalizer.InvalidRule;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a {@code _redirects} file: one rule per line, {@code from [query...] [to] [status[!]]
 * [conditions...]}, {@code #} comments. Follows netlify/build's redirect-parser ({@code
 * line_parser.js}, then {@code normalize.js}), including its error messages.
 */
public final class RedirectsFileParser {
  private RedirectsFileParser() {}

  public static ParsedRules<RedirectRule> parse(String text) {
    List<RedirectRule> rules = new ArrayList<>();
    List<RuleError> errors = new ArrayList<>();
    String[] lines = RuleText.lines(text);
    int parsed = 0; // netlify/build numbers the rules that got past the line parser
    for (int i = 0; i < lines.length; i++) {
      int lineNumber = i + 1;
      String line = RuleText.trim(lines[i]);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (rules.size() >= RuleLimits.MAX_RULES_PER_FILE) {
        errors.add(
            new RuleError(
                RuleFiles.REDIRECTS,
                lineNumber,
                "Too many redirect rules: only the first "
                    + RuleLimits.MAX_RULES_PER_FILE
                    + " are used; this line and the ones after it were ignored"));
        break;
      }
      RawRedirect raw;
      try {
        raw = parseLine(line);
      } catch (InvalidRule e) {
        errors.add(
            new RuleError(
                RuleFiles.REDIRECTS,
                lineNumber,
                "Could not parse redirect line "
                    + lineNumber
                    + ":\n  "
                    + SafeText.quote(line)
                    + "\n"
                    + e.getMessage()));
        continue;
      }
      parsed++;
      try {
        rules.add(
            RedirectNormalizer.normalize(
                raw, RuleFiles.REDIRECTS, lineNumber, rules.size() + 1, line));
      } catch (InvalidRule e) {
        errors.add(
            new RuleError(
                RuleFiles.REDIRECTS,
                lineNumber,
                "Could not parse redirect number "
                    + parsed
                    + ":\n  "
                    + SafeText.quote(json(raw))
                    + "\n"
                    + e.getMessage()));
      }
    }
    return new ParsedRules<>(rules, errors);
  }

  private static RawRedirect parseLine(String line) throws InvalidRule {
    List<String> tokens = new ArrayList<>(Arrays.asList(RuleText.WHITESPACE.split(line)));
    for (int i = 0; i < tokens.size(); i++) {
      if (tokens.get(i).startsWith("#")) {
        tokens = tokens.subList(0, i); // an inline comment ends the rule
        break;
      }
    }
    String from = tokens.get(0);
    List<String> parts = tokens.subList(1, tokens.size());
    if (parts.isEmpty()) {
      throw new InvalidRule("Missing destination path/URL");
    }
    List<String> queryParts;
    String to;
    List<String> lastParts;
    if (RedirectNormalizer.leadingInteger(parts.get(0)) != null) {
      queryParts = List.of(); // "/api/* 200": a forward rule, "to" is derived later
      to = null;
      lastParts = parts;
    } else {
      int toIndex = -1;
      for (int i = 0; i < parts.size(); i++) {
        if (parts.get(i).startsWith("/") || UrlText.isUrl(parts.get(i))) {
          toIndex = i;
          break;
        }
      }
      if (toIndex < 0) {
        throw new InvalidRule(
            "The destination path/URL must start with \"/\", \"http:\" or \"https:\"");
      }
      queryParts = parts.subList(0, toIndex);
      to = parts.get(toIndex);
      lastParts = parts.subList(toIndex + 1, parts.size());
    }
    String status = lastParts.isEmpty() ? null : lastParts.get(0);
    boolean force =
        status != null && RedirectNormalizer.leadingInteger(status) != null && status.endsWith("!");
    Map<String, String> conditionPairs =
        pairs(lastParts.isEmpty() ? List.of() : lastParts.subList(1, lastParts.size()));
    String sign = conditionPairs.remove("Sign");
    String signed = conditionPairs.remove("signed");
    if (signed == null) {
      signed = sign;
    }
    Map<String, List<String>> conditions = new LinkedHashMap<>();
    conditionPairs.forEach((name, value) -> conditions.put(name, List.of(value)));
    return new RawRedirect(from, pairs(queryParts), to, status, force, conditions, signed);
  }

  /**
   * {@code key=value} words as netlify/build reads them: the value ends at a second {@code =}, and
   * a word without {@code =} has no value and so imposes nothing (Netlify's forum thread "Rewrites
   * with empty query parameters" shows {@code /path foo /foo.html 200} matching without {@code
   * ?foo}).
   */
  private static Map<String, String> pairs(List<String> words) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String word : words) {
      String[] split = word.split("=", -1);
      if (split.length > 1) {
        pairs.put(split[0], split[1]);
      }
    }
    return pairs;
  }

  /** The rule as JSON, as netlify/build quotes it in "Could not parse redirect number" errors. */
  private static String json(RawRedirect raw) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("from", raw.from());
    ObjectNode query = node.putObject("query");
    raw.query().forEach(query::put);
    if (raw.to() != null) {
      node.put("to", raw.to());
    }
    if (raw.status() != null) {
      Long status = RedirectNormalizer.leadingInteger(raw.status());
      if (status != null) {
        node.put("status", status);
      } else {
        node.put("status", raw.status());
      }
    }
    node.put("force", raw.force());
    ObjectNode conditions = node.putObject("conditions");
    raw.conditions().forEach((name, values) -> conditions.put(name, values.get(0)));
    if (raw.signed() != null) {
      node.put("signed", raw.signed());
    }
    return node.toString();
  }
}
