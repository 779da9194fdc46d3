package dev.devops.cli;

import dev.devops.config.ConfigStore;
import dev.devops.engine.DeployHistory;
import dev.devops.engine.Guard;
import dev.devops.engine.GuardMarkers;
import dev.devops.engine.RollbackAction;
import dev.devops.engine.RollbackRecord;
import dev.devops.netlify.Deploy;
import dev.devops.netlify.Site;
import dev.devops.state.DeploymentRecords;
import dev.devops.util.Secrets;
import java.time.Duration;
import java.util.List;

/**
 * How a guard shows itself: {@link #text} for people (a live line per round on stderr, rewritten in
 * place on a colour terminal; the verdict on stdout; the rollback's own blocks when it rolls back)
 * or {@link #json} (JSON lines on stdout, with the rollback's own lines when it rolls back).
 */
abstract class GuardListener implements Guard.Listener {
  final BaseCommand command;
  final RollbackListener rollbackView;

  GuardListener(BaseCommand command, RollbackListener rollbackView) {
    this.command = command;
    this.rollbackView = rollbackView;
  }

  static GuardListener text(BaseCommand command) {
    return new TextView(command);
  }

  static GuardListener json(BaseCommand command) {
    return new JsonView(command);
  }

  @Override
  public RollbackAction.Listener rollback() {
    return rollbackView;
  }

  /** Warnings are for people: stderr, in both forms. */
  @Override
  public void orphaned(List<GuardMarkers.Marker> markers, List<RollbackRecord> unfinished) {
    for (GuardMarkers.Marker m : markers) {
      command.say(GuardView.orphaned(m, unfinished));
      command.say("");
    }
  }

  @Override
  public void interrupted(Guard.Target target, boolean judged) {
    command.say(GuardView.interrupted(target, judged));
    command.err().flush();
  }

  /** Shows how the guard ended; returns its exit code. */
  abstract int finish(Guard.Result result);

  /** The project's records, for version labels. */
  DeploymentRecords records() {
    return DeploymentRecords.load(ConfigStore.stateDir(command.ctx().cwd()));
  }

  String label(Deploy deploy) {
    return deploy == null
        ? "nothing"
        : GuardView.label(DeployHistory.versionLabel(deploy, records()), deploy.id());
  }

  /** People. */
  static final class TextView extends GuardListener {
    private final boolean live;
    private int limit;
    private boolean open;

    TextView(BaseCommand command) {
      super(command, RollbackListener.text(command));
      this.live = command.ctx().color();
    }

    @Override
    public void waiting(Site site, Duration timeout) {
      command.say(GuardView.waiting(site.name(), label(site.publishedDeploy())));
    }

    @Override
    public void started(Guard.Target target, Guard.Settings settings, List<String> checks) {
      limit = settings.failureLimit();
      command.say(GuardView.started(target, settings, checks));
    }

    @Override
    public synchronized void probe(Guard.Round round) {
      String line = GuardView.round(round, limit, command.style());
      if (!live) {
        command.say(line);
        return;
      }
      // A healthy round replaces the previous line; a failing one stays on screen.
      command.err().print("\r" + Secrets.redact(line) + "\u001b[K");
      if (round.ok()) {
        open = true;
      } else {
        command.err().println();
        open = false;
      }
      command.err().flush();
    }

    @Override
    public void unhealthy(Guard.Target target, Guard.CheckState failed, String reason) {
      close();
      command.say("");
      command.say(command.style().red(GuardView.unhealthy(target, reason)));
      command.say("");
    }

    @Override
    int finish(Guard.Result result) {
      close();
      if (result.rollback() != null) {
        rollbackView.finish(result.rollback());
      }
      command.report("\n" + GuardView.verdict(result));
      return ExitCode.of(result).code();
    }

    private synchronized void close() {
      if (open) {
        command.err().println();
        command.err().flush();
        open = false;
      }
    }
  }

  /** Scripts and agents. */
  static final class JsonView extends GuardListener {
    JsonView(BaseCommand command) {
      super(command, RollbackListener.json(command));
    }

    /** The rollback's JSON lines carry no warnings: they go to stderr, for people. */
    @Override
    public void orphaned(List<GuardMarkers.Marker> markers, List<RollbackRecord> unfinished) {
      for (RollbackRecord r : unfinished) {
        command.say(RollbackView.unfinished(r));
        command.say("");
      }
      super.orphaned(markers, unfinished);
    }

    @Override
    public void waiting(Site site, Duration timeout) {
      command.printJsonLine(
          new GuardEvents.Waiting(
              "waiting",
              GuardEvents.Ref.of(site.publishedDeploy(), records()),
              timeout.toMillis()));
    }

    @Override
    public void started(Guard.Target target, Guard.Settings settings, List<String> checks) {
      command.printJsonLine(GuardEvents.Start.of(target, settings, checks));
    }

    @Override
    public void probe(Guard.Round round) {
      command.printJsonLine(GuardEvents.Probe.of(round));
    }

    @Override
    public void unhealthy(Guard.Target target, Guard.CheckState failed, String reason) {
      command.printJsonLine(
          new GuardEvents.Unhealthy("unhealthy", GuardEvents.Check.of(failed), reason));
    }

    @Override
    int finish(Guard.Result result) {
      command.printJsonLine(GuardEvents.Result.of(result, records()));
      return ExitCode.of(result).code();
    }
  }
}
