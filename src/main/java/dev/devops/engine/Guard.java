package dev.devops.engine;

import dev.devops.config.ProjectConfig.HealthCheck;
import dev.devops.http.Sleeper;
import dev.devops.netlify.Deploy;
import dev.devops.netlify.DeployFile;
import dev.devops.netlify.NetlifyException;
import dev.devops.netlify.Site;
import dev.devops.state.DeploymentRecords;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Guards a published deploy: probes it every interval for a window (the served bytes, the health
 * checks, the user's probe command), and when one check fails its limit in a row rolls the site
 * back at once to the deploy that was live before, through the whole {@link RollbackAction}
 * (backup, compare-and-swap on the guarded deploy, lock, verification, record, recovery), recorded
 * as the guard's. A publish from elsewhere during the window stops it with nothing changed.
 *
 * <p>Time comes from the context's clock and waits go through the {@link Sleeper}, so that tests
 * can run a two-minute window without waiting for it; every request is real.
 */
public final class Guard {
  /** How often {@code --next} reads the site while it waits for a publish. */
  static final Duration NEXT_POLL = Duration.ofSeconds(5);

  /** The longest a failure's detail may be in the reason the rollback records. */
  static final int REASON_DETAIL = 200;

  private final EngineContext ctx;
  private final Settings settings;
  private final Sleeper sleeper;

  public Guard(EngineContext ctx, Settings settings, Sleeper sleeper) {
    this.ctx = ctx;
    this.settings = settings;
    this.sleeper = sleeper;
  }

  /**
   * How to guard.
   *
   * @param window how long to watch
   * @param interval time from the start of one round of probes to the next
   * @param failureLimit failures in a row that make a check, and so the deploy, unhealthy
   * @param healthChecks the configured health checks; empty when they are disabled
   * @param probe the user's probe command, or null
   * @param sample files besides index.html one round of the byte check compares
   * @param lock lock auto publishing after a rollback
   */
  public record Settings(
      Duration window,
      Duration interval,
      int failureLimit,
      List<HealthCheck> healthChecks,
      ProbeCommand probe,
      int sample,
      boolean lock) {}

  /**
   * The user's probe.
   *
   * @param argv the program (an executable path) and its arguments
   * @param env the environment it starts from (the token is removed, the guard's URLs added)
   * @param dir its working directory
   * @param timeout how long one run may take before it is killed and counts as a failure
   */
  public record ProbeCommand(
      List<String> argv, Map<String, String> env, Path dir, Duration timeout) {

    /**
     * Parses {@code command} (words as a shell splits them, but no shell) and finds its program.
     *
     * @throws IllegalArgumentException when it is empty, badly quoted, or names no executable
     */
    public static ProbeCommand parse(
        String command, Map<String, String> env, Path dir, Duration timeout) {
      List<String> argv = CommandProbe.resolve(CommandProbe.words(command), env, dir);
      return new ProbeCommand(argv, Map.copyOf(env), dir, timeout);
    }
  }

  /**
   * What is guarded.
   *
   * @param site the site (its URL serves the deploy)
   * @param deploy the guarded deploy, published
   * @param version its version label
   * @param previous the deploy live before it, the rollback's target; null: the last known-good
   * @param previousVersion its label, or null
   * @param files the deploy's files for the byte check; null when unknown (the index bytes are then
   *     compared with the deploy's permalink)
   */
  public record Target(
      Site site,
      Deploy deploy,
      String version,
      Deploy previous,
      String previousVersion,
      List<DeployFile> files) {

    /** The deploy just made by {@code devops deploy}, and the site as it was before it. */
    public static Target deployed(
        Site before, Deploy deploy, Map<String, String> digest, DeploymentRecords records) {
      Deploy previous = before.publishedDeploy();
      List<DeployFile> files = new ArrayList<>();
      digest.forEach((path, sha) -> files.add(new DeployFile("/" + path, sha, null)));
      return new Target(
          before,
          deploy,
          DeployHistory.versionLabel(deploy, records),
          previous,
          previous == null ? null : DeployHistory.versionLabel(previous, records),
          List.copyOf(files));
    }
  }

  /**
   * One check after a round.
   *
   * @param name {@code content}, {@code health PATH} or {@code probe}
   * @param ok it passed this round
   * @param detail what was seen
   * @param durationMs how long it took
   * @param failures its failures in a row so far (0 after a pass)
   */
  public record CheckState(String name, boolean ok, String detail, long durationMs, int failures) {}

  /** One round of probes: its number (from 1), time since the window opened, every check. */
  public record Round(int number, Duration elapsed, boolean ok, List<CheckState> checks) {}

  /**
   * How the guard ended.
   *
   * @param outcome the outcome
   * @param target what was guarded
   * @param rounds rounds of probes run
   * @param watched time from the start of the window to the verdict
   * @param failed the check that made the deploy unhealthy, or null
   * @param reason the reason recorded with the rollback ({@code guard: ...}), or null
   * @param summary one plain line for people and scripts
   * @param rollback the rollback, when one ran
   * @param refusal why the rollback did not run ({@link GuardOutcome#NOT_ROLLED_BACK}), or null
   * @param publishedNow the deploy published from elsewhere ({@link GuardOutcome#SITE_CHANGED})
   * @param failures failed checks seen over the rounds (none reached the limit unless it was rolled
   *     back)
   */
  public record Result(
      GuardOutcome outcome,
      Target target,
      int rounds,
      Duration watched,
      CheckState failed,
      String reason,
      String summary,
      RollbackAction.Result rollback,
      RuntimeException refusal,
      Deploy publishedNow,
      int failures) {}

  /** Told of each stage as it happens. */
  public interface Listener {
    /**
     * The rollback's own listener (its blocks or its JSON lines), used when the guard rolls back.
     */
    RollbackAction.Listener rollback();

    /**
     * Guards of this site whose process died before they ended, and the site's unfinished rollbacks
     * (the rollback listener is told of those as well).
     */
    default void orphaned(List<GuardMarkers.Marker> markers, List<RollbackRecord> unfinished) {}

    /** {@code --next}: waiting for the site to publish something other than {@code site}'s. */
    default void waiting(Site site, Duration timeout) {}

    /** The window opens; {@code checks} says what each round probes. */
    default void started(Target target, Settings settings, List<String> checks) {}

    default void probe(Round round) {}

    /** A check failed its limit in a row; the rollback starts now. */
    default void unhealthy(Target target, CheckState failed, String reason) {}

    /**
     * The process is being stopped (Ctrl-C, SIGTERM); {@code judged}: during the rollback (whose
     * own record says where the site was left). Called from a shutdown hook.
     */
    default void interrupted(Target target, boolean judged) {}
  }

  /**
   * The deploy the site serves now, and the one live before it (the ready deploy, not marked bad,
   * published most recently before it; else the rollback's last known-good deploy).
   *
   * @throws GuardException when nothing is published
   */
  public Target current() {
    DeployHistory history = ctx.history().recent(20).history();
    DeployEntry current =
        history
            .current()
            .orElseThrow(
                () ->
                    new GuardException(
                        "Site "
                            + history.site().name()
                            + " has no published deploy: there is nothing to guard."));
    DeployEntry previous = previousOf(history, current);
    return new Target(
        history.site(),
        current.deploy(),
        current.version(),
        previous == null ? null : previous.deploy(),
        previous == null ? null : previous.version(),
        DeployFiles.publishedOrNull(ctx.client(), history.site().id(), current.deploy().id()));
  }

  /**
   * Waits until the site publishes a deploy other than the one it serves now (polling the site
   * every {@link #NEXT_POLL}, twice that while the shared rate budget runs low), and returns it,
   * with the deploy it replaced as the rollback's target.
   *
   * @throws GuardException at once when auto publishing is locked (nothing new will publish), or
   *     when nothing was published within {@code timeout}
   */
  public Target next(Duration timeout, Listener listener) {
    Site site = ctx.client().getSite(ctx.siteId());
    Deploy before = site.publishedDeploy();
    DeploymentRecords records = ctx.records();
    if (site.isAutoPublishLocked()) {
      throw locked(site, records);
    }
    listener.waiting(site, timeout);
    Instant deadline = ctx.clock().instant().plus(timeout);
    while (true) {
      Duration left = Duration.between(ctx.clock().instant(), deadline);
      if (left.isNegative() || left.isZero()) {
        throw new GuardException(
            "No new deploy was published within "
                + spoken(timeout)
                + " (the site still serves "
                + label(before, records)
                + "): nothing was guarded.");
      }
      pause(min(poll(), left));
      site = ctx.client().getSite(ctx.siteId());
      Deploy now = site.publishedDeploy();
      if (now != null && (before == null || !now.id().equals(before.id()))) {
        Deploy deploy = ctx.client().getDeploy(now.id());
        records = ctx.records();
        return new Target(
            site,
            deploy,
            DeployHistory.versionLabel(deploy, records),
            before,
            before == null ? null : DeployHistory.versionLabel(before, records),
            DeployFiles.publishedOrNull(ctx.client(), site.id(), deploy.id()));
      }
      if (site.isAutoPublishLocked()) {
        throw locked(site, records);
      }
    }
  }

  /** Watches {@code target} for the window; rolls it back if it fails. */
  public Result watch(Target target, Listener listener) {
    List<RollbackRecord> unfinished = new RollbackHistory(ctx.stateDir()).unfinished(ctx.siteId());
    listener.rollback().unfinished(unfinished);
    GuardMarkers markers = new GuardMarkers(ctx.stateDir());
    List<GuardMarkers.Marker> orphaned = markers.orphaned(ctx.siteId());
    listener.orphaned(orphaned, unfinished);
    List<Probe> probes = probes(target);
    Watch watch = new Watch(target, probes, listener, markers);
    CommandProbe command =
        probes.stream()
            .filter(CommandProbe.class::isInstance)
            .map(CommandProbe.class::cast)
            .findFirst()
            .orElse(null);
    // Stopping the process mid-window changes nothing; it says so, and ends a running probe.
    Thread onStop =
        new Thread(
            () -> {
              if (command != null) {
                command.stopRunning();
              }
              listener.interrupted(target, watch.judged);
            },
            "devops-guard-interrupt");
    Runtime.getRuntime().addShutdownHook(onStop);
    try {
      listener.started(target, settings, probes.stream().map(Probe::describe).toList());
      Result result = watch.run();
      markers.clear(orphaned);
      return result;
    } finally {
      markers.finish(watch.marker);
      try {
        Runtime.getRuntime().removeShutdownHook(onStop);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it tells the user.
      }
    }
  }

  /** One window of rounds over one target. */
  private final class Watch {
    private final Target target;
    private final List<Probe> probes;
    private final Listener listener;
    private final GuardMarkers markers;
    private final int[] failures;
    private GuardMarkers.Marker marker;
    private volatile boolean judged;
    private int failuresSeen;

    Watch(Target target, List<Probe> probes, Listener listener, GuardMarkers markers) {
      this.target = target;
      this.probes = probes;
      this.listener = listener;
      this.markers = markers;
      this.failures = new int[probes.size()];
      this.marker =
          markers.start(
              ctx.siteId(),
              target.deploy().id(),
              target.version(),
              target.previous() == null ? null : target.previous().id(),
              ctx.clock().instant());
    }

    Result run() {
      String guarded = target.deploy().id();
      Instant start = ctx.clock().instant();
      Instant deadline = start.plus(settings.window());
      int round = 0;
      while (true) {
        Instant roundStart = ctx.clock().instant();
        Deploy published = published();
        if (published == null || !published.id().equals(guarded)) {
          return siteChanged(round, start, published);
        }
        round++;
        List<CheckState> states = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
          Probe probe = probes.get(i);
          long t0 = System.nanoTime();
          Probe.Outcome outcome = probe.run();
          long ms = (System.nanoTime() - t0) / 1_000_000;
          if (!outcome.ok()) {
            failuresSeen++;
          }
          failures[i] = outcome.ok() ? 0 : failures[i] + 1;
          states.add(new CheckState(probe.name(), outcome.ok(), outcome.detail(), ms, failures[i]));
        }
        boolean ok = states.stream().allMatch(CheckState::ok);
        if (!ok) {
          // A publish between the site check and the probes: the failures are not this deploy's.
          Deploy now = published();
          if (now == null || !now.id().equals(guarded)) {
            return siteChanged(round, start, now);
          }
        }
        listener.probe(
            new Round(round, Duration.between(start, ctx.clock().instant()), ok, states));
        CheckState failed =
            states.stream()
                .filter(s -> s.failures() >= settings.failureLimit())
                .findFirst()
                .orElse(null);
        if (failed != null) {
          return rollBack(failed, round, start);
        }
        Instant now = ctx.clock().instant();
        if (!now.isBefore(deadline)) {
          return healthy(round, start);
        }
        Instant next = roundStart.plus(settings.interval());
        pause(Duration.between(now, next.isAfter(deadline) ? deadline : next));
      }
    }

    /** The site's published deploy; an API failure stops the guard, saying what it left. */
    private Deploy published() {
      try {
        return ctx.client().getSite(ctx.siteId()).publishedDeploy();
      } catch (NetlifyException e) {
        throw new NetlifyException(
            e.operation(),
            e.status(),
            e.getMessage()
                + " The guard stopped before its verdict: nothing was rolled back, and "
                + label(target)
                + " stays live, not judged.",
            e);
      }
    }

    private Result healthy(int rounds, Instant start) {
      Duration watched = Duration.between(start, ctx.clock().instant());
      String summary =
          label(target)
              + " stayed healthy for "
              + spoken(watched)
              + " ("
              + rounds
              + (rounds == 1 ? " round" : " rounds")
              + " of "
              + probes.size()
              + (probes.size() == 1 ? " check" : " checks")
              + (failuresSeen == 0
                  ? ", no failure"
                  : ", "
                      + failuresSeen
                      + (failuresSeen == 1 ? " failure" : " failures")
                      + ", never "
                      + settings.failureLimit()
                      + " in a row")
              + ").";
      return new Result(
          GuardOutcome.HEALTHY,
          target,
          rounds,
          watched,
          null,
          null,
          summary,
          null,
          null,
          null,
          failuresSeen);
    }

    private Result siteChanged(int rounds, Instant start, Deploy now) {
      DeploymentRecords records = ctx.records();
      String summary =
          (now == null
                  ? "The site has no published deploy any more"
                  : "The site now serves " + label(now, records))
              + ": someone published or rolled back during the window. The guard stopped;"
              + " nothing was rolled back.";
      return new Result(
          GuardOutcome.SITE_CHANGED,
          target,
          rounds,
          Duration.between(start, ctx.clock().instant()),
          null,
          null,
          summary,
          null,
          null,
          now,
          failuresSeen);
    }

    private Result rollBack(CheckState failed, int rounds, Instant start) {
      Duration watched = Duration.between(start, ctx.clock().instant());
      String reason = reason(failed);
      judged = true;
      marker = markers.judged(marker, reason);
      listener.unhealthy(target, failed, reason);
      String guarded = target.deploy().id();
      String to = target.previous() == null ? null : target.previous().id();
      RollbackAction.Result rollback;
      try {
        rollback =
            new RollbackAction(ctx)
                .run(
                    new RollbackAction.Request(
                        to, false, settings.lock(), true, guarded, false, RollbackRecord.GUARD),
                    new Confirmed(listener.rollback(), reason));
      } catch (RollbackException | NetlifyException e) {
        if (e instanceof RollbackException r && r.kind() == RollbackException.Kind.CONFLICT) {
          Deploy now = publishedOrNull();
          if (now != null && !now.id().equals(guarded)) {
            return siteChanged(rounds, start, now);
          }
        }
        return new Result(
            GuardOutcome.NOT_ROLLED_BACK,
            target,
            rounds,
            watched,
            failed,
            reason,
            label(target)
                + " failed its checks ("
                + reason.substring("guard: ".length())
                + "), but it was not rolled back: "
                + e.getMessage(),
            null,
            e,
            null,
            failuresSeen);
      }
      GuardOutcome outcome = GuardOutcome.of(rollback.outcome());
      RollbackRecord record = rollback.record();
      String back = Labels.to(record);
      String summary =
          switch (outcome) {
            case ROLLED_BACK ->
                label(target)
                    + " failed its checks; "
                    + back
                    + (to != null ? ", the deploy live before it," : "")
                    + " serves again (verified"
                    + (Boolean.TRUE.equals(record.lockAfter()) ? ", auto publishing locked" : "")
                    + ").";
            case ROLLBACK_UNVERIFIED ->
                label(target)
                    + " failed its checks and was rolled back to "
                    + back
                    + ", but the switch could not be verified.";
            case ROLLBACK_RECOVERED ->
                label(target)
                    + " failed its checks; the rollback to "
                    + back
                    + " failed, and the site is back on "
                    + label(target)
                    + ".";
            default ->
                label(target)
                    + " failed its checks; the rollback to "
                    + back
                    + " failed and so did its recovery: run devops emergency-recover --rollback-id "
                    + record.id()
                    + ".";
          };
      return new Result(
          outcome,
          target,
          rounds,
          watched,
          failed,
          reason,
          summary,
          rollback,
          null,
          null,
          failuresSeen);
    }
  }

  /** What the recorded reason says: {@code guard: <check> failed N times in a row: <detail>}. */
  String reason(CheckState failed) {
    String detail = failed.detail() == null ? "" : failed.detail().replaceAll("\\p{Cntrl}", " ");
    if (detail.length() > REASON_DETAIL) {
      detail = detail.substring(0, REASON_DETAIL) + "…";
    }
    return "guard: "
        + failed.name()
        + " failed "
        + failed.failures()
        + (failed.failures() == 1 ? " time" : " times in a row")
        + (detail.isEmpty() ? "" : ": " + detail);
  }

  private List<Probe> probes(Target target) {
    String base = target.site().liveUrl();
    List<Probe> probes = new ArrayList<>();
    probes.add(
        new ContentProbe(ctx.client(), target.deploy(), base, target.files(), settings.sample()));
    Map<String, Integer> seen = new HashMap<>();
    for (HealthCheck check : settings.healthChecks()) {
      int n = seen.merge(check.path(), 1, Integer::sum);
      String name = "health " + check.path() + (n == 1 ? "" : " #" + n);
      probes.add(new HealthProbe(ctx.client(), base, check, name));
    }
    if (settings.probe() != null) {
      Map<String, String> env = new HashMap<>();
      env.put("DEVOPS_GUARD_URL", base == null ? "" : base);
      String permalink = target.deploy().permalink();
      env.put("DEVOPS_GUARD_DEPLOY_URL", permalink == null ? "" : permalink);
      env.put("DEVOPS_GUARD_DEPLOY_ID", target.deploy().id());
      env.put("DEVOPS_GUARD_SITE_ID", ctx.siteId());
      ProbeCommand p = settings.probe();
      probes.add(new CommandProbe(p.argv(), p.env(), env, p.dir(), p.timeout()));
    }
    return probes;
  }

  /** The newest ready deploy before {@code current}, not marked bad, by its last publish. */
  static DeployEntry previousOf(DeployHistory history, DeployEntry current) {
    return history.targets().stream()
        .filter(e -> !e.bad() && !e.id().equals(current.id()))
        .filter(e -> e.deploy().publishedAt() != null)
        .max(Comparator.comparing((DeployEntry e) -> e.deploy().publishedAt()))
        .orElse(null);
  }

  private Deploy publishedOrNull() {
    try {
      return ctx.client().getSite(ctx.siteId()).publishedDeploy();
    } catch (NetlifyException e) {
      return null;
    }
  }

  private GuardException locked(Site site, DeploymentRecords records) {
    Deploy pinned = site.publishedDeploy();
    return new GuardException(
        "Auto publishing is locked on "
            + label(pinned, records)
            + " (a rollback pinned it): no new deploy will publish, so there is nothing to wait"
            + " for. Publish one on purpose with 'devops rollback <deploy id>', or unlock auto"
            + " publishing.");
  }

  /** The poll interval of {@code --next}: doubled while less than a fifth of the budget is left. */
  private Duration poll() {
    var budget = ctx.client().rateBudget();
    return budget.remaining() * 5 < budget.limit() ? NEXT_POLL.multipliedBy(2) : NEXT_POLL;
  }

  private void pause(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return;
    }
    try {
      // Rounded up: a pause cut to whole milliseconds would end the window's last pause early,
      // and a fast round could then fit one more round in.
      sleeper.sleep((d.toNanos() + 999_999) / 1_000_000);
    } catch (InterruptedIOException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while guarding.", e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String label(Target target) {
    return Labels.of(target.version(), target.deploy().id());
  }

  private static String label(Deploy deploy, DeploymentRecords records) {
    return deploy == null
        ? "nothing"
        : Labels.of(DeployHistory.versionLabel(deploy, records), deploy.id());
  }

  /** "2m", "1m 30s", "45s", "800ms". */
  public static String spoken(Duration d) {
    long ms = Math.max(0, d.toMillis());
    if (ms < 1000) {
      return ms + "ms";
    }
    long s = Math.round(ms / 1000.0);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
    }
    return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + "m");
  }

  /** Labels as the views write them: {@code v1.2.3 (id)}, or the id alone. */
  static final class Labels {
    private Labels() {}

    static String of(String version, String id) {
      return version == null || version.equals(id) ? id : version + " (" + id + ")";
    }

    static String to(RollbackRecord record) {
      return of(record.to().version(), record.to().id());
    }
  }

  /**
   * The rollback's own listener, answering its confirmation with the guard's reason (no prompt) and
   * leaving out the unfinished-rollback warning the guard already gave.
   */
  private static final class Confirmed implements RollbackAction.Listener {
    private final RollbackAction.Listener view;
    private final String reason;

    Confirmed(RollbackAction.Listener view, String reason) {
      this.view = view;
      this.reason = reason;
    }

    @Override
    public String confirm(RollbackPlanner.Impact impact, boolean lock) {
      return reason;
    }

    @Override
    public boolean confirmedInAdvance() {
      return true;
    }

    @Override
    public void onPlanEvent(StepEvent event) {
      view.onPlanEvent(event);
    }

    @Override
    public void history(SiteHistory.Page page) {
      view.history(page);
    }

    @Override
    public void target(RollbackPlanner.TargetChoice choice, String version, boolean requested) {
      view.target(choice, version, requested);
    }

    @Override
    public void impact(RollbackPlanner.Impact impact) {
      view.impact(impact);
    }

    @Override
    public void backupStarted() {
      view.backupStarted();
    }

    @Override
    public void backupCreated(BackupStore.Backup backup) {
      view.backupCreated(backup);
    }

    @Override
    public void onEvent(StepEvent event) {
      view.onEvent(event);
    }

    @Override
    public void onFailure(RollbackFailure failure) {
      view.onFailure(failure);
    }

    @Override
    public void onInterrupted(RollbackRecord record) {
      view.onInterrupted(record);
    }
  }
}
