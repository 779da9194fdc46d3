package dev.devops.cli;

import static dev.devops.cli.Model.flag;
import static dev.devops.cli.Model.option;

import dev.devops.engine.Recoverer;
import dev.devops.engine.RollbackHistory;
import dev.devops.engine.RollbackOutcome;
import dev.devops.engine.RollbackRecord;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code devops emergency-recover}: puts the site back on the deploy it served before a rollback
 * (re-publish, or redeploy from the backup), with its lock state. Safe to run again.
 */
public final class RecoverCommand extends EngineCommand implements JsonOutput {
  String rollbackId;
  boolean force;

  @Override
  public void describe(CommandSpec spec) {
    Model.description(
        spec, "Put the site back where it was before a rollback (safe to run twice).");
    spec.addOption(
        option(String.class, rollbackId, v -> rollbackId = v, "--rollback-id")
            .required(true)
            .paramLabel("ID")
            .description("The rollback to undo (see 'devops rollback history').")
            .build());
    spec.addOption(
        flag(v -> force = v, "--force")
            .description(
                "Recover even when the site has moved on since the rollback (a later rollback or deploy is live): that later change is undone.")
            .build());
  }

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
