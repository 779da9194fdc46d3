package dev.devops.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code _headers} syntax, from the examples of docs.netlify.com/routing/headers/, and the
 * errors of netlify/build's headers-parser (packages/headers-parser/src/line_parser.ts).
 */
class HeadersFileParserTest {
  @Test
  void pathsThenIndentedHeadersWithComments() {
    // docs: routing/headers, "Syntax for the _headers file".
    ParsedRules<HeaderRule> parsed =
        HeadersFileParser.parse(
            "# a path:\n"
                + "/templates/index.html\n"
                + "  # headers for that path:\n"
                + "  X-Frame-Options: DENY\n"
                + "  X-XSS-Protection: 1; mode=block\n"
                + "# another path:\n"
                + "/templates/index2.html\n"
                + "  # headers for that path:\n"
                + "  X-Frame-Options: SAMEORIGIN\n");
    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.rules()).hasSize(2);
    assertThat(parsed.rules().get(0).forPath()).isEqualTo("/templates/index.html");
    assertThat(parsed.rules().get(0).line()).isEqualTo(2);
    assertThat(parsed.rules().get(0).values())
        .containsExactly(
            Map.entry("X-Frame-Options", "DENY"), Map.entry("X-XSS-Protection", "1; mode=block"));
    assertThat(parsed.rules().get(1).values())
        .containsExactly(Map.entry("X-Frame-Options", "SAMEORIGIN"));
  }

  @Test
  void repeatedHeaderNamesAreJoined() {
    // docs: routing/headers, "Multi-value headers".
    ParsedRules<HeaderRule> parsed =
        HeadersFileParser.parse(
            "/*\n"
                + "  cache-control: max-age=0\n"
                + "  cache-control: no-cache\n"
                + "  cache-control: no-store\n"
                + "  cache-control: must-revalidate\n");
    assertThat(parsed.rules().get(0).values())
        .containsExactly(
            Map.entry("cache-control", "max-age=0, no-cache, no-store, must-revalidate"));
  }

  @Test
  void valuesMayContainColons() {
    ParsedRules<HeaderRule> parsed =
        HeadersFileParser.parse("/*\n  Link: <https://example.com/style.css>; rel=preload\n");
    assertThat(parsed.rules().get(0).values())
        .containsExactly(Map.entry("Link", "<https://example.com/style.css>; rel=preload"));
  }

  @Test
  void errorsInNetlifyBuildsWords() {
    ParsedRules<HeaderRule> parsed =
        HeadersFileParser.parse(
            "X-Orphan: yes\n"
                + "/a\n"
                + "  : no-name\n"
                + "  X-Empty:\n"
                + "  just words\n"
                + "  X-Good: 1\n"
                + "/empty-block\n");
    assertThat(parsed.rules())
        .singleElement()
        .satisfies(r -> assertThat(r.values()).containsOnlyKeys("X-Good"));
    assertThat(parsed.errors())
        .extracting(RuleError::line, RuleError::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "Path should come before header \"X-Orphan\""),
            org.assertj.core.groups.Tuple.tuple(
                3, "Could not parse header line 3:\n  : no-name\nMissing header name"),
            org.assertj.core.groups.Tuple.tuple(
                4, "Could not parse header line 4:\n  X-Empty:\nMissing header value"));
  }
}
