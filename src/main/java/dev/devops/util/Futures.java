package dev.devops.util;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** Waiting for work started beside other work. */
public final class Futures {
  private Futures() {}

  /**
   * The result of {@code future}, or the runtime exception or error it failed with as thrown there
   * (not wrapped), so that a failure maps to the same exit code wherever the work ran.
   */
  public static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }
}
