package dev.devops.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Injected faults, an injected rate limit (it replaces the configured requests-per-minute limit
 * while set), and per-operation call counts. Thread-safe.
 */
public final class Faults {
  private final List<Armed> queue = new ArrayList<>();
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
  private Limits.FixedWindow rateLimit;

  Faults() {}

  /** Queues {@code fault}; faults are matched by operation id in the order they were injected. */
  public synchronized void inject(Fault fault) {
    queue.add(new Armed(fault));
  }

  /**
   * From now on, answer 429 once more than {@code limit} API calls arrive within {@code window}, in
   * place of the platform's configured limit, until {@link #clear()}.
   */
  public synchronized void rateLimit(int limit, Duration window) {
    if (limit < 0 || window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("rate limit needs limit >= 0 and a positive window");
    }
    rateLimit = new Limits.FixedWindow(limit, window.toMillis());
  }

  /** Removes every queued fault and the injected rate limit (call counts stay). */
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

  /** Charges one API call against the injected rate limit; null when none is injected. */
  synchronized Limits.Quota charge() {
    return rateLimit == null ? null : rateLimit.charge(System.currentTimeMillis());
  }

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
}
