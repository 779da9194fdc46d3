package dev.devops.local;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Injected faults, an optional rate limit, and per-operation call counts. Thread-safe. */
public final class Faults {
  private final List<Armed> queue = new ArrayList<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private RateLimit rateLimit;

  Faults() {}

  /** Queues {@code fault}; faults are matched by operation id in the order they were injected. */
  public synchronized void inject(Fault fault) {
    queue.add(new Armed(fault));
  }

  /** From now on, answer 429 once more than {@code limit} API calls arrive within {@code window}. */
  public synchronized void rateLimit(int limit, Duration window) {
    if (limit < 0 || window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("rate limit needs limit >= 0 and a positive window");
    }
    rateLimit = new RateLimit(limit, window);
  }

  /** Removes every queued fault and the rate limit (call counts stay). */
  public synchronized void clear() {
    queue.clear();
    rateLimit = null;
  }

  /** Requests received for {@code operationId} (faulted ones included). */
  public int calls(String operationId) {
    AtomicInteger count = calls.get(operationId);
    return count == null ? 0 : count.get();
  }

  /** All call counts, by operation id. */
  public Map<String, Integer> allCalls() {
    Map<String, Integer> result = new TreeMap<>();
    calls.forEach((op, count) -> result.put(op, count.get()));
    return result;
  }

  public void resetCalls() {
    calls.clear();
  }

  /** Counts one call and returns the fault that applies to it, if any. */
  synchronized Fault onCall(String operationId) {
    calls.computeIfAbsent(operationId, k -> new AtomicInteger()).incrementAndGet();
    for (Iterator<Armed> it = queue.iterator(); it.hasNext(); ) {
      Armed armed = it.next();
      if (!armed.fault.matches(operationId)) {
        continue;
      }
      if (armed.skip > 0) {
        armed.skip--;
        continue;
      }
      if (armed.left != Integer.MAX_VALUE) {
        armed.left--;
      }
      if (armed.left <= 0) {
        it.remove();
      }
      return armed.fault;
    }
    return null;
  }

  /** Charges one API call against the rate limit; returns its state, or null when unlimited. */
  synchronized RateState charge() {
    if (rateLimit == null) {
      return null;
    }
    Instant now = Instant.now();
    if (!now.isBefore(rateLimit.windowEnd)) {
      rateLimit.windowEnd = now.plus(rateLimit.window);
      rateLimit.used = 0;
    }
    rateLimit.used++;
    int remaining = Math.max(0, rateLimit.limit - rateLimit.used);
    long reset = (rateLimit.windowEnd.toEpochMilli() + 999) / 1000;
    return new RateState(rateLimit.limit, remaining, reset, rateLimit.used > rateLimit.limit);
  }

  record RateState(int limit, int remaining, long resetEpochSeconds, boolean exceeded) {}

  private static final class Armed {
    final Fault fault;
    int left;
    int skip;

    Armed(Fault fault) {
      this.fault = fault;
      this.left = fault.timesLeft();
      this.skip = fault.skipCalls();
    }
  }

  private static final class RateLimit {
    final int limit;
    final Duration window;
    Instant windowEnd = Instant.MIN;
    int used;

    RateLimit(int limit, Duration window) {
      this.limit = limit;
      this.window = window;
    }
  }
}
