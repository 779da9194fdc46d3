package dev.devops.rules;

import java.util.List;

/**
 * What one parser made of one file: the rules it could use, in file order, and an error for each
 * rule it could not (as on Netlify, a bad rule does not stop the good ones).
 */
public record ParsedRules<T>(List<T> rules, List<RuleError> errors) {
  public ParsedRules {
    rules = List.copyOf(rules);
    errors = List.copyOf(errors);
  }

  public static <T> ParsedRules<T> empty() {
    return new ParsedRules<>(List.of(), List.of());
  }
}
