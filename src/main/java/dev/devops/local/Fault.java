package dev.devops.local;

import java.time.Duration;
import java.util.Objects;

/**
 * One injected fault, matched by Netlify operation id ({@code "*"} matches any). Immutable: every
 * setter returns a copy.
 *
 * <p>A status fault or a dropped connection replaces the operation (it is not performed). A delay
 * is served first, then the operation runs (a client that timed out still changed state). A
 * malformed, oversized or deeply nested body is sent after the operation ran, in place of its JSON
 * answer.
 */
public final class Fault {
  private final String operationId;
  private final int status;
  private final Duration delay;
  private final boolean drop;
  private final Body body;
  private final int times;
  private final int after;

  private Fault(
      String operationId,
      int status,
      Duration delay,
      boolean drop,
      Body body,
      int times,
      int after) {
    this.operationId = Objects.requireNonNull(operationId, "operationId");
    this.status = status;
    this.delay = delay;
    this.drop = drop;
    this.body = body;
    this.times = times;
    this.after = after;
  }

  /** A fault for {@code operationId} that fires once and, until configured, does nothing. */
  public static Fault on(String operationId) {
    return new Fault(operationId, 0, Duration.ZERO, false, Body.NORMAL, 1, 0);
  }

  /** Answer with this HTTP status and Netlify's error body instead of performing the operation. */
  public Fault status(int code) {
    if (code < 100 || code > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + code);
    }
    return new Fault(operationId, code, delay, drop, body, times, after);
  }

  /** Sleep this long before answering. */
  public Fault delay(Duration d) {
    return new Fault(operationId, status, Objects.requireNonNull(d), drop, body, times, after);
  }

  /** Close the connection without any HTTP response. */
  public Fault dropConnection() {
    return new Fault(operationId, status, delay, true, body, times, after);
  }

  /** Answer 200 with a truncated, unparseable JSON body. */
  public Fault malformedBody() {
    return new Fault(operationId, status, delay, drop, Body.MALFORMED, times, after);
  }

  /**
   * Answer 200 with a syntactically valid JSON body of {@code bytes} bytes (one huge string field),
   * streamed: a client must stop reading at its own bound.
   */
  public Fault oversizedBody(long bytes) {
    if (bytes < 16) {
      throw new IllegalArgumentException("an oversized body needs at least 16 bytes");
    }
    return new Fault(
        operationId, status, delay, drop, new Body(BodyKind.OVERSIZED, bytes, null), times, after);
  }

  /** Answer 200 with {@code depth} nested JSON arrays, a stack-overflow trap for parsers. */
  public Fault nestedBody(int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be at least 1");
    }
    return new Fault(
        operationId, status, delay, drop, new Body(BodyKind.NESTED, depth, null), times, after);
  }

  /** Answer 200 with exactly this JSON text: a hostile answer that parses. */
  public Fault replyWith(String json) {
    return new Fault(
        operationId,
        status,
        delay,
        drop,
        new Body(BodyKind.CUSTOM, json.length(), Objects.requireNonNull(json)),
        times,
        after);
  }

  /** Fire for this many matching calls ({@link Integer#MAX_VALUE}: every call). */
  public Fault times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("times must be at least 1");
    }
    return new Fault(operationId, status, delay, drop, body, n, after);
  }

  /** Let the first {@code n} matching calls through untouched. */
  public Fault afterCalls(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("afterCalls must not be negative");
    }
    return new Fault(operationId, status, delay, drop, body, times, n);
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
    return body.kind() == BodyKind.MALFORMED;
  }

  /** What is sent in place of the operation's JSON answer. */
  public Body body() {
    return body;
  }

  public int timesLeft() {
    return times;
  }

  public int skipCalls() {
    return after;
  }

  /** The kinds of body a fault can send in place of the real answer. */
  public enum BodyKind {
    NORMAL,
    MALFORMED,
    OVERSIZED,
    NESTED,
    CUSTOM
  }

  /**
   * A replacement body: its kind, its size (bytes for OVERSIZED, depth for NESTED) and, for CUSTOM,
   * its text.
   */
  public record Body(BodyKind kind, long size, String text) {
    static final Body NORMAL = new Body(BodyKind.NORMAL, 0, null);
    static final Body MALFORMED = new Body(BodyKind.MALFORMED, 0, null);
  }

  boolean matches(String operation) {
    return operationId.equals("*") || operationId.equals(operation);
  }

  @Override
  public String toString() {
    return "Fault["
        + operationId
        + ", status="
        + status
        + ", delay="
        + delay
        + ", drop="
        + drop
        + ", body="
        + body
        + ", times="
        + times
        + ", after="
        + after
        + "]";
  }
}
