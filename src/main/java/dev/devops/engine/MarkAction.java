package dev.devops.engine;

import dev.devops.netlify.Deploy;
import dev.devops.state.DeploymentRecords;
import java.time.Instant;

/**
 * {@code devops deployments mark}: sets or clears a deploy's bad mark, on this machine and in the
 * site's shared record, so that every teammate's default rollback target skips it (or takes it
 * again).
 */
public final class MarkAction {
  private final EngineContext ctx;

  public MarkAction(EngineContext ctx) {
    this.ctx = ctx;
  }

  /**
   * How it ended.
   *
   * @param deploy the deploy marked
   * @param version its version label
   * @param bad marked bad (true) or cleared (false)
   * @param reason why, or null
   * @param who who marked it (the API's user, else the local name)
   * @param host this machine
   * @param at when
   * @param shared the shared record has it (false: this machine only, warned)
   */
  public record Result(
      Deploy deploy,
      String version,
      boolean bad,
      String reason,
      String who,
      String host,
      Instant at,
      boolean shared) {}

  /**
   * Marks the deploy {@code idOrVersion} bad or good.
   *
   * @throws RollbackException NOT_FOUND or AMBIGUOUS_TARGET when the argument names no deploy of
   *     this site, or several
   */
  public Result run(String idOrVersion, boolean bad, String reason) {
    SiteHistory reader = ctx.history();
    Deploy deploy = reader.resolve(idOrVersion);
    String why = reason == null || reason.isBlank() ? null : reason.trim();
    SharedRecord shared = ctx.shared();
    String who = shared.who();
    String host = shared.options().host();
    Instant at = ctx.clock().instant();
    DeploymentRecords records = ctx.records();
    if (bad) {
      records.markBad(deploy.id(), new DeploymentRecords.BadMark(why, null, at, who, host));
    } else {
      records.clearBad(deploy.id(), at);
    }
    boolean written = shared.mark(deploy.id(), bad, why, null);
    return new Result(
        deploy,
        DeployHistory.versionLabel(deploy, ctx.records()),
        bad,
        why,
        who,
        host,
        at,
        written);
  }
}
