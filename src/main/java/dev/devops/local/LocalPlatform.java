package dev.devops.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The local Netlify-compatible platform: Netlify's REST API under {@code /api/v1} and a static host
 * for every site and deploy, on one loopback port, backed by a crash-safe store in a directory.
 */
public final class LocalPlatform implements AutoCloseable {
  private static final String API_PREFIX = "/api/v1";

  /** Each exchange gets its own worker up to this many (see {@link Workers}). */
  private static final int WORKER_THREADS = Integer.getInteger("devops.local.threads", 256);

  static {
    // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's
    // delayed ACK: ~40 ms per small response. Read once, when the server classes load.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  /**
   * How to start the platform. Immutable: each setter returns a changed copy. The defaults are
   * Netlify's (its limits, only its documented endpoints, ids where it wants ids); see
   * docs/local-platform.md for every number and where it comes from.
   */
  public static final class Options {
    /** Netlify's API limit per token: 500 requests per minute (docs, "Rate limiting"). */
    public static final int NETLIFY_REQUESTS_PER_MINUTE = 500;

    /** Netlify's limit on creating deploys: 3 per minute (Netlify staff on its forum). */
    public static final int NETLIFY_DEPLOYS_PER_MINUTE = 3;

    /** File uploads in flight per account on Netlify's Starter plan (forum; js-client#181). */
    public static final int NETLIFY_STARTER_UPLOADS_IN_FLIGHT = 5;

    /** File uploads in flight per account on Netlify's paid plans (same forum thread). */
    public static final int NETLIFY_PAID_UPLOADS_IN_FLIGHT = 10;

    /** A limit of 0 is lifted. */
    public static final int OFF = 0;

    /**
     * What a restore does to the restored deploy's {@code published_at} (unconfirmed: see docs).
     */
    public enum PublishedAt {
      /** Set to the time of the restore, as the Netlify UI's "Published" label moves. */
      RESTAMP,
      /** Keep the time the deploy was first published. */
      KEEP
    }

    private Path dataDir;
    private int port;
    private String token;
    private int requestsPerMinute = NETLIFY_REQUESTS_PER_MINUTE;
    private int deploysPerMinute = NETLIFY_DEPLOYS_PER_MINUTE;
    private int uploadsInFlight = NETLIFY_STARTER_UPLOADS_IN_FLIGHT;
    private Duration latency = Duration.ZERO;
    private boolean undocumentedEndpoints;
    private PublishedAt publishedAtOnRestore = PublishedAt.RESTAMP;
    private Duration headerTimeout = Duration.ofSeconds(10);
    private int requestsPerClient = 128;

    /**
     * @param dataDir where sites, deploys and blobs are stored (created if missing)
     * @param port the loopback port; 0 picks a free one
     * @param token the API token clients must send; null reuses the one stored in {@code dataDir}
     *     or creates a random one there
     */
    public Options(Path dataDir, int port, String token) {
      this.dataDir = dataDir;
      this.port = port;
      this.token = token;
    }

    private Options(Options other) {
      this(other.dataDir, other.port, other.token);
      requestsPerMinute = other.requestsPerMinute;
      deploysPerMinute = other.deploysPerMinute;
      uploadsInFlight = other.uploadsInFlight;
      latency = other.latency;
      undocumentedEndpoints = other.undocumentedEndpoints;
      publishedAtOnRestore = other.publishedAtOnRestore;
      headerTimeout = other.headerTimeout;
      requestsPerClient = other.requestsPerClient;
    }

    /** Netlify's behaviour, on any free port, with a token created in {@code dataDir}. */
    public static Options inTempDir(Path dataDir) {
      return new Options(dataDir, 0, null);
    }

    /** API requests per minute per token ({@link #OFF}: unlimited). */
    public Options rateLimit(int perMinute) {
      Options copy = new Options(this);
      copy.requestsPerMinute = notNegative(perMinute, "rate limit");
      return copy;
    }

    /** Deploys created per minute ({@link #OFF}: unlimited). */
    public Options deployRateLimit(int perMinute) {
      Options copy = new Options(this);
      copy.deploysPerMinute = notNegative(perMinute, "deploy rate limit");
      return copy;
    }

    /** File uploads in flight per account ({@link #OFF}: unlimited). */
    public Options uploadConcurrency(int uploads) {
      Options copy = new Options(this);
      copy.uploadsInFlight = notNegative(uploads, "upload concurrency");
      return copy;
    }

    /** Added to every API answer and every served request, as a network round trip would. */
    public Options latency(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("latency must not be negative");
      }
      Options copy = new Options(this);
      copy.latency = delay;
      return copy;
    }

    /** Answer listDeployFiles and getDeployFile, which Netlify does not document. */
    public Options undocumentedEndpoints(boolean answer) {
      Options copy = new Options(this);
      copy.undocumentedEndpoints = answer;
      return copy;
    }

    public Options publishedAtOnRestore(PublishedAt rule) {
      Options copy = new Options(this);
      copy.publishedAtOnRestore = java.util.Objects.requireNonNull(rule);
      return copy;
    }

    /** How long a connection may take to send its request line and headers. */
    public Options headerTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("header timeout must be positive");
      }
      Options copy = new Options(this);
      copy.headerTimeout = timeout;
      return copy;
    }

    /** Requests one client address may have in progress at once. */
    public Options requestsPerClient(int requests) {
      if (requests < 1) {
        throw new IllegalArgumentException("requests per client must be at least 1");
      }
      Options copy = new Options(this);
      copy.requestsPerClient = requests;
      return copy;
    }

    private static int notNegative(int value, String what) {
      if (value < 0) {
        throw new IllegalArgumentException(what + " must not be negative (0 lifts it)");
      }
      return value;
    }

    public Path dataDir() {
      return dataDir;
    }

    public int port() {
      return port;
    }

    public String token() {
      return token;
    }

    public int requestsPerMinute() {
      return requestsPerMinute;
    }

    public int deploysPerMinute() {
      return deploysPerMinute;
    }

    public int uploadConcurrency() {
      return uploadsInFlight;
    }

    public Duration latency() {
      return latency;
    }

    public boolean undocumentedEndpoints() {
      return undocumentedEndpoints;
    }

    public PublishedAt publishedAtOnRestore() {
      return publishedAtOnRestore;
    }

    public Duration headerTimeout() {
      return headerTimeout;
    }

    public int requestsPerClient() {
      return requestsPerClient;
    }
  }

  private final HttpServer server;
  private final Workers workers;
  private final ExecutorService background;
  private final Store store;
  private final Api api;
  private final SiteHost siteHost;
  private final Faults faults = new Faults();
  private final Limits limits;
  private final Duration latency;
  private final String token;
  private final byte[] tokenBytes;
  private final int port;
  private final String apiUrl;
  private final Options options;

  private LocalPlatform(Options options) throws IOException {
    this.options = options;
    Path dataDir = options.dataDir().toAbsolutePath();
    AtomicFiles.createPrivateDirectories(dataDir);
    this.token = options.token() != null ? options.token() : storedToken(dataDir);
    this.tokenBytes = token.getBytes(StandardCharsets.UTF_8);
    this.limits =
        new Limits(
            options.requestsPerMinute(), options.deploysPerMinute(), options.uploadConcurrency());
    this.latency = options.latency();
    this.background =
        Executors.newSingleThreadExecutor(Workers.daemonThreads("devops-local-processing"));
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
    this.api = new Api(store, this, options);
    this.workers =
        new Workers(WORKER_THREADS, options.headerTimeout(), options.requestsPerClient());
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

  /** What the platform was started with. */
  public Options options() {
    return options;
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

  /**
   * Runs {@code work} with Netlify's limits lifted: nothing it sends is charged to the request or
   * deploy windows, nor bounded in uploads. For tests that seed a site's history: the flow under
   * test then runs with the limits on.
   */
  public <T> T withoutLimits(java.util.function.Supplier<T> work) {
    limits.suspend();
    try {
      return work.get();
    } finally {
      limits.resume();
    }
  }

  /** Starts new request and deploy windows, as if a minute had passed (a test's fresh start). */
  public void resetLimits() {
    limits.reset();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.close();
    background.shutdown();
    try {
      background.awaitTermination(10, TimeUnit.SECONDS);
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

  // ---- dispatch -------------------------------------------------------------------------------

  /** Thrown to end an exchange by closing its connection without any response. */
  private static final class DropConnection extends RuntimeException {
    DropConnection() {
      super("connection dropped by fault injection", null, false, false);
    }
  }

  private void handle(HttpExchange exchange) {
    if (!workers.headersRead()) {
      exchange.close(); // the header timeout struck: the connection is already being closed
      return;
    }
    InetAddress client = exchange.getRemoteAddress().getAddress();
    if (!workers.enter(client)) {
      exchange.getResponseHeaders().set("Connection", "close");
      answerError(
          exchange,
          429,
          "Too many requests in progress from this client (at most "
              + workers.requestsPerClient()
              + ")");
      exchange.close();
      return;
    }
    try {
      route(exchange);
    } catch (DropConnection drop) {
      // Closing an exchange before any header was sent closes the socket: the client sees EOF.
    } catch (ApiException e) {
      answerError(exchange, e.status(), e.getMessage());
    } catch (RuntimeException | IOException e) {
      answerError(exchange, 500, "Internal error: " + e.getClass().getSimpleName());
    } finally {
      exchange.close(); // still counted: a client that never sends the body it announced waits here
      workers.leave(client);
    }
  }

  /**
   * Answers an error in Netlify's shape. The JDK reads what is left of the request body before it
   * answers; a client that announced a body and never sends it gets {@link Workers#DRAIN_TIMEOUT}
   * for that, then its connection is closed without an answer.
   */
  private void answerError(HttpExchange exchange, int status, String message) {
    workers.drainStarted();
    try {
      exchange.getRequestBody().close();
    } catch (IOException | RuntimeException unreadable) {
      // The connection is gone (or the drain timed out): nothing more to read.
    }
    if (workers.drainEnded()) {
      trySendError(exchange, status, message);
    }
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
      sleep(latency);
      siteHost.serveHost(exchange, host, rawPath);
    } else if (rawPath.startsWith("/__site/")) {
      sleep(latency);
      siteHost.serveSitePath(exchange, rawPath.substring("/__site/".length()));
    } else if (rawPath.startsWith("/__deploy/")) {
      sleep(latency);
      siteHost.serveDeployPath(exchange, rawPath.substring("/__deploy/".length()));
    } else if (rawPath.startsWith("/__admin/")) {
      requireBearerToken(exchange);
      admin(exchange, rawPath.substring("/__admin/".length()));
    } else if (rawPath.equals(API_PREFIX) || rawPath.startsWith(API_PREFIX + "/")) {
      sleep(latency);
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

  /** The API takes the token as a bearer token or, as Netlify's old docs allow, a query. */
  private void requireToken(HttpExchange exchange) {
    String given = bearerToken(exchange);
    if (given == null) {
      given = Exchanges.query(exchange).get("access_token");
    }
    checkToken(given);
  }

  /** The admin endpoints take it in the Authorization header only: no token in URLs or logs. */
  private void requireBearerToken(HttpExchange exchange) {
    checkToken(bearerToken(exchange));
  }

  private static String bearerToken(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    return null;
  }

  private void checkToken(String given) {
    if (given == null
        || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), tokenBytes)) {
      throw new ApiException(401, "Access Denied: a valid bearer token is required");
    }
  }

  private void api(HttpExchange exchange, String path) throws IOException {
    requireToken(exchange);
    // Every authenticated answer carries the request limit's headers, errors included.
    Limits.Quota requests = faults.charge();
    if (requests == null) {
      requests = limits.chargeRequest();
    }
    setRateLimitHeaders(exchange, requests);
    Api.Route route = api.find(exchange.getRequestMethod(), path);
    Fault fault = faults.onCall(route.operationId());
    if (requests != null && requests.exceeded()) {
      throw new ApiException(429, "API Request rate limit surpassed for application");
    }
    if (route.operationId().equals("createSiteDeploy")) {
      Limits.Quota deploys = limits.chargeDeploy();
      if (deploys != null && deploys.exceeded()) {
        setRateLimitHeaders(exchange, deploys); // the limit that refused, so clients wait for it
        throw new ApiException(
            429, "Deploy rate limit surpassed: " + deploys.limit() + " deploys per minute");
      }
    }
    boolean upload = route.operationId().equals("uploadDeployFile");
    if (upload) {
      takeUploadSlot(exchange);
    }
    try {
      call(exchange, path, route, fault);
    } finally {
      if (upload) {
        limits.releaseUploadSlot();
      }
    }
  }

  private static void setRateLimitHeaders(HttpExchange exchange, Limits.Quota quota) {
    if (quota == null) {
      return;
    }
    var headers = exchange.getResponseHeaders();
    headers.set("X-RateLimit-Limit", String.valueOf(quota.limit()));
    headers.set("X-RateLimit-Remaining", String.valueOf(quota.remaining()));
    headers.set("X-RateLimit-Reset", String.valueOf(quota.resetEpochSeconds()));
  }

  /**
   * Netlify bounds file uploads in flight per account and says so in {@code x-concurrent-*}
   * headers; past the bound it answers 429.
   */
  private void takeUploadSlot(HttpExchange exchange) {
    int free = limits.takeUploadSlot();
    if (!limits.uploadsLimited()) {
      return;
    }
    var headers = exchange.getResponseHeaders();
    headers.set("x-concurrent-limit", String.valueOf(limits.uploadSlots()));
    headers.set("x-concurrent-remaining", String.valueOf(Math.max(0, free)));
    headers.set("x-concurrent-status", "checked");
    if (free < 0) {
      // A slot frees when any upload ends: tell clients (js-client sleeps until the reset) to
      // try again in a second rather than at the end of the minute.
      setRateLimitHeaders(
          exchange,
          new Limits.Quota(limits.uploadSlots(), 0, System.currentTimeMillis() / 1000 + 1, true));
      throw new ApiException(
          429,
          "Too many concurrent uploads: at most "
              + limits.uploadSlots()
              + " file uploads in flight");
    }
  }

  private void call(HttpExchange exchange, String path, Api.Route route, Fault fault)
      throws IOException {
    byte[] body = route.streamed() ? null : Exchanges.readBody(exchange);
    if (fault != null) {
      sleep(fault.delayDuration());
      if (fault.drops()) {
        throw new DropConnection();
      }
      if (fault.statusCode() != 0) {
        if (fault.statusCode() == 429) {
          // A one-off throttle that lifts at the next second; rateLimit() models a real window.
          setRateLimitHeaders(
              exchange, new Limits.Quota(500, 0, System.currentTimeMillis() / 1000 + 1, true));
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
    } else if (reply.rawBlob() != null) {
      sendBlob(exchange, reply);
    } else if (reply.raw() != null) {
      Exchanges.sendBytes(exchange, reply.status(), reply.rawType(), reply.raw());
    } else if (reply.status() == 204) {
      exchange.sendResponseHeaders(204, -1);
    } else {
      Exchanges.sendJson(exchange, reply.status(), reply.body());
    }
  }

  /** A raw download of a large blob, streamed from disk in bounded memory. */
  private void sendBlob(HttpExchange exchange, Api.Reply reply) throws IOException {
    if (reply.rawType() != null) {
      exchange.getResponseHeaders().set("Content-Type", reply.rawType());
    }
    long size = store.blobs.size(reply.rawBlob());
    if ("HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(reply.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(reply.status(), size);
    try (java.io.OutputStream out = exchange.getResponseBody()) {
      store.blobs.transferTo(reply.rawBlob(), out);
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
      case "POST limits" -> {
        JsonNode spec = parse(body);
        if (spec.path("suspended").asBoolean(false)) {
          limits.suspend();
        } else {
          limits.resume();
        }
        exchange.sendResponseHeaders(204, -1);
      }
      case "DELETE limits" -> {
        limits.reset();
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
