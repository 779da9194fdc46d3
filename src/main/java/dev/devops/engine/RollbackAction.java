package dev.devops.engine;

import dev.devops.netlify.Deploy;
import java.util.List;

/**
 * The whole rollback, steps 1 to 11: history, target, validation, impact, confirmation, backup,
 * then the switch with its verification, record and recovery ({@link RollbackExecutor}). Knows
 * nothing of terminals: what people see and answer goes through the {@link Listener}.
 */
public final class RollbackAction {
  /** Targets the history shows, and the page read for them. */
  static final int HISTORY_SHOWN = 5;

  private final EngineContext ctx;

  public RollbackAction(EngineContext ctx) {
    this.ctx = ctx;
  }

  /**
   * What to roll back to, and how.
   *
   * @param target a version label or deploy id; null for the last known-good deploy
   * @param dryRun stop after the impact: change nothing
   * @param lock lock auto publishing on the target afterwards
   * @param acceptBreaking go ahead despite structural changes
   * @param expectCurrent the deploy that must still be published (what the user saw); null: the one
   *     this run reads
   * @param backupFirst store every byte of the backup before the switch (the switch then waits)
   * @param trigger what started it, recorded ({@link RollbackRecord#GUARD}); null: a person
   */
  public record Request(
      String target,
      boolean dryRun,
      boolean lock,
      boolean acceptBreaking,
      String expectCurrent,
      boolean backupFirst,
      String trigger) {

    public Request(
        String target, boolean dryRun, boolean lock, boolean acceptBreaking, String expectCurrent) {
      this(target, dryRun, lock, acceptBreaking, expectCurrent, false, null);
    }
  }

  /**
   * When things happened, as {@link System#nanoTime()}: the run's start, the confirmation, and the
   * end of the switch's verification (0 when it did not get there).
   */
  public record Timing(long startedNanos, long confirmedNanos, long verifiedNanos) {
    static final Timing NONE = new Timing(0, 0, 0);

    /** From the start to the verified switch, in ms; null when there was no switch. */
    public Long startToVerifiedMs() {
      return verifiedNanos == 0 ? null : (verifiedNanos - startedNanos) / 1_000_000;
    }

    /** From the go-ahead to the verified switch, in ms; null when there was no switch. */
    public Long confirmedToVerifiedMs() {
      return verifiedNanos == 0 ? null : (verifiedNanos - confirmedNanos) / 1_000_000;
    }
  }

  /** Told of each stage as it happens; {@link #confirm} is the one that answers. */
  public interface Listener extends ProgressListener {
    /** A step of the planning (history, target, validation, impact, backup). */
    default void onPlanEvent(StepEvent event) {
      onEvent(event);
    }

    /** Earlier rollbacks of this site that never recorded their end. */
    default void unfinished(List<RollbackRecord> records) {}

    default void history(SiteHistory.Page page) {}

    default void target(RollbackPlanner.TargetChoice choice, String version, boolean requested) {}

    default void impact(RollbackPlanner.Impact impact) {}

    /**
     * Asks for the go-ahead; returns the reason to record. Throws to stop, with nothing changed.
     */
    String confirm(RollbackPlanner.Impact impact, boolean lock);

    /**
     * True when the go-ahead was given before the run ({@code --yes}, {@code --confirm}, the
     * guard): the team's lease is then taken while the run plans, not after it.
     */
    default boolean confirmedInAdvance() {
      return false;
    }

    default void backupStarted() {}

    default void backupCreated(BackupStore.Backup backup) {}
  }

  /**
   * How it ended.
   *
   * @param outcome the outcome
   * @param history the history the target was chosen in
   * @param validation the target's validation
   * @param impact what the switch changes
   * @param record the history entry; null for a dry run
   * @param nextTarget the next older known-good deploy, to suggest if issues persist; or null
   * @param timing when it started, was confirmed and was verified
   */
  public record Result(
      RollbackOutcome outcome,
      DeployHistory history,
      RollbackPlanner.Validation validation,
      RollbackPlanner.Impact impact,
      RollbackRecord record,
      String nextTarget,
      Timing timing,
      String recordError) {
    Result(
        RollbackOutcome outcome,
        DeployHistory history,
        RollbackPlanner.Validation validation,
        RollbackPlanner.Impact impact,
        RollbackRecord record,
        String nextTarget,
        Timing timing) {
      this(outcome, history, validation, impact, record, nextTarget, timing, null);
    }
  }

  /**
   * Runs the rollback.
   *
   * @throws RollbackException NO_TARGET, NOT_FOUND, AMBIGUOUS_TARGET, INVALID_TARGET or CONFLICT
   *     before anything changed
   */
  public Result run(Request request, Listener listener) {
    long startedNanos = System.nanoTime();
    java.util.concurrent.CompletableFuture<SharedLease> early =
        !request.dryRun() && listener.confirmedInAdvance() ? lease() : null;
    try {
      return run(request, listener, startedNanos, early);
    } catch (RuntimeException e) {
      if (early != null) {
        early.thenAccept(SharedLease::close); // released once held: nothing will switch
      }
      throw e;
    }
  }

  private java.util.concurrent.CompletableFuture<SharedLease> lease() {
    return java.util.concurrent.CompletableFuture.supplyAsync(() -> ctx.shared().acquire());
  }

  private Result run(
      Request request,
      Listener listener,
      long startedNanos,
      java.util.concurrent.CompletableFuture<SharedLease> early) {
    listener.unfinished(new RollbackHistory(ctx.stateDir()).unfinished(ctx.siteId()));
    StepJournal plan = new StepJournal(ctx.clock(), listener::onPlanEvent);
    SiteHistory reader = ctx.history();
    SiteHistory.Page page =
        plan.run(
            "history",
            "Reading deploy history...",
            () -> reader.recent(HISTORY_SHOWN),
            p -> "History read");
    listener.history(page);
    String expected =
        request.expectCurrent() == null
            ? null
            : reader.resolve(page.history(), request.expectCurrent()).id();
    Chosen chosen =
        plan.run(
            "target",
            "Choosing the target...",
            () -> choose(reader, page, request.target()),
            c -> "Target " + c.choice().targetId());
    DeployHistory history = chosen.history();
    RollbackPlanner planner = new RollbackPlanner(ctx);
    RollbackPlanner.Validation validation =
        plan.run(
            "validate",
            "Validating the target...",
            () -> planner.validate(history, chosen.choice().targetId(), request.acceptBreaking()),
            v -> v.ok() ? "Target valid" : "Target invalid: " + v.reason());
    listener.target(chosen.choice(), validation.targetVersion(), request.target() != null);
    if (!validation.ok()) {
      throw new RollbackException(
          RollbackException.Kind.INVALID_TARGET,
          validation.reason(),
          validation.targetVersion(),
          null);
    }
    String current = validation.current() == null ? null : validation.current().id();
    if (expected != null && !expected.equals(current)) {
      throw conflict(expected, current);
    }
    RollbackPlanner.Impact impact =
        plan.run(
            "analyze",
            "Analysing the impact...",
            () -> planner.analyze(history, validation, request.lock()),
            i ->
                i.comparison().filesListed()
                    ? i.comparison().files().total() + " file change(s)"
                    : "File changes unknown");
    listener.impact(impact);
    if (request.dryRun()) {
      return new Result(
          RollbackOutcome.DRY_RUN, history, validation, impact, null, null, Timing.NONE);
    }
    String reason = listener.confirm(impact, request.lock());
    long confirmedNanos = System.nanoTime();
    // The team's lease, before anything changes: another machine's rollback of this site waits
    // or refuses here (see SharedRecord#acquire for what it does not guarantee). It is taken
    // while the backup's manifest is recorded, which changes nothing on the site; the switch
    // starts only once it is held.
    java.util.concurrent.CompletableFuture<SharedLease> leasing = early != null ? early : lease();
    BackupStore.Backup backup;
    try {
      backup = backup(request, listener, plan, history, validation, reason);
    } catch (RuntimeException e) {
      if (early == null) {
        leasing.thenAccept(SharedLease::close);
      }
      throw e;
    }
    try (SharedLease lease = held(leasing)) {
      Result result =
          switchOver(request, listener, history, validation, impact, reason, expected, backup);
      if (result.record() != null) {
        lease.release(ctx.shared().recording(result.record()));
      }
      return new Result(
          result.outcome(),
          result.history(),
          result.validation(),
          result.impact(),
          result.record(),
          result.nextTarget(),
          new Timing(startedNanos, confirmedNanos, result.timing().verifiedNanos()),
          result.recordError());
    }
  }

  private static SharedLease held(java.util.concurrent.CompletableFuture<SharedLease> leasing) {
    try {
      return leasing.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Step 7: the backup of what is live (its manifest; every byte too with --backup-first). */
  private BackupStore.Backup backup(
      Request request,
      Listener listener,
      StepJournal plan,
      DeployHistory history,
      RollbackPlanner.Validation validation,
      String reason) {
    BackupStore.Backup backup = null;
    if (validation.current() != null) {
      listener.backupStarted();
      BackupStore store = new BackupStore(ctx.stateDir(), ctx.clock());
      Deploy live = validation.current();
      backup =
          plan.run(
              "backup",
              "Recording what is live...",
              () -> {
                // What was live is recorded before the switch; its bytes follow after it, unless
                // asked first: the pre-rollback deploy stays on Netlify meanwhile.
                // --backup-first: the manifest is on disk before the download starts.
                BackupStore.Backup b =
                    request.backupFirst()
                        ? store.record(
                            ctx.client(),
                            history.site(),
                            live,
                            validation.currentVersion(),
                            "pre-rollback: " + reason,
                            BackupManifest.PRE_ROLLBACK)
                        : store.prepare(
                            ctx.client(),
                            history.site(),
                            live,
                            validation.currentVersion(),
                            "pre-rollback: " + reason,
                            BackupManifest.PRE_ROLLBACK);
                return request.backupFirst()
                    ? store.fetch(ctx.client(), b, live, true, listener)
                    : store.secureBeforeSwitch(ctx.client(), b, live, listener);
              },
              b -> "Backup created: " + ctx.display(b.dir()));
      listener.backupCreated(backup);
    }
    return backup;
  }

  /** Steps 8 to 11, under the lease: the switch, its verification and its record. */
  private Result switchOver(
      Request request,
      Listener listener,
      DeployHistory history,
      RollbackPlanner.Validation validation,
      RollbackPlanner.Impact impact,
      String reason,
      String expected,
      BackupStore.Backup backup) {
    String current = validation.current() == null ? null : validation.current().id();
    RollbackExecutor executor = new RollbackExecutor(ctx);
    RollbackExecutor.Result executed =
        executor.execute(
            new RollbackExecutor.Request(
                ctx.siteId(),
                validation.targetId(),
                expected != null ? expected : current,
                request.lock(),
                reason,
                ctx.who(),
                backup,
                request.backupFirst(),
                validation.target(),
                request.trigger()),
            listener);
    RollbackRecord record = executed.record();
    return new Result(
        RollbackOutcome.of(record),
        history,
        validation,
        impact,
        record,
        nextTarget(history, validation.target()),
        new Timing(0, 0, executed.verifiedNanos()),
        executed.recordError());
  }

  static RollbackException conflict(String expected, String current) {
    return new RollbackException(
        RollbackException.Kind.CONFLICT,
        "The published deploy is now "
            + current
            + ", not "
            + expected
            + " as you saw it: someone published meanwhile. Nothing was changed; look again"
            + " with 'devops deployments list'.");
  }

  /** The target, and the history it was found in. */
  private record Chosen(DeployHistory history, RollbackPlanner.TargetChoice choice) {}

  /**
   * Chooses in the newest page; when that page holds no answer (nothing qualifies, the label is
   * older, or the id lies beyond it) and older deploys exist, looks through the whole (bounded)
   * history once, so that the impact also lists every deploy in between.
   */
  private static Chosen choose(SiteHistory reader, SiteHistory.Page page, String target) {
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
      if (target == null || e.kind() != RollbackException.Kind.NOT_FOUND || !page.hasMore()) {
        throw e;
      }
    }
    DeployHistory all = reader.all().history();
    return new Chosen(all, RollbackPlanner.chooseTarget(all, target));
  }

  /** The next older known-good deploy, to suggest if issues persist. */
  static String nextTarget(DeployHistory history, Deploy to) {
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
}
