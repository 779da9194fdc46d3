package dev.devops.engine;

import dev.devops.netlify.NetlifyClient;
import dev.devops.state.DeploymentRecords;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What every engine action works with: the API client, the project (its directory and its {@code
 * .devops/} state), the site, the clock, the settings, and who is acting.
 *
 * @param client the Netlify client of this run
 * @param projectDir the project directory
 * @param stateDir its {@code .devops/} directory
 * @param siteId the site the project is linked to
 * @param clock the time source
 * @param settings how rollbacks run
 * @param who who runs this (recorded in history)
 * @param shared the site's shared record (marks, labels, rollbacks and the lease of the team)
 */
public record EngineContext(
    NetlifyClient client,
    Path projectDir,
    Path stateDir,
    String siteId,
    Clock clock,
    RollbackSettings settings,
    String who,
    SharedRecord shared) {

  /** A context whose shared record uses the defaults and keeps its warnings to itself. */
  public EngineContext(
      NetlifyClient client,
      Path projectDir,
      Path stateDir,
      String siteId,
      Clock clock,
      RollbackSettings settings,
      String who) {
    this(
        client,
        projectDir,
        stateDir,
        siteId,
        clock,
        settings,
        who,
        new SharedRecord(client, siteId, clock, who, SharedRecord.Options.defaults()));
  }

  /**
   * The project's records, read now, with the shared marks and labels laid over them (writes go to
   * the local file only).
   */
  public DeploymentRecords records() {
    return DeploymentRecords.load(stateDir).with(shared.overlay());
  }

  /** This machine's records only. */
  public DeploymentRecords localRecords() {
    return DeploymentRecords.load(stateDir);
  }

  /** The site's deploy history, read through this context's client. */
  public SiteHistory history() {
    return new SiteHistory(this);
  }

  /** A path under the project as people see it: relative, with a trailing slash for folders. */
  public String display(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Path base = projectDir.toAbsolutePath().normalize();
    String text = abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
    return java.nio.file.Files.isDirectory(abs) && !text.endsWith("/") ? text + "/" : text;
  }
}
