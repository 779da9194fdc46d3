package dev.devops.rules;

/** What the redirect rules make of one request. */
public sealed interface Route {
  /** No rule matches: serve the file at the path, or the deploy's 404 page. */
  record NoRule() implements Route {}

  /**
   * A rule matches, but it is not forced and a file exists at the path, so the file is served
   * ("shadowing", docs: rewrites and proxies).
   */
  record Shadowed(RedirectRule rule) implements Route {}

  /**
   * Serve the deploy's file at {@code path} (decoded, no query) with {@code status}: 200 for a
   * rewrite, 404 for a custom not-found page, any other status as the rule says.
   */
  record ServeFile(String path, int status, RedirectRule rule) implements Route {}

  /** Answer {@code status} (3xx) with {@code location} (a path on the site, or a URL). */
  record Redirect(int status, String location, RedirectRule rule) implements Route {}

  /**
   * The matching rule needs what only Netlify's edge has (a proxy to another server, a visitor's
   * country, language, role or cookie, a signature); {@code reason} says which.
   */
  record NotLocal(RedirectRule rule, String reason) implements Route {}
}
