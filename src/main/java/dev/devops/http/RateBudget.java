package dev.devops.http;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How many API requests may still be sent in the current rate-limit window, shared by every request
 * of a run, so that parallel work is paced under the limit instead of bursting into 429s.
 *
 * <p>Before the first answer it assumes the published limit; after that it follows the server's
 * {@code X-RateLimit-Limit}, {@code -Remaining} and {@code -Reset}, counting the requests still in
 * flight (the server has not counted them yet in the answers seen so far). A server whose
 * successful answers carry no such headers meters nothing, and the budget then paces nothing until
 * one does.
 */
public final class RateBudget {
  private final LongSupplier clockMillis;
  private int limit;
  private final long windowMillis;
  private int remaining;
  private long resetAtMillis;
  private int inFlight;
  private long lastServerResetMillis = -1;
  private boolean unmetered;
  private long pausedUntilMillis;

  /** A budget of {@code limit} requests per {@code window}, starting full now. */
  public RateBudget(int limit, Duration window, LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
    this.limit = limit;
    this.windowMillis = window.toMillis();
    this.remaining = limit;
    this.resetAtMillis = clockMillis.getAsLong() + windowMillis;
  }

  public RateBudget(int limit, Duration window) {
    this(limit, window, System::currentTimeMillis);
  }

  /** Takes one request from the budget, first waiting for the window to reset if it is spent. */
  public void acquire(Sleeper sleeper) throws InterruptedIOException {
    while (true) {
      long wait;
      synchronized (this) {
        long now = clockMillis.getAsLong();
        if (now < pausedUntilMillis) {
          wait = pausedUntilMillis - now;
        } else {
          if (now >= resetAtMillis) {
            remaining = limit;
            resetAtMillis = now + windowMillis;
          }
          if (unmetered) {
            inFlight++;
            return;
          }
          if (remaining > 0) {
            remaining--;
            inFlight++;
            return;
          }
          wait = resetAtMillis - now;
        }
      }
      sleeper.sleep(Math.max(1, wait));
    }
  }

  /**
   * The answer to an acquired request arrived, with its status and the server's view of the window
   * (null values when it sent none).
   */
  public synchronized void answered(
      int status, Integer serverLimit, Integer serverRemaining, Long resetEpochS) {
    inFlight = Math.max(0, inFlight - 1);
    if (serverRemaining == null) {
      if (status >= 200 && status < 300 && serverLimit == null && resetEpochS == null) {
        unmetered = true;
      }
      return;
    }
    if (unmetered) {
      unmetered = false;
      lastServerResetMillis = -1;
    }
    if (serverLimit != null && serverLimit > 0) {
      limit = serverLimit;
    }
    int derived = Math.max(0, serverRemaining - inFlight);
    long serverReset = resetEpochS == null ? -1 : resetEpochS * 1000;
    boolean newWindow = serverReset > lastServerResetMillis + 500;
    if (serverReset > 0) {
      resetAtMillis = serverReset;
      lastServerResetMillis = Math.max(lastServerResetMillis, serverReset);
    }
    // The server counts every client on this token: never believe more than it says is left.
    remaining = newWindow ? derived : Math.min(remaining, derived);
  }

  /** A request was acquired but never answered (a failure before any answer). */
  public synchronized void abandoned() {
    inFlight = Math.max(0, inFlight - 1);
  }

  /**
   * The server refused a request with 429 and said to wait {@code millis}: no request is sent until
   * then. A pause, not a window: answers that arrive meanwhile (sent before the refusal) neither
   * lengthen it nor end it, and the window's count stays the server's.
   */
  public synchronized void pauseFor(long millis) {
    inFlight = Math.max(0, inFlight - 1);
    unmetered = false;
    pausedUntilMillis = Math.max(pausedUntilMillis, clockMillis.getAsLong() + millis);
  }

  /** Milliseconds from now until {@code epochSeconds}, on this budget's clock. */
  public long millisUntil(long epochSeconds) {
    return epochSeconds * 1000 - clockMillis.getAsLong();
  }

  /** About how long {@code requests} more requests will take under this budget. */
  public synchronized Duration timeFor(int requests) {
    if (unmetered || requests <= remaining) {
      return Duration.ZERO;
    }
    long now = clockMillis.getAsLong();
    long windows = (requests - remaining + limit - 1) / Math.max(1, limit);
    long firstReset = Math.max(0, resetAtMillis - now);
    return Duration.ofMillis(firstReset + (windows - 1) * windowMillis);
  }

  public synchronized int remaining() {
    return remaining;
  }

  public synchronized int limit() {
    return limit;
  }
}
