package dev.devops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devops.testing.PlatformFixture;
import dev.devops.testing.PlatformFixture.DeployOptions;
import dev.devops.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPlatformTest {
  @TempDir Path dataDir;
  PlatformFixture fx;
  String siteId;

  /**
   * Netlify's defaults, but for the deploy limit: these tests create more than 3 deploys a minute
   * (LimitsTest covers that limit).
   */
  private LocalPlatform.Options options() {
    return LocalPlatform.Options.inTempDir(dataDir).deployRateLimit(LocalPlatform.Options.OFF);
  }

  @BeforeEach
  void start() {
    fx = PlatformFixture.start(options());
    siteId = fx.createSite("shop");
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private JsonNode site() {
    return fx.call("GET", "/sites/" + siteId, null);
  }

  private JsonNode deploy(String id) {
    return fx.call("GET", "/deploys/" + id, null);
  }

  private Response raw(String method, String path, String body, Map<String, String> headers)
      throws IOException {
    Request.Builder request =
        new Request.Builder()
            .url(fx.apiUrl() + path)
            .method(
                method,
                body == null ? null : RequestBody.create(body, MediaType.get("application/json")));
    headers.forEach(request::header);
    return fx.http().newCall(request.build()).execute();
  }

  private Map<String, String> auth() {
    return Map.of("Authorization", "Bearer " + fx.token());
  }

  @Test
  void productionDeployIsPublishedAndServedWithPermalink() throws IOException {
    String v1 =
        fx.deploy(
            siteId,
            Map.of("index.html", "<h1>v1</h1>", "about.html", "about"),
            DeployOptions.prod("first"));
    JsonNode site = site();
    assertThat(site.get("url").asText()).isEqualTo(fx.platform().siteUrl("shop"));
    assertThat(site.at("/published_deploy/id").asText()).isEqualTo(v1);
    assertThat(site.at("/published_deploy/locked").asBoolean()).isFalse();
    JsonNode d = deploy(v1);
    assertThat(d.get("state").asText()).isEqualTo("ready");
    assertThat(d.get("title").asText()).isEqualTo("first");
    assertThat(d.get("context").asText()).isEqualTo("production");
    assertThat(d.get("published_at").asText()).isNotEmpty();
    assertThat(fx.get(fx.platform().siteUrl("shop") + "/")).isEqualTo("<h1>v1</h1>");
    assertThat(fx.get(fx.platform().siteUrl("shop") + "/about")).isEqualTo("about");
    assertThat(fx.get(fx.apiUrl() + "/__site/shop/about.html")).isEqualTo("about");

    String draft =
        fx.deploy(siteId, Map.of("index.html", "<h1>draft</h1>"), DeployOptions.draft("preview"));
    assertThat(deploy(draft).get("context").asText()).isEqualTo("deploy-preview");
    assertThat(deploy(draft).get("published_at").isNull()).isTrue();
    assertThat(fx.get(fx.platform().siteUrl("shop") + "/")).isEqualTo("<h1>v1</h1>");
    assertThat(fx.get(deploy(draft).get("deploy_url").asText() + "/")).isEqualTo("<h1>draft</h1>");
    assertThat(fx.get(fx.apiUrl() + "/__deploy/" + draft + "/index.html"))
        .isEqualTo("<h1>draft</h1>");
  }

  @Test
  void servingHonoursEtagHeadAnd404Page() throws IOException {
    fx.deploy(
        siteId,
        Map.of("index.html", "home", "404.html", "missing", "docs/index.html", "docs"),
        DeployOptions.prod("x"));
    String url = fx.platform().siteUrl("shop");
    try (Response r = fx.http().newCall(new Request.Builder().url(url + "/").build()).execute()) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.header("Content-Type")).startsWith("text/html");
      String etag = r.header("ETag");
      assertThat(etag).isEqualTo("\"" + sha1("home") + "\"");
      try (Response again =
          fx.http()
              .newCall(new Request.Builder().url(url + "/").header("If-None-Match", etag).build())
              .execute()) {
        assertThat(again.code()).isEqualTo(304);
      }
    }
    try (Response r =
        fx.http().newCall(new Request.Builder().url(url + "/nope").build()).execute()) {
      assertThat(r.code()).isEqualTo(404);
      assertThat(r.body().string()).isEqualTo("missing");
    }
    try (Response r =
        fx.http().newCall(new Request.Builder().url(url + "/docs/").head().build()).execute()) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(r.header("ETag")).isEqualTo("\"" + sha1("docs") + "\"");
    }
    assertThat(fx.get(url + "/docs")).isEqualTo("docs");
  }

  @Test
  void digestAsksOnlyForMissingBlobsAndRejectsWrongBytes() throws IOException {
    fx.deploy(siteId, Map.of("a.txt", "same"), DeployOptions.prod("one"));
    ObjectNode body = Json.mapper().createObjectNode();
    body.putObject("files").put("/a.txt", sha1("same")).put("b/c d.txt", sha1("new"));
    JsonNode created = fx.call("POST", "/sites/" + siteId + "/deploys", body);
    assertThat(created.get("state").asText()).isEqualTo("uploading");
    assertThat(created.get("required")).hasSize(1);
    assertThat(created.get("required").get(0).asText()).isEqualTo(sha1("new"));
    String id = created.get("id").asText();
    try (Response r = raw("PUT", "/api/v1/deploys/" + id + "/files/b/c%20d.txt", "wrong", auth())) {
      assertThat(r.code()).isEqualTo(422);
      assertThat(r.header("Content-Type")).startsWith("application/json");
      assertThat(Json.mapper().readTree(r.body().string()).get("code").asInt()).isEqualTo(422);
    }
    try (Response r = raw("PUT", "/api/v1/deploys/" + id + "/files/b/c%20d.txt", "new", auth())) {
      assertThat(r.code()).isEqualTo(200);
    }
    await(id, "ready"); // and published: the site's files are this deploy's
    JsonNode files = fx.call("GET", "/sites/" + siteId + "/files", null);
    assertThat(files).hasSize(2);
    assertThat(files.get(1).get("path").asText()).isEqualTo("/b/c d.txt");
    assertThat(files.get(1).get("size").asLong()).isEqualTo(3);
    assertThat(files.get(0).get("mime_type").asText()).isEqualTo("text/plain");
    try (Response r =
        raw(
            "GET",
            "/api/v1/sites/" + siteId + "/files/b/c%20d.txt",
            null,
            Map.of(
                "Authorization",
                "Bearer " + fx.token(),
                "Content-Type",
                "application/vnd.bitballoon.v1.raw"))) {
      assertThat(r.body().string()).isEqualTo("new");
    }
    assertThat(fx.call("GET", "/sites/" + siteId + "/files/b/c%20d.txt", null).get("sha").asText())
        .isEqualTo(sha1("new"));
    JsonNode log = fx.call("GET", "/deploys/" + id + "/log", null);
    assertThat(log.toString()).contains("1 new files to upload").contains("Published");
  }

  @Test
  void lockRestoreAndRollbackFollowNetlify() {
    String v1 = fx.deploy(siteId, Map.of("index.html", "v1"), DeployOptions.prod("v1"));
    String v2 = fx.deploy(siteId, Map.of("index.html", "v2"), DeployOptions.prod("v2"));
    assertThat(fx.get(fx.platform().siteUrl("shop"))).isEqualTo("v2");
    fx.call("POST", "/deploys/" + v2 + "/lock", null);
    String v3 = fx.deploy(siteId, Map.of("index.html", "v3"), DeployOptions.prod("v3"));
    assertThat(deploy(v3).get("state").asText()).isEqualTo("ready");
    assertThat(site().at("/published_deploy/id").asText()).isEqualTo(v2);
    assertThat(site().at("/published_deploy/locked").asBoolean()).isTrue();
    assertThat(fx.call("GET", "/deploys/" + v3 + "/log", null).toString())
        .contains("auto publishing is locked");

    JsonNode restored = fx.call("POST", "/sites/" + siteId + "/deploys/" + v1 + "/restore", null);
    assertThat(restored.get("id").asText()).isEqualTo(v1);
    assertThat(fx.get(fx.platform().siteUrl("shop"))).isEqualTo("v1");
    assertThat(site().at("/published_deploy/locked").asBoolean()).isFalse();

    fx.call("PUT", "/sites/" + siteId + "/rollback", null);
    assertThat(site().at("/published_deploy/id").asText()).isEqualTo(v2);
    assertThat(fx.get(fx.platform().siteUrl("shop"))).isEqualTo("v2");

    assertThatThrownBy(() -> fx.call("DELETE", "/sites/" + siteId + "/deploys/" + v2, null))
        .hasMessageContaining("422");
    fx.call("DELETE", "/sites/" + siteId + "/deploys/" + v3, null);
    assertThatThrownBy(() -> deploy(v3)).hasMessageContaining("404");
    fx.failDeploy(siteId, "broken");
    JsonNode failed = fx.call("GET", "/sites/" + siteId + "/deploys?state=error", null);
    assertThat(failed).hasSize(1);
    assertThatThrownBy(
            () ->
                fx.call(
                    "POST",
                    "/sites/"
                        + siteId
                        + "/deploys/"
                        + failed.get(0).get("id").asText()
                        + "/restore",
                    null))
        .hasMessageContaining("422");
  }

  @Test
  void listSiteDeploysPaginatesWithLinkHeader() throws IOException {
    for (int i = 0; i < 5; i++) {
      fx.deploy(siteId, Map.of("index.html", "v" + i), DeployOptions.prod("v" + i));
    }
    fx.deploy(
        siteId,
        Map.of("index.html", "b"),
        new DeployOptions("b", false, "feature", "abc", Map.of(), null));
    try (Response r =
        raw(
            "GET",
            "/api/v1/sites/" + siteId + "/deploys?per_page=2&page=2&production=true",
            null,
            auth())) {
      JsonNode page = Json.mapper().readTree(r.body().string());
      assertThat(page).hasSize(2);
      assertThat(page.get(0).get("title").asText()).isEqualTo("v2");
      assertThat(r.header("Link"))
          .contains("rel=\"next\"")
          .contains("rel=\"prev\"")
          .contains("rel=\"last\"")
          .contains(
              fx.apiUrl()
                  + "/api/v1/sites/"
                  + siteId
                  + "/deploys?production=true&page=3&per_page=2");
    }
    assertThat(fx.get("http://feature--shop.localhost:" + fx.platform().port() + "/"))
        .isEqualTo("b");
    JsonNode branch = fx.call("GET", "/sites/" + siteId + "/deploys?branch=feature", null);
    assertThat(branch.get(0).at("/links/alias").asText())
        .isEqualTo("http://feature--shop.localhost:" + fx.platform().port());
    assertThat(branch).hasSize(1);
    assertThat(branch.get(0).get("context").asText()).isEqualTo("branch-deploy");
    assertThat(branch.get(0).get("commit_ref").asText()).isEqualTo("abc");
    assertThat(
            fx.call("GET", "/sites/" + siteId + "/deploys?latest-published=true", null)
                .get(0)
                .get("title")
                .asText())
        .isEqualTo("v4");
  }

  @Test
  void envVarsTrackUpdates() throws InterruptedException {
    fx.setEnv(siteId, "API_URL", "one");
    String account = fx.call("GET", "/accounts", null).get(0).get("id").asText();
    JsonNode vars = fx.call("GET", "/accounts/" + account + "/env?site_id=" + siteId, null);
    assertThat(vars.get(0).at("/values/0/value").asText()).isEqualTo("one");
    String before = vars.get(0).get("updated_at").asText();
    Thread.sleep(5);
    fx.setEnv(siteId, "API_URL", "two");
    JsonNode after = fx.call("GET", "/api/v1/sites/" + siteId + "/env", null);
    assertThat(after.get(0).at("/values/0/value").asText()).isEqualTo("two");
    assertThat(after.get(0).get("updated_at").asText()).isGreaterThan(before);
  }

  @Test
  void authAndErrorsUseNetlifyShape() throws IOException {
    try (Response r = raw("GET", "/api/v1/sites", null, Map.of())) {
      assertThat(r.code()).isEqualTo(401);
      assertThat(r.header("Content-Type")).startsWith("application/json");
      assertThat(Json.mapper().readTree(r.body().string()).get("code").asInt()).isEqualTo(401);
    }
    try (Response r = raw("GET", "/api/v1/sites/nope", null, auth())) {
      assertThat(r.code()).isEqualTo(404);
      assertThat(Json.mapper().readTree(r.body().string()).get("message").asText()).isNotEmpty();
    }
    try (Response r = raw("POST", "/api/v1/sites/" + siteId + "/deploys", "{not json", auth())) {
      assertThat(r.code()).isEqualTo(422);
    }
    try (Response r =
        raw("POST", "/api/v1/sites/" + siteId + "/deploys", "{\"files\":{\"a\":\"zz\"}}", auth())) {
      assertThat(r.code()).isEqualTo(422);
    }
  }

  @Test
  void faultsApplyPerOperationAndAreCounted() throws IOException {
    Faults faults = fx.platform().faults();
    faults.inject(Fault.on("getSite").status(503).times(2));
    faults.inject(Fault.on("listSites").malformedBody());
    faults.inject(Fault.on("getCurrentUser").dropConnection());
    faults.inject(Fault.on("listAccountsForUser").status(500).afterCalls(1));
    for (int i = 0; i < 2; i++) {
      try (Response r = raw("GET", "/api/v1/sites/" + siteId, null, auth())) {
        assertThat(r.code()).isEqualTo(503);
        assertThat(Json.mapper().readTree(r.body().string()).get("code").asInt()).isEqualTo(503);
      }
    }
    try (Response r = raw("GET", "/api/v1/sites/" + siteId, null, auth())) {
      assertThat(r.code()).isEqualTo(200);
    }
    assertThat(faults.calls("getSite")).isEqualTo(3);
    try (Response r = raw("GET", "/api/v1/sites", null, auth())) {
      String body = r.body().string();
      assertThat(r.code()).isEqualTo(200);
      assertThatThrownBy(() -> Json.mapper().readTree(body)).isInstanceOf(IOException.class);
    }
    OkHttpClient noRetry = fx.http().newBuilder().retryOnConnectionFailure(false).build();
    assertThatThrownBy(
            () ->
                noRetry
                    .newCall(
                        new Request.Builder()
                            .url(fx.apiUrl() + "/api/v1/user")
                            .header("Authorization", "Bearer " + fx.token())
                            .build())
                    .execute()
                    .close())
        .isInstanceOf(IOException.class);
    try (Response r = raw("GET", "/api/v1/accounts", null, auth())) {
      assertThat(r.code()).isEqualTo(200);
    }
    try (Response r = raw("GET", "/api/v1/accounts", null, auth())) {
      assertThat(r.code()).isEqualTo(500);
    }
    faults.inject(Fault.on("*").delay(Duration.ofMillis(400)));
    OkHttpClient impatient =
        fx.http()
            .newBuilder()
            .readTimeout(Duration.ofMillis(100))
            .retryOnConnectionFailure(false)
            .build();
    assertThatThrownBy(
            () ->
                impatient
                    .newCall(
                        new Request.Builder()
                            .url(fx.apiUrl() + "/api/v1/sites")
                            .header("Authorization", "Bearer " + fx.token())
                            .build())
                    .execute()
                    .close())
        .isInstanceOf(IOException.class);

    faults.rateLimit(2, Duration.ofMinutes(1));
    raw("GET", "/api/v1/user", null, auth()).close();
    raw("GET", "/api/v1/user", null, auth()).close();
    try (Response r = raw("GET", "/api/v1/user", null, auth())) {
      assertThat(r.code()).isEqualTo(429);
      assertThat(r.header("X-RateLimit-Limit")).isEqualTo("2");
      assertThat(r.header("X-RateLimit-Remaining")).isEqualTo("0");
      assertThat(Long.parseLong(r.header("X-RateLimit-Reset")))
          .isGreaterThan(System.currentTimeMillis() / 1000);
    }
    faults.clear();
    try (Response r = raw("GET", "/api/v1/user", null, auth())) {
      assertThat(r.code()).isEqualTo(200);
    }
  }

  @Test
  void faultsCanBeSetOverHttp() throws IOException {
    try (Response r =
        raw(
            "POST",
            "/__admin/faults",
            "{\"operation\":\"getSite\",\"status\":429,\"times\":1}",
            Map.of())) {
      assertThat(r.code()).isEqualTo(401);
    }
    try (Response r =
        raw(
            "POST",
            "/__admin/faults",
            "{\"operation\":\"getSite\",\"status\":429,\"times\":1}",
            auth())) {
      assertThat(r.code()).isEqualTo(204);
    }
    try (Response r = raw("GET", "/api/v1/sites/" + siteId, null, auth())) {
      assertThat(r.code()).isEqualTo(429);
      assertThat(r.header("X-RateLimit-Reset")).isNotNull();
    }
    try (Response r = raw("GET", "/__admin/calls", null, auth())) {
      assertThat(Json.mapper().readTree(r.body().string()).get("getSite").asInt()).isEqualTo(1);
    }
  }

  @Test
  void stateSurvivesRestart() {
    String v1 = fx.deploy(siteId, Map.of("index.html", "v1"), DeployOptions.prod("v1"));
    fx.setEnv(siteId, "K", "v");
    String token = fx.token();
    fx.close();
    fx = PlatformFixture.start(options());
    assertThat(fx.token()).isEqualTo(token);
    assertThat(site().at("/published_deploy/id").asText()).isEqualTo(v1);
    assertThat(fx.get(fx.platform().siteUrl("shop"))).isEqualTo("v1");
    assertThat(fx.call("GET", "/api/v1/sites/" + siteId + "/env", null).get(0).get("key").asText())
        .isEqualTo("K");
  }

  @Test
  void aDeployWhoseLastUploadLandedBeforeACrashFinishesAtStart() throws IOException {
    ObjectNode body = Json.mapper().createObjectNode();
    body.putObject("files").put("index.html", sha1("landed"));
    String id = fx.call("POST", "/sites/" + siteId + "/deploys", body).get("id").asText();
    fx.close();
    // As if the blob's rename reached the disk and the process died before the state change.
    String sha = sha1("landed");
    java.nio.file.Path blob = dataDir.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha);
    java.nio.file.Files.createDirectories(blob.getParent());
    java.nio.file.Files.writeString(blob, "landed");
    fx = PlatformFixture.start(options());
    await(id, "ready");
    assertThat(fx.get(fx.platform().siteUrl("shop"))).isEqualTo("landed");
  }

  private void await(String id, String state) {
    for (int i = 0; i < 500 && !deploy(id).get("state").asText().equals(state); i++) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    assertThat(deploy(id).get("state").asText()).isEqualTo(state);
  }

  static String sha1(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-1")
                  .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
