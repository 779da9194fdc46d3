package dev.devops.http;

import java.io.InterruptedIOException;

/** Waits; tests and benches may replace it. Interruption becomes an InterruptedIOException. */
@FunctionalInterface
public interface Sleeper {
  void sleep(long millis) throws InterruptedIOException;

  Sleeper REAL =
      millis -> {
        if (millis <= 0) {
          return;
        }
        try {
          Thread.sleep(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          InterruptedIOException stop = new InterruptedIOException("interrupted while waiting");
          stop.initCause(e);
          throw stop;
        }
      };
}
