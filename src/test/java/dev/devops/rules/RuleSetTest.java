package dev.devops.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleSetTest {
  /** Deploy files in memory. */
  private static RuleFileSource files(Map<String, String> contents) {
    Map<String, byte[]> bytes = new HashMap<>();
    contents.forEach((path, text) -> bytes.put(path, text.getBytes(StandardCharsets.UTF_8)));
    return new RuleFileSource() {
      @Override
      public long size(String path) {
        byte[] content = bytes.get(path);
        return content == null ? -1 : content.length;
      }

      @Override
      public byte[] read(String path) {
        return bytes.get(path);
      }
    };
  }

  @Test
  void redirectsFileRulesComeBeforeNetlifyTomlRules() throws IOException {
    // docs: routing/redirects: "Rules in the _redirects file are always processed first, followed
    // by rules in the Netlify configuration file."
    RuleSet rules =
        RuleSet.read(
            files(
                Map.of(
                    "/_redirects", "/a /from-file\n",
                    "/netlify.toml", "[[redirects]]\nfrom = \"/a\"\nto = \"/from-toml\"\n")));
    assertThat(rules.redirects())
        .extracting(RedirectRule::file, RedirectRule::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("_redirects", "/from-file"),
            org.assertj.core.groups.Tuple.tuple("netlify.toml", "/from-toml"));
    assertThat(rules.redirectCount()).isEqualTo(2);
  }

  @Test
  void everyMatchingHeaderBlockContributesAndLaterOnesOverride() throws IOException {
    RuleSet rules =
        RuleSet.read(
            files(
                Map.of(
                    "/_headers",
                    "/*\n  X-Frame-Options: DENY\n  X-Site: all\n/docs/*\n  X-Site: docs\n",
                    "/netlify.toml",
                    "[[headers]]\nfor = \"/docs/:page\"\n[headers.values]\nx-frame-options ="
                        + " \"SAMEORIGIN\"\n")));
    assertThat(rules.headerCount()).isEqualTo(3);
    assertThat(rules.headersFor("/docs/intro"))
        .containsExactly(Map.entry("x-frame-options", "SAMEORIGIN"), Map.entry("X-Site", "docs"));
    assertThat(rules.headersFor("/"))
        .containsExactly(Map.entry("X-Frame-Options", "DENY"), Map.entry("X-Site", "all"));
  }

  @Test
  void headerPathsMatchWithoutCaseAndWithATrailingSlash() throws IOException {
    // @netlify/headers-parser's for_regexp.ts: case-insensitive, optional trailing slash.
    RuleSet rules = RuleSet.read(files(Map.of("/_headers", "/Docs\n  X-A: 1\n")));
    assertThat(rules.headersFor("/docs/")).containsEntry("X-A", "1");
    assertThat(rules.headersFor("/docs/more")).isEmpty();
  }

  @Test
  void basicAuthIsADemandNotAHeader() throws IOException {
    // docs: file-based configuration, "Basic-Auth allows you to password protect your whole site".
    RuleSet rules =
        RuleSet.read(
            files(
                Map.of(
                    "/_headers",
                    "/private/*\n  Basic-Auth: someuser:somepassword anotheruser:anotherpassword\n"
                        + "  X-Private: yes\n")));
    assertThat(rules.basicAuthFor("/private/a"))
        .containsExactly("someuser:somepassword", "anotheruser:anotherpassword");
    assertThat(rules.headersFor("/private/a")).containsOnlyKeys("X-Private");
    assertThat(rules.basicAuthFor("/public")).isEmpty();
  }

  @Test
  void aFileOverTheLimitIsNotReadAndSaysSo() throws IOException {
    RuleFileSource huge =
        new RuleFileSource() {
          @Override
          public long size(String path) {
            return path.equals("/_redirects") ? RuleLimits.MAX_FILE_BYTES + 1L : -1;
          }

          @Override
          public byte[] read(String path) {
            throw new AssertionError("a file over the limit must not be read");
          }
        };
    RuleSet rules = RuleSet.read(huge);
    assertThat(rules.redirectCount()).isZero();
    assertThat(rules.redirectErrors())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).startsWith("File is larger than 1 MiB"));
  }

  @Test
  void summaryMessagesUseNetlifysWords() throws IOException {
    RuleSet none = RuleSet.EMPTY;
    assertThat(RulesSummary.messages(none))
        .containsExactly(
            new SummaryMessage(
                "info",
                "No redirect rules processed",
                "This deploy did not include any redirect rules. [Learn more about"
                    + " redirects](https://www.netlify.com/docs/redirects/).",
                ""),
            new SummaryMessage(
                "info",
                "No header rules processed",
                "This deploy did not include any header rules. [Learn more about"
                    + " headers](https://www.netlify.com/docs/headers-and-basic-auth/).",
                ""));
    RuleSet some =
        RuleSet.read(
            files(Map.of("/_redirects", "/a /b\n/c /d\n/e /f\n", "/_headers", "/*\n  X-A: 1\n")));
    assertThat(RulesSummary.messages(some))
        .extracting(SummaryMessage::title, SummaryMessage::description)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "3 redirect rules processed", "All redirect rules deployed without errors."),
            org.assertj.core.groups.Tuple.tuple(
                "1 header rule processed", "All header rules deployed without errors."));
    // The wording Netlify's deploy report used for bad rules (gohugoio/hugoThemesSite#57).
    RuleSet bad =
        RuleSet.read(
            files(Map.of("/_redirects", "/a /b\n/lonely\n", "/_headers", "/*\n  X-A: 1\n")));
    SummaryMessage warning = RulesSummary.messages(bad).get(0);
    assertThat(warning.type()).isEqualTo("warning");
    assertThat(warning.title()).isEqualTo("1 redirect rule processed");
    assertThat(warning.description())
        .isEqualTo(
            "1 out of 2 redirect rules could not be processed. Check your site’s /_redirects file"
                + " for verification. You can learn more in the docs, or test your rules in the"
                + " Netlify playground.");
    assertThat(warning.details())
        .isEqualTo(
            "In /_redirects:\n\nCould not parse redirect line 2:\n  /lonely\nMissing destination"
                + " path/URL");
    assertThat(RulesSummary.messages(bad).get(1).type()).isEqualTo("info");
  }
}
