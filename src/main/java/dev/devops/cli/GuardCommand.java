package dev.devops.cli;

import static dev.devops.cli.Model.flag;

import dev.devops.engine.Guard;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code devops guard [--next]}: flags, then the engine's {@link Guard} (wait for the next publish,
 * watch, roll back), then the view. For deploys {@code devops} did not make, such as a git push
 * that Netlify built: a CI job runs it after the push.
 */
public final class GuardCommand extends EngineCommand implements JsonOutput {
  boolean next;
  Duration timeout;
  final GuardOptions guardOptions = new GuardOptions();

  @Override
  public void describe(CommandSpec spec) {
    Model.description(
        spec,
        "Watch the published deploy (or, with --next, the next one to publish) and roll it back"
            + " if it fails its checks.");
    spec.addOption(
        flag(v -> next = v, "--next")
            .description(
                "Wait for the site's next published deploy (a git push Netlify builds), then guard it.")
            .build());
    spec.addOption(
        GuardOptions.duration(timeout, v -> timeout = v, "--timeout")
            .defaultValue("30m")
            .description(
                "With --next: give up (exit 16) when nothing was published within this long; default: ${DEFAULT-VALUE}.")
            .build());
    guardOptions.addTo(spec);
  }

  @Override
  protected int execute() {
    if (spec.commandLine().getParseResult().hasMatchedOption("--timeout") && !next) {
      throw new CliException(ExitCode.USAGE, "--timeout applies only with --next.");
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofDays(1)) > 0) {
      throw new CliException(
          ExitCode.USAGE, "--timeout " + Guard.spoken(timeout) + " is not in 1ms..24h.");
    }
    Guard guard =
        new Guard(engine(), guardOptions.settings(config(), ctx()), GuardOptions.sleeper(ctx()));
    GuardListener view = json() ? GuardListener.json(this) : GuardListener.text(this);
    Guard.Target target = next ? guard.next(timeout, view) : guard.current();
    return view.finish(guard.watch(target, view));
  }

  /** Also a {@code warning} line among the JSON lines, as a rollback's own has. */
  @Override
  protected void sharedWarning(String warning) {
    super.sharedWarning(warning);
    if (json()) {
      printJsonLine(new RollbackEvents.Warning("warning", warning));
    }
  }
}
