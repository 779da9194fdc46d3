package dev.devops.cli;

import dev.devops.engine.Recoverer;
import dev.devops.engine.RollbackHistory;
import dev.devops.engine.RollbackRecord;
import dev.devops.engine.SiteLock;
import dev.devops.engine.StepJournal;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code devops emergency-recover}: puts the site back on the deploy it served before a rollback
 * (re-publish, or redeploy from the backup), with its lock state. Safe to run again.
 */
@Command(
    name = "emergency-recover",
    description = "Put the site back where it was before a rollback (safe to run twice).",
    mixinStandardHelpOptions = true)
public final class RecoverCommand extends EngineCommand {
  @Option(
      names = "--rollback-id",
      required = true,
      paramLabel = "ID",
      description = "The rollback to undo (see 'devops rollback history').")
  String rollbackId;

  @Mixin JsonOption jsonOption;

  @Override
  @SuppressWarnings("try") // The site lock is held for the block's duration, never referenced.
  protected int execute() throws Exception {
    RollbackHistory history = new RollbackHistory(stateDir());
    RollbackRecord record =
        history
            .find(rollbackId)
            .orElseThrow(
                () ->
                    new CliException(
                        ExitCode.NOT_FOUND,
                        "No rollback '"
                            + rollbackId
                            + "' in .devops/rollback-history.json: see 'devops rollback history'."));
    if (record.from() == null || record.from().id() == null) {
      throw new CliException(
          ExitCode.INVALID_TARGET,
          "Rollback " + rollbackId + " recorded no pre-rollback deploy to go back to.");
    }
    if (!json()) {
      say(
          "🚑 Emergency recovery of rollback "
              + rollbackId
              + ": back to "
              + RollbackView.label(record.from().version(), record.from().id()));
      say("");
    }
    var settings = settings();
    StepJournal journal = new StepJournal(ctx().clock(), progress(true));
    RollbackRecord result;
    try (SiteLock ignored =
        SiteLock.acquire(
            stateDir(), record.siteId(), rollbackId, settings.lockWait(), ctx().clock())) {
      result =
          new Recoverer(client(), ctx().cwd(), stateDir(), ctx().clock(), settings)
              .recover(record, journal);
    }
    boolean ok = RollbackRecord.RECOVERED.equals(result.outcome());
    if (json()) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("event", "result");
      line.put("outcome", ok ? "recovered" : "failed");
      line.put("rollback_id", result.id());
      line.put("recovery", result.recoveries().get(result.recoveries().size() - 1));
      line.put("site_state", result.siteState());
      line.put("exit_code", ok ? 0 : ExitCode.RECOVERY_FAILED.code());
      jsonLine(line);
    } else {
      say("");
      say(RollbackView.recovery(result));
    }
    return ok ? ExitCode.OK.code() : ExitCode.RECOVERY_FAILED.code();
  }
}
