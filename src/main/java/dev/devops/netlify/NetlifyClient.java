package dev.devops.netlify;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.http.BearerAuth;
import dev.devops.http.ConcurrencyLimit;
import dev.devops.http.DebugLog;
import dev.devops.http.Interceptor;
import dev.devops.http.RateBudget;
import dev.devops.http.RateLimit;
import dev.devops.http.Request;
import dev.devops.http.RequestBody;
import dev.devops.http.Response;
import dev.devops.http.ResponseTooLargeException;
import dev.devops.http.Retry;
import dev.devops.http.Sleeper;
import dev.devops.http.TransferStats;
import dev.devops.http.Transport;
import dev.devops.http.UrlConnectionNetwork;
import dev.devops.http.Urls;
import dev.devops.http.UserAgent;
import dev.devops.util.JrJson;
import dev.devops.util.Json;
import dev.devops.util.Printable;
import dev.devops.util.Secrets;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.MessageDigest;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocketFactory;

/**
 * Netlify's REST API, one method per operation (named as in the OpenAPI spec), over a {@link
 * Transport} of small interceptors: User-Agent, auth (to the API host only), retries, the rate
 * budget, the upload concurrency bound, the debug log and the run's counters. Validates every id
 * and path before it goes into a URL and reads bodies only up to a bound. Knows nothing of
 * rollbacks.
 */
public final class NetlifyClient {
  public static final String DEFAULT_BASE_URL = "https://api.netlify.com/api/v1";
  static final long MAX_JSON_BYTES = 32L * 1024 * 1024;
  static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

  /** Netlify's published API limit, assumed until the first answer says otherwise. */
  public static final int PUBLISHED_RATE_LIMIT = 500;

  /** Parallel file uploads Netlify allows per account on its Starter plan. */
  public static final int DEFAULT_UPLOAD_CONCURRENCY = 5;

  private static final String JSON_TYPE = "application/json";
  private static final String OCTET_STREAM = "application/octet-stream";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");

  /** One budget per token and API host in this process, shared by every client that uses it. */
  private static final Map<String, RateBudget> BUDGETS = new ConcurrentHashMap<>();

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
   * @param maxRateLimitWait longest total wait for 429s before giving up
   * @param debug receives one line per request and response (secrets redacted); may be null
   * @param uploadConcurrency file uploads in flight at once, at most
   * @param tls the TLS socket factory; null for the JDK's trust store
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
      Consumer<String> debug,
      int uploadConcurrency,
      SSLSocketFactory tls) {

    public Options(
        String baseUrl,
        String token,
        String userAgent,
        Duration connectTimeout,
        Duration readTimeout,
        int maxRetries,
        Duration retryBase,
        Duration maxRateLimitWait,
        Consumer<String> debug) {
      this(
          baseUrl,
          token,
          userAgent,
          connectTimeout,
          readTimeout,
          maxRetries,
          retryBase,
          maxRateLimitWait,
          debug,
          DEFAULT_UPLOAD_CONCURRENCY,
          null);
    }

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

    public Options withTls(SSLSocketFactory factory) {
      return new Options(
          baseUrl,
          token,
          userAgent,
          connectTimeout,
          readTimeout,
          maxRetries,
          retryBase,
          maxRateLimitWait,
          debug,
          uploadConcurrency,
          factory);
    }

    public Options withUploadConcurrency(int n) {
      return new Options(
          baseUrl,
          token,
          userAgent,
          connectTimeout,
          readTimeout,
          maxRetries,
          retryBase,
          maxRateLimitWait,
          debug,
          n,
          tls);
    }
  }

  /** What this client sent so far: HTTP requests, those to the API, and 429 answers met. */
  public record Stats(int httpRequests, int apiCalls, int rateLimited) {}

  /**
   * Answers read once per client, the newest few: listings of ready deploys (see {@link
   * #listDeployFiles(Deploy)}) and of the published one, and the site's environment variables.
   */
  private final Map<String, CompletableFuture<?>> readOnce =
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<?>> eldest) {
          return size() > 6;
        }
      };

  private final Options options;
  private final URI base;
  private final RateBudget budget;
  private final TransferStats stats;
  private final Transport api;
  private final Transport content;

  public NetlifyClient(Options options) {
    this.options = Objects.requireNonNull(options);
    this.base = parseBaseUrl(options.baseUrl());
    Secrets.register(options.token());
    if (options.token() != null && !Secrets.isHeaderSafe(options.token())) {
      // Never let a token split or corrupt the Authorization header; never echo it.
      throw new InvalidInputException(
          "The token holds a line break, a space or a non-ASCII character: it was not sent.");
    }
    Predicate<Request> toApi = r -> BearerAuth.sameOrigin(r.url(), base);
    this.stats = new TransferStats(toApi);
    this.budget =
        BUDGETS.computeIfAbsent(
            budgetKey(options.token(), base),
            k -> new RateBudget(PUBLISHED_RATE_LIMIT, Duration.ofMinutes(1)));
    Interceptor network =
        new UrlConnectionNetwork(options.connectTimeout(), options.readTimeout(), options.tls());
    List<Interceptor> apiChain = new ArrayList<>();
    apiChain.add(new UserAgent(options.userAgent()));
    apiChain.add(new BearerAuth(options.token(), base));
    apiChain.add(new Retry(options.maxRetries(), options.retryBase(), Sleeper.REAL));
    apiChain.add(new RateLimit(toApi, budget, options.maxRateLimitWait(), Sleeper.REAL, null));
    apiChain.add(
        new ConcurrencyLimit(
            r -> "uploadDeployFile".equals(r.operation()), options.uploadConcurrency()));
    if (options.debug() != null) {
      apiChain.add(new DebugLog(options.debug()));
    }
    apiChain.add(stats);
    apiChain.add(network);
    this.api = new Transport(apiChain);
    List<Interceptor> contentChain = new ArrayList<>();
    contentChain.add(new UserAgent(options.userAgent()));
    contentChain.add(new Retry(options.maxRetries(), options.retryBase(), Sleeper.REAL));
    if (options.debug() != null) {
      contentChain.add(new DebugLog(options.debug()));
    }
    contentChain.add(stats);
    contentChain.add(network);
    this.content = new Transport(contentChain);
  }

  /** The API root this client talks to. */
  public String baseUrl() {
    return base.toString();
  }

  /** What this client has sent so far. */
  public Stats stats() {
    return new Stats(stats.httpRequests(), stats.apiCalls(), stats.rateLimited());
  }

  /** The shared rate budget of this client's token. */
  public RateBudget rateBudget() {
    return budget;
  }

  /**
   * Parses and checks an API base URL: https, or plain http to a loopback host only. A bare {@code
   * scheme://host} gets netlify-cli's {@code /api/v1} prefix.
   */
  public static URI parseBaseUrl(String raw) {
    URI url = Urls.parse(raw);
    if (url == null || url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new InvalidInputException(
          "Invalid Netlify API URL '"
              + printable(raw)
              + "': use https://host/api/v1 or http://127.0.0.1:PORT.");
    }
    if (!"https".equalsIgnoreCase(url.getScheme()) && !isLoopback(url.getHost())) {
      throw new InvalidInputException(
          "Refusing plain HTTP to non-loopback host '"
              + printable(url.getHost())
              + "': use https (plain http is allowed only to 127.0.0.1, ::1 or *.localhost).");
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    if (path.equals("/") || path.isEmpty()) {
      path = "/api/v1";
    } else if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(
        url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getRawAuthority() + path);
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
    return call(get("getSite", url().segment("sites").segment(id(siteId))), Site.class);
  }

  /** Sites whose name matches {@code name} (Netlify filters by substring), all pages, bounded. */
  public List<Site> listSites(String name) {
    List<Site> all = new ArrayList<>();
    for (int page = 1; page <= 10; page++) {
      Urls.Builder url = url().segment("sites");
      if (name != null) {
        url.query("name", name);
      }
      url.query("page", Integer.toString(page)).query("per_page", "100");
      Page<Site> result = callPage(get("listSites", url), Site.class, 100);
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
        "Site '"
            + printable(nameOrId)
            + "' not found: check the name or id with 'netlify sites:list'.",
        null);
  }

  public Site createSite(String name) {
    return call(
        post("createSite", url().segment("sites"), Map.of("name", name), false), Site.class);
  }

  public Map<String, Object> getCurrentUser() {
    return decoded(
        get("getCurrentUser", url().segment("user")), body -> JrJson.json().mapFrom(body), null);
  }

  // ---- site metadata

  /** Site metadata is a small object of snippet values: a larger answer is refused. */
  static final long MAX_METADATA_BYTES = 1024 * 1024;

  /**
   * The site's metadata object (free-form; {@code {}} when nothing is stored). A body that is not a
   * JSON object, or larger than {@link #MAX_METADATA_BYTES}, is refused as malformed.
   */
  public Map<String, Object> getSiteMetadata(String siteId) {
    Request request = get("getSiteMetadata", metadataUrl(siteId));
    Map<String, Object> map =
        decoded(
            request,
            body -> {
              Object read = JrJson.json().anyFrom(body);
              if (!(read instanceof Map<?, ?>)) {
                throw new IOException("metadata is not a JSON object");
              }
              @SuppressWarnings("unchecked")
              Map<String, Object> object = (Map<String, Object>) read;
              return object;
            },
            null,
            MAX_METADATA_BYTES);
    return map == null ? new LinkedHashMap<>() : map;
  }

  /** Replaces the site's whole metadata object (Netlify answers 204): keep every key you read. */
  public void updateSiteMetadata(String siteId, Map<String, Object> metadata) {
    if (metadata == null) {
      throw new InvalidInputException("Site metadata must be a JSON object.");
    }
    byte[] bytes;
    try {
      bytes = JrJson.json().asBytes(metadata);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode request body", e);
    }
    execute(
        put("updateSiteMetadata", metadataUrl(siteId), RequestBody.of(bytes, JSON_TYPE)),
        MAX_METADATA_BYTES,
        null);
  }

  private Urls.Builder metadataUrl(String siteId) {
    return url().segment("sites").segment(id(siteId)).segment("metadata");
  }

  // ---- deploys

  /** One page of a site's deploys, newest first. */
  public Page<Deploy> listSiteDeploys(String siteId, DeployFilter filter, int page, int perPage) {
    Urls.Builder url = url().segment("sites").segment(id(siteId)).segment("deploys");
    if (filter.production() != null) {
      url.query("production", filter.production().toString());
    }
    if (filter.state() != null) {
      url.query("state", filter.state());
    }
    if (filter.branch() != null) {
      url.query("branch", filter.branch());
    }
    if (filter.latestPublished() != null) {
      url.query("latest-published", filter.latestPublished().toString());
    }
    url.query("page", Integer.toString(page));
    url.query("per_page", Integer.toString(perPage));
    return callPage(get("listSiteDeploys", url), Deploy.class, perPage);
  }

  public Deploy getDeploy(String deployId) {
    return call(get("getDeploy", url().segment("deploys").segment(id(deployId))), Deploy.class);
  }

  public Deploy getSiteDeploy(String siteId, String deployId) {
    return call(
        get(
            "getSiteDeploy",
            url().segment("sites").segment(id(siteId)).segment("deploys").segment(id(deployId))),
        Deploy.class);
  }

  public Deploy createSiteDeploy(String siteId, DeployRequest body, String title) {
    Urls.Builder url = url().segment("sites").segment(id(siteId)).segment("deploys");
    if (title != null) {
      url.query("title", title);
    }
    return call(post("createSiteDeploy", url, body, false), Deploy.class);
  }

  public Deploy updateSiteDeploy(
      String siteId, String deployId, DeployRequest body, String commitRef) {
    Urls.Builder url =
        url().segment("sites").segment(id(siteId)).segment("deploys").segment(id(deployId));
    if (commitRef != null) {
      url.query("commit_ref", commitRef);
    }
    return call(put("updateSiteDeploy", url, jsonBody(body)), Deploy.class);
  }

  /**
   * Uploads one file of a deploy, streamed from disk; {@code path} is relative to the site root.
   */
  public DeployFile uploadDeployFile(String deployId, String path, Path file) throws IOException {
    long size = java.nio.file.Files.size(file);
    return call(
        put(
            "uploadDeployFile",
            filesUrl(deployId, path).query("size", Long.toString(size)),
            RequestBody.ofFile(file, size, OCTET_STREAM)),
        DeployFile.class);
  }

  public DeployFile uploadDeployFile(String deployId, String path, byte[] content) {
    return call(
        put(
            "uploadDeployFile",
            filesUrl(deployId, path).query("size", Integer.toString(content.length)),
            RequestBody.of(content, OCTET_STREAM)),
        DeployFile.class);
  }

  public JsonNode uploadDeployFunction(String deployId, String name, byte[] zip, String runtime) {
    Urls.Builder url = url().segment("deploys").segment(id(deployId));
    url.segment("functions").segment(id(name));
    if (runtime != null) {
      url.query("runtime", runtime);
    }
    url.query("size", Integer.toString(zip.length));
    return call(
        put("uploadDeployFunction", url, RequestBody.of(zip, OCTET_STREAM)), JsonNode.class);
  }

  public Deploy cancelSiteDeploy(String deployId) {
    return call(
        post(
            "cancelSiteDeploy",
            url().segment("deploys").segment(id(deployId)).segment("cancel"),
            null,
            true),
        Deploy.class);
  }

  public void deleteSiteDeploy(String siteId, String deployId) {
    Urls.Builder url =
        url().segment("sites").segment(id(siteId)).segment("deploys").segment(id(deployId));
    call(new Request("DELETE", url.build(), Map.of(), null, "deleteSiteDeploy", true), Void.class);
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
    return onceFor("deploy:" + deploy.id(), () -> listDeployFiles(deploy.id()));
  }

  /** The answer under {@code key}, fetched once per client; a failed fetch is not kept. */
  @SuppressWarnings("unchecked") // each key is only ever stored with one type of answer
  private <T> T onceFor(String key, java.util.function.Supplier<T> fetch) {
    CompletableFuture<T> mine = new CompletableFuture<>();
    CompletableFuture<T> earlier;
    synchronized (readOnce) {
      earlier = (CompletableFuture<T>) readOnce.putIfAbsent(key, mine);
    }
    if (earlier != null) {
      try {
        return earlier.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
    }
    try {
      mine.complete(fetch.get());
    } catch (RuntimeException e) {
      synchronized (readOnce) {
        readOnce.remove(key, mine);
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
            get("listDeployFiles", url().segment("deploys").segment(id(deployId)).segment("files")),
            DeployFile::readList,
            null);
    return files == null ? List.of() : files;
  }

  /**
   * The files of the site's published deploy (documented: {@code GET /sites/{id}/files}), all of
   * them in one answer. {@code publishedDeployId} names the deploy the caller knows is published: a
   * run reads that listing once (the backup and the impact analysis share it).
   */
  public List<DeployFile> listSiteFiles(String siteId, String publishedDeployId) {
    String key = "site:" + id(siteId) + ":" + publishedDeployId;
    return onceFor(
        key,
        () -> {
          List<DeployFile> files =
              decoded(
                  get("listSiteFiles", url().segment("sites").segment(siteId).segment("files")),
                  DeployFile::readList,
                  null);
          return files == null ? List.of() : files;
        });
  }

  /**
   * Streams one file of the site's published deploy to {@code target} (documented: {@code GET
   * /sites/{id}/files/{path}} with the raw content type), hashing it on the way.
   */
  public Download downloadSiteFile(String siteId, String path, Path target, long maxBytes) {
    Urls.Builder url =
        url().segment("sites").segment(id(siteId)).segment("files").segments(filePath(path));
    return downloadApi(
        get("getSiteFileByPathName", url)
            .header("Content-Type", "application/vnd.bitballoon.v1.raw")
            .header("Accept", "application/octet-stream"),
        target,
        maxBytes);
  }

  /**
   * Streams one file of any deploy (the undocumented per-deploy raw download) to {@code target}.
   */
  public Download downloadDeployFile(String deployId, String path, Path target, long maxBytes) {
    return downloadApi(
        get("getDeployFile", filesUrl(deployId, path))
            .header("Content-Type", "application/vnd.bitballoon.v1.raw")
            .header("Accept", "application/octet-stream"),
        target,
        maxBytes);
  }

  /** Streams a served URL's body to {@code target} (no auth), hashing it on the way. */
  public Download downloadServed(String rawUrl, Path target, long maxBytes) {
    URI url = servedUrl(rawUrl);
    try (Response response = sendServed(url)) {
      return Download.of(response, target, maxBytes);
    } catch (IOException e) {
      throw new NetlifyException("fetch", 0, url + " did not answer: " + describe(e) + ".", e);
    }
  }

  private Download downloadApi(Request request, Path target, long maxBytes) {
    try (Response response = api.execute(request)) {
      if (response.status() == 429) {
        throw new NetlifyException(
            request.operation(),
            429,
            "Netlify API rate limit reached ("
                + request.operation()
                + "): wait a minute and retry.",
            null);
      }
      if (!response.successful()) {
        throw new NetlifyException(
            request.operation(),
            response.status(),
            errorMessage(request.operation(), response),
            null);
      }
      return Download.of(response, target, maxBytes);
    } catch (ResponseTooLargeException e) {
      throw new NetlifyException(
          request.operation(), 0, "Netlify API " + e.getMessage() + ": refused.", e);
    } catch (IOException e) {
      throw new NetlifyException(
          request.operation(),
          0,
          "Netlify API unreachable during " + request.operation() + " (" + describe(e) + ").",
          e);
    }
  }

  /** The raw bytes of one file of a deploy, as uploaded. */
  public byte[] getDeployFileBytes(String deployId, String path) {
    Request request =
        get("getDeployFile", filesUrl(deployId, path))
            .header("Content-Type", "application/vnd.bitballoon.v1.raw");
    return execute(request, MAX_FILE_BYTES, null);
  }

  public Deploy restoreSiteDeploy(String siteId, String deployId) {
    Urls.Builder url = url().segment("sites").segment(id(siteId)).segment("deploys");
    url.segment(id(deployId)).segment("restore");
    return call(post("restoreSiteDeploy", url, null, true), Deploy.class);
  }

  /** Re-publishes the previously published deploy (Netlify's own "rollback"). */
  public void rollbackSiteDeploy(String siteId) {
    call(
        put(
            "rollbackSiteDeploy",
            url().segment("sites").segment(id(siteId)).segment("rollback"),
            RequestBody.of(new byte[0], JSON_TYPE)),
        Void.class);
  }

  public Deploy lockDeploy(String deployId) {
    return call(
        post(
            "lockDeploy",
            url().segment("deploys").segment(id(deployId)).segment("lock"),
            null,
            true),
        Deploy.class);
  }

  public Deploy unlockDeploy(String deployId) {
    return call(
        post(
            "unlockDeploy",
            url().segment("deploys").segment(id(deployId)).segment("unlock"),
            null,
            true),
        Deploy.class);
  }

  public List<LogLine> getDeployLog(String deployId) {
    return callList(
        get("getDeployLog", url().segment("deploys").segment(id(deployId)).segment("log")),
        LogLine.class);
  }

  /**
   * The site's environment variables, read once per client (a rollback's validation and its backup
   * both need them, seconds apart); {@link #createEnvVars} reads them afresh next time.
   */
  public List<EnvVar> getEnvVars(String accountId, String siteId) {
    Urls.Builder url = url().segment("accounts").segment(id(accountId)).segment("env");
    url.query("site_id", id(siteId));
    return onceFor(envKey(accountId, siteId), () -> callList(get("getEnvVars", url), EnvVar.class));
  }

  private static String envKey(String accountId, String siteId) {
    return "env:" + accountId + ":" + siteId;
  }

  /** Creates site-scoped variables with one value for all contexts. */
  public List<EnvVar> createEnvVars(String accountId, String siteId, Map<String, String> vars) {
    List<Map<String, Object>> body = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(vars).entrySet()) {
      if (!ENV_KEY.matcher(e.getKey()).matches()) {
        throw new InvalidInputException(
            "Invalid environment variable name: " + printable(e.getKey()));
      }
      body.add(
          Map.of(
              "key", e.getKey(),
              "scopes", List.of("builds", "functions", "runtime", "post-processing"),
              "values", List.of(Map.of("value", e.getValue(), "context", "all"))));
    }
    Urls.Builder url = url().segment("accounts").segment(id(accountId)).segment("env");
    url.query("site_id", id(siteId));
    synchronized (readOnce) {
      readOnce.remove(envKey(accountId, siteId));
    }
    return callList(post("createEnvVars", url, body, false), EnvVar.class);
  }

  // ---- served content

  /** GETs a served URL (a site or deploy permalink), without auth, body bounded. */
  public Fetched fetch(String rawUrl) {
    return fetch(rawUrl, MAX_FILE_BYTES);
  }

  /** GETs a served URL, reading at most {@code maxBytes} of its body. */
  public Fetched fetch(String rawUrl, long maxBytes) {
    URI url = servedUrl(rawUrl);
    try (Response response = sendServed(url)) {
      byte[] body = response.bytes(maxBytes);
      return new Fetched(url.toString(), response.status(), response.headers(), body);
    } catch (IOException e) {
      throw new NetlifyException("fetch", 0, url + " did not answer: " + describe(e) + ".", e);
    }
  }

  /**
   * GETs a served URL and hashes its body as it streams: status, headers, SHA1 and size, in a few
   * kilobytes of memory whatever the file's size.
   */
  public Fetched.Digest fetchDigest(String rawUrl) {
    URI url = servedUrl(rawUrl);
    try (Response response = sendServed(url)) {
      MessageDigest sha1 = Sha1.newDigest();
      long size = 0;
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = response.body().read(buffer)) > 0; ) {
        sha1.update(buffer, 0, n);
        size += n;
      }
      return new Fetched.Digest(
          url.toString(), response.status(), response.headers(), Sha1.hex(sha1), size);
    } catch (IOException e) {
      throw new NetlifyException("fetch", 0, url + " did not answer: " + describe(e) + ".", e);
    }
  }

  private URI servedUrl(String rawUrl) {
    URI url = Urls.parse(rawUrl);
    if (url == null) {
      throw new InvalidInputException("Invalid URL: " + printable(rawUrl));
    }
    if (!"https".equalsIgnoreCase(url.getScheme()) && !isLoopback(url.getHost())) {
      throw new InvalidInputException(
          "Refusing plain HTTP to non-loopback host: " + printable(url.getHost()));
    }
    return url;
  }

  /** Sends a GET for served content: 5xx and failed connections are retried, then reported. */
  private Response sendServed(URI url) throws IOException {
    Response response = content.execute(Request.get(url, "fetch"));
    if (response.status() >= 500) {
      int status = response.status();
      response.close();
      throw new IOException("answered " + status);
    }
    return response;
  }

  // ---- plumbing

  private Urls.Builder url() {
    return Urls.of(base);
  }

  private Urls.Builder filesUrl(String deployId, String path) {
    return url().segment("deploys").segment(id(deployId)).segment("files").segments(filePath(path));
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

  /** Text from outside, made printable ({@link Printable}) and cut, for one-line messages. */
  private static String printable(String value) {
    return value == null ? "" : Printable.clean(value, 80);
  }

  private static Request get(String operation, Urls.Builder url) {
    return new Request("GET", url.build(), Map.of("Accept", JSON_TYPE), null, operation, true);
  }

  private static Request post(String operation, Urls.Builder url, Object body, boolean idempotent) {
    RequestBody content = body == null ? RequestBody.of(new byte[0], JSON_TYPE) : jsonBody(body);
    return new Request(
        "POST", url.build(), Map.of("Accept", JSON_TYPE), content, operation, idempotent);
  }

  private static Request put(String operation, Urls.Builder url, RequestBody body) {
    return new Request("PUT", url.build(), Map.of("Accept", JSON_TYPE), body, operation, true);
  }

  private static RequestBody jsonBody(Object body) {
    try {
      return RequestBody.of(Json.mapper().writeValueAsBytes(body), JSON_TYPE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode request body", e);
    }
  }

  private <T> T call(Request request, Class<T> type) {
    if (type == Void.class) {
      execute(request, MAX_JSON_BYTES, null);
      return null;
    }
    if (type == JsonNode.class) { // a free-form answer (a function upload's), as a tree
      JavaType javaType = Json.mapper().constructType(type);
      return decoded(request, body -> Json.mapper().readValue(body, javaType), null);
    }
    return decoded(request, body -> JrJson.json().beanFrom(type, body), null);
  }

  /** Turns a successful answer's body into a value; an IOException means a malformed body. */
  @FunctionalInterface
  interface Decoder<T> {
    T decode(byte[] body) throws IOException;
  }

  private <T> List<T> callList(Request request, Class<T> type) {
    List<T> items = decoded(request, body -> JrJson.json().listOfFrom(type, body), null);
    return items == null ? List.of() : items;
  }

  private <T> Page<T> callPage(Request request, Class<T> type, int perPage) {
    String[] link = new String[1];
    List<T> items = decoded(request, body -> JrJson.json().listOfFrom(type, body), link);
    if (items == null) {
      items = List.of();
    }
    boolean hasNext = link[0] != null ? link[0].contains("rel=\"next\"") : items.size() >= perPage;
    return new Page<>(items, hasNext);
  }

  /**
   * Executes and decodes; a malformed or truncated body of an idempotent call is fetched again
   * once, since it usually means the connection was cut mid-body.
   */
  private <T> T decoded(Request request, Decoder<T> decoder, String[] linkOut) {
    return decoded(request, decoder, linkOut, MAX_JSON_BYTES);
  }

  private <T> T decoded(Request request, Decoder<T> decoder, String[] linkOut, long maxBytes) {
    for (int attempt = 0; ; attempt++) {
      byte[] body = execute(request, maxBytes, linkOut);
      if (body.length == 0) {
        return null;
      }
      try {
        return decoder.decode(body);
      } catch (IOException e) {
        if (!request.idempotent() || attempt >= 1) {
          throw new NetlifyException(
              request.operation(),
              0,
              "Netlify API returned a malformed body for " + request.operation() + ".",
              e);
        }
        debug("    malformed body from " + request.operation() + "; fetching again");
      }
    }
  }

  /** Sends {@code request} through the API transport and returns the body of a 2xx answer. */
  private byte[] execute(Request request, long maxBytes, String[] linkOut) {
    String operation = request.operation();
    for (int attempt = 0; ; attempt++) {
      try (Response response = api.execute(request)) {
        if (response.successful()) {
          if (linkOut != null) {
            linkOut[0] = response.header("Link");
          }
          return response.bytes(maxBytes);
        }
        if (response.status() == 429) {
          throw new NetlifyException(
              operation,
              429,
              "Netlify API rate limit reached (" + operation + "): wait a minute and retry.",
              null);
        }
        throw new NetlifyException(
            operation, response.status(), errorMessage(operation, response), null);
      } catch (ResponseTooLargeException e) {
        throw new NetlifyException(operation, 0, "Netlify API " + e.getMessage() + ": refused.", e);
      } catch (IOException e) {
        if (!(request.idempotent() && attempt < 1 && cutMidBody(e))) {
          throw new NetlifyException(
              operation,
              0,
              "Netlify API unreachable during " + operation + " (" + describe(e) + ").",
              e);
        }
        debug("    " + operation + " was cut mid-body; fetching again");
      }
    }
  }

  private static boolean cutMidBody(IOException e) {
    return e instanceof java.io.EOFException;
  }

  private String errorMessage(String operation, Response response) {
    String detail = "";
    try {
      Object answer = JrJson.json().anyFrom(response.bytes(64 * 1024));
      if (answer instanceof Map<?, ?> object && object.get("message") instanceof String text) {
        detail = text;
      }
    } catch (IOException | RuntimeException ignored) {
      // The status alone still explains the failure.
    }
    if (response.status() == 404) {
      String path = response.request().url().getRawPath();
      String basePath = base.getRawPath();
      if (path.startsWith(basePath)) {
        path = path.substring(basePath.length());
      }
      return "Not found (404): "
          + operation
          + " "
          + path
          + "; check the site or deploy id, and that this token's account can see it.";
    }
    String text = "Netlify API " + operation + " failed: " + response.status();
    if (!detail.isBlank()) {
      text +=
          " "
              + printable(
                  Secrets.redact(detail.length() > 200 ? detail.substring(0, 200) : detail));
    }
    return text + ".";
  }

  /** The failure in plain words (no exception class names): it ends up in a one-line error. */
  static String describe(IOException e) {
    String message = e.getMessage() == null ? "" : Secrets.redact(e.getMessage());
    if (e instanceof InterruptedIOException) {
      return Thread.currentThread().isInterrupted() ? "interrupted" : "timed out";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof UnknownHostException) {
      return "unknown host " + printable(message);
    }
    if (e instanceof javax.net.ssl.SSLException) {
      return "TLS failure: " + printable(message);
    }
    if (e instanceof java.io.EOFException
        || message.contains("Unexpected end of file")
        || message.contains("Connection reset")
        || message.contains("Premature EOF")) {
      return "connection closed before a complete answer";
    }
    return message.isEmpty() ? e.getClass().getSimpleName() : printable(message);
  }

  private void debug(String line) {
    if (options.debug() != null) {
      options.debug().accept(Secrets.redact(line));
    }
  }

  /**
   * The token itself keys its budget: the map lives in memory only, like the token in {@link
   * Options} and {@link Secrets}, and a digest would load the JDK's security providers for nothing.
   */
  private static String budgetKey(String token, URI base) {
    return base.getHost() + ":" + base.getPort() + ":" + token;
  }
}
