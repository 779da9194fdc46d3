package dev.devops.engine;

import java.util.Locale;

/** How a guard ended, for the result event and the exit code. */
public enum GuardOutcome {
  /** The window passed with no check failing its limit in a row. */
  HEALTHY,
  /** A check failed its limit in a row; the deploy live before it serves again, verified. */
  ROLLED_BACK,
  /** Rolled back, but the rollback's verification did not confirm the switch. */
  ROLLBACK_UNVERIFIED,
  /** The rollback failed; the site is back on the guarded deploy. */
  ROLLBACK_RECOVERED,
  /** The rollback failed, and so did its recovery: a person must act. */
  ROLLBACK_FAILED,
  /** A check failed its limit, but the rollback refused before changing anything. */
  NOT_ROLLED_BACK,
  /** Someone published or rolled back during the window: the guard stopped, changing nothing. */
  SITE_CHANGED;

  /** The JSON name: {@code healthy}, {@code rolled_back}... */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  static GuardOutcome of(RollbackOutcome rollback) {
    return switch (rollback) {
      case VERIFIED -> ROLLED_BACK;
      case UNVERIFIED -> ROLLBACK_UNVERIFIED;
      case SUPERSEDED -> SITE_CHANGED;
      case RECOVERED -> ROLLBACK_RECOVERED;
      case FAILED, DRY_RUN -> ROLLBACK_FAILED;
    };
  }
}
