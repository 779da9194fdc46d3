package dev.devops.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * At most {@code permits} of the requests that {@code limited} selects in flight at once, whatever
 * the number of threads sending them (Netlify answers 429 past a few parallel file uploads per
 * account).
 */
public final class ConcurrencyLimit implements Interceptor {
  private final Predicate<Request> limited;
  private final Semaphore permits;

  public ConcurrencyLimit(Predicate<Request> limited, int permits) {
    this.limited = limited;
    this.permits = new Semaphore(Math.max(1, permits), true);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (!limited.test(request)) {
      return chain.proceed(request);
    }
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for an upload slot");
    }
    try {
      return chain.proceed(request);
    } finally {
      permits.release();
    }
  }
}
