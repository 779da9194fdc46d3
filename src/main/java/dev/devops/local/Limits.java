package dev.devops.local;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Netlify's limits on API clients: requests per minute, deploys created per minute (both fixed
 * windows) and file uploads in flight. The platform has one token and one account, so "per token"
 * and "per account" are the platform as a whole. A limit of {@link LocalPlatform.Options#OFF} is
 * lifted.
 */
final class Limits {
  private static final long MINUTE_MILLIS = 60_000;

  /** Where a client stands against one limit, as the {@code X-RateLimit-*} headers tell it. */
  record Quota(int limit, int remaining, long resetEpochSeconds, boolean exceeded) {}

  /**
   * A fixed window: it opens with the first call after the previous one closed and lasts {@code
   * windowMillis}; {@code X-RateLimit-Reset} is its end, one absolute instant at which everything
   * is available again (a sliding window has no such instant to announce).
   */
  static final class FixedWindow {
    private final int limit;
    private final long windowMillis;
    private long end = Long.MIN_VALUE;
    private int used;

    FixedWindow(int limit, long windowMillis) {
      this.limit = limit;
      this.windowMillis = windowMillis;
    }

    synchronized Quota charge(long nowMillis) {
      if (nowMillis >= end) {
        end = nowMillis + windowMillis;
        used = 0;
      }
      used++;
      return new Quota(limit, Math.max(0, limit - used), (end + 999) / 1000, used > limit);
    }
  }

  private volatile FixedWindow requests;
  private volatile FixedWindow deploys;
  private final int requestsPerMinute;
  private final int deploysPerMinute;
  private final int uploadSlots;
  private final AtomicInteger uploadsInFlight = new AtomicInteger();

  /** While above zero, nothing is charged or bounded (a test seeding history, say so). */
  private final AtomicInteger suspended = new AtomicInteger();

  Limits(int requestsPerMinute, int deploysPerMinute, int uploadSlots) {
    this.requestsPerMinute = requestsPerMinute;
    this.deploysPerMinute = deploysPerMinute;
    this.requests = window(requestsPerMinute);
    this.deploys = window(deploysPerMinute);
    this.uploadSlots = uploadSlots;
  }

  /** New windows, as if a minute had passed since the last request. */
  void reset() {
    requests = window(requestsPerMinute);
    deploys = window(deploysPerMinute);
  }

  void suspend() {
    suspended.incrementAndGet();
  }

  void resume() {
    suspended.decrementAndGet();
  }

  private boolean charging() {
    return suspended.get() == 0;
  }

  private static FixedWindow window(int perMinute) {
    return perMinute == LocalPlatform.Options.OFF
        ? null
        : new FixedWindow(perMinute, MINUTE_MILLIS);
  }

  /** Charges one API request; null when requests are not limited. */
  Quota chargeRequest() {
    FixedWindow w = requests;
    return w == null || !charging() ? null : w.charge(System.currentTimeMillis());
  }

  /** Charges one deploy creation; null when deploys are not limited. */
  Quota chargeDeploy() {
    FixedWindow w = deploys;
    return w == null || !charging() ? null : w.charge(System.currentTimeMillis());
  }

  boolean uploadsLimited() {
    return uploadSlots != LocalPlatform.Options.OFF && charging();
  }

  int uploadSlots() {
    return uploadSlots;
  }

  /**
   * Takes an upload slot: the slots still free after this one, or -1 when none was free (nothing
   * taken). Always succeeds when uploads are not limited.
   */
  int takeUploadSlot() {
    while (true) {
      int busy = uploadsInFlight.get();
      if (uploadsLimited() && busy >= uploadSlots) {
        return -1;
      }
      if (uploadsInFlight.compareAndSet(busy, busy + 1)) {
        return uploadsLimited() ? uploadSlots - busy - 1 : Integer.MAX_VALUE;
      }
    }
  }

  void releaseUploadSlot() {
    uploadsInFlight.decrementAndGet();
  }
}
