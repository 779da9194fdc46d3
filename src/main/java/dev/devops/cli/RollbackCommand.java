package dev.devops.cli;

import dev.devops.engine.BackupStore;
import dev.devops.engine.DeployEntry;
import dev.devops.engine.DeployHistory;
import dev.devops.engine.RollbackException;
import dev.devops.engine.RollbackExecutor;
import dev.devops.engine.RollbackHistory;
import dev.devops.engine.RollbackPlanner;
import dev.devops.engine.RollbackPlanner.Impact;
import dev.devops.engine.RollbackPlanner.Validation;
import dev.devops.engine.RollbackRecord;
import dev.devops.engine.StepJournal;
import dev.devops.netlify.Deploy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code devops rollback [TARGET]}: the whole flow (history, target, validation, impact,
 * confirmation, backup, execution, verification, record, recovery), and its step commands.
 */
@Command(
    name = "rollback",
    description = "Roll the site back (or forward) to another deploy, safely and verified.",
    mixinStandardHelpOptions = true,
    subcommands = {RollbackAnalyze.class, RollbackExecute.class, RollbackHistoryCommand.class})
public final class RollbackCommand extends EngineCommand {
  static final String CONFIRM_WORD = "ROLLBACK";

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TARGET",
      description = "A version label (v1.2.1) or deploy id; default: the last known-good deploy.")
  String target;

  @Option(
      names = "--dry-run",
      description = "Show history, target, validation and impact; change nothing.")
  boolean dryRun;

  @Option(names = "--yes", description = "Confirm without a prompt (needs --reason).")
  boolean yes;

  @Option(
      names = "--confirm",
      paramLabel = "ROLLBACK",
      description = "Confirm without a prompt: the word ROLLBACK.")
  String confirm;

  @Option(
      names = "--reason",
      paramLabel = "R",
      description = "Why: recorded in the history (prompted on a terminal).")
  String reason;

  @Option(
      names = "--no-lock",
      description = "Leave auto publishing on (the next git deploy replaces the rollback).")
  boolean noLock;

  @Option(
      names = "--accept-breaking",
      description = "Go ahead despite function, redirect, header or framework changes.")
  boolean acceptBreaking;

  @Mixin JsonOption jsonOption;

  @Override
  protected int execute() throws Exception {
    boolean confirmedByFlag = yes || confirm != null;
    if (confirm != null && !CONFIRM_WORD.equals(confirm)) {
      throw new CliException(
          ExitCode.NOT_CONFIRMED,
          "--confirm must be exactly ROLLBACK, not '" + confirm + "': nothing was changed.");
    }
    if (!dryRun && confirmedByFlag && blank(reason) && !ctx().interactive()) {
      throw new CliException(
          ExitCode.USAGE,
          "--reason is required with --yes or --confirm: say why, e.g. --reason \"checkout broken\".");
    }
    if (!dryRun && !confirmedByFlag && !ctx().interactive()) {
      throw new CliException(
          ExitCode.NOT_CONFIRMED,
          "No terminal to confirm on: pass --yes --reason R (or --confirm ROLLBACK --reason R), or --dry-run to look first.");
    }
    boolean human = !json();
    if (human) {
      warnIfUnfinished();
    }
    StepJournal plan = new StepJournal(ctx().clock(), progress(false));
    // Step 1-2: config and history.
    HistoryPage page =
        plan.run("history", "Reading deploy history...", () -> history(5), p -> "History read");
    if (human) {
      DeployHistory recent = page.history();
      List<DeployEntry> shown =
          recent.targets().size() > 5 ? recent.targets().subList(0, 5) : recent.targets();
      if (!shown.isEmpty()) {
        DeploymentsList.render(
            err(), recent, shown, page.hasMore() || recent.targets().size() > 5, 5);
        say("");
      }
    }
    // Step 3: target.
    RollbackPlanner planner = new RollbackPlanner(client(), records());
    Chosen chosen;
    try {
      chosen =
          plan.run(
              "target",
              "Choosing the target...",
              () -> choose(page),
              c -> "Target " + c.choice().targetId());
    } catch (RollbackPlanner.NoTargetException e) {
      if (human) {
        block(RollbackView.noTarget(e.skipped()));
        return ExitCode.NO_TARGET.code();
      }
      throw e.asRollbackException();
    } catch (RollbackException e) {
      return refuse(
          ExitCode.of(e), RollbackView.cannotRollback(target, e.getMessage()), e.getMessage());
    }
    DeployHistory history = chosen.history();
    RollbackPlanner.TargetChoice choice = chosen.choice();
    // Step 4: validation.
    Validation validation =
        plan.run(
            "validate",
            "Validating the target...",
            () -> planner.validate(history, choice.targetId(), acceptBreaking),
            v -> v.ok() ? "Target valid" : "Target invalid: " + v.reason());
    String targetLabel = validation.targetVersion();
    if (human) {
      block(RollbackView.target(choice, targetLabel, target != null));
      say("");
    }
    if (!validation.ok()) {
      return refuse(
          ExitCode.INVALID_TARGET,
          RollbackView.cannotRollback(targetLabel, validation.reason()),
          "Cannot rollback to " + targetLabel + ": " + validation.reason());
    }
    // Step 5: impact.
    boolean lock = !noLock && config().rollback().lock();
    Impact impact =
        plan.run(
            "analyze",
            "Analysing the impact...",
            () -> planner.analyze(history, validation, lock),
            i ->
                i.comparison().filesListed()
                    ? i.comparison().files().total() + " file change(s)"
                    : "File changes unknown");
    if (human) {
      block(RollbackView.impact(impact, history.now()));
      say("");
    } else {
      jsonLine(Map.of("event", "impact", "impact", impact));
    }
    if (dryRun) {
      if (human) {
        say("🔍 Dry run: nothing was changed. Run without --dry-run to roll back.");
      }
      return result("dry_run", null, history, validation, null, ExitCode.OK);
    }
    // Step 6: confirmation.
    String why = confirmAndReason(impact, lock);
    // Step 7: backup.
    if (human) {
      say("💾 Creating backup...");
    }
    BackupStore.Backup backup =
        plan.run(
            "backup",
            "Creating backup...",
            () ->
                new BackupStore(stateDir(), ctx().clock())
                    .create(
                        client(),
                        history.site(),
                        validation.current(),
                        validation.currentVersion(),
                        "pre-rollback: " + why),
            b -> "Backup created: " + display(b.dir()));
    if (human) {
      say(RollbackView.backupCreated(display(backup.dir())));
      if (backup.manifest().filesNote() != null) {
        say("⚠️ " + backup.manifest().filesNote());
      }
      say("");
      say("🔄 Rolling back deployment...");
      say("");
    }
    // Steps 8-11: execute, verify, record, recover.
    RollbackExecutor executor =
        new RollbackExecutor(client(), ctx().cwd(), stateDir(), ctx().clock(), settings());
    RollbackExecutor.Result result =
        executeRollback(
            executor,
            new RollbackExecutor.Request(
                config().siteId(),
                validation.targetId(),
                validation.current() == null ? null : validation.current().id(),
                lock,
                why,
                who(),
                backup),
            progress(human));
    return finish(result, history, validation);
  }

  /** An earlier rollback of this site that never recorded its end (its process died). */
  private void warnIfUnfinished() {
    for (RollbackRecord r : new RollbackHistory(stateDir()).all()) {
      boolean unfinished =
          RollbackRecord.IN_PROGRESS.equals(r.outcome())
              || RollbackRecord.INTERRUPTED.equals(r.outcome());
      if (unfinished && config().siteId().equals(r.siteId())) {
        say(
            "⚠️ Rollback "
                + r.id()
                + " ("
                + RollbackView.label(r.from().version(), r.from().id())
                + " → "
                + RollbackView.label(r.to().version(), r.to().id())
                + ") never finished. To put the site back where it was"
                + " before it: devops emergency-recover --rollback-id "
                + r.id());
        say("");
      }
    }
  }

  /** The target, and the history it was found in. */
  private record Chosen(DeployHistory history, RollbackPlanner.TargetChoice choice) {}

  /**
   * Chooses in the newest page; when that page holds no answer (nothing qualifies, the label is
   * older, or the id lies beyond it) and older deploys exist, looks through the whole (bounded)
   * history once, so that the impact also lists every deploy in between.
   */
  private Chosen choose(HistoryPage page) {
    try {
      RollbackPlanner.TargetChoice choice = RollbackPlanner.chooseTarget(page.history(), target);
      if (choice.entry() != null || !page.hasMore()) {
        return new Chosen(page.history(), choice);
      }
    } catch (RollbackPlanner.NoTargetException e) {
      if (!page.hasMore()) {
        throw e;
      }
    } catch (RollbackException e) {
      if (target == null || e.kind() != RollbackException.Kind.INVALID_TARGET || !page.hasMore()) {
        throw e;
      }
    }
    DeployHistory all = historyAll().history();
    return new Chosen(all, RollbackPlanner.chooseTarget(all, target));
  }

  private String confirmAndReason(Impact impact, boolean lock) throws IOException {
    if ((yes || confirm != null) && !blank(reason)) {
      return reason.trim();
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(ctx().in(), StandardCharsets.UTF_8));
    if (!yes && confirm == null) {
      block(RollbackView.confirm(impact, lock));
      String typed = in.readLine();
      if (typed == null || !CONFIRM_WORD.equals(typed)) {
        throw new CliException(
            ExitCode.NOT_CONFIRMED,
            "Rollback cancelled: you did not type ROLLBACK. Nothing was changed.");
      }
    }
    String why = reason;
    if (blank(why)) {
      say("Reason (recorded in the rollback history):");
      why = in.readLine();
    }
    if (blank(why)) {
      throw new CliException(
          ExitCode.NOT_CONFIRMED, "Rollback cancelled: a reason is required. Nothing was changed.");
    }
    say("");
    return why.trim();
  }

  private int finish(RollbackExecutor.Result result, DeployHistory history, Validation validation)
      throws Exception {
    RollbackRecord r = result.record();
    ExitCode code = exitCodeOf(r.outcome());
    if (!json()) {
      say("");
      switch (code) {
        case OK ->
            say(
                style()
                    .green(
                        RollbackView.success(
                            r,
                            history.site().liveUrl(),
                            "Healthy",
                            nextTarget(history, validation))));
        case UNVERIFIED -> say(style().yellow(RollbackView.unverified(r)));
        default -> say(RollbackView.recovery(r));
      }
    }
    return result(jsonOutcome(code), r, history, validation, r.verification(), code);
  }

  /** The next older known-good deploy, to suggest if issues persist. */
  private static String nextTarget(DeployHistory history, Validation validation) {
    Deploy to = validation.target();
    for (DeployEntry e : history.targets()) {
      if (!e.bad()
          && !e.id().equals(to.id())
          && e.deploy().createdAt() != null
          && to.createdAt() != null
          && e.deploy().createdAt().isBefore(to.createdAt())
          && e.deploy().publishedAt() != null) {
        return e.version();
      }
    }
    return null;
  }

  private int result(
      String outcome,
      RollbackRecord r,
      DeployHistory history,
      Validation v,
      Object verification,
      ExitCode code) {
    if (json()) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("event", "result");
      line.put("outcome", outcome);
      line.put("rollback_id", r == null ? null : r.id());
      line.put("from", view(history, v.current(), v.currentVersion()));
      line.put("to", view(history, v.target(), v.targetVersion()));
      line.put("backup", r == null ? null : r.backup());
      line.put("verification", verification);
      line.put("site_state", r == null ? null : r.siteState());
      line.put("exit_code", code.code());
      jsonLine(line);
    }
    return code.code();
  }

  /** A refusal: the spec's block for people, the one-line error object with --json. */
  private int refuse(ExitCode code, String block, String oneLine) {
    if (json()) {
      throw new CliException(code, oneLine);
    }
    block(block);
    return code.code();
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}

/** {@code devops rollback analyze}: step 5 on its own. */
@Command(
    name = "analyze",
    description = "Show what rolling from one deploy to another changes.",
    mixinStandardHelpOptions = true)
final class RollbackAnalyze extends EngineCommand {
  @Option(
      names = "--from",
      required = true,
      paramLabel = "ID",
      description = "The deploy rolled back from (normally the published one).")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "ID",
      description = "The deploy rolled back to.")
  String to;

  @Option(names = "--no-lock", description = "Analyse a rollback that leaves auto publishing on.")
  boolean noLock;

  @Mixin JsonOption jsonOption;

  @Override
  protected int execute() throws Exception {
    DeployHistory history = history(20).history();
    RollbackPlanner planner = new RollbackPlanner(client(), records());
    Deploy fromDeploy = client().getDeploy(from);
    Validation validation = planner.validate(history, fromDeploy, to, true);
    if (validation.comparison() == null || validation.target() == null) {
      throw new CliException(ExitCode.INVALID_TARGET, "Cannot analyse: " + validation.reason());
    }
    Impact impact = planner.analyze(history, validation, !noLock && config().rollback().lock());
    if (json()) {
      printJson(impact);
    } else {
      block(RollbackView.impact(impact, history.now()));
    }
    return ExitCode.OK.code();
  }
}

/** {@code devops rollback execute}: steps 8 to 11 on their own. */
@Command(
    name = "execute",
    description = "Switch the site to a deploy, verify, record; recover on failure.",
    mixinStandardHelpOptions = true)
final class RollbackExecute extends EngineCommand {
  @Option(
      names = "--to",
      required = true,
      paramLabel = "ID",
      description = "The deploy to publish.")
  String to;

  @Option(
      names = "--from",
      paramLabel = "ID",
      description =
          "The deploy expected to be published now (compare-and-swap); default: the current one.")
  String from;

  @Option(names = "--reason", paramLabel = "R", description = "Why: recorded in the history.")
  String reason;

  @Option(
      names = "--backup",
      paramLabel = "DIR",
      description = "An existing backup of the current deploy (default: take one now).")
  String backupDir;

  @Option(names = "--no-lock", description = "Leave auto publishing on.")
  boolean noLock;

  @Option(names = "--track", description = "Stream the [mm:ss] progress lines.")
  boolean track;

  @Mixin JsonOption jsonOption;

  @Override
  protected int execute() throws Exception {
    BackupStore store = new BackupStore(stateDir(), ctx().clock());
    BackupStore.Backup backup = null;
    if (backupDir != null) {
      try {
        var dir = store.resolve(backupDir, ctx().cwd());
        backup = new BackupStore.Backup(dir, store.readManifest(dir));
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.USAGE, e.getMessage());
      }
    }
    boolean lock = !noLock && config().rollback().lock();
    if (!json() && track) {
      say("🔄 Rolling back deployment...");
      say("");
    }
    RollbackExecutor.Result result =
        executeRollback(
            new RollbackExecutor(client(), ctx().cwd(), stateDir(), ctx().clock(), settings()),
            new RollbackExecutor.Request(
                config().siteId(),
                to,
                from,
                lock,
                RollbackCommand.blank(reason) ? null : reason.trim(),
                who(),
                backup),
            progress(track));
    RollbackRecord r = result.record();
    ExitCode code = exitCodeOf(r.outcome());
    if (json()) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("event", "result");
      line.put("outcome", jsonOutcome(code));
      line.put("rollback_id", r.id());
      line.put("from", r.from());
      line.put("to", r.to());
      line.put("backup", r.backup());
      line.put("verification", r.verification());
      line.put("site_state", r.siteState());
      line.put("exit_code", code.code());
      jsonLine(line);
    } else if (code == ExitCode.OK) {
      say(
          "✓ Rolled back to "
              + RollbackView.label(r.to().version(), r.to().id())
              + ", verified. Rollback ID: "
              + r.id());
    } else if (code == ExitCode.UNVERIFIED) {
      say(RollbackView.unverified(r));
    } else {
      say(RollbackView.recovery(r));
    }
    return code.code();
  }
}

/** {@code devops rollback history}: the rollback journal. */
@Command(
    name = "history",
    description = "Show past rollbacks, newest first.",
    mixinStandardHelpOptions = true)
final class RollbackHistoryCommand extends EngineCommand {
  @Mixin JsonOption jsonOption;

  @Override
  protected int execute() throws Exception {
    List<RollbackRecord> all = new ArrayList<>(new RollbackHistory(stateDir()).all());
    java.util.Collections.reverse(all);
    if (json()) {
      printJson(Map.of("rollbacks", all));
      return ExitCode.OK.code();
    }
    if (all.isEmpty()) {
      out().println("No rollbacks recorded yet.");
      return ExitCode.OK.code();
    }
    out().println("🕘 Rollback History");
    for (RollbackRecord r : all) {
      out().println();
      out()
          .println(
              r.id() + "  " + r.outcome().toUpperCase(java.util.Locale.ROOT).replace('_', ' '));
      out()
          .println(
              "From: "
                  + RollbackView.label(r.from().version(), r.from().id())
                  + "  To: "
                  + RollbackView.label(r.to().version(), r.to().id()));
      out().println("When: " + r.startedAt() + "  By: " + r.who());
      out().println("Reason: " + (r.reason() == null ? "(none given)" : r.reason()));
      if (r.backup() != null) {
        out().println("Backup: " + r.backup());
      }
      if (r.steps() != null && !r.steps().isEmpty()) {
        out()
            .println(
                "Steps: "
                    + String.join(
                        " · ",
                        r.steps().stream()
                            .map(
                                st ->
                                    st.name()
                                        + (st.outcome().equals("done")
                                            ? ""
                                            : " " + st.outcome().toUpperCase(java.util.Locale.ROOT))
                                        + " "
                                        + st.durationMs()
                                        + "ms")
                            .toList()));
      }
      if (r.siteState() != null) {
        out().println("Site: " + r.siteState().summary());
      }
      if (r.error() != null) {
        out()
            .println(
                "Error: "
                    + r.error()
                    + (r.failedStep() == null ? "" : " (step " + r.failedStep() + ")"));
      }
    }
    return ExitCode.OK.code();
  }
}
