package dev.devops.engine;

/**
 * One progress event of a rollback step.
 *
 * @param step stable step name (for example {@code restore})
 * @param status what happened to the step
 * @param elapsedMs milliseconds since the operation started
 * @param message one human line, already worded (for example "Restoring v1.2.2...")
 */
public record StepEvent(String step, Status status, long elapsedMs, String message) {
  /** The life of a step; names are lower case in JSON. */
  public enum Status {
    STARTED,
    DONE,
    FAILED,
    SKIPPED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
