package dev.devops.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The {@code _redirects} syntax, from the examples of docs.netlify.com/routing/redirects/ and
 * /routing/redirects/redirect-options/, and the errors of netlify/build's redirect-parser
 * (packages/redirect-parser/src/line_parser.js and normalize.js).
 */
class RedirectsFileParserTest {
  private static RedirectRule only(String text) {
    ParsedRules<RedirectRule> parsed = RedirectsFileParser.parse(text);
    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.rules()).hasSize(1);
    return parsed.rules().get(0);
  }

  @Test
  void basicRulesDefaultTo301AndSkipComments() {
    // docs: routing/redirects, "Syntax for the _redirects file".
    ParsedRules<RedirectRule> parsed =
        RedirectsFileParser.parse(
            "# Redirects from what the browser requests to what we serve\n"
                + "/home              /\n"
                + "/blog/my-post.php  /blog/my-post\n"
                + "/news              /blog/cuties\n"
                + "/cuties            https://www.petsofnetlify.com\n");
    assertThat(parsed.errors()).isEmpty();
    assertThat(parsed.rules())
        .extracting(RedirectRule::from, RedirectRule::to, RedirectRule::status, RedirectRule::line)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("/home", "/", 301, 2),
            org.assertj.core.groups.Tuple.tuple("/blog/my-post.php", "/blog/my-post", 301, 3),
            org.assertj.core.groups.Tuple.tuple("/news", "/blog/cuties", 301, 4),
            org.assertj.core.groups.Tuple.tuple(
                "/cuties", "https://www.petsofnetlify.com", 301, 5));
    assertThat(parsed.rules().get(3).targetsUrl()).isTrue();
  }

  @Test
  void statusCodesAndForce() {
    // docs: redirect-options, "HTTP status codes"; rewrites-proxies, "Shadowing".
    assertThat(only("/my-redirect  /              302").status()).isEqualTo(302);
    assertThat(only("/ecommerce    /store-closed  404").status()).isEqualTo(404);
    RedirectRule rewrite = only("/pass-through /index.html    200");
    assertThat(rewrite.status()).isEqualTo(200);
    assertThat(rewrite.force()).isFalse();
    RedirectRule forced = only("/app/*  /app/index.html  200!");
    assertThat(forced.force()).isTrue();
    assertThat(forced.status()).isEqualTo(200);
  }

  @Test
  void queryParametersComeBeforeTheTarget() {
    // docs: redirect-options, "Query parameters".
    RedirectRule rule = only("/store id=:id  /blog/:id  301");
    assertThat(rule.query()).isEqualTo(Map.of("id", ":id"));
    assertThat(rule.to()).isEqualTo("/blog/:id");
    RedirectRule two = only("/articles id=:id tag=:tag /posts/:tag/:id 301");
    assertThat(two.query()).containsOnlyKeys("id", "tag");
  }

  @Test
  void conditionsAndSignatureFollowTheStatus() {
    // docs: redirect-options, "Redirect by country or language", "Redirect by cookie presence";
    // role-based access control docs.
    assertThat(only("/  /anz     302  Country=au,nz").conditions())
        .isEqualTo(Map.of("Country", List.of("au", "nz")));
    assertThat(only("/israel/*  /israel/he/:splat  302  Language=he").conditions())
        .isEqualTo(Map.of("Language", List.of("he")));
    assertThat(only("/*  /legacy/:splat  200!  Cookie=is_legacy,my_other_cookie").conditions())
        .isEqualTo(Map.of("Cookie", List.of("is_legacy,my_other_cookie")));
    RedirectRule role = only("/admin/*  200!  Role=admin");
    assertThat(role.to()).isEqualTo("/admin/:splat"); // a forward rule: "to" is derived
    assertThat(role.conditions()).isEqualTo(Map.of("Role", List.of("admin")));
    assertThat(only("/api/* https://api.example.com/:splat 200 Sign=API_SIGNATURE_TOKEN").signed())
        .isEqualTo("API_SIGNATURE_TOKEN");
  }

  @Test
  void domainLevelRulesKeepTheirHost() {
    // docs: redirect-options, "Domain-level redirects".
    RedirectRule rule =
        only("http://blog.yoursite.com/* https://www.yoursite.com/blog/:splat 301!");
    assertThat(rule.host()).isEqualTo("blog.yoursite.com");
    assertThat(rule.force()).isTrue();
  }

  @Test
  void inlineCommentsEndTheRule() {
    RedirectRule rule = only("/a /b 302 # moved for the spring sale");
    assertThat(rule.status()).isEqualTo(302);
    assertThat(rule.conditions()).isEmpty();
  }

  @Test
  void badLinesAreReportedInNetlifyBuildsWordsAndGoodLinesStillCount() {
    ParsedRules<RedirectRule> parsed =
        RedirectsFileParser.parse(
            "/ok /fine\n"
                + "/lonely\n"
                + "/nowhere elsewhere\n"
                + "/api/* 301\n"
                + "/bad /status abc\n"
                + "/.netlify/functions/x /y\n"
                + "/also-ok /fine 302\n");
    assertThat(parsed.rules()).extracting(RedirectRule::from).containsExactly("/ok", "/also-ok");
    assertThat(parsed.errors())
        .extracting(RuleError::line, RuleError::message)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                2, "Could not parse redirect line 2:\n  /lonely\nMissing destination path/URL"),
            org.assertj.core.groups.Tuple.tuple(
                3,
                "Could not parse redirect line 3:\n  /nowhere elsewhere\nThe destination path/URL"
                    + " must start with \"/\", \"http:\" or \"https:\""),
            org.assertj.core.groups.Tuple.tuple(
                4,
                "Could not parse redirect number 2:\n"
                    + "  {\"from\":\"/api/*\",\"query\":{},\"status\":301,\"force\":false,"
                    + "\"conditions\":{}}\nMissing \"to\" field"),
            org.assertj.core.groups.Tuple.tuple(
                5,
                "Could not parse redirect number 3:\n"
                    + "  {\"from\":\"/bad\",\"query\":{},\"to\":\"/status\",\"status\":\"abc\","
                    + "\"force\":false,\"conditions\":{}}\nInvalid status code: abc"),
            org.assertj.core.groups.Tuple.tuple(
                6,
                "Could not parse redirect number 4:\n"
                    + "  {\"from\":\"/.netlify/functions/x\",\"query\":{},\"to\":\"/y\","
                    + "\"force\":false,\"conditions\":{}}\n"
                    + "\"path\" field must not start with \"/.netlify\""));
  }

  @Test
  void controlCharactersFromTheFileAreNeverPrinted() {
    ParsedRules<RedirectRule> parsed = RedirectsFileParser.parse("/evil\u001b[31m\n");
    assertThat(parsed.errors()).hasSize(1);
    assertThat(parsed.errors().get(0).message())
        .contains("/evil\\u001B[31m")
        .doesNotContain("\u001b");
  }

  @Test
  void keepsAtMostTheRuleLimit() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i <= RuleLimits.MAX_RULES_PER_FILE; i++) {
      text.append("/from").append(i).append(" /to\n");
    }
    ParsedRules<RedirectRule> parsed = RedirectsFileParser.parse(text.toString());
    assertThat(parsed.rules()).hasSize(RuleLimits.MAX_RULES_PER_FILE);
    assertThat(parsed.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).startsWith("Too many redirect rules"));
  }
}
