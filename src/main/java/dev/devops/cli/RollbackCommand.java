package dev.devops.cli;

import static dev.devops.cli.Model.flag;
import static dev.devops.cli.Model.option;
import static dev.devops.cli.Model.parameter;

import dev.devops.engine.RollbackAction;
import dev.devops.engine.RollbackException;
import dev.devops.engine.RollbackPlanner;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code devops rollback [TARGET]}: flags, then {@link RollbackAction} (the whole flow, in the
 * engine), then the view: text for people, JSON lines for scripts.
 */
public final class RollbackCommand extends EngineCommand implements JsonOutput, CommandGroup {
  String target;
  boolean dryRun;
  boolean yes;
  String confirm;
  String reason;
  String expectCurrent;
  boolean noLock;
  boolean backupFirst;
  boolean acceptBreaking;

  @Override
  public void describe(CommandSpec spec) {
    Model.description(
        spec, "Roll the site back (or forward) to another deploy, safely and verified.");
    spec.addPositional(
        parameter(String.class, v -> target = v)
            .index("0")
            .arity("0..1")
            .paramLabel("TARGET")
            .description(
                "A version label (v1.2.1) or deploy id; default: the last known-good deploy.")
            .build());
    spec.addOption(
        flag(v -> dryRun = v, "--dry-run")
            .description("Show history, target, validation and impact; change nothing.")
            .build());
    spec.addOption(
        flag(v -> yes = v, "--yes")
            .description("Confirm without a prompt (needs --reason).")
            .build());
    spec.addOption(
        option(String.class, confirm, v -> confirm = v, "--confirm")
            .paramLabel("ROLLBACK")
            .description("Confirm without a prompt: the word ROLLBACK.")
            .build());
    spec.addOption(
        option(String.class, reason, v -> reason = v, "--reason")
            .paramLabel("R")
            .description("Why: recorded in the history (prompted on a terminal).")
            .build());
    spec.addOption(
        option(String.class, expectCurrent, v -> expectCurrent = v, "--expect-current")
            .paramLabel("ID")
            .description(
                "The deploy you saw live: refuse (exit 10) if another one is published by the time of the switch.")
            .build());
    spec.addOption(
        flag(v -> noLock = v, "--no-lock")
            .description("Leave auto publishing on (the next git deploy replaces the rollback).")
            .build());
    spec.addOption(
        flag(v -> backupFirst = v, "--backup-first")
            .description(
                "Store every byte of the live deploy before the switch (default: its manifest before,"
                    + " its bytes right after the verified switch).")
            .build());
    spec.addOption(
        flag(v -> acceptBreaking = v, "--accept-breaking")
            .description("Go ahead despite function, redirect, header or framework changes.")
            .build());
  }

  @Override
  public List<Sub> subcommands() {
    return List.of(
        CommandGroup.sub("analyze", RollbackAnalyze.class),
        CommandGroup.sub("execute", RollbackExecute.class),
        CommandGroup.sub("history", RollbackHistoryCommand.class));
  }

  @Override
  protected int execute() throws Exception {
    Confirmation confirmation = Confirmation.of(this, yes, confirm, reason, dryRun);
    RollbackAction.Request request =
        new RollbackAction.Request(
            blank(target) ? null : target.trim(),
            dryRun,
            !noLock && config().rollback().lock(),
            acceptBreaking,
            blank(expectCurrent) ? null : expectCurrent.trim(),
            backupFirst,
            null);
    RollbackListener view = json() ? RollbackListener.json(this) : RollbackListener.text(this);
    RollbackAction.Result result =
        new RollbackAction(engine()).run(request, view.confirmingWith(confirmation));
    return view.finish(result);
  }

  /** Also a {@code warning} line among the JSON events, for scripts that read only stdout. */
  @Override
  protected void sharedWarning(String warning) {
    super.sharedWarning(warning);
    if (json()) {
      printJsonLine(new RollbackEvents.Warning("warning", warning));
    }
  }

  /** The spec's blocks for the refusals that come before anything changes. */
  @Override
  protected String errorBlock(Throwable error) {
    if (error instanceof RollbackPlanner.NoTargetException e) {
      return RollbackView.noTarget(e.skipped());
    }
    if (error instanceof RollbackException e && e.target() != null) {
      return RollbackView.cannotRollback(e.target(), e.getMessage());
    }
    return super.errorBlock(error);
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
