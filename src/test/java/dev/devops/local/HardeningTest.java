package dev.devops.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devops.testing.PlatformFixture;
import dev.devops.testing.PlatformFixture.DeployOptions;
import dev.devops.testing.SlowClient;
import dev.devops.util.AtomicFiles;
import dev.devops.util.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slow and hostile clients cannot starve others; tokens stay out of admin URLs; big uploads. */
class HardeningTest {
  @TempDir Path dataDir;
  PlatformFixture fx;
  final List<SlowClient> slow = new ArrayList<>();

  @AfterEach
  void stop() {
    slow.forEach(SlowClient::close);
    if (fx != null) {
      fx.close();
    }
  }

  /** 127.0.0.{@code n} where the system has it, else 127.0.0.1 (then one client for all). */
  private static InetAddress address(int n) {
    InetAddress other = SlowClient.otherLoopback(n);
    return other != null ? other : InetAddress.getLoopbackAddress();
  }

  private Response get(OkHttpClient client, String path) throws IOException {
    return client
        .newCall(
            new Request.Builder()
                .url(fx.apiUrl() + path)
                .header("Authorization", "Bearer " + fx.token())
                .build())
        .execute();
  }

  @Test
  void sixtyFourConnectionsThatNeverFinishTheirHeadersDoNotDelayOthers() throws Exception {
    fx = PlatformFixture.start(LocalPlatform.Options.inTempDir(dataDir));
    for (int i = 0; i < 64; i++) {
      slow.add(
          SlowClient.send(
              address(2), fx.platform().port(), SlowClient.unfinishedHeaders("/api/v1/user")));
    }
    Thread.sleep(300); // each is now on a worker, blocked reading its headers
    OkHttpClient impatient = fx.http().newBuilder().callTimeout(Duration.ofSeconds(2)).build();
    try (Response r = get(impatient, "/api/v1/user")) {
      assertThat(r.code()).isEqualTo(200);
    }
    try (Response r =
        impatient
            .newCall(new Request.Builder().url(fx.apiUrl() + "/__site/x/").build())
            .execute()) {
      assertThat(r.code()).isEqualTo(404); // served, not queued
    }
  }

  @Test
  void headersNotFinishedWithinTheTimeoutCloseTheConnection() throws Exception {
    fx =
        PlatformFixture.start(
            LocalPlatform.Options.inTempDir(dataDir).headerTimeout(Duration.ofSeconds(1)));
    SlowClient stuck =
        SlowClient.send(
            InetAddress.getLoopbackAddress(),
            fx.platform().port(),
            SlowClient.unfinishedHeaders("/api/v1/user"));
    slow.add(stuck);
    assertThat(stuck.closedByServer(10_000)).as("closed after the header timeout").isTrue();

    // Slow but within the timeout: answered.
    SlowClient late =
        SlowClient.send(
            InetAddress.getLoopbackAddress(),
            fx.platform().port(),
            "GET /api/v1/user HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    slow.add(late);
    Thread.sleep(300);
    late.write("Authorization: Bearer " + fx.token() + "\r\nConnection: close\r\n\r\n");
    assertThat(late.read(5_000)).startsWith("HTTP/1.1 200");
  }

  @Test
  void aClientPastItsRequestsInProgressGetsA429AndOthersAreServed() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        SlowClient.otherLoopback(2) != null, "needs a second loopback address, 127.0.0.2");
    fx = PlatformFixture.start(LocalPlatform.Options.inTempDir(dataDir).requestsPerClient(2));
    String site = fx.createSite("bounded");
    ObjectDigest digest = new ObjectDigest("a.txt", LocalPlatformTest.sha1("a"));
    String deploy =
        fx.call("POST", "/sites/" + site + "/deploys", digest.json()).get("id").asText();
    String upload = "/api/v1/deploys/" + deploy + "/files/a.txt";
    for (int i = 0; i < 2; i++) { // two uploads whose bodies never come: two requests in progress
      slow.add(
          SlowClient.send(
              address(2),
              fx.platform().port(),
              SlowClient.uploadWithoutBody(upload, fx.token(), 1)));
    }
    for (int i = 0; i < 500 && fx.platform().faults().calls("uploadDeployFile") < 2; i++) {
      Thread.sleep(10);
    }
    SlowClient third =
        SlowClient.send(
            address(2),
            fx.platform().port(),
            "GET /api/v1/user HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + fx.token()
                + "\r\n\r\n");
    slow.add(third);
    String refused = third.read(3_000);
    assertThat(refused).startsWith("HTTP/1.1 429");
    assertThat(refused).contains("\"code\":429").contains("in progress from this client");
    try (Response r = get(fx.http(), "/api/v1/user")) { // another client (127.0.0.1)
      assertThat(r.code()).isEqualTo(200);
    }
  }

  @Test
  void anErrorWaitsOnlyBrieflyForABodyThatNeverComes() throws Exception {
    fx = PlatformFixture.start(LocalPlatform.Options.inTempDir(dataDir));
    String refused = SlowClient.uploadWithoutBody("/api/v1/deploys/x/files/a", "wrong-token", 10);
    SlowClient never = SlowClient.send(address(3), fx.platform().port(), refused);
    slow.add(never);
    assertThat(never.closedByServer(10_000)).as("closed, its worker free again").isTrue();

    SlowClient late = SlowClient.send(address(3), fx.platform().port(), refused);
    slow.add(late);
    Thread.sleep(200);
    late.write("0123456789");
    assertThat(late.read(5_000)).startsWith("HTTP/1.1 401");
  }

  /** A one-file digest body. */
  private record ObjectDigest(String path, String sha) {
    com.fasterxml.jackson.databind.JsonNode json() {
      var body = Json.mapper().createObjectNode();
      body.putObject("files").put(path, sha);
      return body;
    }
  }

  @Test
  void adminEndpointsTakeTheTokenOnlyInTheAuthorizationHeader() throws IOException {
    fx = PlatformFixture.start(LocalPlatform.Options.inTempDir(dataDir));
    Request inQuery =
        new Request.Builder()
            .url(fx.apiUrl() + "/__admin/calls?access_token=" + fx.token())
            .build();
    try (Response r = fx.http().newCall(inQuery).execute()) {
      assertThat(r.code()).isEqualTo(401);
    }
    try (Response r = get(fx.http(), "/__admin/calls")) {
      assertThat(r.code()).isEqualTo(200);
    }
  }

  @Test
  void largeUploadsStreamToTheStoreAndWrongOnesLeaveNothingBehind() throws Exception {
    fx = PlatformFixture.start(LocalPlatform.Options.inTempDir(dataDir));
    byte[] big = new byte[24 << 20];
    new Random(7).nextBytes(big);
    String site = fx.createSite("big");
    String deploy = fx.deployBytes(site, Map.of("big.bin", big), DeployOptions.prod("big"));
    assertThat(fx.call("GET", "/deploys/" + deploy, null).get("state").asText()).isEqualTo("ready");
    try (Response r =
        fx.http()
            .newCall(new Request.Builder().url(fx.platform().siteUrl("big") + "/big.bin").build())
            .execute()) {
      assertThat(r.body().bytes()).isEqualTo(big);
    }

    byte[] other = big.clone();
    other[0] ^= 1;
    String pending =
        fx.call(
                "POST",
                "/sites/" + site + "/deploys",
                new ObjectDigest("other.bin", sha1(other)).json())
            .get("id")
            .asText();
    try (Response r =
        fx.http()
            .newCall(
                new Request.Builder()
                    .url(fx.apiUrl() + "/api/v1/deploys/" + pending + "/files/other.bin")
                    .header("Authorization", "Bearer " + fx.token())
                    .put(RequestBody.create(big, MediaType.get("application/octet-stream")))
                    .build())
            .execute()) {
      assertThat(r.code()).isEqualTo(422);
    }
    try (Stream<Path> files = Files.walk(dataDir.resolve("blobs"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(AtomicFiles::isTempName))
          .isEmpty();
    }
  }

  private static String sha1(byte[] content) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(content));
  }
}
