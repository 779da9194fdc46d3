package dev.devops.engine;

/**
 * One result of a validation check.
 *
 * @param code stable identifier (for example {@code functions_removed})
 * @param severity {@code blocking} (stops the rollback), {@code accepted} (would block, but {@code
 *     --accept-breaking} was given) or {@code warning}
 * @param message one line for people
 */
public record Finding(String code, String severity, String message) {
  public static final String BLOCKING = "blocking";
  public static final String ACCEPTED = "accepted";
  public static final String WARNING = "warning";

  public boolean blocks() {
    return BLOCKING.equals(severity);
  }
}
