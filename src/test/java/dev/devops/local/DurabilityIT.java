package dev.devops.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devops.testing.ReliabilityReport;
import dev.devops.util.AtomicFiles;
import dev.devops.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of {@code devops local serve} during uploads and during publishes, then a restart on the
 * same data directory: the store is consistent (every blob whole, every record readable, in-flight
 * deploys resumable, the published deploy one that was really being published).
 */
class DurabilityIT {
  private static final String TOKEN = "durability-token";
  private static final MediaType JSON = MediaType.get("application/json");
  private static final Set<String> STATES =
      Set.of("new", "uploading", "processing", "ready", "error");

  @TempDir Path tmp;
  Process server;
  volatile String apiUrl;
  final OkHttpClient http =
      new OkHttpClient.Builder()
          .callTimeout(Duration.ofSeconds(20))
          .retryOnConnectionFailure(false)
          .build();
  final Random random = new Random(42);

  @AfterEach
  void stop() {
    if (server != null) {
      server.destroyForcibly();
    }
  }

  private void startServer() throws IOException {
    startServer(0);
  }

  private void startServer(int port) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String jar = System.getProperty("devops.jar", "target/devops.jar");
    server =
        new ProcessBuilder(
                java,
                "-jar",
                jar,
                "local",
                "serve",
                "--port",
                String.valueOf(port),
                "--json",
                "--data-dir",
                tmp.resolve("data").toString(),
                "--token",
                TOKEN,
                // This test uploads and restores far past Netlify's limits, on purpose (it loads
                // the store), and reads files back through the per-deploy download.
                "--rate-limit",
                "off",
                "--deploy-rate-limit",
                "off",
                "--upload-concurrency",
                "off",
                "--undocumented-endpoints")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("serve printed its address").isNotNull();
    JsonNode info = Json.mapper().readTree(line);
    // The documented --json shape of `devops local serve` (docs/json/local-serve.md).
    assertThat(info.fieldNames())
        .toIterable()
        .containsExactly(
            "api_url",
            "token",
            "port",
            "data_dir",
            "site_url",
            "deploy_url",
            "site_path",
            "deploy_path");
    assertThat(info.get("token").asText()).isEqualTo(TOKEN);
    assertThat(info.get("api_url").asText())
        .isEqualTo("http://127.0.0.1:" + info.get("port").asInt());
    apiUrl = info.get("api_url").asText();
  }

  private void kill() throws InterruptedException {
    server.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  private JsonNode call(String method, String path, String body) throws IOException {
    Request request =
        new Request.Builder()
            .url(apiUrl + "/api/v1" + path)
            .header("Authorization", "Bearer " + TOKEN)
            .method(
                method,
                body == null
                    ? (method.equals("GET") ? null : RequestBody.create(new byte[0], JSON))
                    : RequestBody.create(body, JSON))
            .build();
    try (Response response = http.newCall(request).execute()) {
      String text = response.body().string();
      if (!response.isSuccessful()) {
        throw new IOException(method + " " + path + " -> " + response.code() + " " + text);
      }
      return text.isEmpty() ? null : Json.mapper().readTree(text);
    }
  }

  private void upload(String deployId, String path, byte[] content) throws IOException {
    Request request =
        new Request.Builder()
            .url(apiUrl + "/api/v1/deploys/" + deployId + "/files/" + path)
            .header("Authorization", "Bearer " + TOKEN)
            .put(RequestBody.create(content, MediaType.get("application/octet-stream")))
            .build();
    try (Response response = http.newCall(request).execute()) {
      if (!response.isSuccessful()) {
        throw new IOException("upload " + path + " -> " + response.code());
      }
    }
  }

  private Map<String, byte[]> randomFiles(int count) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      byte[] content = new byte[20_000 + random.nextInt(200_000)];
      random.nextBytes(content);
      files.put("assets/f" + i + ".bin", content);
    }
    files.put(
        "index.html", ("<h1>" + random.nextLong() + "</h1>").getBytes(StandardCharsets.UTF_8));
    return files;
  }

  private String deployRequest(String siteId, Map<String, byte[]> files) throws IOException {
    ObjectNode body = Json.mapper().createObjectNode();
    ObjectNode digest = body.putObject("files");
    files.forEach((path, content) -> digest.put(path, sha1(content)));
    return call("POST", "/sites/" + siteId + "/deploys", body.toString()).get("id").asText();
  }

  private String fullDeploy(String siteId, Map<String, byte[]> files) throws Exception {
    String id = deployRequest(siteId, files);
    for (Map.Entry<String, byte[]> file : files.entrySet()) {
      upload(id, file.getKey(), file.getValue());
    }
    for (int i = 0;
        i < 500 && !call("GET", "/deploys/" + id, null).get("state").asText().equals("ready");
        i++) {
      Thread.sleep(10);
    }
    return id;
  }

  @Test
  void killDuringUploadsLeavesAConsistentResumableStore() throws Exception {
    startServer();
    String siteId = call("POST", "/sites", "{\"name\":\"durable\"}").get("id").asText();
    String live = fullDeploy(siteId, randomFiles(3));
    Map<String, Map<String, byte[]>> contentByDeploy = new LinkedHashMap<>();
    int interrupted = 0;
    for (int round = 0; round < 3; round++) {
      Map<String, byte[]> files = randomFiles(40);
      String deployId = deployRequest(siteId, files);
      contentByDeploy.put(deployId, files);
      AtomicBoolean killed = new AtomicBoolean();
      Thread uploader =
          new Thread(
              () -> {
                try {
                  for (Map.Entry<String, byte[]> file : files.entrySet()) {
                    upload(deployId, file.getKey(), file.getValue());
                  }
                } catch (IOException e) {
                  killed.set(true); // the server died under us: expected
                }
              });
      uploader.start();
      Thread.sleep(150 + random.nextInt(300));
      kill();
      uploader.join();
      interrupted += killed.get() ? 1 : 0;
      startServer();
      assertConsistent(siteId);
      // The interrupted deploy kept its state and asks for exactly what is missing; finishing
      // the upload completes it.
      JsonNode deploy = call("GET", "/deploys/" + deployId, null);
      assertThat(deploy.get("state").asText()).isIn("uploading", "processing", "ready");
      List<String> required = new ArrayList<>();
      deploy.get("required").forEach(sha -> required.add(sha.asText()));
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        if (required.contains(sha1(file.getValue()))) {
          upload(deployId, file.getKey(), file.getValue());
        }
      }
      for (int i = 0;
          i < 500
              && !call("GET", "/deploys/" + deployId, null).get("state").asText().equals("ready");
          i++) {
        Thread.sleep(10);
      }
      assertThat(call("GET", "/deploys/" + deployId, null).get("state").asText())
          .isEqualTo("ready");
      assertThat(call("GET", "/sites/" + siteId, null).at("/published_deploy/id").asText())
          .isEqualTo(deployId);
      live = deployId;
    }
    assertThat(interrupted).as("rounds killed in the middle of uploads").isPositive();
    assertThat(served("durable", "/index.html"))
        .isEqualTo(new String(contentByDeploy.get(live).get("index.html"), StandardCharsets.UTF_8));
  }

  @Test
  void killDuringPublishesLeavesOneOfTheDeploysBeingPublished() throws Exception {
    startServer();
    String siteId = call("POST", "/sites", "{\"name\":\"switch\"}").get("id").asText();
    Map<String, byte[]> filesA = randomFiles(2);
    Map<String, byte[]> filesB = randomFiles(2);
    String a = fullDeploy(siteId, filesA);
    String b = fullDeploy(siteId, filesB);
    for (int round = 0; round < 4; round++) {
      AtomicReference<String> acknowledged =
          new AtomicReference<>(
              call("GET", "/sites/" + siteId, null).at("/published_deploy/id").asText());
      AtomicReference<String> attempted = new AtomicReference<>();
      Thread publisher =
          new Thread(
              () -> {
                try {
                  for (int i = 0; ; i++) {
                    String target = i % 2 == 0 ? a : b;
                    attempted.set(target);
                    call("POST", "/sites/" + siteId + "/deploys/" + target + "/restore", null);
                    acknowledged.set(target);
                  }
                } catch (IOException e) {
                  // killed
                }
              });
      publisher.start();
      Thread.sleep(200 + random.nextInt(400));
      kill();
      publisher.join();
      startServer();
      assertConsistent(siteId);
      String published = call("GET", "/sites/" + siteId, null).at("/published_deploy/id").asText();
      assertThat(published).isIn(acknowledged.get(), attempted.get());
      Map<String, byte[]> expected = published.equals(a) ? filesA : filesB;
      assertThat(served("switch", "/index.html"))
          .isEqualTo(new String(expected.get("index.html"), StandardCharsets.UTF_8));
    }
  }

  /** Site metadata written while the server is killed: the last acknowledged (or attempted). */
  @Test
  void killDuringMetadataWritesKeepsAWholeObject() throws Exception {
    startServer();
    String siteId = call("POST", "/sites", "{\"name\":\"meta\"}").get("id").asText();
    AtomicInteger acknowledged = new AtomicInteger(-1);
    AtomicInteger attempted = new AtomicInteger(-1);
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int i = 0; ; i++) {
                  attempted.set(i);
                  call(
                      "PUT",
                      "/sites/" + siteId + "/metadata",
                      "{\"round\":" + i + ",\"pad\":\"" + "x".repeat(i % 4096) + "\"}");
                  acknowledged.set(i);
                }
              } catch (IOException e) {
                // killed
              }
            });
    writer.start();
    Thread.sleep(300 + random.nextInt(300));
    kill();
    writer.join();
    startServer();
    assertConsistent(siteId);
    JsonNode metadata = call("GET", "/sites/" + siteId + "/metadata", null);
    int round = metadata.get("round").asInt();
    assertThat(round).isIn(acknowledged.get(), attempted.get());
    assertThat(metadata.get("pad").asText()).hasSize(round % 4096);
  }

  /**
   * 60 s of sustained reads of the site and the API, 200+ publish switches, and a kill -9 plus
   * restart of the platform (same --port, same --data-dir) half-way: no request fails outside the
   * restart window, every served page is one whole deploy, and the store is consistent afterwards.
   */
  @Test
  @Tag("load")
  void sustainedLoadSurvivesAKillAndRestart() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    startServer(port);
    String siteId = call("POST", "/sites", "{\"name\":\"load\"}").get("id").asText();
    Map<String, byte[]> filesA = randomFiles(1);
    Map<String, byte[]> filesB = randomFiles(1);
    String a = fullDeploy(siteId, filesA);
    String b = fullDeploy(siteId, filesB);
    Set<String> pages =
        Set.of(
            new String(filesA.get("index.html"), StandardCharsets.UTF_8),
            new String(filesB.get("index.html"), StandardCharsets.UTF_8));
    long duration = TimeUnit.SECONDS.toNanos(Long.getLong("reliability.loadSeconds", 60));
    long start = System.nanoTime();
    long end = start + duration;
    AtomicLong windowStart = new AtomicLong(Long.MAX_VALUE);
    AtomicLong windowEnd = new AtomicLong(Long.MAX_VALUE);
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger inWindow = new AtomicInteger();
    AtomicInteger switches = new AtomicInteger();
    List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int reader = t;
      threads.add(
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  long sent = System.nanoTime();
                  String failure = null;
                  try {
                    if (reader % 2 == 0) {
                      String page = served("load", "/index.html");
                      if (!pages.contains(page)) {
                        failure = "served a page of no deploy";
                      }
                    } else if (call("GET", "/sites/" + siteId, null).get("id") == null) {
                      failure = "getSite without an id";
                    }
                  } catch (IOException | AssertionError | RuntimeException e) {
                    failure = e.toString();
                  }
                  long done = System.nanoTime();
                  requests.incrementAndGet();
                  boolean overlaps = done >= windowStart.get() && sent <= windowEnd.get();
                  if (failure != null && overlaps) {
                    inWindow.incrementAndGet();
                  } else if (failure != null) {
                    failures.add(failure);
                  }
                  pause(5);
                }
              }));
    }
    threads.add(
        new Thread(
            () -> {
              long interval = duration / 220;
              for (int i = 0; System.nanoTime() < end; i++) {
                try {
                  call(
                      "POST",
                      "/sites/" + siteId + "/deploys/" + (i % 2 == 0 ? a : b) + "/restore",
                      null);
                  switches.incrementAndGet();
                } catch (IOException e) {
                  if (windowStart.get() == Long.MAX_VALUE || windowEnd.get() < System.nanoTime()) {
                    failures.add("publish: " + e);
                  }
                }
                pause(TimeUnit.NANOSECONDS.toMillis(interval));
              }
            }));
    threads.forEach(Thread::start);
    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(duration / 2));
    windowStart.set(System.nanoTime());
    kill();
    startServer(port);
    http.connectionPool().evictAll(); // connections to the dead process
    windowEnd.set(System.nanoTime());
    for (Thread thread : threads) {
      thread.join();
    }
    long windowMs = TimeUnit.NANOSECONDS.toMillis(windowEnd.get() - windowStart.get());
    assertThat(failures).as("failed requests outside the restart window").isEmpty();
    // About 220 are paced over the run; a busy machine slows them, so only "sustained" is asked.
    assertThat(switches.get()).as("publish switches").isGreaterThanOrEqualTo(100);
    assertConsistent(siteId);
    String published = call("GET", "/sites/" + siteId, null).at("/published_deploy/id").asText();
    assertThat(published).isIn(a, b);
    assertThat(served("load", "/index.html"))
        .isEqualTo(
            new String(
                (published.equals(a) ? filesA : filesB).get("index.html"), StandardCharsets.UTF_8));
    String md =
        "## Local platform under load\n\n"
            + "| seconds | requests | publish switches | kill -9 + restart window | failed in window "
            + "| failed outside window | store consistent |\n|---|---|---|---|---|---|---|\n"
            + "| "
            + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)
            + " | "
            + requests.get()
            + " | "
            + switches.get()
            + " | "
            + windowMs
            + " ms | "
            + inWindow.get()
            + " | 0 ✓ | yes ✓ |\n";
    ReliabilityReport.section("40-platform-load", md);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String served(String site, String path) throws IOException {
    try (Response response =
        http.newCall(new Request.Builder().url(apiUrl + "/__site/" + site + path).build())
            .execute()) {
      assertThat(response.code()).isEqualTo(200);
      return response.body().string();
    }
  }

  /** Every blob hashes to its name, no temp file survives a start, every record is readable. */
  private void assertConsistent(String siteId) throws Exception {
    Path data = tmp.resolve("data");
    try (Stream<Path> files = Files.walk(data)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (!Files.isRegularFile(file)) {
          continue;
        }
        String name = file.getFileName().toString();
        assertThat(AtomicFiles.isTempName(name)).as("temp file left: " + file).isFalse();
        if (file.startsWith(data.resolve("blobs"))) {
          assertThat(sha1(Files.readAllBytes(file))).as("blob " + file).isEqualTo(name);
        }
        if (name.endsWith(".json")) {
          Json.mapper().readTree(file.toFile()); // throws if torn
        }
      }
    }
    JsonNode site = call("GET", "/sites/" + siteId, null);
    if (site.hasNonNull("published_deploy")) {
      assertThat(site.at("/published_deploy/state").asText()).isEqualTo("ready");
    }
    for (JsonNode deploy : call("GET", "/sites/" + siteId + "/deploys", null)) {
      assertThat(deploy.get("state").asText()).isIn(STATES);
      if (deploy.get("state").asText().equals("ready")) {
        for (JsonNode file :
            call("GET", "/deploys/" + deploy.get("id").asText() + "/files", null)) {
          Request raw =
              new Request.Builder()
                  .url(
                      apiUrl
                          + "/api/v1/deploys/"
                          + deploy.get("id").asText()
                          + "/files"
                          + file.get("path").asText())
                  .header("Authorization", "Bearer " + TOKEN)
                  .header("Content-Type", "application/vnd.bitballoon.v1.raw")
                  .build();
          try (Response response = http.newCall(raw).execute()) {
            assertThat(sha1(response.body().bytes())).isEqualTo(file.get("sha").asText());
          }
        }
      }
    }
  }

  static String sha1(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
