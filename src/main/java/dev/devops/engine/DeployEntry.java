package dev.devops.engine;

import dev.devops.netlify.Deploy;
import dev.devops.state.DeploymentRecords;
import java.time.Duration;

/**
 * One deploy of the history, with what the views need to know about it.
 *
 * @param deploy the deploy as the API returned it
 * @param version its version label (see {@link DeployHistory})
 * @param status how it stands
 * @param liveFor how long it was the published deploy (until now for the current one); null if it
 *     never was, as far as the history shows
 * @param bad a rollback or a person marked it bad
 * @param mark who marked it bad, when and why (this machine's record or the shared one); null when
 *     not bad
 */
public record DeployEntry(
    Deploy deploy,
    String version,
    DeployStatus status,
    Duration liveFor,
    boolean bad,
    DeploymentRecords.BadMark mark) {

  public DeployEntry(
      Deploy deploy, String version, DeployStatus status, Duration liveFor, boolean bad) {
    this(deploy, version, status, liveFor, bad, null);
  }

  public String id() {
    return deploy.id();
  }

  /** A deploy that can be published again: it finished building. */
  public boolean restorable() {
    return deploy.isReady();
  }
}
