package dev.devops.local;

import com.sun.net.httpserver.HttpExchange;
import dev.devops.local.Served.ServedFile;
import dev.devops.rules.QueryString;
import dev.devops.rules.Route;
import dev.devops.rules.RuleFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The static host: serves a site's published deploy, or one deploy at its permalink, applying the
 * deploy's {@code _redirects}, {@code _headers} and {@code netlify.toml} rules. Each request reads
 * the deploy snapshot once, so every response comes wholly from one deploy (its files and its
 * rules) even while a publish switches it.
 */
final class SiteHost {
  private static final String TEXT = "text/plain; charset=UTF-8";
  private static final String CACHE_CONTROL = "public, max-age=0, must-revalidate";
  private static final byte[] NOT_FOUND =
      "Not Found - no such page on this deploy\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NO_DEPLOY =
      "Not Found - this site has no published deploy\n".getBytes(StandardCharsets.UTF_8);

  /** An HTTP header name (RFC 9110 token); a custom header with any other name is not sent. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /**
   * Names a custom header cannot set: those Netlify's docs list as ignored (routing/headers,
   * "Limitations"), and the framing headers the HTTP server itself must write.
   */
  private static final Set<String> IGNORED_HEADERS =
      Set.of(
          "accept-ranges",
          "age",
          "allow",
          "alt-svc",
          "connection",
          "content-encoding",
          "content-length",
          "content-range",
          "date",
          "location",
          "server",
          "set-cookie",
          "trailer",
          "transfer-encoding",
          "upgrade",
          "keep-alive",
          "te");

  private final Store store;

  SiteHost(Store store) {
    this.store = store;
  }

  /**
   * Serves for a {@code Host: LABEL.localhost} request; LABEL is a site, DEPLOY--SITE (a permalink)
   * or BRANCH--SITE (a branch deploy's alias).
   */
  void serveHost(HttpExchange exchange, String label, String rawPath) throws IOException {
    int split = label.indexOf("--");
    if (split > 0) {
      String deployId = label.substring(0, split);
      String siteName = label.substring(split + 2);
      Served served = store.servedDeploy(deployId);
      if (served == null || !served.siteName().equals(siteName)) {
        served = store.servedBranch(label); // BRANCH--SITE: the branch's latest ready deploy
      }
      serve(exchange, served, rawPath, false, "");
    } else {
      serve(exchange, store.servedSite(label), rawPath, true, "");
    }
  }

  /** Serves {@code /__site/NAME/...}. */
  void serveSitePath(HttpExchange exchange, String rest) throws IOException {
    int slash = rest.indexOf('/');
    String name = slash < 0 ? rest : rest.substring(0, slash);
    serve(
        exchange,
        store.servedSite(name),
        slash < 0 ? "/" : rest.substring(slash),
        true,
        "/__site/" + name);
  }

  /** Serves {@code /__deploy/ID/...}. */
  void serveDeployPath(HttpExchange exchange, String rest) throws IOException {
    int slash = rest.indexOf('/');
    String id = slash < 0 ? rest : rest.substring(0, slash);
    serve(
        exchange,
        store.servedDeploy(id),
        slash < 0 ? "/" : rest.substring(slash),
        false,
        "/__deploy/" + id);
  }

  /**
   * @param base what precedes the site's paths in this request's URL: empty for a host name, the
   *     {@code /__site/NAME} prefix for the path form (a redirect to {@code /x} goes to base/x)
   */
  private void serve(
      HttpExchange exchange, Served served, String rawPath, boolean site, String base)
      throws IOException {
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      send(exchange, 405, TEXT, "Method Not Allowed\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (served == null) {
      send(exchange, 404, TEXT, site ? NO_DEPLOY : NOT_FOUND);
      return;
    }
    String path;
    try {
      path = Exchanges.decodePath(rawPath);
    } catch (ApiException e) {
      send(exchange, 400, TEXT, "Bad Request\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    List<String> credentials = served.rules().basicAuthFor(path);
    if (!credentials.isEmpty() && !authorized(exchange, credentials)) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"Protected\"");
      send(exchange, 401, TEXT, "Unauthorized\n".getBytes(StandardCharsets.UTF_8));
      return;
    }
    if (RuleFiles.isConfiguration(path)) {
      sendFile(exchange, served, path, null, 404); // read as configuration, never served
      return;
    }
    String rawQuery = exchange.getRequestURI().getRawQuery();
    Route route =
        served
            .router()
            .route(
                path, QueryString.parse(rawQuery), candidate -> resolve(served, candidate) != null);
    if (route instanceof Route.Redirect redirect) {
      sendRedirect(exchange, redirect.status(), redirect.location(), base);
    } else if (route instanceof Route.NotLocal notLocal) {
      sendNotLocal(exchange, notLocal);
    } else if (route instanceof Route.ServeFile rewrite) {
      sendFile(exchange, served, path, resolve(served, rewrite.path()), rewrite.status());
    } else {
      String canonical = prettyUrl(served, path); // no rule applies, or a file shadows it
      if (canonical != null) {
        String location =
            encodePath(canonical) + (rawQuery == null ? "" : "?" + printable(rawQuery));
        sendRedirect(exchange, 301, location, base);
      } else {
        sendFile(exchange, served, path, resolve(served, path), 200);
      }
    }
  }

  /**
   * Where Netlify's pretty URLs send a path whose file lives under the other spelling, else null:
   * {@code /about} to {@code /about/} when only {@code /about/index.html} exists, {@code /about/}
   * to {@code /about} when only {@code /about.html} does (docs, "Trailing slash": "Netlify will
   * redirect from /about to /about/"; a 2026 observation: {@code /privacy?x=1} answered 301 to
   * {@code /privacy/?x=1}).
   */
  private static String prettyUrl(Served served, String path) {
    Map<String, ServedFile> files = served.files();
    if (path.equals("/") || files.containsKey(path)) {
      return null;
    }
    if (path.endsWith("/")) {
      String bare = path.substring(0, path.length() - 1);
      return !files.containsKey(path + "index.html") && files.containsKey(bare + ".html")
          ? bare
          : null;
    }
    return !files.containsKey(path + ".html") && files.containsKey(path + "/index.html")
        ? path + "/"
        : null;
  }

  /**
   * Sends {@code file} with {@code status} and the custom headers for the request path; a missing
   * file gives the deploy's {@code /404.html} with status 404 ("just add a 404.html page to your
   * site and it'll be picked up automatically", docs: redirect options), or a plain 404.
   */
  private void sendFile(
      HttpExchange exchange, Served served, String requestPath, ServedFile file, int status)
      throws IOException {
    if (file == null) {
      status = 404;
      file = served.files().get("/404.html");
      if (file == null) {
        send(exchange, 404, TEXT, NOT_FOUND);
        return;
      }
    }
    String etag = "\"" + file.sha() + "\"";
    var headers = exchange.getResponseHeaders();
    headers.set("ETag", etag);
    headers.set("Cache-Control", CACHE_CONTROL);
    headers.set("Content-Type", file.mimeType());
    for (Map.Entry<String, String> custom : served.rules().headersFor(requestPath).entrySet()) {
      String name = custom.getKey();
      if (TOKEN.matcher(name).matches()
          && !IGNORED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        headers.set(name, printable(custom.getValue()));
      }
    }
    if (status == 200 && matches(exchange.getRequestHeaders().getFirst("If-None-Match"), etag)) {
      exchange.sendResponseHeaders(304, -1);
      return;
    }
    if (store.blobs.isSmall(file.sha())) {
      send(exchange, status, null, store.blobs.read(file.sha()));
    } else {
      sendLarge(exchange, status, file.sha());
    }
  }

  /** A blob too large to hold in memory, streamed from disk. */
  private void sendLarge(HttpExchange exchange, int status, String sha) throws IOException {
    long size = store.blobs.size(sha);
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Content-Length", String.valueOf(size));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, size);
    try (OutputStream out = exchange.getResponseBody()) {
      store.blobs.transferTo(sha, out);
    }
  }

  private static void sendRedirect(HttpExchange exchange, int status, String location, String base)
      throws IOException {
    String target = location;
    if (target.startsWith("/") && !target.startsWith("//")) {
      target = base + target;
    }
    exchange.getResponseHeaders().set("Location", target);
    exchange.getResponseHeaders().set("Cache-Control", CACHE_CONTROL);
    send(
        exchange,
        status,
        TEXT,
        ("Redirecting to " + target + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** 501: a rule only Netlify's edge can apply, named so the user knows which and why. */
  private static void sendNotLocal(HttpExchange exchange, Route.NotLocal notLocal)
      throws IOException {
    String body =
        "Not Implemented - the local platform cannot apply this rule because "
            + notLocal.reason()
            + ":\n"
            + notLocal.rule().describe()
            + "\n";
    send(exchange, 501, TEXT, body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The file a path serves, pretty URLs resolved: {@code /dir/} is {@code /dir/index.html} (or
   * {@code /dir.html}: Netlify normalizes the trailing slash away before anything else), {@code
   * /about} is {@code /about}, {@code /about.html} or {@code /about/index.html}.
   */
  private static ServedFile resolve(Served served, String path) {
    if (path.isEmpty() || path.equals("/")) {
      return served.files().get("/index.html");
    }
    if (path.endsWith("/")) {
      ServedFile index = served.files().get(path + "index.html");
      return index != null
          ? index
          : served.files().get(path.substring(0, path.length() - 1) + ".html");
    }
    ServedFile file = served.files().get(path);
    if (file != null) {
      return file;
    }
    file = served.files().get(path + ".html");
    return file != null ? file : served.files().get(path + "/index.html");
  }

  /** True when the request carries Basic credentials equal to one of {@code user:password}. */
  private static boolean authorized(HttpExchange exchange, List<String> credentials) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    byte[] given;
    try {
      given = Base64.getDecoder().decode(header.substring(6).trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    boolean match = false;
    for (String credential : credentials) {
      match |= MessageDigest.isEqual(given, credential.getBytes(StandardCharsets.UTF_8));
    }
    return match;
  }

  /**
   * A decoded path as it goes in a Location header: percent-encoded as UTF-8 except for unreserved
   * and path characters, so no byte a header cannot carry reaches it.
   */
  private static String encodePath(String path) {
    StringBuilder out = new StringBuilder(path.length() + 8);
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "/-._~!$&'()*+,;=:@".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  /** A header value without control characters, which no HTTP header may carry. */
  private static String printable(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      out.append(Character.isISOControl(c) ? ' ' : c);
    }
    return out.toString();
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    if (ifNoneMatch == null) {
      return false;
    }
    for (String candidate : ifNoneMatch.split(",")) {
      String tag = candidate.trim();
      if (tag.startsWith("W/")) {
        tag = tag.substring(2);
      }
      if (tag.equals(etag) || tag.equals("*")) {
        return true;
      }
    }
    return false;
  }

  /** Sends a whole body; {@code type} null keeps the Content-Type already set. */
  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    if (type != null) {
      exchange.getResponseHeaders().set("Content-Type", type);
    }
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Content-Length", String.valueOf(body.length));
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
