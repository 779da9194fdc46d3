package dev.devops.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.testing.PlatformFixture;
import dev.devops.testing.SlowClient;
import dev.devops.util.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netlify's limits, with the platform's defaults: 500 API requests and 3 deploys a minute, 5 file
 * uploads in flight, their headers on every answer; and the latency option.
 */
class LimitsTest {
  @TempDir Path dataDir;
  PlatformFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
    }
  }

  private PlatformFixture start(LocalPlatform.Options options) {
    fx = PlatformFixture.start(options);
    return fx;
  }

  private LocalPlatform.Options defaults() {
    return LocalPlatform.Options.inTempDir(dataDir);
  }

  private Response send(String method, String path, String body) throws IOException {
    Request.Builder request =
        new Request.Builder()
            .url(fx.apiUrl() + "/api/v1" + path)
            .header("Authorization", "Bearer " + fx.token());
    if (body != null) {
      request.method(method, RequestBody.create(body, MediaType.get("application/json")));
    } else {
      request.method(method, method.equals("GET") || method.equals("DELETE") ? null : empty());
    }
    return fx.http().newCall(request.build()).execute();
  }

  private static RequestBody empty() {
    return RequestBody.create(new byte[0], null);
  }

  @Test
  void fiveHundredRequestsAMinuteThenA429UntilTheAnnouncedReset() throws IOException {
    start(defaults());
    long now = System.currentTimeMillis() / 1000;
    for (int i = 1; i <= 500; i++) {
      try (Response r = send("GET", "/user", null)) {
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("X-RateLimit-Limit")).isEqualTo("500");
        assertThat(r.header("X-RateLimit-Remaining")).isEqualTo(String.valueOf(500 - i));
        long reset = Long.parseLong(r.header("X-RateLimit-Reset"));
        assertThat(reset).isBetween(now + 1, now + 62); // epoch seconds, the window's end
      }
    }
    try (Response r = send("GET", "/user", null)) {
      assertThat(r.code()).isEqualTo(429);
      assertThat(r.header("Content-Type")).startsWith("application/json");
      assertThat(r.header("X-RateLimit-Remaining")).isEqualTo("0");
      JsonNode body = Json.mapper().readTree(r.body().string());
      assertThat(body.get("code").asInt()).isEqualTo(429);
      assertThat(body.get("message").asText()).contains("rate limit");
    }
    // Served sites are not API calls: they are never limited.
    assertThat(fx.get(fx.apiUrl() + "/__site/none/")).contains("no published deploy");
  }

  @Test
  void everyAuthenticatedAnswerCarriesTheHeadersButA401DoesNot() throws IOException {
    start(defaults());
    String site = fx.createSite("headers");
    for (String[] call :
        new String[][] {
          {"GET", "/sites/" + site, null, "200"},
          {"GET", "/sites/nope", null, "404"},
          {"GET", "/no/such/route", null, "404"},
          {"DELETE", "/user", null, "405"},
          {"GET", "/sites/" + site + "/deploys?state=bogus", null, "422"},
          {"PUT", "/sites/" + site + "/metadata", "{}", "204"},
        }) {
      try (Response r = send(call[0], call[1], call[2])) {
        assertThat(r.code()).as(call[1]).isEqualTo(Integer.parseInt(call[3]));
        assertThat(r.header("X-RateLimit-Limit")).as(call[1]).isEqualTo("500");
        assertThat(r.header("X-RateLimit-Remaining")).as(call[1]).isNotNull();
        assertThat(r.header("X-RateLimit-Reset")).as(call[1]).isNotNull();
      }
    }
    Request anonymous = new Request.Builder().url(fx.apiUrl() + "/api/v1/user").build();
    try (Response r = fx.http().newCall(anonymous).execute()) {
      assertThat(r.code()).isEqualTo(401);
      assertThat(r.header("X-RateLimit-Limit")).isNull();
    }
  }

  @Test
  void threeDeploysAMinuteThenA429ThatNamesTheDeployLimit() throws IOException {
    start(defaults());
    String site = fx.createSite("deploys");
    for (int i = 0; i < 3; i++) {
      try (Response r = send("POST", "/sites/" + site + "/deploys", "{}")) {
        assertThat(r.code()).isEqualTo(200);
      }
    }
    try (Response r = send("POST", "/sites/" + site + "/deploys", "{}")) {
      assertThat(r.code()).isEqualTo(429);
      assertThat(r.header("X-RateLimit-Limit")).isEqualTo("3");
      assertThat(r.header("X-RateLimit-Remaining")).isEqualTo("0");
      assertThat(Long.parseLong(r.header("X-RateLimit-Reset")))
          .isGreaterThan(System.currentTimeMillis() / 1000);
      assertThat(Json.mapper().readTree(r.body().string()).get("code").asInt()).isEqualTo(429);
    }
    // Other calls go on.
    try (Response r = send("GET", "/sites/" + site + "/deploys", null)) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(Json.mapper().readTree(r.body().string())).hasSize(3);
    }
  }

  @Test
  void liftedLimitsLetEverythingThroughWithoutHeaders() throws IOException {
    start(
        defaults()
            .rateLimit(LocalPlatform.Options.OFF)
            .deployRateLimit(LocalPlatform.Options.OFF)
            .uploadConcurrency(LocalPlatform.Options.OFF));
    String site = fx.createSite("free");
    for (int i = 0; i < 5; i++) {
      try (Response r = send("POST", "/sites/" + site + "/deploys", "{}")) {
        assertThat(r.code()).isEqualTo(200);
        assertThat(r.header("X-RateLimit-Limit")).isNull();
      }
    }
  }

  @Test
  void tenUploadsInFlightOnAPaidPlanThenA429AndASlotFreesWhenOneEnds() throws IOException {
    start(defaults().uploadConcurrency(LocalPlatform.Options.NETLIFY_PAID_UPLOADS_IN_FLIGHT));
    String site = fx.createSite("uploads");
    String deploy =
        fx.call(
                "POST",
                "/sites/" + site + "/deploys",
                Json.mapper()
                    .createObjectNode()
                    .set(
                        "files",
                        Json.mapper().createObjectNode().put("a.txt", LocalPlatformTest.sha1("a"))))
            .get("id")
            .asText();
    String path = "/api/v1/deploys/" + deploy + "/files/a.txt";
    List<SlowClient> held = new ArrayList<>();
    try {
      for (int i = 0; i < 10; i++) {
        held.add(
            SlowClient.send(
                InetAddress.getLoopbackAddress(),
                fx.platform().port(),
                SlowClient.uploadWithoutBody(path, fx.token(), 1)));
      }
      awaitCalls("uploadDeployFile", 10);
      try (Response r = upload(path, "wrong")) {
        assertThat(r.code()).isEqualTo(429);
        assertThat(r.header("x-concurrent-limit")).isEqualTo("10");
        assertThat(r.header("x-concurrent-remaining")).isEqualTo("0");
        assertThat(r.header("x-concurrent-status")).isEqualTo("checked");
      }
      held.remove(0).write("a"); // one upload ends (its byte arrives): its slot frees
      assertThat(held.size()).isEqualTo(9);
      int status = 0;
      for (int i = 0; i < 100 && status != 200; i++) {
        try (Response r = upload(path, "a")) {
          status = r.code();
          if (status == 200) {
            assertThat(r.header("x-concurrent-limit")).isEqualTo("10");
          }
        }
        pause(20);
      }
      assertThat(status).as("an upload gets a freed slot").isEqualTo(200);
    } finally {
      held.forEach(SlowClient::close);
    }
  }

  @Test
  void latencyDelaysEveryApiAnswerAndEveryServedRequest() throws IOException {
    start(defaults().latency(Duration.ofMillis(250)));
    String site = fx.createSite("slow");
    fx.deploy(site, Map.of("index.html", "slow"), PlatformFixture.DeployOptions.prod("slow"));
    for (String url :
        new String[] {
          fx.apiUrl() + "/api/v1/sites/" + site,
          fx.platform().siteUrl("slow") + "/",
          fx.apiUrl() + "/__site/slow/",
          fx.apiUrl() + "/api/v1/sites/nope"
        }) {
      long start = System.nanoTime();
      try (Response r =
          fx.http()
              .newCall(
                  new Request.Builder()
                      .url(url)
                      .header("Authorization", "Bearer " + fx.token())
                      .build())
              .execute()) {
        r.body().bytes();
      }
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
          .as(url)
          .isGreaterThanOrEqualTo(250);
    }
  }

  private Response upload(String path, String content) throws IOException {
    return fx.http()
        .newCall(
            new Request.Builder()
                .url(fx.apiUrl() + path)
                .header("Authorization", "Bearer " + fx.token())
                .put(RequestBody.create(content, MediaType.get("application/octet-stream")))
                .build())
        .execute();
  }

  /** Waits until {@code operation} was called {@code n} times, then a little (the slot). */
  private void awaitCalls(String operation, int n) {
    for (int i = 0; i < 500 && fx.platform().faults().calls(operation) < n; i++) {
      pause(10);
    }
    assertThat(fx.platform().faults().calls(operation)).isGreaterThanOrEqualTo(n);
    pause(200);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
