package dev.devops.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devops.rules.NetlifyTomlParser.TomlRules;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Routing decisions for the documented examples of docs.netlify.com/routing/redirects/,
 * /redirect-options/ and /rewrites-proxies/.
 */
class RouterTest {
  private static Router router(String redirects) {
    return new Router(
        RuleSet.of(RedirectsFileParser.parse(redirects), ParsedRules.empty(), TomlRules.EMPTY));
  }

  private static Route route(String redirects, String path, String query, String... files) {
    return router(redirects).route(path, QueryString.parse(query), Set.of(files)::contains);
  }

  private static Route.Redirect redirect(Route route) {
    assertThat(route).isInstanceOf(Route.Redirect.class);
    return (Route.Redirect) route;
  }

  private static Route.ServeFile serve(Route route) {
    assertThat(route).isInstanceOf(Route.ServeFile.class);
    return (Route.ServeFile) route;
  }

  @Test
  void aBasicRuleRedirectsWith301() {
    Route.Redirect r = redirect(route("/home /", "/home", null));
    assertThat(r.status()).isEqualTo(301);
    assertThat(r.location()).isEqualTo("/");
  }

  @Test
  void theFirstMatchingRuleWins() {
    // docs: routing/redirects, "Rule processing order".
    String rules =
        "# This rule will trigger at /blog/my-old-title\n"
            + "/blog/my-old-title   /blog/my-new-title\n"
            + "# This rule will never trigger because the previous rule triggers first\n"
            + "/blog/my-old-title   /blog/an-even-better-title\n"
            + "# This will redirect /jobs/customer-ninja-rockstar\n"
            + "/jobs/customer-ninja-rockstar /careers/support-engineer\n"
            + "# This will redirect all paths under /jobs except the path above\n"
            + "/jobs/* /careers/:splat\n";
    assertThat(redirect(route(rules, "/blog/my-old-title", null)).location())
        .isEqualTo("/blog/my-new-title");
    assertThat(redirect(route(rules, "/jobs/customer-ninja-rockstar", null)).location())
        .isEqualTo("/careers/support-engineer");
    assertThat(redirect(route(rules, "/jobs/designer", null)).location())
        .isEqualTo("/careers/designer");
  }

  @Test
  void statusCodesRedirectRewriteOrServeACustomNotFoundPage() {
    // docs: redirect-options, "HTTP status codes".
    String rules =
        "/home         /              301\n"
            + "/my-redirect  /              302\n"
            + "/ecommerce    /store-closed  404\n"
            + "/pass-through /index.html    200\n"
            + "/gone         /gone.html     410\n";
    assertThat(redirect(route(rules, "/my-redirect", null)).status()).isEqualTo(302);
    Route.ServeFile closed = serve(route(rules, "/ecommerce", null));
    assertThat(closed.path()).isEqualTo("/store-closed");
    assertThat(closed.status()).isEqualTo(404);
    Route.ServeFile rewrite = serve(route(rules, "/pass-through", null));
    assertThat(rewrite.path()).isEqualTo("/index.html");
    assertThat(rewrite.status()).isEqualTo(200);
    assertThat(serve(route(rules, "/gone", null)).status()).isEqualTo(410);
  }

  @Test
  void placeholdersAndSplats() {
    // docs: redirect-options, "Placeholders" and "Splats".
    assertThat(
            redirect(
                    route(
                        "/news/:month/:date/:year/:slug  /blog/:year/:month/:date/:slug",
                        "/news/02/12/2004/my-story",
                        null))
                .location())
        .isEqualTo("/blog/2004/02/12/my-story");
    assertThat(
            redirect(route("/news/*  /blog/:splat", "/news/2004/01/10/my-story", null)).location())
        .isEqualTo("/blog/2004/01/10/my-story");
    // A splat also matches the bare directory.
    assertThat(redirect(route("/news/*  /blog/:splat", "/news", null)).location())
        .isEqualTo("/blog/");
  }

  @Test
  void placeholderValuesAreEncodedInTheLocation() {
    assertThat(redirect(route("/u/:name /people/:name", "/u/a b?", null)).location())
        .isEqualTo("/people/a%20b%3F");
  }

  @Test
  void queryParametersMustBePresentAndBindValues() {
    // docs: redirect-options, "Query parameters".
    String rules = "/store id=:id  /blog/:id  301\n/articles id=:id tag=:tag /posts/:tag/:id 301\n";
    Route.Redirect store = redirect(route(rules, "/store", "id=my-blog-post"));
    // The request's query string is passed on since the target has none of its own.
    assertThat(store.location()).isEqualTo("/blog/my-blog-post?id=my-blog-post");
    assertThat(route(rules, "/store", null)).isInstanceOf(Route.NoRule.class);
    assertThat(redirect(route(rules, "/articles", "tag=news&id=42&utm=x")).location())
        .isEqualTo("/posts/news/42?tag=news&id=42&utm=x");
    assertThat(route(rules, "/articles", "id=42")).isInstanceOf(Route.NoRule.class);
  }

  @Test
  void aTargetWithItsOwnQueryStringDropsTheRequestOne() {
    // Netlify support guide "Making redirects work for you": a dummy query string in "to" strips
    // the request's.
    assertThat(
            redirect(route("/* page=:page /:splat?page=:page 301", "/a", "page=2&x=1")).location())
        .isEqualTo("/a?page=2");
    assertThat(redirect(route("/old /new 301", "/old", "x=1&y=2")).location())
        .isEqualTo("/new?x=1&y=2");
  }

  @Test
  void trailingSlashesDoNotMatter() {
    // docs: redirect-options, "Trailing slash": rules match with or without one.
    assertThat(redirect(route("/about /about-us", "/about/", null)).location())
        .isEqualTo("/about-us");
    assertThat(redirect(route("/about/ /about-us", "/about", null)).location())
        .isEqualTo("/about-us");
  }

  @Test
  void pathsAreCaseSensitive() {
    // docs: routing/redirects, "Paths are case-sensitive".
    assertThat(route("/Home /", "/home", null)).isInstanceOf(Route.NoRule.class);
  }

  @Test
  void anExistingFileShadowsAnUnforcedRule() {
    // docs: rewrites-proxies, "Shadowing": with /* /index.html 200, /partials/chat.html still
    // renders that file if it exists; 200! rewrites even where a file matches.
    String spa = "/*    /index.html   200";
    assertThat(route(spa, "/partials/chat.html", null, "/partials/chat.html"))
        .isInstanceOf(Route.Shadowed.class);
    assertThat(serve(route(spa, "/some/client/route", null, "/index.html")).path())
        .isEqualTo("/index.html");
    assertThat(
            serve(route("/app/*  /app/index.html  200!", "/app/x.html", null, "/app/x.html"))
                .path())
        .isEqualTo("/app/index.html");
  }

  @Test
  void whatOnlyNetlifysEdgeCanDoIsNotLocal() {
    // docs: rewrites-proxies, "Proxy to another service"; redirect-options, country, language,
    // cookie and role conditions.
    Route proxy = route("/api/*  https://api.example.com/:splat  200", "/api/v1/x", null);
    assertThat(proxy).isInstanceOf(Route.NotLocal.class);
    assertThat(((Route.NotLocal) proxy).reason()).contains("proxies");
    assertThat(route("/  /anz  302  Country=au,nz", "/", null)).isInstanceOf(Route.NotLocal.class);
    assertThat(route("/admin/*  200!  Role=admin", "/admin/x", null))
        .isInstanceOf(Route.NotLocal.class);
    assertThat(route("/*  /legacy/:splat  200!  Cookie=is_legacy", "/x", null))
        .isInstanceOf(Route.NotLocal.class);
    // Redirecting to another site is fine: the client follows it.
    assertThat(redirect(route("/google https://www.google.com", "/google", null)).location())
        .isEqualTo("https://www.google.com");
  }

  @Test
  void aProxyToAPathOnTheSameSiteIsARewrite() {
    Route.ServeFile rewrite =
        serve(route("/api/*  /mock-api/:splat.json  200", "/api/users", null));
    assertThat(rewrite.path()).isEqualTo("/mock-api/users.json");
  }

  @Test
  void domainLevelRulesDoNotMatchOtherHosts() {
    assertThat(
            route(
                "http://blog.yoursite.com/* https://www.yoursite.com/blog/:splat 301!",
                "/anything",
                null))
        .isInstanceOf(Route.NoRule.class);
  }

  @Test
  void encodedCharactersInRulesMatchDecodedRequestPaths() {
    // docs: routing/redirects: "special characters in paths must be url-encoded".
    Route.Redirect r =
        redirect(route("/authors/c%C3%A9line /authors/about-c%C3%A9line", "/authors/céline", null));
    assertThat(r.location()).isEqualTo("/authors/about-c%C3%A9line");
  }
}
