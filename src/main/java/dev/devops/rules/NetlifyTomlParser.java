package dev.devops.rules;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.devops.rules.RedirectNormalizer.InvalidRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the {@code [[redirects]]} and {@code [[headers]]} tables of a {@code netlify.toml}, the way
 * netlify/build's {@code netlify_config_parser} and {@code normalize} modules do (old field names
 * such as {@code origin} and {@code destination} included), with their error messages. Everything
 * else in the file is ignored.
 */
public final class NetlifyTomlParser {
  private static final TomlMapper TOML = TomlMapper.builder().build();
  private static final Pattern REDIRECTS_TABLE = Pattern.compile("^\\s*\\[\\[\\s*redirects\\s*]]");
  private static final Pattern HEADERS_TABLE = Pattern.compile("^\\s*\\[\\[\\s*headers\\s*]]");

  /** The rules of one {@code netlify.toml}. */
  public record TomlRules(ParsedRules<RedirectRule> redirects, ParsedRules<HeaderRule> headers) {
    public static final TomlRules EMPTY = new TomlRules(ParsedRules.empty(), ParsedRules.empty());
  }

  private NetlifyTomlParser() {}

  public static TomlRules parse(String text) {
    JsonNode config;
    try {
      config = TOML.readTree(text);
    } catch (JacksonException e) {
      RuleError error = configError(e);
      return new TomlRules(
          new ParsedRules<>(List.of(), List.of(error)),
          new ParsedRules<>(List.of(), List.of(error)));
    }
    if (config == null || !config.isObject()) {
      return TomlRules.EMPTY;
    }
    String[] lines = RuleText.lines(text);
    return new TomlRules(
        redirects(config.get("redirects"), tableLines(lines, REDIRECTS_TABLE)),
        headers(config.get("headers"), tableLines(lines, HEADERS_TABLE)));
  }

  private static RuleError configError(JacksonException e) {
    JsonLocation location = e.getLocation();
    int line = location == null ? 0 : Math.max(location.getLineNr(), 0);
    return new RuleError(
        RuleFiles.NETLIFY_TOML,
        line,
        "Could not parse configuration file: " + SafeText.quote(e.getOriginalMessage()));
  }

  /** Lines where {@code [[name]]} tables start, to give each rule a line number. */
  private static List<Integer> tableLines(String[] lines, Pattern table) {
    List<Integer> result = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      if (table.matcher(lines[i]).find()) {
        result.add(i + 1);
      }
    }
    return result;
  }

  private static int lineOf(List<Integer> tableLines, int index, int count) {
    return tableLines.size() == count ? tableLines.get(index) : 0;
  }

  private static ParsedRules<RedirectRule> redirects(JsonNode redirects, List<Integer> lines) {
    if (redirects == null || redirects.isNull()) {
      return ParsedRules.empty();
    }
    if (!redirects.isArray()) {
      return new ParsedRules<>(
          List.of(),
          List.of(
              new RuleError(
                  RuleFiles.NETLIFY_TOML,
                  0,
                  "Could not parse configuration file: TypeError: \"redirects\" must be an"
                      + " array")));
    }
    List<RedirectRule> rules = new ArrayList<>();
    List<RuleError> errors = new ArrayList<>();
    for (int i = 0; i < redirects.size(); i++) {
      int line = lineOf(lines, i, redirects.size());
      if (rules.size() >= RuleLimits.MAX_RULES_PER_FILE) {
        errors.add(tooMany("redirect", line));
        break;
      }
      JsonNode node = redirects.get(i);
      if (!node.isObject()) {
        errors.add(
            new RuleError(
                RuleFiles.NETLIFY_TOML,
                line,
                "Redirects must be objects not: " + SafeText.quote(jsString(node))));
        continue;
      }
      try {
        rules.add(
            RedirectNormalizer.normalize(
                rawRedirect(node),
                RuleFiles.NETLIFY_TOML,
                line,
                rules.size() + 1,
                node.toString()));
      } catch (InvalidRule e) {
        errors.add(
            new RuleError(
                RuleFiles.NETLIFY_TOML,
                line,
                "Could not parse redirect number "
                    + (i + 1)
                    + ":\n  "
                    + SafeText.quote(node.toString())
                    + "\n"
                    + e.getMessage()));
      }
    }
    return new ParsedRules<>(rules, errors);
  }

  private static RawRedirect rawRedirect(JsonNode node) throws InvalidRule {
    JsonNode from = first(node, "from", "origin");
    if (from != null && !from.isTextual()) {
      throw new InvalidRule("\"from\" must be a string not: " + SafeText.quote(jsString(from)));
    }
    JsonNode headers = node.get("headers");
    if (headers != null && !headers.isObject()) {
      throw new InvalidRule("\"headers\" field must be an object");
    }
    Map<String, String> query = new LinkedHashMap<>();
    JsonNode queryNode = first(node, "query", "params", "parameters");
    if (queryNode != null && queryNode.isObject()) {
      queryNode
          .fields()
          .forEachRemaining(field -> query.put(field.getKey(), text(field.getValue())));
    }
    JsonNode to = first(node, "to", "destination");
    JsonNode status = node.get("status");
    Map<String, List<String>> conditions = new LinkedHashMap<>();
    JsonNode conditionsNode = node.get("conditions");
    if (conditionsNode != null && conditionsNode.isObject()) {
      conditionsNode
          .fields()
          .forEachRemaining(
              field -> {
                List<String> values = new ArrayList<>();
                if (field.getValue().isArray()) {
                  field.getValue().forEach(value -> values.add(text(value)));
                } else {
                  values.add(text(field.getValue()));
                }
                conditions.put(field.getKey(), values);
              });
    }
    JsonNode signed = first(node, "signed", "signing", "sign");
    return new RawRedirect(
        from == null ? null : from.asText(),
        query,
        to == null || to.isNull() ? null : text(to),
        status == null || status.isNull() ? null : text(status),
        truthy(node.get("force")),
        conditions,
        signed == null || signed.isNull() ? null : text(signed));
  }

  private static ParsedRules<HeaderRule> headers(JsonNode headers, List<Integer> lines) {
    if (headers == null || headers.isNull()) {
      return ParsedRules.empty();
    }
    if (!headers.isArray()) {
      return new ParsedRules<>(
          List.of(),
          List.of(
              new RuleError(
                  RuleFiles.NETLIFY_TOML,
                  0,
                  "Could not parse configuration file: TypeError: \"headers\" must be an array")));
    }
    List<HeaderRule> rules = new ArrayList<>();
    List<RuleError> errors = new ArrayList<>();
    for (int i = 0; i < headers.size(); i++) {
      int line = lineOf(lines, i, headers.size());
      if (rules.size() >= RuleLimits.MAX_RULES_PER_FILE) {
        errors.add(tooMany("header", line));
        break;
      }
      JsonNode node = headers.get(i);
      if (!node.isObject()) {
        errors.add(
            new RuleError(
                RuleFiles.NETLIFY_TOML,
                line,
                "Header must be an object not: " + SafeText.quote(jsString(node))));
        continue;
      }
      try {
        HeaderRule rule = headerRule(node, line);
        if (rule != null) {
          rules.add(rule);
        }
      } catch (InvalidRule e) {
        errors.add(
            new RuleError(
                RuleFiles.NETLIFY_TOML,
                line,
                "Could not parse header number "
                    + (i + 1)
                    + ":\n  "
                    + SafeText.quote(node.toString())
                    + "\n"
                    + e.getMessage()));
      }
    }
    return new ParsedRules<>(rules, errors);
  }

  /** The rule, or null for one without values (netlify/build drops those silently). */
  private static HeaderRule headerRule(JsonNode node, int line) throws InvalidRule {
    JsonNode forNode = node.get("for");
    if (forNode == null || forNode.isNull()) {
      throw new InvalidRule("Missing \"for\" field");
    }
    if (!forNode.isTextual()) {
      throw new InvalidRule("\"for\" must be a string not: " + SafeText.quote(jsString(forNode)));
    }
    JsonNode valuesNode = node.get("values");
    if (valuesNode == null || valuesNode.isNull()) {
      return null;
    }
    if (!valuesNode.isObject()) {
      throw new InvalidRule(
          "\"values\" must be an object not: " + SafeText.quote(jsString(valuesNode)));
    }
    Map<String, String> values = new LinkedHashMap<>();
    var fields = valuesNode.fields();
    while (fields.hasNext()) {
      var field = fields.next();
      String name = RuleText.trim(field.getKey());
      if (name.isEmpty() || name.equals("undefined")) {
        throw new InvalidRule("Empty header name");
      }
      values.put(name, headerValue(name, field.getValue()));
    }
    if (values.isEmpty()) {
      return null;
    }
    return new HeaderRule(RuleFiles.NETLIFY_TOML, line, RuleText.trim(forNode.asText()), values);
  }

  private static String headerValue(String name, JsonNode value) throws InvalidRule {
    if (value.isTextual()) {
      return HeadersFileParser.normalizedValue(value.asText());
    }
    if (value.isArray()) {
      List<String> items = new ArrayList<>();
      for (int i = 0; i < value.size(); i++) {
        JsonNode item = value.get(i);
        if (!item.isTextual()) {
          throw new InvalidRule(
              "Header \""
                  + SafeText.quote(name)
                  + "["
                  + i
                  + "]\" value must be a string not: "
                  + SafeText.quote(jsString(item)));
        }
        items.add(RuleText.trim(item.asText()));
      }
      return String.join(", ", items);
    }
    throw new InvalidRule(
        "Header \""
            + SafeText.quote(name)
            + "\" value must be a string not: "
            + SafeText.quote(jsString(value)));
  }

  private static RuleError tooMany(String kind, int line) {
    return new RuleError(
        RuleFiles.NETLIFY_TOML,
        line,
        "Too many "
            + kind
            + " rules: only the first "
            + RuleLimits.MAX_RULES_PER_FILE
            + " are used; this table and the ones after it were ignored");
  }

  private static JsonNode first(JsonNode node, String... names) {
    for (String name : names) {
      JsonNode value = node.get(name);
      if (value != null && !value.isNull()) {
        return value;
      }
    }
    return null;
  }

  private static String text(JsonNode node) {
    return node.isValueNode() ? node.asText() : node.toString();
  }

  /** JavaScript's truthiness, which is all netlify/build asks of {@code force}. */
  private static boolean truthy(JsonNode node) {
    if (node == null || node.isNull()) {
      return false;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNumber()) {
      return node.doubleValue() != 0;
    }
    if (node.isTextual()) {
      return !node.asText().isEmpty();
    }
    return true;
  }

  /** How JavaScript's template strings print a value: objects as {@code [object Object]}. */
  private static String jsString(JsonNode node) {
    if (node.isObject()) {
      return "[object Object]";
    }
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(item -> items.add(jsString(item)));
      return String.join(",", items);
    }
    return node.asText();
  }
}
