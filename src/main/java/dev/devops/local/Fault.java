package dev.devops.local;

import java.time.Duration;
import java.util.Objects;

/**
 * One injected fault, matched by Netlify operation id ({@code "*"} matches any). Immutable:
 * every setter returns a copy.
 *
 * <p>A status fault or a dropped connection replaces the operation (it is not performed). A
 * delay is served first, then the operation runs (a client that timed out still changed state).
 * A malformed body is sent after the operation ran, in place of its JSON answer.
 */
public final class Fault {
  private final String operationId;
  private final int status;
  private final Duration delay;
  private final boolean drop;
  private final boolean malformed;
  private final int times;
  private final int after;

  private Fault(
      String operationId,
      int status,
      Duration delay,
      boolean drop,
      boolean malformed,
      int times,
      int after) {
    this.operationId = Objects.requireNonNull(operationId, "operationId");
    this.status = status;
    this.delay = delay;
    this.drop = drop;
    this.malformed = malformed;
    this.times = times;
    this.after = after;
  }

  /** A fault for {@code operationId} that fires once and, until configured, does nothing. */
  public static Fault on(String operationId) {
    return new Fault(operationId, 0, Duration.ZERO, false, false, 1, 0);
  }

  /** Answer with this HTTP status and Netlify's error body instead of performing the operation. */
  public Fault status(int code) {
    if (code < 100 || code > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + code);
    }
    return new Fault(operationId, code, delay, drop, malformed, times, after);
  }

  /** Sleep this long before answering. */
  public Fault delay(Duration d) {
    return new Fault(operationId, status, Objects.requireNonNull(d), drop, malformed, times, after);
  }

  /** Close the connection without any HTTP response. */
  public Fault dropConnection() {
    return new Fault(operationId, status, delay, true, malformed, times, after);
  }

  /** Answer 200 with a truncated, unparseable JSON body. */
  public Fault malformedBody() {
    return new Fault(operationId, status, delay, drop, true, times, after);
  }

  /** Fire for this many matching calls ({@link Integer#MAX_VALUE}: every call). */
  public Fault times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("times must be at least 1");
    }
    return new Fault(operationId, status, delay, drop, malformed, n, after);
  }

  /** Let the first {@code n} matching calls through untouched. */
  public Fault afterCalls(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("afterCalls must not be negative");
    }
    return new Fault(operationId, status, delay, drop, malformed, times, n);
  }

  public String operationId() {
    return operationId;
  }

  public int statusCode() {
    return status;
  }

  public Duration delayDuration() {
    return delay;
  }

  public boolean drops() {
    return drop;
  }

  public boolean malformed() {
    return malformed;
  }

  public int timesLeft() {
    return times;
  }

  public int skipCalls() {
    return after;
  }

  boolean matches(String operation) {
    return operationId.equals("*") || operationId.equals(operation);
  }

  @Override
  public String toString() {
    return "Fault[" + operationId + ", status=" + status + ", delay=" + delay + ", drop=" + drop
        + ", malformed=" + malformed + ", times=" + times + ", after=" + after + "]";
  }
}
