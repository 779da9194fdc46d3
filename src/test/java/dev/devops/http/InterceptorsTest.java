package dev.devops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devops.util.Secrets;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Each interceptor on its own, in front of a scripted last interceptor. */
class InterceptorsTest {
  private static final URI API = URI.create("https://api.example.test/api/v1");
  private static final Sleeper NO_WAIT = millis -> {};

  private static Request get(String url, boolean idempotent) {
    return new Request("GET", URI.create(url), Map.of(), null, "op", idempotent);
  }

  @Test
  void interceptorsRunInOrderAndSeeEachOthersChanges() throws IOException {
    Stub stub = new Stub(r -> Stub.answer(r, 200, Map.of(), "ok"));
    Transport transport =
        new Transport(
            List.of(new UserAgent("devops/1.2"), new BearerAuth("tok-123456", API), stub));
    try (Response response = transport.execute(get(API + "/sites", true))) {
      assertThat(response.status()).isEqualTo(200);
    }
    assertThat(stub.seen.get(0).header("user-agent")).isEqualTo("devops/1.2");
    assertThat(stub.seen.get(0).header("Authorization")).isEqualTo("Bearer tok-123456");
  }

  @Test
  void theTokenGoesOnlyToTheApiOrigin() throws IOException {
    Stub stub = new Stub(r -> Stub.answer(r, 200, Map.of(), ""));
    Transport transport = new Transport(List.of(new BearerAuth("tok-abcdef", API), stub));
    for (String elsewhere :
        new String[] {
          "https://site.netlify.app/index.html",
          "http://api.example.test/api/v1/sites",
          "https://api.example.test:8443/api/v1/sites",
          "https://api.example.test.evil.test/api/v1/sites"
        }) {
      transport.execute(get(elsewhere, true)).close();
    }
    transport.execute(get("https://API.example.test:443/api/v1/user", true)).close();
    assertThat(stub.seen).hasSize(5);
    assertThat(stub.seen.subList(0, 4)).allMatch(r -> r.header("Authorization") == null);
    assertThat(stub.seen.get(4).header("Authorization")).isEqualTo("Bearer tok-abcdef");
  }

  @Test
  void retryResendsIdempotentRequestsAfter5xxAndFailedConnections() throws IOException {
    AtomicInteger n = new AtomicInteger();
    Stub stub =
        new Stub(
            r ->
                switch (n.incrementAndGet()) {
                  case 1 -> Stub.answer(r, 502, Map.of(), "bad gateway");
                  case 2 -> new SocketTimeoutException("read timed out");
                  default -> Stub.answer(r, 200, Map.of(), "ok");
                });
    Transport transport = new Transport(List.of(new Retry(3, Duration.ofMillis(1), NO_WAIT), stub));
    try (Response response = transport.execute(get(API + "/sites", true))) {
      assertThat(response.status()).isEqualTo(200);
    }
    assertThat(stub.seen).hasSize(3);
  }

  @Test
  void retryNeverResendsARequestThatMayHaveTakenEffect() {
    Stub stub = new Stub(r -> Stub.answer(r, 500, Map.of(), "oops"));
    Transport transport = new Transport(List.of(new Retry(3, Duration.ofMillis(1), NO_WAIT), stub));
    try (Response response = transport.execute(get(API + "/deploys", false))) {
      assertThat(response.status()).isEqualTo(500);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(stub.seen).hasSize(1);

    Stub timeout = new Stub(r -> new SocketTimeoutException("read timed out"));
    Transport t2 = new Transport(List.of(new Retry(3, Duration.ofMillis(1), NO_WAIT), timeout));
    assertThatThrownBy(() -> t2.execute(get(API + "/deploys", false)))
        .isInstanceOf(SocketTimeoutException.class);
    assertThat(timeout.seen).hasSize(1);

    // Nothing was sent when the connection was refused: safe to retry even a POST.
    AtomicInteger n = new AtomicInteger();
    Stub refused =
        new Stub(
            r ->
                n.incrementAndGet() == 1
                    ? new ConnectException("refused")
                    : Stub.answer(r, 201, Map.of(), "{}"));
    Transport t3 = new Transport(List.of(new Retry(3, Duration.ofMillis(1), NO_WAIT), refused));
    try (Response response = t3.execute(get(API + "/deploys", false))) {
      assertThat(response.status()).isEqualTo(201);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(refused.seen).hasSize(2);
  }

  @Test
  void rateLimitWaitsOutA429UntilTheResetThenResends() throws IOException {
    long[] now = {1_000_000L};
    List<Long> waits = new ArrayList<>();
    Sleeper clockSleeper =
        millis -> {
          waits.add(millis);
          now[0] += millis;
        };
    RateBudget budget = new RateBudget(500, Duration.ofMinutes(1), () -> now[0]);
    AtomicInteger n = new AtomicInteger();
    Stub stub =
        new Stub(
            r ->
                n.incrementAndGet() == 1
                    ? Stub.answer(
                        r,
                        429,
                        Map.of(
                            "x-ratelimit-limit", List.of("500"),
                            "x-ratelimit-remaining", List.of("0"),
                            "x-ratelimit-reset", List.of(Long.toString(now[0] / 1000 + 7))),
                        "{\"code\":429}")
                    : Stub.answer(r, 200, Map.of(), "ok"));
    AtomicInteger limited = new AtomicInteger();
    RateLimit.RateListener listener =
        new RateLimit.RateListener() {
          @Override
          public void rateLimited(Request request) {
            limited.incrementAndGet();
          }
        };
    Transport transport =
        new Transport(
            List.of(
                new RateLimit(r -> true, budget, Duration.ofSeconds(60), clockSleeper, listener),
                stub));
    try (Response response = transport.execute(get(API + "/sites", true))) {
      assertThat(response.status()).isEqualTo(200);
    }
    assertThat(stub.seen).hasSize(2);
    assertThat(limited.get()).isEqualTo(1);
    assertThat(waits.stream().mapToLong(Long::longValue).sum()).isBetween(6_000L, 7_000L);
  }

  @Test
  void aRefusalByAnotherLimitWaitsForThatRequestOnlyAndLeavesTheBudget() throws IOException {
    long[] now = {1_000_000L};
    List<Long> waits = new ArrayList<>();
    Sleeper clockSleeper =
        millis -> {
          waits.add(millis);
          now[0] += millis;
        };
    RateBudget budget = new RateBudget(500, Duration.ofMinutes(1), () -> now[0]);
    AtomicInteger n = new AtomicInteger();
    // Netlify's deploy limit (3 a minute) refuses with its own numbers in the headers.
    Stub stub =
        new Stub(
            r ->
                n.incrementAndGet() == 1
                    ? Stub.answer(
                        r,
                        429,
                        Map.of(
                            "x-ratelimit-limit", List.of("3"),
                            "x-ratelimit-remaining", List.of("0"),
                            "x-ratelimit-reset", List.of(Long.toString(now[0] / 1000 + 20))),
                        "")
                    : Stub.answer(
                        r,
                        200,
                        Map.of(
                            "x-ratelimit-limit", List.of("500"),
                            "x-ratelimit-remaining", List.of("498"),
                            "x-ratelimit-reset", List.of(Long.toString(now[0] / 1000 + 60))),
                        "{}"));
    Transport transport =
        new Transport(
            List.of(
                new RateLimit(r -> true, budget, Duration.ofSeconds(60), clockSleeper, null),
                stub));
    try (Response response = transport.execute(get(API + "/sites/s/deploys", true))) {
      assertThat(response.status()).isEqualTo(200);
    }
    assertThat(waits).hasSize(1);
    assertThat(waits.get(0)).isBetween(19_000L, 20_000L);
    assertThat(budget.limit()).isEqualTo(500);
    assertThat(budget.remaining()).isEqualTo(498);
  }

  @Test
  void rateLimitGivesUpWhenTheWaitWouldExceedItsBound() throws IOException {
    Stub stub =
        new Stub(
            r ->
                Stub.answer(
                    r,
                    429,
                    Map.of(
                        "x-ratelimit-reset",
                        List.of(Long.toString(System.currentTimeMillis() / 1000 + 3600))),
                    ""));
    RateBudget budget = new RateBudget(500, Duration.ofMinutes(1));
    Transport transport =
        new Transport(
            List.of(new RateLimit(r -> true, budget, Duration.ofSeconds(60), NO_WAIT, null), stub));
    try (Response response = transport.execute(get(API + "/sites", true))) {
      assertThat(response.status()).isEqualTo(429);
    }
    assertThat(stub.seen).hasSize(1);
  }

  @Test
  void aConcurrencyRefusalIsRetriedSoonWithoutSpendingTheWindow() throws IOException {
    AtomicInteger n = new AtomicInteger();
    Stub stub =
        new Stub(
            r ->
                n.incrementAndGet() < 3
                    ? Stub.answer(
                        r,
                        429,
                        Map.of(
                            "x-concurrent-limit", List.of("5"),
                            "x-concurrent-remaining", List.of("0")),
                        "")
                    : Stub.answer(r, 200, Map.of(), "ok"));
    List<Long> waits = Collections.synchronizedList(new ArrayList<>());
    RateBudget budget = new RateBudget(500, Duration.ofMinutes(1));
    Transport transport =
        new Transport(
            List.of(
                new RateLimit(r -> true, budget, Duration.ofSeconds(60), waits::add, null), stub));
    try (Response response = transport.execute(get(API + "/deploys/x/files/a", true))) {
      assertThat(response.status()).isEqualTo(200);
    }
    assertThat(waits).allMatch(w -> w <= 2_000).hasSize(2);
    assertThat(budget.remaining()).isEqualTo(497);
  }

  @Test
  void requestsOutsideTheApiSpendNoBudget() throws IOException {
    RateBudget budget = new RateBudget(2, Duration.ofMinutes(1));
    Stub stub = new Stub(r -> Stub.answer(r, 200, Map.of(), ""));
    Transport transport =
        new Transport(
            List.of(
                new RateLimit(
                    r -> BearerAuth.sameOrigin(r.url(), API),
                    budget,
                    Duration.ofSeconds(1),
                    NO_WAIT,
                    null),
                stub));
    for (int i = 0; i < 10; i++) {
      transport.execute(get("https://x--site.netlify.app/f" + i, true)).close();
    }
    assertThat(budget.remaining()).isEqualTo(2);
  }

  @Test
  void concurrencyLimitKeepsAtMostNInFlight() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Stub stub =
        new Stub(
            r -> {
              int now = inFlight.incrementAndGet();
              peak.accumulateAndGet(now, Math::max);
              try {
                Thread.sleep(5);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              inFlight.decrementAndGet();
              return Stub.answer(r, 200, Map.of(), "");
            });
    Transport transport =
        new Transport(List.of(new ConcurrencyLimit(r -> r.operation().equals("upload"), 3), stub));
    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      all.add(
          pool.submit(
              () -> {
                transport.execute(new Request("PUT", API, Map.of(), null, "upload", true)).close();
                return null;
              }));
    }
    for (Future<?> f : all) {
      f.get();
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    assertThat(peak.get()).isBetween(1, 3);
  }

  @Test
  void theDebugLogNamesEachAttemptAndNeverTheToken() throws IOException {
    Secrets.register("tok-debug-secret");
    List<String> lines = new ArrayList<>();
    Stub stub =
        new Stub(r -> Stub.answer(r, 200, Map.of("x-ratelimit-remaining", List.of("499")), "ok"));
    Transport transport =
        new Transport(
            List.of(new BearerAuth("tok-debug-secret", API), new DebugLog(lines::add), stub));
    transport
        .execute(
            new Request(
                "GET",
                URI.create(API + "/sites?note=tok-debug-secret"),
                Map.of(),
                null,
                "getSite",
                true))
        .close();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .startsWith("--> GET https://api.example.test/api/v1/sites")
        .contains("(getSite)");
    assertThat(lines.get(1)).startsWith("<-- 200 getSite").contains("rate limit remaining 499");
    assertThat(String.join("\n", lines))
        .doesNotContain("tok-debug-secret")
        .doesNotContain("Bearer");
  }

  @Test
  void transferStatsCountAttemptsApiCallsAnd429s() throws IOException {
    TransferStats stats = new TransferStats(r -> BearerAuth.sameOrigin(r.url(), API));
    AtomicInteger n = new AtomicInteger();
    Stub stub = new Stub(r -> Stub.answer(r, n.incrementAndGet() == 1 ? 429 : 200, Map.of(), ""));
    Transport transport = new Transport(List.of(stats, stub));
    transport.execute(get(API + "/sites", true)).close();
    transport.execute(get(API + "/sites", true)).close();
    transport.execute(get("https://site.netlify.app/", true)).close();
    assertThat(stats.httpRequests()).isEqualTo(3);
    assertThat(stats.apiCalls()).isEqualTo(2);
    assertThat(stats.rateLimited()).isEqualTo(1);
  }
}
