package dev.devops.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries what is safe to retry, with exponential backoff and jitter: an idempotent request after a
 * 5xx answer or a failed connection; any request whose connection was never made (nothing was
 * sent). 429 is not handled here (see {@link RateLimit}).
 */
public final class Retry implements Interceptor {
  private final int maxRetries;
  private final Duration base;
  private final Sleeper sleeper;

  public Retry(int maxRetries, Duration base, Sleeper sleeper) {
    this.maxRetries = maxRetries;
    this.base = base;
    this.sleeper = sleeper;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    for (int attempt = 0; ; attempt++) {
      Response response;
      try {
        response = chain.proceed(request);
      } catch (InterruptedIOException e) {
        if (Thread.currentThread().isInterrupted() || !request.idempotent()) {
          throw e; // interrupted by the user, or a timeout on a call that may have taken effect
        }
        if (attempt >= maxRetries) {
          throw e;
        }
        sleeper.sleep(backoff(attempt + 1));
        continue;
      } catch (IOException e) {
        boolean notSent = e instanceof ConnectException || e instanceof UnknownHostException;
        if (!(request.idempotent() || notSent) || attempt >= maxRetries) {
          throw e;
        }
        sleeper.sleep(backoff(attempt + 1));
        continue;
      }
      if (response.status() >= 500 && request.idempotent() && attempt < maxRetries) {
        response.close();
        sleeper.sleep(backoff(attempt + 1));
        continue;
      }
      return response;
    }
  }

  long backoff(int attempt) {
    long baseMs = base.toMillis();
    long delay = baseMs << Math.min(attempt - 1, 6);
    return delay + ThreadLocalRandom.current().nextLong(Math.max(1, baseMs / 2 + 1));
  }
}
