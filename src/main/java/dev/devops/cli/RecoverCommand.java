package dev.devops.cli;

import dev.devops.engine.Recoverer;
import dev.devops.engine.RollbackHistory;
import dev.devops.engine.RollbackOutcome;
import dev.devops.engine.RollbackRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code devops emergency-recover}: puts the site back on the deploy it served before a rollback
 * (re-publish, or redeploy from the backup), with its lock state. Safe to run again.
 */
@Command(
    name = "emergency-recover",
    description = "Put the site back where it was before a rollback (safe to run twice).")
public final class RecoverCommand extends EngineCommand implements JsonOutput {
  @Option(
      names = "--rollback-id",
      required = true,
      paramLabel = "ID",
      description = "The rollback to undo (see 'devops rollback history').")
  String rollbackId;

  @Option(
      names = "--force",
      description =
          "Recover even when the site has moved on since the rollback (a later rollback or deploy is live): that later change is undone.")
  boolean force;

  @Override
  protected int execute() throws Exception {
    RollbackListener view = json() ? RollbackListener.json(this) : RollbackListener.text(this);
    if (!json()) {
      String to =
          new RollbackHistory(stateDir())
              .find(rollbackId)
              .map(r -> ": back to " + RollbackView.label(r.from().version(), r.from().id()))
              .orElse("");
      say("🚑 Emergency recovery of rollback " + Text.clean(rollbackId) + to);
      say("");
    }
    RollbackRecord result = new Recoverer(engine()).recover(rollbackId, force, view);
    if (json()) {
      printJsonLine(RollbackEvents.Recovered.of(result));
    } else {
      report("\n" + RollbackView.recovery(result));
    }
    return ExitCode.of(RollbackOutcome.Recovery.of(result)).code();
  }
}
