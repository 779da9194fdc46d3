package dev.devops.engine;

/** A rollback step refused to go on, or failed; {@link #kind()} says which outcome it is. */
public class RollbackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Outcomes that end a rollback early; the CLI maps each to its exit code. */
  public enum Kind {
    /** The deploy named does not exist (no such id, no such version label). */
    NOT_FOUND,
    /** Nothing in the history can be rolled back to. */
    NO_TARGET,
    /** The requested target fails validation (missing, not ready, current, expired...). */
    INVALID_TARGET,
    /** A version label names more than one deploy. */
    AMBIGUOUS_TARGET,
    /** The published deploy changed since analysis, or another rollback holds the site lock. */
    CONFLICT,
    /** The rollback failed, and the site was put back on the pre-rollback deploy. */
    FAILED_RECOVERED,
    /** The switch happened but the served bytes or health checks did not confirm it. */
    UNVERIFIED,
    /** The rollback failed and so did recovery: the state needs a human. */
    RECOVERY_FAILED
  }

  private final Kind kind;
  private final String target;

  public RollbackException(Kind kind, String message) {
    this(kind, message, null);
  }

  public RollbackException(Kind kind, String message, Throwable cause) {
    this(kind, message, null, cause);
  }

  /** A refusal about {@code target} (a version label or id, as people know it). */
  public RollbackException(Kind kind, String message, String target, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.target = target;
  }

  public Kind kind() {
    return kind;
  }

  /** The deploy the refusal is about, as people name it; null when it is about none. */
  public String target() {
    return target;
  }
}
