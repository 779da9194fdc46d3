package dev.devops.engine;

import dev.devops.netlify.Deploy;
import java.util.Locale;
import java.util.Set;

/** How a deploy stands, as the deployments view shows it. */
public enum DeployStatus {
  /** The published deploy, and its served bytes and health checks passed when last verified. */
  HEALTHY("Healthy"),
  /** The published deploy, ready, not verified by this tool (yet). */
  LIVE("Live"),
  /** A ready deploy that is not published: a rollback target. */
  STABLE("Stable"),
  /** The deploy failed (state error or rejected). */
  FAILED("Failed"),
  /** Still being built, uploaded or processed. */
  BUILDING("Building"),
  /** A rollback moved away from it. */
  BAD("Bad"),
  /** A state this tool does not know. */
  UNKNOWN("Unknown");

  private static final Set<String> IN_PROGRESS =
      Set.of(
          "new",
          "pending_review",
          "accepted",
          "enqueued",
          "building",
          "uploading",
          "uploaded",
          "preparing",
          "prepared",
          "processing",
          "processed",
          "retrying");

  private final String label;

  DeployStatus(String label) {
    this.label = label;
  }

  /** "Healthy", "Stable", ... */
  public String label() {
    return label;
  }

  /** "healthy", "stable", ... (the JSON value). */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The status of {@code deploy}, given whether it is published and whether it is marked bad. */
  public static DeployStatus of(Deploy deploy, boolean current, boolean bad) {
    return of(deploy, current, bad, false);
  }

  /**
   * The status of {@code deploy}: published or not, marked bad or not, and whether a verification
   * of its served bytes passed.
   */
  public static DeployStatus of(Deploy deploy, boolean current, boolean bad, boolean verified) {
    if (bad) {
      return BAD;
    }
    String state = deploy.state() == null ? "" : deploy.state();
    if (deploy.isError()) {
      return FAILED;
    }
    if (deploy.isReady()) {
      return current ? (verified ? HEALTHY : LIVE) : STABLE;
    }
    return IN_PROGRESS.contains(state) ? BUILDING : UNKNOWN;
  }
}
