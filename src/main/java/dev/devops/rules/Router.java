package dev.devops.rules;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Applies a deploy's redirect rules to requests. The first rule whose path and query conditions
 * match decides ("The redirects engine will process the first matching rule it finds, reading from
 * top to bottom", docs: redirects); one hop only, its target is not matched again.
 */
public final class Router {
  private final List<RedirectRule> rules;

  public Router(RuleSet rules) {
    this.rules = rules.redirects();
  }

  /**
   * Routes one request.
   *
   * @param path the request path, percent-decoded, with its leading slash
   * @param query the request's query string
   * @param fileExists whether the deploy has a file at a path (pretty URLs resolved), for shadowing
   */
  public Route route(String path, QueryString query, Predicate<String> fileExists) {
    if (rules.isEmpty()) {
      return new Route.NoRule();
    }
    // Netlify matches "regardless of whether or not they contain a trailing slash".
    String normalized = PathPattern.withoutTrailingSlash(path);
    for (RedirectRule rule : rules) {
      if (rule.host() != null) {
        continue; // a domain-level rule: it applies to requests for that domain only
      }
      Map<String, String> bound = rule.pattern().match(normalized);
      if (bound == null || !queryMatches(rule, query, bound)) {
        continue;
      }
      return apply(rule, path, query, bound, fileExists);
    }
    return new Route.NoRule();
  }

  private static Route apply(
      RedirectRule rule,
      String path,
      QueryString query,
      Map<String, String> bound,
      Predicate<String> fileExists) {
    // "If a file exists, we will serve that file rather than applying the rule, unless the rule is
    // forced" (Netlify, "Changed behavior in redirects", 2020).
    if (!rule.force() && fileExists.test(path)) {
      return new Route.Shadowed(rule);
    }
    if (rule.signed() != null) {
      return new Route.NotLocal(rule, "it is a signed rule (Netlify signs the proxied request)");
    }
    if (!rule.conditions().isEmpty()) {
      return new Route.NotLocal(
          rule,
          "it depends on "
              + String.join(", ", rule.conditions().keySet())
              + ", which only Netlify's edge knows of a visitor");
    }
    String target = rule.target(bound);
    if (rule.isRedirect()) {
      return new Route.Redirect(rule.status(), location(target, query), rule);
    }
    if (rule.targetsUrl()) {
      return new Route.NotLocal(rule, "it proxies to another server");
    }
    return new Route.ServeFile(filePath(target), rule.status(), rule);
  }

  /**
   * Query conditions: every named parameter must be present; {@code :name} binds its value, any
   * other value must be equal. Parameters beyond those named do not stop a match (Netlify CLI's
   * test "should send original query params to functions" matches {@code /with-params} with {@code
   * query = {param2 = ":param2"}} on {@code ?param2=world&other=1}).
   */
  private static boolean queryMatches(
      RedirectRule rule, QueryString query, Map<String, String> bound) {
    if (rule.query().isEmpty()) {
      return true;
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, String> condition : rule.query().entrySet()) {
      String actual = query.parameters().get(condition.getKey());
      if (actual == null) {
        return false;
      }
      String expected = condition.getValue();
      if (expected.startsWith(":") && expected.length() > 1) {
        values.put(expected.substring(1), actual);
      } else if (!expected.equals(actual)) {
        return false;
      }
    }
    values.forEach(bound::putIfAbsent);
    return true;
  }

  /**
   * The Location of a redirect: the request's query string is passed on unless the target has one
   * of its own ("To strip the query string ... include a dummy query string in your to path",
   * Netlify support guide on redirects; Netlify CLI's {@code serveRedirect} does the same).
   */
  private static String location(String target, QueryString query) {
    String location = target;
    if (!target.contains("?") && !query.isEmpty()) {
      int hash = target.indexOf('#');
      location =
          hash < 0
              ? target + "?" + query.raw()
              : target.substring(0, hash) + "?" + query.raw() + target.substring(hash);
    }
    return UrlText.safeUrl(location);
  }

  /** The deploy path a rewrite serves: the target without query or fragment, decoded. */
  private static String filePath(String target) {
    int end = target.length();
    for (char stop : new char[] {'?', '#'}) {
      int at = target.indexOf(stop);
      if (at >= 0 && at < end) {
        end = at;
      }
    }
    String path = UrlText.decode(target.substring(0, end));
    return path.startsWith("/") ? path : "/" + path;
  }
}
