package dev.devops.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devops.testing.PlatformFixture;
import dev.devops.testing.PlatformFixture.DeployOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of requests in flight while the site is switched 500 times between two deploys: no
 * request fails and every response comes wholly from one deploy (its body's marker, its ETag, its
 * Content-Type and its length all agree).
 */
class AtomicPublishTest {
  private static final int CLIENTS = 200;
  private static final int SWITCHES = 500;
  private static final List<String> PATHS = List.of("/", "/about", "/app.js", "/missing", "/docs/");

  @TempDir Path dataDir;

  /** Files of deploy {@code marker}; every path resolves differently in the two deploys. */
  private static Map<String, String> files(String marker, boolean aboutAsDirectory) {
    String pad = marker.equals("A") ? "" : "-longer-content-in-b";
    return Map.of(
        "index.html",
        marker + ":index" + pad,
        aboutAsDirectory ? "about/index.html" : "about.html",
        marker + ":about" + pad,
        "app.js",
        marker + ":app" + pad + pad,
        "404.html",
        marker + ":404" + pad,
        "docs/index.html",
        marker + ":docs");
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void publishSwitchesAreAtomicUnderLoad() throws Exception {
    // Netlify's behaviour, but 500 restores take more than its 500 API requests a minute, and 200
    // clients from one address are more than a client may have in progress by default.
    LocalPlatform.Options options =
        LocalPlatform.Options.inTempDir(dataDir)
            .rateLimit(LocalPlatform.Options.OFF)
            .requestsPerClient(CLIENTS + 1);
    try (PlatformFixture fx = PlatformFixture.start(options)) {
      String siteId = fx.createSite("atomic");
      String a = fx.deploy(siteId, files("A", false), DeployOptions.prod("A"));
      String b = fx.deploy(siteId, files("B", true), DeployOptions.prod("B"));
      String base = fx.platform().siteUrl("atomic");
      OkHttpClient client =
          fx.http()
              .newBuilder()
              .connectionPool(new ConnectionPool(CLIENTS, 1, TimeUnit.MINUTES))
              .build();

      AtomicBoolean switching = new AtomicBoolean(true);
      AtomicInteger requests = new AtomicInteger();
      AtomicInteger inFlight = new AtomicInteger();
      AtomicInteger maxInFlight = new AtomicInteger();
      Set<String> problems = ConcurrentHashMap.newKeySet();
      Set<String> seen = ConcurrentHashMap.newKeySet();
      ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
      CountDownLatch started = new CountDownLatch(CLIENTS);
      for (int c = 0; c < CLIENTS; c++) {
        int offset = c;
        pool.execute(
            () -> {
              started.countDown();
              for (int i = 0; switching.get(); i++) {
                String path = PATHS.get((offset + i) % PATHS.size());
                Request request = new Request.Builder().url(base + path).build();
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                try (Response response = client.newCall(request).execute()) {
                  byte[] body = response.body().bytes();
                  requests.incrementAndGet();
                  String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
                  int expected = path.equals("/missing") ? 404 : 200;
                  if (response.code() != expected) {
                    problems.add("status " + response.code() + " for " + path);
                    continue;
                  }
                  String marker = text.substring(0, 1);
                  seen.add(marker);
                  String etag = "\"" + LocalPlatformTest.sha1(text) + "\"";
                  if (!etag.equals(response.header("ETag"))
                      || !(marker.equals("A") || marker.equals("B"))
                      || !response
                          .header("Content-Type")
                          .startsWith(
                              path.equals("/app.js") ? "application/javascript" : "text/html")
                      || Long.parseLong(response.header("Content-Length")) != body.length) {
                    problems.add(
                        "mixed response for " + path + ": " + text + " / " + response.headers());
                  }
                } catch (Exception e) {
                  problems.add("failed request for " + path + ": " + e);
                } finally {
                  inFlight.decrementAndGet();
                }
                pause(); // keep hundreds in flight without starving the publishing thread
              }
            });
      }
      started.await();
      for (int i = 0; i < SWITCHES; i++) {
        fx.call("POST", "/sites/" + siteId + "/deploys/" + (i % 2 == 0 ? a : b) + "/restore", null);
      }
      switching.set(false);
      pool.shutdown();
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

      assertThat(problems).isEmpty();
      assertThat(seen).containsExactlyInAnyOrder("A", "B");
      assertThat(requests.get()).isGreaterThan(CLIENTS * 2);
      assertThat(maxInFlight.get()).as("requests in flight at once").isGreaterThanOrEqualTo(100);
      assertThat(fx.platform().faults().calls("restoreSiteDeploy")).isEqualTo(SWITCHES);
    }
  }
}
