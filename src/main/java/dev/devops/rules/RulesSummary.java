package dev.devops.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The redirect and header messages of a deploy summary, in Netlify's words: the messages for files
 * without errors come from deploy objects Netlify's API returned (a 2020 deploy's {@code summary}
 * quoted in full in a public test fixture; netlify/cli's deploy test asserting "3 redirect rules
 * processed" / "All redirect rules deployed without errors."). For rules with errors, Netlify's
 * deploy report said "1 out of 2 header rules could not be processed. Check your site’s /_headers
 * file for verification. ..." followed by "In /_headers:" and the bad lines
 * (gohugoio/hugoThemesSite #57, 2019); the same sentence is used for redirects, with
 * netlify/build's message for each bad rule. The {@code warning} type of such a message is not
 * confirmed.
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
      return new SummaryMessage(
          "warning", title, errorDescription(count, errors, kind), details(errors));
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

  private static String errorDescription(int count, List<RuleError> errors, String kind) {
    List<String> files =
        errors.stream().map(error -> "/" + error.file()).distinct().collect(Collectors.toList());
    return errors.size()
        + " out of "
        + (count + errors.size())
        + " "
        + kind
        + " rules could not be processed. Check your site’s "
        + String.join(" and ", files)
        + (files.size() == 1 ? " file" : " files")
        + " for verification. You can learn more in the docs, or test your rules in the Netlify"
        + " playground.";
  }

  /** "In /_redirects:" then netlify/build's message for each bad rule of that file. */
  private static String details(List<RuleError> errors) {
    Map<String, List<String>> byFile = new LinkedHashMap<>();
    for (RuleError error : errors) {
      byFile.computeIfAbsent(error.file(), file -> new ArrayList<>()).add(error.message());
    }
    List<String> sections = new ArrayList<>();
    byFile.forEach(
        (file, messages) -> sections.add("In /" + file + ":\n\n" + String.join("\n\n", messages)));
    return String.join("\n\n", sections);
  }
}
