package dev.devops.netlify;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.util.Json;
import dev.devops.util.Secrets;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import okhttp3.ConnectionSpec;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Netlify's REST API, one method per operation (named as in the OpenAPI spec). Retries idempotent
 * calls on 5xx and connection failures with backoff, waits out 429 until {@code X-RateLimit-Reset}
 * (bounded), validates every id and path before it goes into a URL, and reads bodies only up to a
 * bound. Knows nothing of rollbacks.
 */
public final class NetlifyClient {
  public static final String DEFAULT_BASE_URL = "https://api.netlify.com/api/v1";
  static final long MAX_JSON_BYTES = 32L * 1024 * 1024;
  static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

  private static final MediaType JSON = MediaType.get("application/json");
  private static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");

  /**
   * Shared by every instance: one connection pool and dispatcher per process. Cleartext only, so
   * that building it does not load the TLS trust store (tens of milliseconds at start-up): plain
   * HTTP goes only to loopback; https requests use {@link #tls()}, made on first use.
   */
  private static final OkHttpClient SHARED =
      new OkHttpClient.Builder()
          .dns(new LoopbackAwareDns())
          .followRedirects(false)
          .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
          .build();

  /**
   * How to reach the API.
   *
   * @param baseUrl API root, for example {@code https://api.netlify.com/api/v1}; a bare {@code
   *     scheme://host[:port]} gets {@code /api/v1} appended, as netlify-cli does
   * @param token bearer token (never logged)
   * @param userAgent names the tool and its version
   * @param connectTimeout TCP connect timeout
   * @param readTimeout per-read timeout
   * @param maxRetries retries after the first attempt for retryable failures
   * @param retryBase first backoff delay; doubles per retry, with jitter
   * @param maxRateLimitWait longest wait for a 429's reset before giving up
   * @param debug receives one line per request and response (secrets redacted); may be null
   */
  public record Options(
      String baseUrl,
      String token,
      String userAgent,
      Duration connectTimeout,
      Duration readTimeout,
      int maxRetries,
      Duration retryBase,
      Duration maxRateLimitWait,
      Consumer<String> debug) {

    public static Options defaults(String baseUrl, String token, String userAgent) {
      return new Options(
          baseUrl,
          token,
          userAgent,
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          4,
          Duration.ofMillis(250),
          Duration.ofSeconds(60),
          null);
    }
  }

  /** Listings of ready deploys (see {@link #listDeployFiles(Deploy)}), the newest few. */
  private final Map<String, CompletableFuture<List<DeployFile>>> readyListings =
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(
            Map.Entry<String, CompletableFuture<List<DeployFile>>> eldest) {
          return size() > 4;
        }
      };

  private final Options options;
  private final HttpUrl base;
  private final OkHttpClient http;
  private volatile OkHttpClient tls;

  public NetlifyClient(Options options) {
    this.options = Objects.requireNonNull(options);
    this.base = parseBaseUrl(options.baseUrl());
    Secrets.register(options.token());
    this.http =
        SHARED
            .newBuilder()
            .connectTimeout(options.connectTimeout())
            .readTimeout(options.readTimeout())
            .writeTimeout(options.readTimeout())
            .build();
  }

  /** The client for {@code url}: cleartext for loopback http, TLS (built once) for https. */
  private OkHttpClient clientFor(HttpUrl url) {
    if (!url.isHttps()) {
      return http;
    }
    OkHttpClient client = tls;
    if (client == null) {
      synchronized (this) {
        client = tls;
        if (client == null) {
          client =
              http.newBuilder()
                  .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT))
                  .build();
          tls = client;
        }
      }
    }
    return client;
  }

  /** The API root this client talks to. */
  public String baseUrl() {
    return base.toString();
  }

  /**
   * Parses and checks an API base URL: https, or plain http to a loopback host only. A bare {@code
   * scheme://host} gets netlify-cli's {@code /api/v1} prefix.
   */
  public static HttpUrl parseBaseUrl(String raw) {
    HttpUrl url = raw == null ? null : HttpUrl.parse(raw.trim());
    if (url == null) {
      throw new InvalidInputException(
          "Invalid Netlify API URL '"
              + raw
              + "': use https://host/api/v1 or http://127.0.0.1:PORT.");
    }
    if (!url.isHttps() && !isLoopback(url.host())) {
      throw new InvalidInputException(
          "Refusing plain HTTP to non-loopback host '"
              + url.host()
              + "': use https (plain http is allowed only to 127.0.0.1, ::1 or *.localhost).");
    }
    String path = url.encodedPath();
    if (path.equals("/") || path.isEmpty()) {
      url = url.newBuilder().encodedPath("/api/v1").build();
    } else if (path.endsWith("/")) {
      url = url.newBuilder().encodedPath(path.substring(0, path.length() - 1)).build();
    }
    return url;
  }

  /** Loopback names and addresses: the only hosts plain HTTP may go to. */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("[::1]")) {
      return true;
    }
    return h.matches("127(\\.\\d{1,3}){3}");
  }

  // ---- sites and accounts

  public Site getSite(String siteId) {
    return call("getSite", get(url("sites", id(siteId))), true, Site.class);
  }

  /** Sites whose name matches {@code name} (Netlify filters by substring), all pages, bounded. */
  public List<Site> listSites(String name) {
    List<Site> all = new ArrayList<>();
    for (int page = 1; page <= 10; page++) {
      HttpUrl.Builder url = url("sites").newBuilder();
      if (name != null) {
        url.addQueryParameter("name", name);
      }
      url.addQueryParameter("page", Integer.toString(page)).addQueryParameter("per_page", "100");
      Page<Site> result = callPage("listSites", get(url.build()), Site.class, 100);
      all.addAll(result.items());
      if (!result.hasNext()) {
        break;
      }
    }
    return all;
  }

  /** Finds a site by id, or else by exact name. */
  public Site findSite(String nameOrId) {
    try {
      return getSite(nameOrId);
    } catch (NetlifyException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
    for (Site site : listSites(nameOrId)) {
      if (nameOrId.equals(site.name())) {
        return site;
      }
    }
    throw new NetlifyException(
        "getSite",
        404,
        "Site '" + nameOrId + "' not found: check the name or id with 'netlify sites:list'.",
        null);
  }

  public Site createSite(String name) {
    return call("createSite", post(url("sites"), Map.of("name", name)), false, Site.class);
  }

  public JsonNode getCurrentUser() {
    return call("getCurrentUser", get(url("user")), true, JsonNode.class);
  }

  // ---- deploys

  /** One page of a site's deploys, newest first. */
  public Page<Deploy> listSiteDeploys(String siteId, DeployFilter filter, int page, int perPage) {
    HttpUrl.Builder url = url("sites", id(siteId), "deploys").newBuilder();
    if (filter.production() != null) {
      url.addQueryParameter("production", filter.production().toString());
    }
    if (filter.state() != null) {
      url.addQueryParameter("state", filter.state());
    }
    if (filter.branch() != null) {
      url.addQueryParameter("branch", filter.branch());
    }
    if (filter.latestPublished() != null) {
      url.addQueryParameter("latest-published", filter.latestPublished().toString());
    }
    url.addQueryParameter("page", Integer.toString(page));
    url.addQueryParameter("per_page", Integer.toString(perPage));
    return callPage("listSiteDeploys", get(url.build()), Deploy.class, perPage);
  }

  public Deploy getDeploy(String deployId) {
    return call("getDeploy", get(url("deploys", id(deployId))), true, Deploy.class);
  }

  public Deploy getSiteDeploy(String siteId, String deployId) {
    return call(
        "getSiteDeploy",
        get(url("sites", id(siteId), "deploys", id(deployId))),
        true,
        Deploy.class);
  }

  public Deploy createSiteDeploy(String siteId, DeployRequest body, String title) {
    HttpUrl.Builder url = url("sites", id(siteId), "deploys").newBuilder();
    if (title != null) {
      url.addQueryParameter("title", title);
    }
    return call("createSiteDeploy", post(url.build(), body), false, Deploy.class);
  }

  public Deploy updateSiteDeploy(
      String siteId, String deployId, DeployRequest body, String commitRef) {
    HttpUrl.Builder url = url("sites", id(siteId), "deploys", id(deployId)).newBuilder();
    if (commitRef != null) {
      url.addQueryParameter("commit_ref", commitRef);
    }
    return call("updateSiteDeploy", put(url.build(), json(body)), true, Deploy.class);
  }

  /** Uploads one file of a deploy; {@code path} is relative to the site root. */
  public DeployFile uploadDeployFile(String deployId, String path, Path file) throws IOException {
    long size = java.nio.file.Files.size(file);
    HttpUrl url =
        filesUrl(deployId, path)
            .newBuilder()
            .addQueryParameter("size", Long.toString(size))
            .build();
    return call(
        "uploadDeployFile",
        put(url, RequestBody.create(file.toFile(), OCTET_STREAM)),
        true,
        DeployFile.class);
  }

  public DeployFile uploadDeployFile(String deployId, String path, byte[] content) {
    HttpUrl url =
        filesUrl(deployId, path)
            .newBuilder()
            .addQueryParameter("size", Integer.toString(content.length))
            .build();
    return call(
        "uploadDeployFile",
        put(url, RequestBody.create(content, OCTET_STREAM)),
        true,
        DeployFile.class);
  }

  public JsonNode uploadDeployFunction(String deployId, String name, byte[] zip, String runtime) {
    HttpUrl.Builder url = url("deploys", id(deployId), "functions", id(name)).newBuilder();
    if (runtime != null) {
      url.addQueryParameter("runtime", runtime);
    }
    url.addQueryParameter("size", Integer.toString(zip.length));
    return call(
        "uploadDeployFunction",
        put(url.build(), RequestBody.create(zip, OCTET_STREAM)),
        true,
        JsonNode.class);
  }

  public Deploy cancelSiteDeploy(String deployId) {
    return call(
        "cancelSiteDeploy", post(url("deploys", id(deployId), "cancel"), null), true, Deploy.class);
  }

  public void deleteSiteDeploy(String siteId, String deployId) {
    call(
        "deleteSiteDeploy",
        new Request.Builder()
            .url(url("sites", id(siteId), "deploys", id(deployId)))
            .delete()
            .build(),
        true,
        Void.class);
  }

  /**
   * {@code deploy}'s files. A ready deploy's listing never changes, so this client fetches it once
   * (a rollback reads the same two listings to compare, back up and verify); callers that come
   * while it is being fetched wait for that fetch.
   */
  public List<DeployFile> listDeployFiles(Deploy deploy) {
    if (!deploy.isReady()) {
      return listDeployFiles(deploy.id());
    }
    CompletableFuture<List<DeployFile>> mine = new CompletableFuture<>();
    CompletableFuture<List<DeployFile>> earlier;
    synchronized (readyListings) {
      earlier = readyListings.putIfAbsent(deploy.id(), mine);
    }
    if (earlier != null) {
      try {
        return earlier.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      mine.complete(listDeployFiles(deploy.id()));
    } catch (RuntimeException e) {
      synchronized (readyListings) {
        readyListings.remove(deploy.id(), mine);
      }
      mine.completeExceptionally(e);
      throw e;
    }
    return mine.join();
  }

  /**
   * Every file of a deploy: path, SHA1 and size. Decoded by streaming: a 50,000-file listing is 7
   * MB, which object binding takes several times longer to read in a fresh JVM.
   */
  public List<DeployFile> listDeployFiles(String deployId) {
    List<DeployFile> files =
        decoded(
            "listDeployFiles",
            get(url("deploys", id(deployId), "files")),
            true,
            DeployFile::readList,
            null);
    return files == null ? List.of() : files;
  }

  /** The raw bytes of one file of a deploy, as uploaded. */
  public byte[] getDeployFileBytes(String deployId, String path) {
    Request request =
        new Request.Builder()
            .url(filesUrl(deployId, path))
            .header("Content-Type", "application/vnd.bitballoon.v1.raw")
            .get()
            .build();
    return execute("getDeployFileBytes", request, true, MAX_FILE_BYTES);
  }

  public Deploy restoreSiteDeploy(String siteId, String deployId) {
    return call(
        "restoreSiteDeploy",
        post(url("sites", id(siteId), "deploys", id(deployId), "restore"), null),
        true,
        Deploy.class);
  }

  /** Re-publishes the previously published deploy (Netlify's own "rollback"). */
  public void rollbackSiteDeploy(String siteId) {
    call(
        "rollbackSiteDeploy",
        put(url("sites", id(siteId), "rollback"), RequestBody.create(new byte[0], JSON)),
        false,
        Void.class);
  }

  public Deploy lockDeploy(String deployId) {
    return call("lockDeploy", post(url("deploys", id(deployId), "lock"), null), true, Deploy.class);
  }

  public Deploy unlockDeploy(String deployId) {
    return call(
        "unlockDeploy", post(url("deploys", id(deployId), "unlock"), null), true, Deploy.class);
  }

  public List<LogLine> getDeployLog(String deployId) {
    return callList("getDeployLog", get(url("deploys", id(deployId), "log")), true, LogLine.class);
  }

  public List<EnvVar> getEnvVars(String accountId, String siteId) {
    HttpUrl url =
        url("accounts", id(accountId), "env")
            .newBuilder()
            .addQueryParameter("site_id", id(siteId))
            .build();
    return callList("getEnvVars", get(url), true, EnvVar.class);
  }

  /** Creates site-scoped variables with one value for all contexts. */
  public List<EnvVar> createEnvVars(String accountId, String siteId, Map<String, String> vars) {
    List<Map<String, Object>> body = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(vars).entrySet()) {
      if (!ENV_KEY.matcher(e.getKey()).matches()) {
        throw new InvalidInputException("Invalid environment variable name: " + e.getKey());
      }
      body.add(
          Map.of(
              "key", e.getKey(),
              "scopes", List.of("builds", "functions", "runtime", "post-processing"),
              "values", List.of(Map.of("value", e.getValue(), "context", "all"))));
    }
    HttpUrl url =
        url("accounts", id(accountId), "env")
            .newBuilder()
            .addQueryParameter("site_id", id(siteId))
            .build();
    return callList("createEnvVars", post(url, body), false, EnvVar.class);
  }

  // ---- served content

  /** GETs a served URL (a site or deploy permalink), without auth, body bounded. */
  public Fetched fetch(String rawUrl) {
    HttpUrl url = HttpUrl.parse(rawUrl);
    if (url == null) {
      throw new InvalidInputException("Invalid URL: " + rawUrl);
    }
    if (!url.isHttps() && !isLoopback(url.host())) {
      throw new InvalidInputException("Refusing plain HTTP to non-loopback host: " + url.host());
    }
    Request request =
        new Request.Builder().url(url).header("User-Agent", options.userAgent()).get().build();
    NetlifyException last = null;
    for (int attempt = 0; attempt <= options.maxRetries(); attempt++) {
      if (attempt > 0) {
        sleep(backoff(attempt));
      }
      long start = System.nanoTime();
      try (Response response = clientFor(url).newCall(request).execute()) {
        byte[] body = readBounded(response.body(), MAX_FILE_BYTES, "fetch");
        debug("<-- " + response.code() + " " + url + " (" + millisSince(start) + " ms)");
        if (response.code() >= 500) {
          last =
              new NetlifyException(
                  "fetch", response.code(), url + " answered " + response.code() + ".", null);
          continue;
        }
        Map<String, List<String>> headers = new TreeMap<>();
        for (String name : response.headers().names()) {
          headers.put(name.toLowerCase(Locale.ROOT), response.headers(name));
        }
        return new Fetched(url.toString(), response.code(), headers, body);
      } catch (IOException e) {
        last = new NetlifyException("fetch", 0, url + " did not answer: " + describe(e) + ".", e);
      }
    }
    throw last;
  }

  // ---- plumbing

  private HttpUrl url(String... segments) {
    HttpUrl.Builder b = base.newBuilder();
    for (String s : segments) {
      b.addPathSegment(s);
    }
    return b.build();
  }

  private HttpUrl filesUrl(String deployId, String path) {
    HttpUrl.Builder b = url("deploys", id(deployId), "files").newBuilder();
    for (String segment : filePath(path).split("/")) {
      b.addPathSegment(segment);
    }
    return b.build();
  }

  /** Checks an id or site name before it goes into a URL path. */
  static String id(String value) {
    if (value == null || !ID.matcher(value).matches() || value.contains("..")) {
      throw new InvalidInputException(
          "Invalid id '" + printable(value) + "': ids are letters, digits, '.', '_' and '-' only.");
    }
    return value;
  }

  /** Checks a site-relative file path: no empty, '.' or '..' segments, no NUL or backslash. */
  public static String filePath(String path) {
    String p = path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
    boolean bad = p.isEmpty() || p.length() > 4096 || p.indexOf('\0') >= 0 || p.indexOf('\\') >= 0;
    if (!bad) {
      for (String segment : p.split("/", -1)) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
          bad = true;
          break;
        }
      }
    }
    if (bad) {
      throw new InvalidInputException(
          "Invalid file path '"
              + printable(path)
              + "': use a relative path without '.', '..' or empty segments.");
    }
    return p;
  }

  private static String printable(String value) {
    if (value == null) {
      return "";
    }
    String cleaned = value.replaceAll("\\p{Cntrl}", "?");
    return cleaned.length() > 80 ? cleaned.substring(0, 80) + "..." : cleaned;
  }

  private Request get(HttpUrl url) {
    return new Request.Builder().url(url).get().build();
  }

  private Request post(HttpUrl url, Object body) {
    RequestBody content = body == null ? RequestBody.create(new byte[0], JSON) : json(body);
    return new Request.Builder().url(url).post(content).build();
  }

  private Request put(HttpUrl url, RequestBody body) {
    return new Request.Builder().url(url).put(body).build();
  }

  private static RequestBody json(Object body) {
    try {
      return RequestBody.create(Json.mapper().writeValueAsBytes(body), JSON);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode request body", e);
    }
  }

  private <T> T call(String operation, Request request, boolean idempotent, Class<T> type) {
    return decoded(operation, request, idempotent, Json.mapper().constructType(type), null);
  }

  /** Turns a successful answer's body into a value; an IOException means a malformed body. */
  @FunctionalInterface
  interface Decoder<T> {
    T decode(byte[] body) throws IOException;
  }

  private <T> List<T> callList(
      String operation, Request request, boolean idempotent, Class<T> type) {
    List<T> items = decoded(operation, request, idempotent, listOf(type), null);
    return items == null ? List.of() : items;
  }

  private <T> Page<T> callPage(String operation, Request request, Class<T> type, int perPage) {
    String[] link = new String[1];
    List<T> items = decoded(operation, request, true, listOf(type), link);
    if (items == null) {
      items = List.of();
    }
    boolean hasNext = link[0] != null ? link[0].contains("rel=\"next\"") : items.size() >= perPage;
    return new Page<>(items, hasNext);
  }

  private static JavaType listOf(Class<?> type) {
    return Json.mapper().getTypeFactory().constructCollectionType(List.class, type);
  }

  /**
   * Executes and decodes; a malformed or truncated body of an idempotent call is fetched again
   * once, since it usually means the connection was cut mid-body.
   */
  private <T> T decoded(
      String operation, Request request, boolean idempotent, JavaType type, String[] linkOut) {
    if (type.getRawClass() == Void.class) {
      execute(operation, request, idempotent, MAX_JSON_BYTES, linkOut);
      return null;
    }
    return decoded(
        operation, request, idempotent, body -> Json.mapper().readValue(body, type), linkOut);
  }

  private <T> T decoded(
      String operation, Request request, boolean idempotent, Decoder<T> decoder, String[] linkOut) {
    for (int attempt = 0; ; attempt++) {
      byte[] body = execute(operation, request, idempotent, MAX_JSON_BYTES, linkOut);
      if (body.length == 0) {
        return null;
      }
      try {
        return decoder.decode(body);
      } catch (IOException e) {
        if (!idempotent || attempt >= 1) {
          throw new NetlifyException(
              operation, 0, "Netlify API returned a malformed body for " + operation + ".", e);
        }
        debug("    malformed body from " + operation + "; fetching again");
      }
    }
  }

  private byte[] execute(String operation, Request request, boolean idempotent, long maxBytes) {
    return execute(operation, request, idempotent, maxBytes, null);
  }

  /**
   * Sends {@code request} with auth, retrying what is safe to retry, and returns the body of the
   * first successful answer.
   */
  private byte[] execute(
      String operation, Request request, boolean idempotent, long maxBytes, String[] linkOut) {
    Request authed =
        request
            .newBuilder()
            .header("Authorization", "Bearer " + options.token())
            .header("User-Agent", options.userAgent())
            .header("Accept", "application/json")
            .build();
    NetlifyException last = null;
    long rateLimitWaited = 0;
    for (int attempt = 0; ; attempt++) {
      long start = System.nanoTime();
      debug("--> " + authed.method() + " " + authed.url() + " (" + operation + ")");
      try (Response response = clientFor(authed.url()).newCall(authed).execute()) {
        int code = response.code();
        debug("<-- " + code + " " + operation + " (" + millisSince(start) + " ms)");
        if (response.isSuccessful()) {
          byte[] body = readBounded(response.body(), maxBytes, operation);
          if (linkOut != null) {
            linkOut[0] = response.header("Link");
          }
          return body;
        }
        String message = errorMessage(operation, response);
        if (code == 429) {
          long waitMs = rateLimitWait(response);
          if (attempt < options.maxRetries() + 2
              && rateLimitWaited + waitMs <= options.maxRateLimitWait().toMillis()) {
            debug("    rate limited; waiting " + waitMs + " ms until X-RateLimit-Reset");
            rateLimitWaited += waitMs;
            sleep(waitMs);
            continue;
          }
          throw new NetlifyException(
              operation,
              429,
              "Netlify API rate limit reached (" + operation + "): wait a minute and retry.",
              null);
        }
        last = new NetlifyException(operation, code, message, null);
        if (code >= 500 && idempotent && attempt < options.maxRetries()) {
          sleep(backoff(attempt + 1));
          continue;
        }
        throw last;
      } catch (IOException e) {
        boolean notSent = e instanceof ConnectException || e instanceof UnknownHostException;
        last =
            new NetlifyException(
                operation,
                0,
                "Netlify API unreachable during " + operation + " (" + describe(e) + ").",
                e);
        debug("<-- failed " + operation + ": " + describe(e));
        if ((idempotent || notSent) && attempt < options.maxRetries()) {
          sleep(backoff(attempt + 1));
          continue;
        }
        throw last;
      }
    }
  }

  private String errorMessage(String operation, Response response) {
    String detail = "";
    try {
      byte[] body = readBounded(response.body(), 64 * 1024, operation);
      JsonNode node = Json.mapper().readTree(body);
      if (node != null && node.hasNonNull("message")) {
        detail = node.get("message").asText();
      }
    } catch (IOException | RuntimeException ignored) {
      // The status alone still explains the failure.
    }
    if (response.code() == 404) {
      String path = response.request().url().encodedPath();
      String basePath = base.encodedPath();
      if (path.startsWith(basePath)) {
        path = path.substring(basePath.length());
      }
      return "Not found (404): "
          + operation
          + " "
          + path
          + "; check the site or deploy id, and that this token's account can see it.";
    }
    String text = "Netlify API " + operation + " failed: " + response.code();
    if (!detail.isBlank()) {
      text += " " + Secrets.redact(detail.length() > 200 ? detail.substring(0, 200) : detail);
    }
    return text + ".";
  }

  private long rateLimitWait(Response response) {
    String reset = response.header("X-RateLimit-Reset");
    long waitMs = 5000;
    if (reset != null) {
      try {
        waitMs = Long.parseLong(reset.trim()) * 1000 - System.currentTimeMillis();
      } catch (NumberFormatException ignored) {
        // Keep the default wait.
      }
    }
    return Math.max(waitMs, 1000);
  }

  private static byte[] readBounded(ResponseBody body, long maxBytes, String operation)
      throws IOException {
    if (body == null) {
      return new byte[0];
    }
    BufferedSource source = body.source();
    if (source.request(maxBytes + 1)) {
      throw new IOException(operation + " response exceeds " + maxBytes + " bytes");
    }
    Buffer buffer = source.getBuffer();
    return buffer.readByteArray();
  }

  private long backoff(int attempt) {
    long baseMs = options.retryBase().toMillis();
    long delay = baseMs << Math.min(attempt - 1, 6);
    return delay + ThreadLocalRandom.current().nextLong(Math.max(1, baseMs / 2 + 1));
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NetlifyException("sleep", 0, "Interrupted while waiting to retry.", e);
    }
  }

  /** The failure in plain words (no exception class names): it ends up in a one-line error. */
  static String describe(IOException e) {
    String message = e.getMessage() == null ? "" : Secrets.redact(e.getMessage());
    if (e instanceof InterruptedIOException) {
      return "timed out";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + message;
    }
    if (e instanceof javax.net.ssl.SSLException) {
      return "TLS failure: " + message;
    }
    if (e instanceof java.io.EOFException
        || message.contains("unexpected end of stream")
        || message.contains("Connection reset")) {
      return "connection closed before a complete answer";
    }
    return message.isEmpty() ? e.getClass().getSimpleName() : message;
  }

  private void debug(String line) {
    if (options.debug() != null) {
      options.debug().accept(Secrets.redact(line));
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /** Resolves {@code *.localhost} to loopback (RFC 6761), which the system resolver may not do. */
  private static final class LoopbackAwareDns implements Dns {
    @Override
    public List<InetAddress> lookup(String hostname) throws UnknownHostException {
      String h = hostname.toLowerCase(Locale.ROOT);
      if (h.equals("localhost") || h.endsWith(".localhost")) {
        return List.of(InetAddress.getLoopbackAddress());
      }
      return Dns.SYSTEM.lookup(hostname);
    }
  }
}
