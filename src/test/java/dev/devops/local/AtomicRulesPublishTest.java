package dev.devops.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devops.testing.PlatformFixture;
import dev.devops.testing.PlatformFixture.DeployOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 * The sibling of {@link AtomicPublishTest} for rules: while the site is switched between two
 * deploys whose {@code _redirects} and {@code _headers} differ, every response takes its rules and
 * its files from the same deploy. Both deploys hold the same file names with bodies naming their
 * deploy, so a response mixing one deploy's rules with the other's files shows: its header, its
 * rewrite target and its body would name different deploys.
 */
class AtomicRulesPublishTest {
  private static final int CLIENTS = 64;
  private static final int SWITCHES = 150;
  private static final List<String> PATHS = List.of("/page", "/rewrite", "/redirect", "/missing");

  @TempDir Path dataDir;

  /** Deploy {@code marker}'s files; its rules rewrite and redirect to targets named after it. */
  private static Map<String, String> files(String marker) {
    Map<String, String> files = new LinkedHashMap<>();
    for (String target : List.of("A", "B")) {
      files.put("target-" + target + ".html", marker + ":target-" + target);
      files.put("landing-" + target + ".html", marker + ":landing-" + target);
    }
    files.put("page.html", marker + ":page");
    files.put("404.html", marker + ":404");
    files.put(
        "_redirects",
        "/rewrite /target-" + marker + ".html 200\n/redirect /landing-" + marker + " 302\n");
    files.put("_headers", "/*\n  X-Deploy: " + marker + "\n");
    return files;
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What is wrong with one response, or null when it comes wholly from one deploy. */
  private static String problem(String path, Response response, String body) {
    if (path.equals("/redirect")) {
      String location = response.header("Location");
      return response.code() == 302
              && ("/landing-A".equals(location) || "/landing-B".equals(location))
          ? null
          : "redirect " + response.code() + " to " + location;
    }
    int expected = path.equals("/missing") ? 404 : 200;
    String marker = response.header("X-Deploy");
    if (response.code() != expected || marker == null || !body.startsWith(marker + ":")) {
      return "status " + response.code() + ", X-Deploy " + marker + ", body " + body;
    }
    if (path.equals("/rewrite") && !body.equals(marker + ":target-" + marker)) {
      return "rewrite by one deploy's rules to another's file: " + marker + " / " + body;
    }
    return null;
  }

  @Test
  void noResponseMixesTwoDeploysRules() throws Exception {
    try (PlatformFixture fx = PlatformFixture.start(dataDir)) {
      String siteId = fx.createSite("atomic-rules");
      String a = fx.deploy(siteId, files("A"), DeployOptions.prod("A"));
      String b = fx.deploy(siteId, files("B"), DeployOptions.prod("B"));
      String base = fx.platform().siteUrl("atomic-rules");
      OkHttpClient client =
          fx.http()
              .newBuilder()
              .followRedirects(false)
              .connectionPool(new ConnectionPool(CLIENTS, 1, TimeUnit.MINUTES))
              .build();

      AtomicBoolean switching = new AtomicBoolean(true);
      AtomicInteger requests = new AtomicInteger();
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
                try (Response response =
                    client.newCall(new Request.Builder().url(base + path).build()).execute()) {
                  String body = new String(response.body().bytes(), StandardCharsets.UTF_8);
                  requests.incrementAndGet();
                  String problem = problem(path, response, body);
                  if (problem != null) {
                    problems.add(path + ": " + problem);
                  } else if (response.header("X-Deploy") != null) {
                    seen.add(response.header("X-Deploy"));
                  }
                } catch (Exception e) {
                  problems.add("failed request for " + path + ": " + e);
                }
                pause();
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
    }
  }
}
