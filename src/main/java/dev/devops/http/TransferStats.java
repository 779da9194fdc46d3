package dev.devops.http;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Counts what a run sent: every HTTP request, those that went to the API (each attempt counts
 * against the rate limit), and the 429 answers met. Placed last before the network, so it sees each
 * attempt.
 */
public final class TransferStats implements Interceptor {
  private final Predicate<Request> api;
  private final AtomicInteger httpRequests = new AtomicInteger();
  private final AtomicInteger apiCalls = new AtomicInteger();
  private final AtomicInteger rateLimited = new AtomicInteger();

  public TransferStats(Predicate<Request> api) {
    this.api = api;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    httpRequests.incrementAndGet();
    if (api.test(request)) {
      apiCalls.incrementAndGet();
    }
    Response response = chain.proceed(request);
    if (response.status() == 429) {
      rateLimited.incrementAndGet();
    }
    return response;
  }

  public int httpRequests() {
    return httpRequests.get();
  }

  public int apiCalls() {
    return apiCalls.get();
  }

  public int rateLimited() {
    return rateLimited.get();
  }
}
