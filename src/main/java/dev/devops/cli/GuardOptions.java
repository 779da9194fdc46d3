package dev.devops.cli;

import static dev.devops.cli.Model.option;

import dev.devops.config.ProjectConfig;
import dev.devops.engine.Guard;
import dev.devops.http.Sleeper;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** How the guard watches: the options {@code deploy --guard} and {@code guard} share. */
final class GuardOptions {
  static final List<String> NAMES =
      List.of(
          "--guard-window", "--guard-interval", "--failure-limit", "--probe", "--probe-timeout");

  Duration window;
  Duration interval;
  int failureLimit;
  String probe;
  Duration probeTimeout;

  /** Adds these options to {@code spec}, bound to this object's fields. */
  void addTo(CommandSpec spec) {
    spec.addOption(
        duration(window, v -> window = v, "--guard-window")
            .defaultValue("2m")
            .description(
                "How long the guard watches the published deploy (1s-24h); default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        duration(interval, v -> interval = v, "--guard-interval")
            .defaultValue("10s")
            .description("Time between rounds of checks (100ms-1h); default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        option(int.class, failureLimit, v -> failureLimit = v, "--failure-limit")
            .paramLabel("N")
            .defaultValue("3")
            .description(
                "Failures in a row of one check that make the deploy unhealthy (1-100); default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        option(String.class, probe, v -> probe = v, "--probe")
            .paramLabel("CMD")
            .description(
                "Also run CMD every round, without a shell, with DEVOPS_GUARD_URL (the site) in its environment: exit 0 means healthy.")
            .build());
    spec.addOption(
        duration(probeTimeout, v -> probeTimeout = v, "--probe-timeout")
            .defaultValue("30s")
            .description(
                "Kill a --probe run after this long; it counts as a failure; default: ${DEFAULT-VALUE}.")
            .build());
  }

  /** An option that takes a DURATION (30s, 2m, 1h). */
  static OptionSpec.Builder duration(Duration initial, Consumer<Duration> field, String name) {
    return option(Duration.class, initial, field, name)
        .paramLabel("DURATION")
        .converters(new DurationConverter());
  }

  /** The guard's settings from these options and the project's config. */
  Guard.Settings settings(ProjectConfig config, CliContext ctx) {
    within("--guard-window", window, Duration.ofSeconds(1), Duration.ofHours(24));
    within("--guard-interval", interval, Duration.ofMillis(100), Duration.ofHours(1));
    within("--probe-timeout", probeTimeout, Duration.ofMillis(100), Duration.ofHours(1));
    if (failureLimit < 1 || failureLimit > 100) {
      throw new CliException(
          ExitCode.USAGE, "--failure-limit " + failureLimit + " is not in 1..100.");
    }
    Guard.ProbeCommand command = null;
    if (probe != null) {
      try {
        command = Guard.ProbeCommand.parse(probe, ctx.env(), ctx.cwd(), probeTimeout);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.USAGE, "--probe: " + Text.clean(e.getMessage()) + ".");
      }
    }
    return new Guard.Settings(
        window,
        interval,
        failureLimit,
        config.deployment().healthCheckEnabled() ? config.healthChecks() : List.of(),
        command,
        Math.max(0, config.rollback().verifySample()),
        config.rollback().lock());
  }

  /** Whether any of these options was typed (not only defaulted). */
  static boolean anyGiven(CommandSpec spec) {
    var parsed = spec.commandLine().getParseResult();
    return NAMES.stream().anyMatch(parsed::hasMatchedOption);
  }

  /**
   * How the guard waits: a clock that can also sleep (a test's fake time, which moves on instead of
   * waiting) does it; otherwise the thread sleeps.
   */
  static Sleeper sleeper(CliContext ctx) {
    return ctx.clock() instanceof Sleeper fake ? fake : Sleeper.REAL;
  }

  private static void within(String option, Duration value, Duration min, Duration max) {
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new CliException(
          ExitCode.USAGE,
          option
              + " "
              + Guard.spoken(value)
              + " is not in "
              + Guard.spoken(min)
              + ".."
              + Guard.spoken(max)
              + ".");
    }
  }
}
