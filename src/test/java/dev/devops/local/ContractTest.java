package dev.devops.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request.Method;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.testing.PlatformFixture;
import dev.devops.testing.PlatformFixture.DeployOptions;
import dev.devops.testing.SlowClient;
import dev.devops.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every answer the platform gives for the operations it implements is checked against the response
 * schemas of @netlify/open-api 2.60.0 (pinned in test resources, MIT). The spec declares errors
 * only as {@code default: error}, so 4xx answers are validated against that schema.
 */
class ContractTest {
  static final List<String> OPERATIONS =
      List.of(
          "getCurrentUser",
          "listAccountsForUser",
          "getAccount",
          "createSite",
          "createSiteInTeam",
          "listSites",
          "listSitesForAccount",
          "getSite",
          "createSiteDeploy",
          "updateSiteDeploy",
          "uploadDeployFile",
          "uploadDeployFunction",
          "getSiteDeploy",
          "getDeploy",
          "listSiteDeploys",
          "cancelSiteDeploy",
          "deleteSiteDeploy",
          "deleteDeploy",
          "restoreSiteDeploy",
          "rollbackSiteDeploy",
          "lockDeploy",
          "unlockDeploy",
          "listSiteFiles",
          "getSiteFileByPathName",
          "getSiteMetadata",
          "updateSiteMetadata",
          "getEnvVars",
          "getSiteEnvVars",
          "createEnvVars",
          "getEnvVar",
          "updateEnvVar",
          "setEnvVarValue",
          "deleteEnvVarValue",
          "deleteEnvVar",
          "deleteSite");

  @TempDir static Path dataDir;
  static PlatformFixture fx;
  static OpenApiInteractionValidator validator;
  static final List<String> problems = new ArrayList<>();
  static int validated;

  @BeforeAll
  static void start() throws IOException {
    // Netlify's defaults, but for the deploy limit: the contract needs more than 3 deploys a
    // minute.
    // limitAnswersMatchTheSpec checks that limit's answers on a platform with every default.
    fx = PlatformFixture.start(LocalPlatform.Options.inTempDir(dataDir).deployRateLimit(0));
    try (InputStream spec =
        ContractTest.class.getResourceAsStream("/netlify-open-api/swagger.json")) {
      validator =
          OpenApiInteractionValidator.createForInlineApiSpecification(
                  new String(spec.readAllBytes(), StandardCharsets.UTF_8))
              .build();
    }
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  /** An answer: its status, headers and JSON body (null when empty). */
  record Answer(int status, okhttp3.Headers headers, JsonNode json) {}

  /** Sends one request and validates the answer against the spec's response for that path. */
  static JsonNode call(String method, String path, String body, String contentType, int expected)
      throws IOException {
    return answer(fx, method, path, body, contentType, expected).json();
  }

  static Answer answer(
      PlatformFixture on, String method, String path, String body, String contentType, int expected)
      throws IOException {
    RequestBody requestBody =
        body == null
            ? (method.equals("GET") || method.equals("DELETE")
                ? null
                : RequestBody.create(new byte[0], null))
            : RequestBody.create(body, MediaType.get(contentType));
    Request request =
        new Request.Builder()
            .url(on.apiUrl() + path)
            .header("Authorization", "Bearer " + on.token())
            .method(method, requestBody)
            .build();
    try (Response response = on.http().newCall(request).execute()) {
      String text = response.body().string();
      assertThat(response.code()).as(method + " " + path + ": " + text).isEqualTo(expected);
      validate(method, path, response.code(), response.header("Content-Type"), text);
      return new Answer(
          response.code(),
          response.headers(),
          text.isEmpty() ? null : Json.mapper().readTree(text));
    }
  }

  /** Checks one answer against the spec's response for its path; problems are collected. */
  static void validate(String method, String path, int status, String contentType, String text)
      throws IOException {
    SimpleResponse.Builder answer = SimpleResponse.Builder.status(status);
    if (contentType != null) {
      answer.withContentType(contentType);
    }
    if (!text.isEmpty()) {
      answer.withBody(withoutExtensions(text));
    }
    String specPath = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    if (specPath.startsWith("/api/v1/api/v1/")) {
      specPath = specPath.substring("/api/v1".length()); // the spec's own doubled path
    }
    ValidationReport report =
        validator.validateResponse(specPath, Method.valueOf(method), answer.build());
    synchronized (problems) {
      validated++;
      if (report.hasErrors()) {
        problems.add(method + " " + path + " (" + status + "): " + report.getMessages());
      }
    }
  }

  /**
   * Removes the fields real Netlify sends beyond the spec (clients depend on them), so that the
   * validator still fails on any other undeclared field: a deploy's {@code deploy_source}, {@code
   * available_functions}, {@code links} and {@code summary}, and a site's {@code site_id}. Also
   * removes null values: Netlify sends null for what a site or deploy lacks (real deploys show
   * {@code "error_message": null}, {@code "locked": null}), which the spec does not mark nullable.
   */
  static String withoutExtensions(String text) throws IOException {
    JsonNode node = Json.mapper().readTree(text);
    strip(node);
    return node.toString();
  }

  private static void strip(JsonNode node) {
    if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode object) {
      List<String> nulls = new ArrayList<>();
      object.properties().stream()
          .filter(f -> f.getValue().isNull())
          .forEach(f -> nulls.add(f.getKey()));
      object.remove(nulls);
      if (object.has("deploy_ssl_url")) {
        assertThat(object.has("available_functions")).as("deploy has available_functions").isTrue();
        object.remove(List.of("deploy_source", "available_functions", "links", "summary"));
      }
      if (object.has("account_slug")) {
        object.remove("site_id");
      }
    }
    node.forEach(ContractTest::strip);
  }

  static JsonNode call(String method, String path, String json, int expected) throws IOException {
    return call(method, path, json, "application/json", expected);
  }

  @Test
  void everyOperationAnswersAsTheSpecSays() throws IOException {
    String v1 = "/api/v1";
    call("GET", v1 + "/user", null, 200);
    JsonNode accounts = call("GET", v1 + "/accounts", null, 200);
    String account = accounts.get(0).get("id").asText();
    String slug = accounts.get(0).get("slug").asText();
    call("GET", v1 + "/accounts/" + account, null, 200);
    String siteId = call("POST", v1 + "/sites", "{\"name\":\"contract\"}", 201).get("id").asText();
    call("POST", v1 + "/" + slug + "/sites", "{\"name\":\"team-site\"}", 201);
    call("POST", v1 + "/sites", "{\"name\":\"contract\"}", 422);
    call("GET", v1 + "/sites?per_page=1", null, 200);
    call("GET", v1 + "/" + slug + "/sites", null, 200);
    call("GET", v1 + "/sites/" + siteId, null, 200);
    call("GET", v1 + "/sites/nope", null, 404);

    String sha = LocalPlatformTest.sha1("<h1>contract</h1>");
    String fnZip = "zip-bytes";
    String fnSha = java.util.HexFormat.of().formatHex(sha256(fnZip));
    JsonNode created =
        call(
            "POST",
            v1 + "/sites/" + siteId + "/deploys?title=first",
            "{\"draft\":false,\"deploy_source\":\"cli\"}",
            200);
    String deployId = created.get("id").asText();
    JsonNode updated =
        call(
            "PUT",
            v1 + "/sites/" + siteId + "/deploys/" + deployId + "?commit_ref=abc123",
            "{\"files\":{\"index.html\":\""
                + sha
                + "\"},\"functions\":{\"hello\":\""
                + fnSha
                + "\"},"
                + "\"framework\":\"unknown\"}",
            200);
    assertThat(updated.get("required")).hasSize(1);
    assertThat(updated.get("required_functions")).hasSize(1);
    call(
        "PUT",
        v1 + "/deploys/" + deployId + "/files/index.html",
        "wrong",
        "application/octet-stream",
        422);
    call(
        "PUT",
        v1 + "/deploys/" + deployId + "/files/index.html",
        "<h1>contract</h1>",
        "application/octet-stream",
        200);
    call(
        "PUT",
        v1 + "/deploys/" + deployId + "/functions/hello?runtime=js",
        fnZip,
        "application/octet-stream",
        200);
    awaitReady(deployId);
    call("GET", v1 + "/sites/" + siteId + "/deploys/" + deployId, null, 200);
    call("GET", v1 + "/deploys/" + deployId, null, 200);
    call("GET", v1 + "/deploys/ffffffffffffffffffffffff", null, 404);
    call("GET", v1 + "/sites/" + siteId + "/deploys?production=true&per_page=10", null, 200);
    call("GET", v1 + "/sites/" + siteId + "/deploys?state=ready", null, 200);
    call("GET", v1 + "/sites/" + siteId + "/deploys?state=nonsense", null, 422);
    JsonNode files = call("GET", v1 + "/sites/" + siteId + "/files", null, 200);
    assertThat(files.get(0).get("path").asText()).isEqualTo("/index.html");
    assertThat(files.get(0).get("sha").asText()).isEqualTo(sha);
    call("GET", v1 + "/sites/" + siteId + "/files/index.html", null, 200);
    call("GET", v1 + "/sites/" + siteId + "/files/missing.html", null, 404);

    assertThat(call("GET", v1 + "/sites/" + siteId + "/metadata", null, 200).size()).isZero();
    call("PUT", v1 + "/sites/" + siteId + "/metadata", "{\"rollback\":{\"by\":\"x\"}}", 204);
    assertThat(call("GET", v1 + "/sites/" + siteId + "/metadata", null, 200).at("/rollback/by"))
        .hasToString("\"x\"");
    call("PUT", v1 + "/sites/" + siteId + "/metadata", "[1,2]", 422);
    call("GET", v1 + "/sites/nope/metadata", null, 404);
    call("POST", v1 + "/deploys/" + deployId + "/lock", null, 200);
    call("POST", v1 + "/deploys/" + deployId + "/unlock", null, 200);

    String second = fx.deploy(siteId, Map.of("index.html", "two"), DeployOptions.prod("second"));
    call("PUT", v1 + "/sites/" + siteId + "/rollback", null, 204);
    call("POST", v1 + "/sites/" + siteId + "/deploys/" + second + "/restore", null, 201);
    call("DELETE", v1 + "/sites/" + siteId + "/deploys/" + second, null, 422);

    String pending =
        call(
                "POST",
                v1 + "/sites/" + siteId + "/deploys",
                "{\"files\":{\"x.html\":\"" + LocalPlatformTest.sha1("never") + "\"}}",
                200)
            .get("id")
            .asText();
    call("POST", v1 + "/deploys/" + pending + "/cancel", null, 201);
    call("POST", v1 + "/sites/" + siteId + "/deploys/" + pending + "/restore", null, 422);
    call("DELETE", v1 + "/sites/" + siteId + "/deploys/" + pending, null, 204);
    String draft = fx.deploy(siteId, Map.of("index.html", "draft"), DeployOptions.draft("d"));
    call("DELETE", v1 + "/deploys/" + draft, null, 204);

    String env = v1 + "/accounts/" + account + "/env";
    String site = "?site_id=" + siteId;
    call(
        "POST",
        env + site,
        "[{\"key\":\"API_URL\",\"scopes\":[\"builds\",\"functions\"],\"values\":[{\"value\":\"a\",\"context\":\"all\"}]}]",
        201);
    call("POST", env + site, "{\"key\":\"NOT_AN_ARRAY\"}", 422);
    call("GET", env + site, null, 200);
    call("GET", v1 + "/api/v1/sites/" + siteId + "/env", null, 200);
    call("GET", env + "/API_URL" + site, null, 200);
    call(
        "PUT",
        env + "/API_URL" + site,
        "{\"key\":\"API_URL\",\"values\":[{\"value\":\"b\",\"context\":\"production\"}]}",
        200);
    JsonNode patched =
        call("PATCH", env + "/API_URL" + site, "{\"context\":\"dev\",\"value\":\"c\"}", 201);
    call("DELETE", env + "/API_URL/value/" + patched.at("/values/0/id").asText() + site, null, 204);
    call("DELETE", env + "/API_URL" + site, null, 204);
    call("GET", env + "/API_URL" + site, null, 404);

    String doomed = call("POST", v1 + "/sites", "{\"name\":\"doomed\"}", 201).get("id").asText();
    assertThat(call("GET", v1 + "/sites/" + doomed + "/files", null, 200)).isEmpty();
    call("GET", v1 + "/sites/" + doomed + "/files/index.html", null, 404);
    fx.deploy(doomed, Map.of("index.html", "bye"), DeployOptions.prod("bye"));
    call("DELETE", v1 + "/sites/" + doomed, null, 204);
    call("GET", v1 + "/sites/" + doomed, null, 404);
    assertThat(fx.get(fx.platform().siteUrl("doomed"))).doesNotContain("bye");

    fx.platform().faults().inject(Fault.on("getSite").status(429));
    call("GET", v1 + "/sites/" + siteId, null, 429);
    fx.platform().faults().rateLimit(0, java.time.Duration.ofMinutes(1));
    call("GET", v1 + "/sites/" + siteId, null, 429);
    fx.platform().faults().clear();

    assertThat(problems).isEmpty();
    for (String operation : OPERATIONS) {
      assertThat(fx.platform().faults().calls(operation)).as("calls of " + operation).isPositive();
    }
    assertThat(validated).isGreaterThan(40);
  }

  /**
   * On a platform with every default, Netlify's limits answer 429 in the spec's error shape: the
   * fourth deploy within a minute, and a file upload past the five in flight.
   */
  @Test
  void limitAnswersMatchTheSpec(@TempDir Path netlifyDir) throws IOException {
    int before = problems.size();
    try (PlatformFixture netlify =
        PlatformFixture.start(LocalPlatform.Options.inTempDir(netlifyDir))) {
      String v1 = "/api/v1";
      String json = "application/json";
      String site = netlify.createSite("limits");
      String digest = "{\"files\":{\"index.html\":\"" + LocalPlatformTest.sha1("held") + "\"}}";
      String deploy =
          answer(netlify, "POST", v1 + "/sites/" + site + "/deploys", digest, json, 200)
              .json()
              .get("id")
              .asText();
      answer(netlify, "POST", v1 + "/sites/" + site + "/deploys", "{}", json, 200);
      answer(netlify, "POST", v1 + "/sites/" + site + "/deploys", "{}", json, 200);
      Answer refused = answer(netlify, "POST", v1 + "/sites/" + site + "/deploys", "{}", json, 429);
      assertThat(refused.json().get("code").asInt()).isEqualTo(429);
      assertThat(refused.headers().get("X-RateLimit-Limit")).isEqualTo("3");
      assertThat(refused.headers().get("X-RateLimit-Remaining")).isEqualTo("0");

      String upload = v1 + "/deploys/" + deploy + "/files/index.html";
      List<SlowClient> held = new ArrayList<>();
      try {
        for (int i = 0; i < 5; i++) {
          held.add(
              SlowClient.send(
                  InetAddress.getLoopbackAddress(),
                  netlify.platform().port(),
                  SlowClient.uploadWithoutBody(upload, netlify.token(), 4)));
        }
        for (int i = 0; i < 500 && netlify.platform().faults().calls("uploadDeployFile") < 5; i++) {
          pause(10);
        }
        pause(200); // each took its slot right after being counted
        Answer full = uploadOrRefusal(netlify, upload);
        assertThat(full.status()).as("an upload past five in flight is refused").isEqualTo(429);
        assertThat(full.json().get("code").asInt()).isEqualTo(429);
        assertThat(full.headers().get("x-concurrent-limit")).isEqualTo("5");
        assertThat(full.headers().get("x-concurrent-remaining")).isEqualTo("0");
        assertThat(full.headers().get("x-concurrent-status")).isEqualTo("checked");
      } finally {
        held.forEach(SlowClient::close);
      }
    }
    assertThat(problems.subList(before, problems.size())).isEmpty();
  }

  /** A wrong-bytes upload: 422 when it gets a slot (nothing stored), 429 when it does not. */
  private static Answer uploadOrRefusal(PlatformFixture on, String path) throws IOException {
    Request request =
        new Request.Builder()
            .url(on.apiUrl() + path)
            .header("Authorization", "Bearer " + on.token())
            .put(RequestBody.create("wrong", MediaType.get("application/octet-stream")))
            .build();
    try (Response response = on.http().newCall(request).execute()) {
      String text = response.body().string();
      assertThat(response.code()).as(text).isIn(422, 429);
      validate("PUT", path, response.code(), response.header("Content-Type"), text);
      return new Answer(response.code(), response.headers(), Json.mapper().readTree(text));
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * The client's metadata calls against the platform: a write replaces the whole object (so the
   * client reads, changes one key and writes every other key back), each answer validates against
   * the spec, and hostile bodies (not an object, too large) are refused as malformed.
   */
  @Test
  void theClientsMetadataCallsFollowTheSpec() {
    int before = problems.size();
    String siteId = fx.createSite("contract-metadata");
    dev.devops.netlify.NetlifyClient client =
        new dev.devops.netlify.NetlifyClient(
            dev.devops.netlify.NetlifyClient.Options.defaults(
                fx.apiUrl(), fx.token(), "devops/test"));
    assertThat(client.getSiteMetadata(siteId).size()).isZero();
    java.util.Map<String, Object> metadata = new java.util.LinkedHashMap<>();
    metadata.put("theirs", "kept");
    metadata.put("devops", java.util.Map.of("schema", 1));
    client.updateSiteMetadata(siteId, metadata);
    java.util.Map<String, Object> read = client.getSiteMetadata(siteId);
    assertThat(read).containsEntry("theirs", "kept");
    assertThat(read.get("devops")).isEqualTo(java.util.Map.of("schema", 1));
    try {
      validate(
          "GET",
          "/api/v1/sites/" + siteId + "/metadata",
          200,
          "application/json",
          Json.mapper().writeValueAsString(read));
      validate("PUT", "/api/v1/sites/" + siteId + "/metadata", 204, null, "");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    fx.platform().faults().inject(Fault.on("getSiteMetadata").replyWith("[1,2]").times(2));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.getSiteMetadata(siteId))
        .isInstanceOf(dev.devops.netlify.NetlifyException.class)
        .hasMessageContaining("malformed body");
    fx.platform().faults().clear();
    fx.platform().faults().inject(Fault.on("getSiteMetadata").oversizedBody(2 << 20).times(2));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.getSiteMetadata(siteId))
        .isInstanceOf(dev.devops.netlify.NetlifyException.class);
    fx.platform().faults().clear();
    assertThat(problems.subList(before, problems.size())).isEmpty();
  }

  @Test
  void unauthenticatedCallsGetTheErrorShape() throws IOException {
    Request request = new Request.Builder().url(fx.apiUrl() + "/api/v1/sites").build();
    try (Response response = fx.http().newCall(request).execute()) {
      ValidationReport report =
          validator.validateResponse(
              "/api/v1/sites",
              Method.GET,
              SimpleResponse.Builder.status(response.code())
                  .withContentType(response.header("Content-Type"))
                  .withBody(response.body().string())
                  .build());
      assertThat(response.code()).isEqualTo(401);
      assertThat(report.getMessages()).isEmpty();
    }
  }

  private static byte[] sha256(String text) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static void awaitReady(String deployId) throws IOException {
    for (int i = 0; i < 500; i++) {
      if (fx.call("GET", "/deploys/" + deployId, null).get("state").asText().equals("ready")) {
        return;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("deploy " + deployId + " never became ready");
  }
}
