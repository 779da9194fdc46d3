package dev.devops.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.testing.PlatformFixture;
import dev.devops.testing.PlatformFixture.DeployOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code _redirects}, {@code _headers} and {@code netlify.toml} rules served over HTTP by the real
 * platform, at the site URL, the permalink and the branch alias, and across publish switches. The
 * rules are the documented examples of docs.netlify.com/routing/redirects/, /redirect-options/,
 * /rewrites-proxies/ and /routing/headers/.
 */
class RulesServingTest {
  private static final String REDIRECTS =
      String.join(
          "\n",
          "# docs: redirect-options, HTTP status codes",
          "/home         /              301",
          "/my-redirect  /              302",
          "/ecommerce    /store-closed  404",
          "/pass-through /index.html    200",
          "/retired      /gone.html     410",
          "# docs: redirect-options, splats, placeholders and query parameters",
          "/news/*  /blog/:splat",
          "/posts/:year/:slug  /blog/:slug?year=:year  302",
          "/store id=:id  /blog/:id  301",
          "# docs: rewrites-proxies, shadowing",
          "/about  /about-us  301",
          "/app/*  /app/index.html  200!",
          "# docs: rewrites-proxies, proxy to another service",
          "/api/*  https://api.example.com/:splat  200",
          "/mock/*  /fixtures/:splat.json  200",
          "# docs: redirect-options, country",
          "/anz-only  /anz  302  Country=au,nz",
          "");

  private static final String HEADERS =
      String.join(
          "\n",
          "# docs: routing/headers",
          "/*",
          "  X-Frame-Options: DENY",
          "  X-Deploy: one",
          "/blog/*",
          "  Cache-Control: public, max-age=3600",
          "  X-Deploy: blog",
          "");

  private static final String NETLIFY_TOML =
      String.join(
          "\n",
          "[[redirects]]",
          "  from = \"/from-toml\"",
          "  to = \"/about\"",
          "  status = 302",
          "[[redirects]]",
          "  from = \"/home\"",
          "  to = \"/never\"",
          "[[headers]]",
          "  for = \"/about\"",
          "  [headers.values]",
          "    X-Deploy = \"toml\"",
          "");

  @TempDir Path dataDir;
  PlatformFixture fx;
  OkHttpClient http;
  String siteId;

  @BeforeEach
  void start() {
    fx = PlatformFixture.start(dataDir);
    http = fx.http().newBuilder().followRedirects(false).build();
    siteId = fx.createSite("rules");
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private static Map<String, String> siteFiles(String marker) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("index.html", marker + ":index");
    files.put("about.html", marker + ":about");
    files.put("404.html", marker + ":404");
    files.put("store-closed.html", marker + ":store-closed");
    files.put("gone.html", marker + ":gone");
    files.put("blog/my-story.html", marker + ":my-story");
    files.put("blog/2004/01/10/my-story.html", marker + ":dated-story");
    files.put("app/index.html", marker + ":app");
    files.put("app/real.html", marker + ":real");
    files.put("docs/index.html", marker + ":docs");
    files.put("fixtures/users.json", "[\"" + marker + "\"]");
    files.put("_redirects", REDIRECTS);
    files.put("_headers", HEADERS);
    files.put("netlify.toml", NETLIFY_TOML);
    return files;
  }

  private record Answer(int status, String body, okhttp3.Headers headers) {
    String header(String name) {
      return headers.get(name);
    }
  }

  private Answer get(String url) throws IOException {
    return send(new Request.Builder().url(url).build());
  }

  private Answer send(Request request) throws IOException {
    try (Response response = http.newCall(request).execute()) {
      return new Answer(response.code(), response.body().string(), response.headers());
    }
  }

  private JsonNode deploy(String id) {
    return fx.call("GET", "/deploys/" + id, null);
  }

  @Test
  void everyRuleFormIsServedAsDocumentedAtTheSiteUrlAndThePermalink() throws IOException {
    String id = fx.deploy(siteId, siteFiles("v1"), DeployOptions.prod("v1"));
    for (String base :
        List.of(fx.platform().siteUrl("rules"), fx.platform().deployUrl(id, "rules"))) {
      Answer home = get(base + "/home");
      assertThat(home.status()).isEqualTo(301);
      assertThat(home.header("Location")).isEqualTo("/");
      assertThat(home.header("X-Frame-Options"))
          .as("headers go with files, not redirects")
          .isNull();

      assertThat(get(base + "/my-redirect").status()).isEqualTo(302);

      Answer closed = get(base + "/ecommerce");
      assertThat(closed.status()).isEqualTo(404);
      assertThat(closed.body()).isEqualTo("v1:store-closed");

      Answer rewrite = get(base + "/pass-through");
      assertThat(rewrite.status()).isEqualTo(200);
      assertThat(rewrite.body()).isEqualTo("v1:index");
      assertThat(rewrite.header("X-Frame-Options")).isEqualTo("DENY");

      Answer gone = get(base + "/retired");
      assertThat(gone.status()).isEqualTo(410);
      assertThat(gone.body()).isEqualTo("v1:gone");

      Answer news = get(base + "/news/2004/01/10/my-story?ref=feed");
      assertThat(news.status()).isEqualTo(301);
      assertThat(news.header("Location")).isEqualTo("/blog/2004/01/10/my-story?ref=feed");
      Answer story = get(base + news.header("Location"));
      assertThat(story.body()).isEqualTo("v1:dated-story");
      assertThat(story.header("Cache-Control")).isEqualTo("public, max-age=3600");
      assertThat(story.header("X-Deploy")).as("the later matching block wins").isEqualTo("blog");

      assertThat(get(base + "/posts/2004/my-story").header("Location"))
          .isEqualTo("/blog/my-story?year=2004");
      assertThat(get(base + "/store?id=my-story").header("Location"))
          .isEqualTo("/blog/my-story?id=my-story");
      assertThat(get(base + "/store").status()).as("query condition not met").isEqualTo(404);

      Answer shadowed = get(base + "/about");
      assertThat(shadowed.status()).as("about.html shadows an unforced rule").isEqualTo(200);
      assertThat(shadowed.body()).isEqualTo("v1:about");
      assertThat(shadowed.header("X-Deploy"))
          .as("netlify.toml headers come last")
          .isEqualTo("toml");
      Answer slash = get(base + "/about/");
      assertThat(slash.status()).as("pretty URLs drop the slash of a file").isEqualTo(301);
      assertThat(slash.header("Location")).isEqualTo("/about");
      Answer directory = get(base + "/docs?page=2");
      assertThat(directory.status()).as("pretty URLs add the slash of a directory").isEqualTo(301);
      assertThat(directory.header("Location")).isEqualTo("/docs/?page=2");
      assertThat(get(base + "/docs/").body()).isEqualTo("v1:docs");

      assertThat(get(base + "/app/real").body())
          .as("200! rewrites over a file")
          .isEqualTo("v1:app");

      Answer mock = get(base + "/mock/users");
      assertThat(mock.status()).isEqualTo(200);
      assertThat(mock.body()).isEqualTo("[\"v1\"]");
      assertThat(mock.header("Content-Type")).startsWith("application/json");

      Answer proxy = get(base + "/api/v1/users");
      assertThat(proxy.status()).isEqualTo(501);
      assertThat(proxy.body())
          .contains("proxies to another server")
          .contains("_redirects line 15: /api/*  https://api.example.com/:splat  200");
      Answer country = get(base + "/anz-only");
      assertThat(country.status()).isEqualTo(501);
      assertThat(country.body()).contains("Country").contains("_redirects line 18");

      Answer toml = get(base + "/from-toml");
      assertThat(toml.status()).isEqualTo(302);
      assertThat(toml.header("Location")).isEqualTo("/about");

      Answer miss = get(base + "/no/such/page");
      assertThat(miss.status()).isEqualTo(404);
      assertThat(miss.body()).isEqualTo("v1:404");
      assertThat(miss.header("X-Frame-Options")).isEqualTo("DENY");
    }
  }

  @Test
  void ruleFilesAreReadAsConfigurationAndNotServed() throws IOException {
    // A GET of /_redirects answered 404 on Netlify even under a /* rewrite
    // (developit/preact-boilerplate#120, ModusCreateOrg/budgeting#198).
    Map<String, String> files = siteFiles("v1");
    files.put("_redirects", REDIRECTS + "/*  /index.html  200\n");
    fx.deploy(siteId, files, DeployOptions.prod("v1"));
    String base = fx.platform().siteUrl("rules");
    for (String path : List.of("/_redirects", "/_headers", "/netlify.toml")) {
      Answer answer = get(base + path);
      assertThat(answer.status()).as(path).isEqualTo(404);
      assertThat(answer.body()).isEqualTo("v1:404");
    }
    assertThat(get(base + "/any/client/route").body()).isEqualTo("v1:index");
  }

  @Test
  void theServedRulesFollowThePublishedDeployAndPermalinksKeepTheirOwn() throws IOException {
    String v1 = fx.deploy(siteId, siteFiles("v1"), DeployOptions.prod("v1"));
    Map<String, String> v2Files = siteFiles("v2");
    v2Files.put("_redirects", "/home /about 302\n");
    v2Files.put("_headers", "/*\n  X-Deploy: two\n");
    v2Files.remove("netlify.toml");
    String v2 = fx.deploy(siteId, v2Files, DeployOptions.prod("v2"));
    String site = fx.platform().siteUrl("rules");

    assertThat(get(site + "/home").header("Location")).isEqualTo("/about");
    assertThat(get(site + "/about").header("X-Deploy")).isEqualTo("two");
    assertThat(get(site + "/news/x").status()).isEqualTo(404);

    fx.call("POST", "/sites/" + siteId + "/deploys/" + v1 + "/restore", null);
    assertThat(get(site + "/home").header("Location")).isEqualTo("/");
    assertThat(get(site + "/about").header("X-Deploy")).isEqualTo("toml");
    assertThat(get(site + "/news/x").status()).isEqualTo(301);

    assertThat(get(fx.platform().deployUrl(v2, "rules") + "/home").header("Location"))
        .isEqualTo("/about");
    assertThat(get(fx.platform().deployUrl(v1, "rules") + "/home").header("Location"))
        .isEqualTo("/");
  }

  @Test
  void theBranchAliasAppliesTheBranchDeploysRules() throws IOException {
    Map<String, String> files = siteFiles("beta");
    files.put("_redirects", "/home /beta-home 302\n");
    fx.deploy(siteId, files, new DeployOptions("beta", false, "beta", null, Map.of(), null));
    Answer alias = get(fx.platform().deployUrl("beta", "rules") + "/home");
    assertThat(alias.status()).isEqualTo(302);
    assertThat(alias.header("Location")).isEqualTo("/beta-home");
  }

  @Test
  void pathFormRedirectsStayUnderTheirPrefix() throws IOException {
    String id = fx.deploy(siteId, siteFiles("v1"), DeployOptions.prod("v1"));
    assertThat(get(fx.apiUrl() + "/__site/rules/home").header("Location"))
        .isEqualTo("/__site/rules/");
    assertThat(get(fx.apiUrl() + "/__deploy/" + id + "/my-redirect").header("Location"))
        .isEqualTo("/__deploy/" + id + "/");
    assertThat(get(fx.apiUrl() + "/__site/rules/docs").header("Location"))
        .isEqualTo("/__site/rules/docs/");
    assertThat(get(fx.apiUrl() + "/__site/rules/google").status()).isEqualTo(404);
  }

  @Test
  void basicAuthHeaderRulesProtectTheirPaths() throws IOException {
    // docs: file-based configuration, "Basic-Auth allows you to password protect your whole site".
    Map<String, String> files = siteFiles("v1");
    files.put("_headers", "/app/*\n  Basic-Auth: someuser:somepassword\n");
    fx.deploy(siteId, files, DeployOptions.prod("v1"));
    String url = fx.platform().siteUrl("rules") + "/app/";
    Answer refused = get(url);
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.header("WWW-Authenticate")).startsWith("Basic");
    String credentials =
        Base64.getEncoder()
            .encodeToString(
                "someuser:somepassword".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Answer allowed =
        send(
            new Request.Builder().url(url).header("Authorization", "Basic " + credentials).build());
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.body()).isEqualTo("v1:app");
    assertThat(allowed.header("Basic-Auth")).isNull();
    assertThat(get(fx.platform().siteUrl("rules") + "/").status()).isEqualTo(200);
  }

  @Test
  void theDeploySummaryCountsRulesAsNetlifyReportsThem() {
    String id = fx.deploy(siteId, siteFiles("v1"), DeployOptions.prod("v1"));
    JsonNode summary = deploy(id).get("summary");
    assertThat(summary.get("status").asText()).isEqualTo("ready");
    assertThat(summary.get("messages"))
        .extracting(
            m -> m.get("type").asText(),
            m -> m.get("title").asText(),
            m -> m.get("description").asText())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "info",
                "15 redirect rules processed",
                "All redirect rules deployed without errors."),
            org.assertj.core.groups.Tuple.tuple(
                "info", "3 header rules processed", "All header rules deployed without errors."));

    String plain = fx.deploy(siteId, Map.of("index.html", "plain"), DeployOptions.prod("plain"));
    assertThat(deploy(plain).at("/summary/messages/0/title").asText())
        .isEqualTo("No redirect rules processed");
    assertThat(deploy(plain).at("/summary/messages/1/description").asText())
        .startsWith("This deploy did not include any header rules.");
  }

  @Test
  void badRuleFilesGiveWarningsAndTheGoodRulesStillApply() throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("index.html", "home");
    files.put("_redirects", "/ok / 302\n/lonely\n");
    files.put("_headers", "X-Orphan: 1\n/*\n  X-Good: yes\n");
    files.put("netlify.toml", "[[redirects]\nfrom = 1\n");
    String id = fx.deploy(siteId, files, DeployOptions.prod("bad"));
    JsonNode messages = deploy(id).at("/summary/messages");
    assertThat(messages.get(0).get("type").asText()).isEqualTo("warning");
    assertThat(messages.get(0).get("title").asText()).isEqualTo("1 redirect rule processed");
    assertThat(messages.get(0).get("details").asText())
        .contains("In /_redirects:")
        .contains("Could not parse redirect line 2:\n  /lonely\nMissing destination path/URL")
        .contains("In /netlify.toml:")
        .contains("Could not parse configuration file: ");
    assertThat(messages.get(1).get("type").asText()).isEqualTo("warning");
    assertThat(messages.get(1).get("details").asText())
        .contains("Path should come before header \"X-Orphan\"");
    JsonNode log = fx.call("GET", "/deploys/" + id + "/log", null);
    assertThat(log.toString()).contains("Warning: some redirects have syntax errors:");

    String site = fx.platform().siteUrl("rules");
    assertThat(get(site + "/ok").status()).isEqualTo(302);
    assertThat(get(site + "/").header("X-Good")).isEqualTo("yes");
  }
}
