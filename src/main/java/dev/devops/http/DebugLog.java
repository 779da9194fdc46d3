package dev.devops.http;

import dev.devops.util.Secrets;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * With {@code --debug}: one line per request and one per answer or failure, with the time taken.
 * Headers are never logged, and every line passes through {@link Secrets#redact}.
 */
public final class DebugLog implements Interceptor {
  private final Consumer<String> sink;

  public DebugLog(Consumer<String> sink) {
    this.sink = sink;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    log("--> " + request.method() + " " + request.url() + " (" + request.operation() + ")");
    long start = System.nanoTime();
    try {
      Response response = chain.proceed(request);
      log(
          "<-- "
              + response.status()
              + " "
              + request.operation()
              + " ("
              + millisSince(start)
              + " ms)"
              + rateNote(response));
      return response;
    } catch (IOException | RuntimeException e) {
      log("<-- failed " + request.operation() + " (" + millisSince(start) + " ms): " + e);
      throw e;
    }
  }

  private static String rateNote(Response response) {
    String remaining = response.header("X-RateLimit-Remaining");
    return remaining == null ? "" : " rate limit remaining " + remaining;
  }

  private void log(String line) {
    sink.accept(Secrets.redact(line));
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
