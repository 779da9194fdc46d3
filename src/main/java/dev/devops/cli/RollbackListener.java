package dev.devops.cli;

import dev.devops.engine.BackupStore;
import dev.devops.engine.DeployHistory;
import dev.devops.engine.RollbackAction;
import dev.devops.engine.RollbackExecutor;
import dev.devops.engine.RollbackFailure;
import dev.devops.engine.RollbackOutcome;
import dev.devops.engine.RollbackPlanner;
import dev.devops.engine.RollbackRecord;
import dev.devops.engine.SiteHistory;
import dev.devops.engine.StepEvent;
import java.util.List;

/**
 * How a rollback shows itself while it runs and when it ends: {@link #text} for people (reports on
 * stdout; progress, prompts and warnings on stderr) or {@link #json} (JSON lines on stdout).
 */
abstract class RollbackListener implements RollbackAction.Listener {
  final BaseCommand command;
  private Confirmation confirmation;

  RollbackListener(BaseCommand command) {
    this.command = command;
  }

  static RollbackListener text(BaseCommand command) {
    return new TextView(command);
  }

  static RollbackListener json(BaseCommand command) {
    return new JsonView(command);
  }

  RollbackListener confirmingWith(Confirmation confirmation) {
    this.confirmation = confirmation;
    return this;
  }

  @Override
  public String confirm(RollbackPlanner.Impact impact, boolean lock) {
    return confirmation.ask(impact, lock);
  }

  @Override
  public boolean confirmedInAdvance() {
    return confirmation != null && confirmation.byFlag();
  }

  /** Shows how a rollback ended; returns its exit code. */
  abstract int finish(RollbackAction.Result result);

  /** Shows how a {@code rollback execute} ended; returns its exit code. */
  abstract int finish(RollbackExecutor.Result result, DeployHistory history);

  /** People: the spec's blocks. */
  static final class TextView extends RollbackListener {
    private final boolean progressLines;
    private final FetchProgress fetch;

    TextView(BaseCommand command) {
      this(command, true);
    }

    TextView(BaseCommand command, boolean progressLines) {
      super(command);
      this.progressLines = progressLines;
      this.fetch = new FetchProgress(command);
    }

    @Override
    public void fetching(int files, long bytes, String source) {
      fetch.fetching(files, bytes, source);
    }

    @Override
    public void fetched(long bytes) {
      fetch.fetched(bytes);
    }

    @Override
    public void throughApi(int files, java.time.Duration estimate) {
      fetch.throughApi(files, estimate);
    }

    @Override
    public void unfinished(List<RollbackRecord> records) {
      for (RollbackRecord r : records) {
        command.say(RollbackView.unfinished(r));
        command.say("");
      }
    }

    @Override
    public void history(SiteHistory.Page page) {
      DeployHistory recent = page.history();
      int shown = RollbackView.HISTORY_SHOWN;
      if (!recent.targets().isEmpty()) {
        command.report(
            DeploymentsView.list(
                recent,
                recent.targets().subList(0, Math.min(shown, recent.targets().size())),
                page.hasMore() || recent.targets().size() > shown,
                shown));
        command.report("");
      }
    }

    @Override
    public void target(RollbackPlanner.TargetChoice choice, String version, boolean requested) {
      command.report(RollbackView.target(choice, version, requested));
      command.report("");
    }

    @Override
    public void impact(RollbackPlanner.Impact impact) {
      command.report(RollbackView.impact(impact, command.ctx().clock().instant()));
      command.report("");
    }

    @Override
    public void backupStarted() {
      command.say("💾 Creating backup...");
    }

    @Override
    public void backupCreated(BackupStore.Backup backup) {
      command.say(RollbackView.backupCreated(command.display(backup.dir()), backup));
      command.say("");
      command.say("🔄 Rolling back deployment...");
      command.say("");
    }

    @Override
    public void onPlanEvent(StepEvent e) {
      // People see the planning as its blocks (history, target, impact), not as step lines.
    }

    @Override
    public void onEvent(StepEvent e) {
      String text = progressLines ? RollbackView.progress(e) : null;
      if (text != null) {
        fetch.close();
        command.say(text);
        command.err().flush();
      }
    }

    @Override
    public void onFailure(RollbackFailure failure) {
      command.say("");
      command.say(command.style().red(RollbackView.failed(failure)));
      command.say("");
    }

    @Override
    public void onInterrupted(RollbackRecord r) {
      command.say(RollbackView.interrupted(r));
      command.err().flush();
    }

    @Override
    int finish(RollbackAction.Result result) {
      if (result.outcome() == RollbackOutcome.DRY_RUN) {
        command.say("🔍 Dry run: nothing was changed. Run without --dry-run to roll back.");
      } else {
        command.report(
            "\n" + ended(result.record(), result.history().site().liveUrl(), result.nextTarget()));
        recordError(result.record(), result.recordError());
      }
      return ExitCode.of(result.outcome(), result.recordError()).code();
    }

    @Override
    int finish(RollbackExecutor.Result result, DeployHistory history) {
      command.report("\n" + ended(result.record(), result.site().liveUrl(), null));
      recordError(result.record(), result.recordError());
      return ExitCode.of(result.outcome(), result.recordError()).code();
    }

    /** The outcome stands; the local record of it could not be written: said apart, once. */
    private void recordError(RollbackRecord r, String error) {
      if (error != null) {
        command.say("\n" + RollbackView.recordNotWritten(r, error));
      }
    }

    private String ended(RollbackRecord r, String url, String nextTarget) {
      return switch (RollbackOutcome.of(r)) {
        case VERIFIED -> RollbackView.success(r, url, nextTarget);
        case UNVERIFIED -> RollbackView.unverified(r);
        case SUPERSEDED -> RollbackView.superseded(r);
        default -> RollbackView.recovery(r);
      };
    }
  }

  /** Scripts and agents: one JSON object per line. */
  static final class JsonView extends RollbackListener {
    private final long startedNanos = System.nanoTime();

    JsonView(BaseCommand command) {
      super(command);
    }

    private dev.devops.netlify.NetlifyClient.Stats stats() {
      return command instanceof ProjectCommand p ? p.clientStats() : null;
    }

    @Override
    public void impact(RollbackPlanner.Impact impact) {
      command.printJsonLine(RollbackEvents.Impact.of(impact));
    }

    @Override
    public void onEvent(StepEvent e) {
      command.printJsonLine(RollbackEvents.Step.of(e));
    }

    @Override
    public void onFailure(RollbackFailure failure) {
      command.printJsonLine(RollbackEvents.Failure.of(failure));
    }

    @Override
    int finish(RollbackAction.Result r) {
      RollbackPlanner.Validation v = r.validation();
      command.printJsonLine(
          RollbackEvents.Result.of(
              r.outcome(),
              r.record(),
              r.history(),
              v.current(),
              v.currentVersion(),
              v.target(),
              v.targetVersion(),
              stats(),
              r.timing().startToVerifiedMs(),
              r.recordError()));
      return ExitCode.of(r.outcome(), r.recordError()).code();
    }

    @Override
    int finish(RollbackExecutor.Result r, DeployHistory history) {
      RollbackRecord record = r.record();
      command.printJsonLine(
          RollbackEvents.Result.of(
              r.outcome(),
              record,
              history,
              r.from(),
              record.from().version(),
              r.to(),
              record.to().version(),
              stats(),
              r.verifiedNanos() == 0 ? null : (r.verifiedNanos() - startedNanos) / 1_000_000,
              r.recordError()));
      return ExitCode.of(r.outcome(), r.recordError()).code();
    }
  }
}
