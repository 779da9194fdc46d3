package dev.devops.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devops.rules.NetlifyTomlParser.TomlRules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code [[redirects]]} and {@code [[headers]]} tables, from the examples of
 * docs.netlify.com/routing/redirects/ ("Syntax for the Netlify configuration file") and
 * /routing/headers/, and the errors of netlify/build's parsers.
 */
class NetlifyTomlParserTest {
  @Test
  void redirectTablesWithEveryDocumentedField() {
    TomlRules rules =
        NetlifyTomlParser.parse(
            "[build]\n"
                + "  publish = \"dist\"\n"
                + "\n"
                + "[[redirects]]\n"
                + "  from = \"/old-path\"\n"
                + "  to = \"/new-path\"\n"
                + "  status = 301\n"
                + "  force = false\n"
                + "  query = {path = \":path\"}\n"
                + "  conditions = {Language = [\"en\"], Country = [\"US\"], Role = [\"admin\"]}\n"
                + "\n"
                + "## This rule redirects to an external API, signing requests with a secret\n"
                + "[[redirects]]\n"
                + "  from = \"/search\"\n"
                + "  to = \"https://api.mysearch.com\"\n"
                + "  status = 200\n"
                + "  force = true # COMMENT: ensure that we always redirect\n"
                + "  headers = {X-From = \"Netlify\"}\n"
                + "  signed = \"API_SIGNATURE_TOKEN\"\n");
    assertThat(rules.redirects().errors()).isEmpty();
    List<RedirectRule> redirects = rules.redirects().rules();
    assertThat(redirects).hasSize(2);
    RedirectRule first = redirects.get(0);
    assertThat(first.line()).isEqualTo(4);
    assertThat(first.query()).isEqualTo(Map.of("path", ":path"));
    assertThat(first.conditions())
        .isEqualTo(
            Map.of("Language", List.of("en"), "Country", List.of("US"), "Role", List.of("admin")));
    RedirectRule second = redirects.get(1);
    assertThat(second.line()).isEqualTo(13);
    assertThat(second.force()).isTrue();
    assertThat(second.signed()).isEqualTo("API_SIGNATURE_TOKEN");
    assertThat(second.targetsUrl()).isTrue();
  }

  @Test
  void oldFieldNamesAndDefaults() {
    // normalize.js: "from" used to be "origin", "to" used to be "destination".
    TomlRules rules =
        NetlifyTomlParser.parse(
            "[[redirects]]\norigin = \"/a\"\ndestination = \"/b\"\n"
                + "[[redirects]]\nfrom = \"/api/*\"\nstatus = 200\n");
    assertThat(rules.redirects().rules())
        .extracting(RedirectRule::from, RedirectRule::to, RedirectRule::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/a", "/b", 301),
            org.assertj.core.groups.Tuple.tuple("/api/*", "/api/:splat", 200));
  }

  @Test
  void headerTablesWithMultiValueStrings() {
    // docs: routing/headers, "Syntax for the Netlify configuration file" and "Multi-value headers".
    TomlRules rules =
        NetlifyTomlParser.parse(
            "[[headers]]\n"
                + "  for = \"/*\"\n"
                + "  [headers.values]\n"
                + "    X-Frame-Options = \"DENY\"\n"
                + "    X-XSS-Protection = \"1; mode=block\"\n"
                + "    cache-control = '''\n"
                + "    max-age=0,\n"
                + "    no-cache,\n"
                + "    no-store,\n"
                + "    must-revalidate'''\n"
                + "[[headers]]\n"
                + "  for = \"/list\"\n"
                + "  values = {Link = [\"</a.css>; rel=preload\", \"</b.js>; rel=preload\"]}\n");
    assertThat(rules.headers().errors()).isEmpty();
    assertThat(rules.headers().rules()).hasSize(2);
    assertThat(rules.headers().rules().get(0).values())
        .containsExactly(
            Map.entry("X-Frame-Options", "DENY"),
            Map.entry("X-XSS-Protection", "1; mode=block"),
            Map.entry("cache-control", "max-age=0, no-cache, no-store, must-revalidate"));
    assertThat(rules.headers().rules().get(1).values())
        .containsExactly(Map.entry("Link", "</a.css>; rel=preload, </b.js>; rel=preload"));
    assertThat(rules.headers().rules().get(1).line()).isEqualTo(11);
  }

  @Test
  void badTablesAreReportedAndGoodOnesKept() {
    TomlRules rules =
        NetlifyTomlParser.parse(
            "[[redirects]]\nto = \"/x\"\n"
                + "[[redirects]]\nfrom = \"/ok\"\nto = \"/fine\"\n"
                + "[[headers]]\nvalues = {X-A = \"1\"}\n"
                + "[[headers]]\nfor = \"/h\"\nvalues = {X-N = 5}\n");
    assertThat(rules.redirects().rules()).extracting(RedirectRule::from).containsExactly("/ok");
    assertThat(rules.redirects().errors())
        .extracting(RuleError::line, RuleError::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                1,
                "Could not parse redirect number 1:\n  {\"to\":\"/x\"}\nMissing \"from\" field"));
    assertThat(rules.headers().rules()).isEmpty();
    assertThat(rules.headers().errors())
        .extracting(RuleError::message)
        .containsExactly(
            "Could not parse header number 1:\n  {\"values\":{\"X-A\":\"1\"}}\nMissing \"for\" field",
            "Could not parse header number 2:\n  {\"for\":\"/h\",\"values\":{\"X-N\":5}}\n"
                + "Header \"X-N\" value must be a string not: 5");
  }

  @Test
  void anUnparsableFileIsOneErrorForBoth() {
    TomlRules rules = NetlifyTomlParser.parse("[[redirects]\nfrom = \"/a\"\n");
    assertThat(rules.redirects().rules()).isEmpty();
    assertThat(rules.redirects().errors())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).startsWith("Could not parse configuration file: "));
    assertThat(rules.headers().errors()).isEqualTo(rules.redirects().errors());
  }

  @Test
  void redirectsMustBeAnArray() {
    TomlRules rules = NetlifyTomlParser.parse("redirects = \"/a /b\"\n");
    assertThat(rules.redirects().errors())
        .extracting(RuleError::message)
        .containsExactly(
            "Could not parse configuration file: TypeError: \"redirects\" must be an array");
  }
}
