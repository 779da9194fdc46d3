package dev.devops.local;

import com.sun.net.httpserver.HttpExchange;
import dev.devops.local.Served.ServedFile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The static host: serves a site's published deploy, or one deploy at its permalink. Each request
 * reads the deploy snapshot once, so every response comes wholly from one deploy even while a
 * publish switches it.
 */
final class SiteHost {
  private static final byte[] NOT_FOUND =
      "Not Found - no such page on this deploy\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NO_DEPLOY =
      "Not Found - this site has no published deploy\n".getBytes(StandardCharsets.UTF_8);

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
      serve(exchange, served, rawPath, false);
    } else {
      serve(exchange, store.servedSite(label), rawPath, true);
    }
  }

  /** Serves {@code /__site/NAME/...}. */
  void serveSitePath(HttpExchange exchange, String rest) throws IOException {
    int slash = rest.indexOf('/');
    String name = slash < 0 ? rest : rest.substring(0, slash);
    serve(exchange, store.servedSite(name), slash < 0 ? "/" : rest.substring(slash), true);
  }

  /** Serves {@code /__deploy/ID/...}. */
  void serveDeployPath(HttpExchange exchange, String rest) throws IOException {
    int slash = rest.indexOf('/');
    String id = slash < 0 ? rest : rest.substring(0, slash);
    serve(exchange, store.servedDeploy(id), slash < 0 ? "/" : rest.substring(slash), false);
  }

  private void serve(HttpExchange exchange, Served served, String rawPath, boolean site)
      throws IOException {
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      send(
          exchange,
          405,
          "text/plain; charset=UTF-8",
          "Method Not Allowed\n".getBytes(StandardCharsets.UTF_8),
          null);
      return;
    }
    if (served == null) {
      send(exchange, 404, "text/plain; charset=UTF-8", site ? NO_DEPLOY : NOT_FOUND, null);
      return;
    }
    String path;
    try {
      path = Exchanges.decodePath(rawPath);
    } catch (ApiException e) {
      send(
          exchange,
          400,
          "text/plain; charset=UTF-8",
          "Bad Request\n".getBytes(StandardCharsets.UTF_8),
          null);
      return;
    }
    ServedFile file = resolve(served, path);
    int status = 200;
    if (file == null) {
      status = 404;
      file = served.files().get("/404.html");
      if (file == null) {
        send(exchange, 404, "text/plain; charset=UTF-8", NOT_FOUND, null);
        return;
      }
    }
    String etag = "\"" + file.sha() + "\"";
    var headers = exchange.getResponseHeaders();
    headers.set("ETag", etag);
    headers.set("Cache-Control", "public, max-age=0, must-revalidate");
    if (status == 200 && matches(exchange.getRequestHeaders().getFirst("If-None-Match"), etag)) {
      exchange.sendResponseHeaders(304, -1);
      return;
    }
    send(exchange, status, file.mimeType(), store.blobs.read(file.sha()), file);
  }

  private static ServedFile resolve(Served served, String path) {
    if (path.isEmpty() || path.endsWith("/")) {
      return served.files().get(path + (path.isEmpty() ? "/" : "") + "index.html");
    }
    ServedFile file = served.files().get(path);
    if (file != null) {
      return file;
    }
    file = served.files().get(path + ".html");
    return file != null ? file : served.files().get(path + "/index.html");
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

  private static void send(
      HttpExchange exchange, int status, String type, byte[] body, ServedFile file)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
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
