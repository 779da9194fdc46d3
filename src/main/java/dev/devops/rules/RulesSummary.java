package dev.devops.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The redirect and header messages of a deploy summary. The wording of the messages for files
 * without errors is Netlify's own, from deploy objects its API returned (a 2020 deploy's {@code
 * summary} quoted in full in a public test fixture; "1 redirect rule processed" / "All header rules
 * deployed without errors." in deploy summaries users quote). Netlify's wording for rules with
 * errors was not found; those messages say what netlify/build logs ("some redirects have syntax
 * errors") and carry its per-rule messages in {@code details}.
 */
public final class RulesSummary {
  private RulesSummary() {}

  public static List<SummaryMessage> messages(RuleSet rules) {
    return List.of(
        message(
            rules.redirectCount(),
            rules.redirectErrors(),
            "redirect",
            "redirects",
            "https://www.netlify.com/docs/redirects/"),
        message(
            rules.headerCount(),
            rules.headerErrors(),
            "header",
            "headers",
            "https://www.netlify.com/docs/headers-and-basic-auth/"));
  }

  private static SummaryMessage message(
      int count, List<RuleError> errors, String kind, String plural, String learnMore) {
    String title =
        count == 0
            ? "No " + kind + " rules processed"
            : count + " " + kind + (count == 1 ? " rule" : " rules") + " processed";
    if (!errors.isEmpty()) {
      String details = errors.stream().map(RuleError::message).collect(Collectors.joining("\n\n"));
      return new SummaryMessage(
          "warning", title, "Some " + plural + " have syntax errors.", details);
    }
    if (count == 0) {
      return new SummaryMessage(
          "info",
          title,
          "This deploy did not include any "
              + kind
              + " rules. [Learn more about "
              + plural
              + "]("
              + learnMore
              + ").",
          "");
    }
    return new SummaryMessage("info", title, "All " + kind + " rules deployed without errors.", "");
  }
}
