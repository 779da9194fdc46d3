package dev.devops.engine;

import java.util.Locale;

/** How a rollback ended, for the result event and the exit code. */
public enum RollbackOutcome {
  /** Switched, and the served bytes and health checks confirm it. */
  VERIFIED,
  /** Switched, but the checks did not confirm it. */
  UNVERIFIED,
  /**
   * Switched, but another rollback or deploy replaced the target before this one ended: the site
   * serves that, and this one neither locked nor undid it.
   */
  SUPERSEDED,
  /** Failed; the site is back on the pre-rollback deploy. */
  RECOVERED,
  /** Failed, and so did the recovery: a person must act. */
  FAILED,
  /** Nothing changed: a preview only. */
  DRY_RUN;

  /** The JSON name: {@code verified}, {@code dry_run}... */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** How an emergency recovery ended. */
  public enum Recovery {
    /** The site is on the pre-rollback deploy, with its lock state. */
    RECOVERED,
    /** The recovery failed: a person must act. */
    FAILED;

    public String json() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome of a history entry after a recovery. */
    public static Recovery of(RollbackRecord record) {
      return RollbackRecord.RECOVERED.equals(record.outcome()) ? RECOVERED : FAILED;
    }
  }

  /** The outcome of a finished history entry. */
  public static RollbackOutcome of(RollbackRecord record) {
    return switch (record.outcome()) {
      case RollbackRecord.VERIFIED -> VERIFIED;
      case RollbackRecord.UNVERIFIED -> UNVERIFIED;
      case RollbackRecord.SUPERSEDED -> SUPERSEDED;
      case RollbackRecord.RECOVERED -> RECOVERED;
      default -> FAILED;
    };
  }
}
