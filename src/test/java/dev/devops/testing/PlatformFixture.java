package dev.devops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devops.local.LocalPlatform;
import dev.devops.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A real local platform for tests, started in-process, plus helpers that drive it the way a Netlify
 * client does: over HTTP only, through the public API.
 *
 * <p>{@code *.localhost} host names (site URLs and deploy permalinks) resolve to loopback in this
 * fixture's client (RFC 6761), so {@link #get} works with the URLs the API returns.
 */
public final class PlatformFixture implements AutoCloseable {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final MediaType OCTETS = MediaType.get("application/octet-stream");
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(20);

  /** How to deploy; {@link #prod} is a plain production deploy. */
  public record DeployOptions(
      String title,
      boolean draft,
      String branch,
      String commitRef,
      Map<String, byte[]> functions,
      String framework) {
    public static DeployOptions prod(String title) {
      return new DeployOptions(title, false, null, null, Map.of(), null);
    }

    public static DeployOptions draft(String title) {
      return new DeployOptions(title, true, null, null, Map.of(), null);
    }
  }

  private final LocalPlatform platform;
  private final OkHttpClient http;

  private PlatformFixture(LocalPlatform platform) {
    this.platform = platform;
    this.http =
        new OkHttpClient.Builder()
            .dns(
                host ->
                    host.endsWith(".localhost") || host.equals("localhost")
                        ? List.of(InetAddress.getLoopbackAddress())
                        : List.of(InetAddress.getAllByName(host)))
            .callTimeout(Duration.ofSeconds(30))
            .build();
  }

  /**
   * A platform on Netlify's terms: its API limits (500 requests and 3 deploys a minute, 5 uploads
   * in flight) and only its documented endpoints. What this fixture itself sends (seeding a site's
   * history, reading the API to check a result) is not charged to the limits; what the code under
   * test sends is.
   */
  public static PlatformFixture start(Path dataDir) {
    return start(LocalPlatform.Options.inTempDir(dataDir));
  }

  /**
   * The same, with the per-deploy file listing and download that Netlify does not document but
   * answers in practice: for tests that run a flow in both modes.
   */
  public static PlatformFixture startWithUndocumentedEndpoints(Path dataDir) {
    return start(LocalPlatform.Options.inTempDir(dataDir).undocumentedEndpoints(true));
  }

  /** A platform started with {@code options} (Netlify's behaviour unless they say otherwise). */
  public static PlatformFixture start(LocalPlatform.Options options) {
    try {
      return new PlatformFixture(LocalPlatform.start(options));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public LocalPlatform platform() {
    return platform;
  }

  public String apiUrl() {
    return platform.apiUrl();
  }

  public String token() {
    return platform.token();
  }

  /** An HTTP client that resolves {@code *.localhost} to loopback. */
  public OkHttpClient http() {
    return http;
  }

  public String createSite(String name) {
    ObjectNode body = Json.mapper().createObjectNode().put("name", name);
    return call("POST", "/sites", body).get("id").asText();
  }

  /** Runs fixture work without charging it to Netlify's limits (see {@link #start(Path)}). */
  private <T> T uncharged(java.util.function.Supplier<T> work) {
    return platform.withoutLimits(work);
  }

  /** A full digest deploy of UTF-8 text files; waits until it is ready (or failed). */
  public String deploy(String siteId, Map<String, String> files, DeployOptions opts) {
    Map<String, byte[]> bytes = new LinkedHashMap<>();
    files.forEach((path, content) -> bytes.put(path, content.getBytes(StandardCharsets.UTF_8)));
    return deployBytes(siteId, bytes, opts);
  }

  public String deployBytes(String siteId, Map<String, byte[]> files, DeployOptions opts) {
    return uncharged(() -> deployUncharged(siteId, files, opts));
  }

  private String deployUncharged(String siteId, Map<String, byte[]> files, DeployOptions opts) {
    ObjectNode body = Json.mapper().createObjectNode();
    ObjectNode digest = body.putObject("files");
    Map<String, String> shaByPath = new LinkedHashMap<>();
    files.forEach(
        (path, content) -> {
          String sha = hex("SHA-1", content);
          shaByPath.put(path, sha);
          digest.put(path, sha);
        });
    Map<String, byte[]> functions = opts.functions() == null ? Map.of() : opts.functions();
    ObjectNode functionDigest = body.putObject("functions");
    functions.forEach((name, zip) -> functionDigest.put(name, hex("SHA-256", zip)));
    body.put("draft", opts.draft());
    if (opts.branch() != null) {
      body.put("branch", opts.branch());
    }
    if (opts.commitRef() != null) {
      body.put("commit_ref", opts.commitRef());
    }
    if (opts.framework() != null) {
      body.put("framework", opts.framework());
    }
    String query = opts.title() == null ? "" : "?title=" + encode(opts.title());
    JsonNode deploy = call("POST", "/sites/" + siteId + "/deploys" + query, body);
    String deployId = deploy.get("id").asText();
    List<String> required = texts(deploy.get("required"));
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      if (required.contains(shaByPath.get(file.getKey()))) {
        upload("/deploys/" + deployId + "/files/" + encodePath(file.getKey()), file.getValue());
      }
    }
    List<String> requiredFunctions = texts(deploy.get("required_functions"));
    for (Map.Entry<String, byte[]> function : functions.entrySet()) {
      if (requiredFunctions.contains(hex("SHA-256", function.getValue()))) {
        upload(
            "/deploys/" + deployId + "/functions/" + function.getKey() + "?runtime=js",
            function.getValue());
      }
    }
    awaitSettled(deployId);
    return deployId;
  }

  /**
   * Makes a deploy that ends in state {@code error}: it announces one file that is never uploaded,
   * then the deploy is canceled (Netlify's cancelSiteDeploy), as a failed CLI deploy does. Returns
   * nothing; find it with listSiteDeploys ({@code state=error}).
   */
  public void failDeploy(String siteId, String title) {
    uncharged(
        () -> {
          failDeployUncharged(siteId, title);
          return null;
        });
  }

  private void failDeployUncharged(String siteId, String title) {
    ObjectNode body = Json.mapper().createObjectNode();
    byte[] never = ("never uploaded " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    body.putObject("files").put("index.html", hex("SHA-1", never));
    body.put("draft", false);
    JsonNode deploy = call("POST", "/sites/" + siteId + "/deploys?title=" + encode(title), body);
    call("POST", "/deploys/" + deploy.get("id").asText() + "/cancel", null);
  }

  /** Sets (creates or replaces) a site env var for all contexts, through the env-var API. */
  public void setEnv(String siteId, String key, String value) {
    uncharged(
        () -> {
          setEnvUncharged(siteId, key, value);
          return null;
        });
  }

  private void setEnvUncharged(String siteId, String key, String value) {
    String accountId = call("GET", "/accounts", null).get(0).get("id").asText();
    ObjectNode var = Json.mapper().createObjectNode();
    var.put("key", key);
    var.putArray("values").addObject().put("value", value).put("context", "all");
    String site = "?site_id=" + encode(siteId);
    try (Response existing = send("GET", "/accounts/" + accountId + "/env/" + key + site, null)) {
      if (existing.code() == 200) {
        call("PUT", "/accounts/" + accountId + "/env/" + key + site, var);
        return;
      }
    }
    ArrayNode list = Json.mapper().createArrayNode();
    list.add(var);
    call("POST", "/accounts/" + accountId + "/env" + site, list);
  }

  /** Plain GET of served bytes (a site URL, a permalink, or any URL); returns the body as text. */
  public String get(String url) {
    try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.body().string();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One authenticated API call ({@code path} below /api/v1); fails on any non-2xx answer. */
  public JsonNode call(String method, String path, JsonNode body) {
    return uncharged(() -> callUncharged(method, path, body));
  }

  private JsonNode callUncharged(String method, String path, JsonNode body) {
    try (Response response = send(method, path, body)) {
      String text = response.body().string();
      if (!response.isSuccessful()) {
        throw new IllegalStateException(
            method + " " + path + " -> " + response.code() + " " + text);
      }
      return text.isEmpty() ? Json.mapper().nullNode() : Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Response send(String method, String path, JsonNode body) {
    RequestBody requestBody = null;
    if (body != null) {
      requestBody = RequestBody.create(body.toString(), JSON);
    } else if (!method.equals("GET") && !method.equals("DELETE")) {
      requestBody = RequestBody.create(new byte[0], JSON);
    }
    Request request =
        new Request.Builder()
            .url(platform.apiUrl() + "/api/v1" + path)
            .header("Authorization", "Bearer " + platform.token())
            .method(method, requestBody)
            .build();
    try {
      return http.newCall(request).execute();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void upload(String path, byte[] content) {
    Request request =
        new Request.Builder()
            .url(platform.apiUrl() + "/api/v1" + path)
            .header("Authorization", "Bearer " + platform.token())
            .put(RequestBody.create(content, OCTETS))
            .build();
    try (Response response = http.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new IllegalStateException(
            "upload " + path + " -> " + response.code() + " " + response.body().string());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitSettled(String deployId) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      String state = call("GET", "/deploys/" + deployId, null).get("state").asText();
      if (state.equals("ready") || state.equals("error")) {
        return;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for deploy " + deployId);
      }
    }
    throw new IllegalStateException("deploy " + deployId + " not ready after " + READY_TIMEOUT);
  }

  private static List<String> texts(JsonNode array) {
    return array == null
        ? List.of()
        : java.util.stream.StreamSupport.stream(array.spliterator(), false)
            .map(JsonNode::asText)
            .toList();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String encodePath(String path) {
    StringBuilder result = new StringBuilder();
    for (String segment : (path.startsWith("/") ? path.substring(1) : path).split("/")) {
      if (result.length() > 0) {
        result.append('/');
      }
      result.append(encode(segment));
    }
    return result.toString();
  }

  static String hex(String algorithm, byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    platform.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
