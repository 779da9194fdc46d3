package dev.devops.cli;

import static dev.devops.cli.Model.flag;
import static dev.devops.cli.Model.option;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.devops.engine.BackupStore;
import dev.devops.engine.DeployHistory;
import dev.devops.engine.RollbackExecutor;
import dev.devops.engine.RollbackHistory;
import dev.devops.engine.RollbackPlanner;
import dev.devops.engine.RollbackRecord;
import dev.devops.engine.SharedLease;
import dev.devops.engine.SharedRecord;
import dev.devops.engine.SiteHistory;
import dev.devops.netlify.Deploy;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** {@code devops rollback analyze}: step 5 on its own. */
final class RollbackAnalyze extends EngineCommand implements JsonOutput {
  String from;
  String to;
  boolean noLock;

  @Override
  public void describe(CommandSpec spec) {
    Model.description(spec, "Show what rolling from one deploy to another changes.");
    spec.addOption(
        option(String.class, from, v -> from = v, "--from")
            .required(true)
            .paramLabel("ID")
            .description("The deploy rolled back from, id or version (normally the published one).")
            .build());
    spec.addOption(
        option(String.class, to, v -> to = v, "--to")
            .required(true)
            .paramLabel("ID")
            .description("The deploy rolled back to, id or version.")
            .build());
    spec.addOption(
        flag(v -> noLock = v, "--no-lock")
            .description("Analyse a rollback that leaves auto publishing on.")
            .build());
  }

  @Override
  protected int execute() throws Exception {
    SiteHistory reader = engine().history();
    DeployHistory history = reader.recent(20).history();
    Deploy fromDeploy = reader.resolve(history, from);
    Deploy toDeploy = reader.resolve(history, to);
    RollbackPlanner.Impact impact =
        new RollbackPlanner(engine())
            .analyzeBetween(history, fromDeploy, toDeploy, !noLock && config().rollback().lock());
    if (json()) {
      printJson(impact);
    } else {
      report(RollbackView.impact(impact, history.now()));
    }
    return ExitCode.OK.code();
  }
}

/** {@code devops rollback execute}: steps 8 to 11 on their own. */
final class RollbackExecute extends EngineCommand implements JsonOutput {
  String to;
  String from;
  String reason;
  String backupDir;
  boolean noLock;
  boolean track;

  @Override
  public void describe(CommandSpec spec) {
    Model.description(spec, "Switch the site to a deploy, verify, record; recover on failure.");
    spec.addOption(
        option(String.class, to, v -> to = v, "--to")
            .required(true)
            .paramLabel("ID")
            .description("The deploy to publish, id or version.")
            .build());
    spec.addOption(
        option(String.class, from, v -> from = v, "--from")
            .paramLabel("ID")
            .description(
                "The deploy expected to be published now, id or version (compare-and-swap); default: the current one.")
            .build());
    spec.addOption(
        option(String.class, reason, v -> reason = v, "--reason")
            .paramLabel("R")
            .description("Why: recorded in the history.")
            .build());
    spec.addOption(
        option(String.class, backupDir, v -> backupDir = v, "--backup")
            .paramLabel("DIR")
            .description("An existing backup of the current deploy (default: take one now).")
            .build());
    spec.addOption(
        flag(v -> noLock = v, "--no-lock").description("Leave auto publishing on.").build());
    spec.addOption(
        flag(v -> track = v, "--track").description("Stream the [mm:ss] progress lines.").build());
  }

  @Override
  protected int execute() throws Exception {
    BackupStore.Backup backup = null;
    if (backupDir != null) {
      BackupStore store = new BackupStore(stateDir(), ctx().clock());
      try {
        var dir = store.resolve(backupDir, ctx().cwd());
        backup = new BackupStore.Backup(dir, store.readManifest(dir));
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.NOT_FOUND, e.getMessage());
      }
    }
    SiteHistory reader = engine().history();
    SiteHistory.Page page = reader.recent(20);
    String toId = reader.resolve(page.history(), to).id();
    String fromId = from == null ? null : reader.resolve(page.history(), from).id();
    RollbackListener view =
        json() ? RollbackListener.json(this) : new RollbackListener.TextView(this, track);
    if (!json() && track) {
      say("🔄 Rolling back deployment...");
      say("");
    }
    // The team's lease, as a whole rollback takes it: the switch is the same.
    SharedRecord shared = engine().shared();
    try (SharedLease lease = shared.acquire()) {
      RollbackExecutor.Result result =
          new RollbackExecutor(engine())
              .execute(
                  new RollbackExecutor.Request(
                      config().siteId(),
                      toId,
                      fromId,
                      !noLock && config().rollback().lock(),
                      RollbackCommand.blank(reason) ? null : reason.trim(),
                      who(),
                      backup),
                  view);
      lease.release(shared.recording(result.record()));
      return view.finish(result, page.history());
    }
  }
}

/** {@code devops rollback history}: the rollback journal. */
final class RollbackHistoryCommand extends EngineCommand implements JsonOutput {
  @Override
  public void describe(CommandSpec spec) {
    Model.description(spec, "Show past rollbacks, newest first.");
  }

  /** The JSON result (docs/json/rollback-history.md). */
  record Report(@JsonProperty("rollbacks") List<Entry> rollbacks) {}

  /** An entry: the history entry, with the machine it ran on and where it was read. */
  record Entry(@JsonUnwrapped RollbackRecord record, String host, String source) {}

  /**
   * This machine's entries with the site's shared ones; this machine's only when the project has no
   * site or token to read them with (the history stays readable offline).
   */
  private List<SharedRecord.Logged> merged(List<RollbackRecord> local) {
    SharedRecord shared;
    try {
      shared = engine().shared();
    } catch (RuntimeException e) {
      say("⚠️ The site's shared record was not read (" + Text.clean(e.getMessage()) + ").");
      return local.stream()
          .map(r -> new SharedRecord.Logged(r, null, SharedRecord.Logged.LOCAL))
          .toList();
    }
    return shared.merged(local);
  }

  @Override
  protected int execute() throws Exception {
    List<RollbackRecord> local = new RollbackHistory(stateDir()).all();
    List<SharedRecord.Logged> all = new ArrayList<>(merged(local));
    java.util.Collections.reverse(all);
    if (json()) {
      printJson(
          new Report(all.stream().map(l -> new Entry(l.record(), l.host(), l.source())).toList()));
    } else {
      report(RollbackView.history(all));
    }
    return ExitCode.OK.code();
  }
}
