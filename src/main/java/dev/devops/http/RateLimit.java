package dev.devops.http;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Keeps API requests under Netlify's rate limit: each request first takes its place in the shared
 * {@link RateBudget} (waiting for the window to reset when it is spent), and the budget follows the
 * {@code X-RateLimit-*} headers of every answer. A 429 that still comes is waited out: until {@code
 * X-RateLimit-Reset} for the request limit, briefly for the limit on parallel uploads ({@code
 * x-concurrent-*} headers). The total wait is bounded.
 */
public final class RateLimit implements Interceptor {
  /** The part of the API that the budget covers (the API host; not served content). */
  private final Predicate<Request> counted;

  private final RateBudget budget;
  private final Duration maxWait;
  private final Sleeper sleeper;
  private final RateListener listener;

  /** Told of each 429 met and of each wait, for the run's statistics and progress lines. */
  public interface RateListener {
    default void rateLimited(Request request) {}

    default void waiting(Request request, long millis) {}
  }

  public RateLimit(
      Predicate<Request> counted,
      RateBudget budget,
      Duration maxWait,
      Sleeper sleeper,
      RateListener listener) {
    this.counted = counted;
    this.budget = budget;
    this.maxWait = maxWait;
    this.sleeper = sleeper;
    this.listener = listener == null ? new RateListener() {} : listener;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (!counted.test(request)) {
      return chain.proceed(request);
    }
    long waited = 0;
    for (int attempt = 0; ; attempt++) {
      budget.acquire(sleeper);
      Response response;
      try {
        response = chain.proceed(request);
      } catch (IOException | RuntimeException e) {
        budget.abandoned();
        throw e;
      }
      Long reset = longHeader(response, "X-RateLimit-Reset");
      Integer limit = intHeader(response, "X-RateLimit-Limit");
      if (response.status() != 429) {
        budget.answered(
            response.status(), limit, intHeader(response, "X-RateLimit-Remaining"), reset);
        return response;
      }
      listener.rateLimited(request);
      boolean concurrency = response.header("x-concurrent-limit") != null;
      // A 429's headers describe the limit that refused, which may not be the request limit
      // (Netlify limits deploys per minute separately): they pause, they do not set the window.
      boolean requestLimit = !concurrency && (limit == null || limit == budget.limit());
      long wait;
      if (concurrency) {
        wait = Math.min(2_000, 100L << Math.min(attempt, 4)); // another upload ends soon
      } else {
        wait = reset == null ? 5_000 : Math.max(1_000, budget.millisUntil(reset));
      }
      if (waited + wait > maxWait.toMillis()) {
        budget.abandoned();
        return response; // the caller reports the 429
      }
      response.close();
      listener.waiting(request, wait);
      waited += wait;
      if (requestLimit) {
        budget.pauseFor(wait); // every request of the run waits: the token's budget is spent
        continue;
      }
      budget.abandoned();
      sleeper.sleep(wait);
    }
  }

  private static Integer intHeader(Response response, String name) {
    Long value = longHeader(response, name);
    return value == null
        ? null
        : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
  }

  private static Long longHeader(Response response, String name) {
    String raw = response.header(name);
    if (raw == null) {
      return null;
    }
    try {
      return Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
