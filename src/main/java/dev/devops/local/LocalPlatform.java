package dev.devops.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.devops.local.Faults.RateState;
import dev.devops.util.AtomicFiles;
import dev.devops.util.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local Netlify-compatible platform: Netlify's REST API under {@code /api/v1} and a static host
 * for every site and deploy, on one loopback port, backed by a crash-safe store in a directory.
 */
public final class LocalPlatform implements AutoCloseable {
  private static final String API_PREFIX = "/api/v1";
  private static final int WORKER_THREADS = Integer.getInteger("devops.local.threads", 64);

  static {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
    // delayed ACK: ~40 ms per small response. Read once, when the server classes load.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /**
   * How to start the platform.
   *
   * @param dataDir where sites, deploys and blobs are stored (created if missing)
   * @param port the loopback port; 0 picks a free one
   * @param token the API token clients must send; null reuses the one stored in {@code dataDir} or
   *     creates a random one there
   */
  public record Options(Path dataDir, int port, String token) {
    public static Options inTempDir(Path dataDir) {
      return new Options(dataDir, 0, null);
    }
  }

  private final HttpServer server;
  private final ThreadPoolExecutor workers;
  private final ExecutorService background;
  private final Store store;
  private final Api api;
  private final SiteHost siteHost;
  private final Faults faults = new Faults();
  private final String token;
  private final byte[] tokenBytes;
  private final int port;
  private final String apiUrl;

  private LocalPlatform(Options options) throws IOException {
    Path dataDir = options.dataDir().toAbsolutePath();
    AtomicFiles.createPrivateDirectories(dataDir);
    this.token = options.token() != null ? options.token() : storedToken(dataDir);
    this.tokenBytes = token.getBytes(StandardCharsets.UTF_8);
    this.background = Executors.newSingleThreadExecutor(daemonThreads("devops-local-processing"));
    this.store = new Store(dataDir, background);
    this.siteHost = new SiteHost(store);
    try {
      this.server =
          HttpServer.create(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port()), 1024);
    } catch (IOException e) {
      background.shutdown(); // nothing else was started yet
      throw e;
    }
    this.port = server.getAddress().getPort();
    this.apiUrl = "http://127.0.0.1:" + port;
    this.api = new Api(store, this);
    this.workers =
        new ThreadPoolExecutor(
            WORKER_THREADS,
            WORKER_THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(4096),
            daemonThreads("devops-local-http"),
            new ThreadPoolExecutor.CallerRunsPolicy());
    workers.allowCoreThreadTimeOut(true);
    server.setExecutor(workers);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts the platform; it serves until {@link #close()}. */
  public static LocalPlatform start(Options options) throws IOException {
    return new LocalPlatform(options);
  }

  /** Base URL in {@code NETLIFY_API_URL} form: {@code http://127.0.0.1:PORT}, no trailing slash. */
  public String apiUrl() {
    return apiUrl;
  }

  public String token() {
    return token;
  }

  public int port() {
    return port;
  }

  /** Where a site's published deploy is served: {@code http://NAME.localhost:PORT}. */
  public String siteUrl(String siteName) {
    return "http://" + siteName + ".localhost:" + port;
  }

  /** A deploy's permalink: {@code http://DEPLOYID--NAME.localhost:PORT}. */
  public String deployUrl(String deployId, String siteName) {
    return "http://" + deployId + "--" + siteName + ".localhost:" + port;
  }

  public Faults faults() {
    return faults;
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
    background.shutdown();
    try {
      background.awaitTermination(10, TimeUnit.SECONDS);
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String storedToken(Path dataDir) throws IOException {
    Path file = dataDir.resolve("token");
    if (Files.exists(file)) {
      String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
      if (!stored.isEmpty()) {
        return stored;
      }
    }
    String token = Ids.newToken();
    AtomicFiles.write(
        file, (token + "\n").getBytes(StandardCharsets.UTF_8), AtomicFiles.OWNER_ONLY_FILE);
    return token;
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  // ---- dispatch -------------------------------------------------------------------------------

  /** Thrown to end an exchange by closing its connection without any response. */
  private static final class DropConnection extends RuntimeException {
    DropConnection() {
      super("connection dropped by fault injection", null, false, false);
    }
  }

  private void handle(HttpExchange exchange) {
    try {
      route(exchange);
    } catch (DropConnection drop) {
      // Closing an exchange before any header was sent closes the socket: the client sees EOF.
      exchange.close();
      return;
    } catch (ApiException e) {
      trySendError(exchange, e.status(), e.getMessage());
    } catch (RuntimeException | IOException e) {
      trySendError(exchange, 500, "Internal error: " + e.getClass().getSimpleName());
    }
    exchange.close();
  }

  private static void trySendError(HttpExchange exchange, int status, String message) {
    try {
      Exchanges.sendError(exchange, status, message);
    } catch (IOException | RuntimeException ignored) {
      // The client went away or headers were already sent; nothing more to tell it.
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String rawPath = exchange.getRequestURI().getRawPath();
    String host = hostLabel(exchange.getRequestHeaders().getFirst("Host"));
    if (host != null) {
      siteHost.serveHost(exchange, host, rawPath);
    } else if (rawPath.startsWith("/__site/")) {
      siteHost.serveSitePath(exchange, rawPath.substring("/__site/".length()));
    } else if (rawPath.startsWith("/__deploy/")) {
      siteHost.serveDeployPath(exchange, rawPath.substring("/__deploy/".length()));
    } else if (rawPath.startsWith("/__admin/")) {
      requireToken(exchange);
      admin(exchange, rawPath.substring("/__admin/".length()));
    } else if (rawPath.equals(API_PREFIX) || rawPath.startsWith(API_PREFIX + "/")) {
      String path = rawPath.substring(API_PREFIX.length());
      if (path.startsWith(API_PREFIX + "/")) {
        path = path.substring(API_PREFIX.length()); // netlify-cli doubles the prefix on some calls
      }
      api(exchange, path);
    } else {
      throw new ApiException(404, "Not Found");
    }
  }

  /** The site label of a {@code LABEL.localhost[:PORT]} Host header, else null. */
  private static String hostLabel(String hostHeader) {
    if (hostHeader == null) {
      return null;
    }
    String host = hostHeader.toLowerCase(Locale.ROOT);
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(']') < colon) {
      host = host.substring(0, colon);
    }
    if (host.endsWith(".localhost") && host.length() > ".localhost".length()) {
      String label = host.substring(0, host.length() - ".localhost".length());
      return label.contains(".") ? null : label;
    }
    return null;
  }

  private void requireToken(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    String given = null;
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = header.substring(7).trim();
    } else {
      given = Exchanges.query(exchange).get("access_token");
    }
    if (given == null
        || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), tokenBytes)) {
      throw new ApiException(401, "Access Denied: a valid bearer token is required");
    }
  }

  private void api(HttpExchange exchange, String path) throws IOException {
    requireToken(exchange);
    Api.Route route = api.find(exchange.getRequestMethod(), path);
    Fault fault = faults.onCall(route.operationId());
    RateState rate = faults.charge();
    if (rate != null) {
      var headers = exchange.getResponseHeaders();
      headers.set("X-RateLimit-Limit", String.valueOf(rate.limit()));
      headers.set("X-RateLimit-Remaining", String.valueOf(rate.remaining()));
      headers.set("X-RateLimit-Reset", String.valueOf(rate.resetEpochSeconds()));
      if (rate.exceeded()) {
        throw new ApiException(
            429, "Rate limit exceeded: " + rate.limit() + " requests per window");
      }
    }
    byte[] body = Exchanges.readBody(exchange);
    if (fault != null) {
      sleep(fault.delayDuration());
      if (fault.drops()) {
        throw new DropConnection();
      }
      if (fault.statusCode() != 0) {
        if (fault.statusCode() == 429) {
          // A one-off throttle that lifts at the next second; rateLimit() models a real window.
          long reset = (System.currentTimeMillis() / 1000) + 1;
          exchange.getResponseHeaders().set("X-RateLimit-Limit", "500");
          exchange.getResponseHeaders().set("X-RateLimit-Remaining", "0");
          exchange.getResponseHeaders().set("X-RateLimit-Reset", String.valueOf(reset));
        }
        throw new ApiException(fault.statusCode(), "Injected fault: " + route.operationId());
      }
    }
    var matcher = route.pattern().matcher(path);
    matcher.matches();
    Api.Reply reply =
        route.handler().handle(new Api.Call(exchange, matcher, Exchanges.query(exchange), body));
    reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    Fault.BodyKind replaced = fault == null ? Fault.BodyKind.NORMAL : fault.body().kind();
    if (replaced == Fault.BodyKind.MALFORMED) {
      Exchanges.sendBytes(
          exchange,
          200,
          "application/json; charset=utf-8",
          "{\"id\": \"trunc".getBytes(StandardCharsets.UTF_8));
    } else if (replaced == Fault.BodyKind.OVERSIZED) {
      sendOversized(exchange, fault.body().size());
    } else if (replaced == Fault.BodyKind.CUSTOM) {
      Exchanges.sendBytes(
          exchange,
          200,
          "application/json; charset=utf-8",
          fault.body().text().getBytes(StandardCharsets.UTF_8));
    } else if (replaced == Fault.BodyKind.NESTED) {
      int depth = (int) fault.body().size();
      Exchanges.sendBytes(
          exchange,
          200,
          "application/json; charset=utf-8",
          ("[".repeat(depth) + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8));
    } else if (reply.raw() != null) {
      Exchanges.sendBytes(exchange, reply.status(), reply.rawType(), reply.raw());
    } else if (reply.status() == 204) {
      exchange.sendResponseHeaders(204, -1);
    } else {
      Exchanges.sendJson(exchange, reply.status(), reply.body());
    }
  }

  /** Streams {@code {"id":"xxxx...x"}} of {@code size} bytes; stops when the client hangs up. */
  private static void sendOversized(HttpExchange exchange, long size) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(200, size);
    byte[] open = "{\"id\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] close = "\"}".getBytes(StandardCharsets.UTF_8);
    byte[] filler = new byte[64 * 1024];
    Arrays.fill(filler, (byte) 'x');
    try (var out = exchange.getResponseBody()) {
      out.write(open);
      long left = size - open.length - close.length;
      while (left > 0) {
        int n = (int) Math.min(filler.length, left);
        out.write(filler, 0, n);
        left -= n;
      }
      out.write(close);
    } catch (IOException clientHungUp) {
      // The client read up to its bound and closed the connection: what it should do.
    }
  }

  private static void sleep(Duration delay) {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DropConnection();
    }
  }

  // ---- admin: faults over HTTP for subprocess tests and benches --------------------------------

  private void admin(HttpExchange exchange, String path) throws IOException {
    String method = exchange.getRequestMethod();
    byte[] body = Exchanges.readBody(exchange);
    switch (method + " " + path) {
      case "POST faults" -> {
        JsonNode spec = parse(body);
        faults.inject(faultFrom(spec));
        exchange.sendResponseHeaders(204, -1);
      }
      case "DELETE faults" -> {
        faults.clear();
        exchange.sendResponseHeaders(204, -1);
      }
      case "POST rate-limit" -> {
        JsonNode spec = parse(body);
        int limit = spec.path("limit").asInt(-1);
        long windowMs = spec.path("window_ms").asLong(60_000);
        try {
          faults.rateLimit(limit, Duration.ofMillis(windowMs));
        } catch (IllegalArgumentException e) {
          throw ApiException.unprocessable(e.getMessage());
        }
        exchange.sendResponseHeaders(204, -1);
      }
      case "GET calls" -> {
        ObjectNode calls = Json.mapper().createObjectNode();
        faults.allCalls().forEach(calls::put);
        Exchanges.sendJson(exchange, 200, calls);
      }
      case "DELETE calls" -> {
        faults.resetCalls();
        exchange.sendResponseHeaders(204, -1);
      }
      default ->
          throw new ApiException(404, "Unknown admin endpoint: " + method + " /__admin/" + path);
    }
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode node = Json.mapper().readTree(body);
      if (node == null || !node.isObject()) {
        throw ApiException.unprocessable("Body must be a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw ApiException.unprocessable("Body is not valid JSON");
    }
  }

  private static Fault faultFrom(JsonNode spec) {
    String operation = spec.path("operation").asText("");
    if (operation.isEmpty()) {
      throw ApiException.unprocessable("operation: required (a Netlify operation id or \"*\")");
    }
    try {
      Fault fault = Fault.on(operation);
      if (spec.hasNonNull("status")) {
        fault = fault.status(spec.get("status").asInt());
      }
      if (spec.hasNonNull("delay_ms")) {
        fault = fault.delay(Duration.ofMillis(spec.get("delay_ms").asLong()));
      }
      if (spec.path("drop").asBoolean(false)) {
        fault = fault.dropConnection();
      }
      if (spec.path("malformed").asBoolean(false)) {
        fault = fault.malformedBody();
      }
      if (spec.hasNonNull("times")) {
        fault = fault.times(spec.get("times").asInt());
      }
      if (spec.hasNonNull("after")) {
        fault = fault.afterCalls(spec.get("after").asInt());
      }
      return fault;
    } catch (IllegalArgumentException e) {
      throw ApiException.unprocessable(e.getMessage());
    }
  }
}
