package dev.devops.engine;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.Site;
import dev.devops.state.DeploymentRecords;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Steps 8 to 11: switches the site to the target under the site lock, with compare-and-swap on the
 * published deploy, verifies what is served, records the result, and on any failure puts the site
 * back where it was. The history entry is written before anything changes and always ends saying
 * where the site is.
 */
public final class RollbackExecutor {
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final NetlifyClient client;
  private final Path projectDir;
  private final Path stateDir;
  private final Clock clock;
  private final RollbackSettings settings;

  /** How long an interruption waits for a site-changing call in flight to settle. */
  static final Duration SETTLE = Duration.ofSeconds(10);

  /** The rollback being executed, while it may still change the site. */
  private volatile String active;

  public RollbackExecutor(EngineContext ctx) {
    this(ctx.client(), ctx.projectDir(), ctx.stateDir(), ctx.clock(), ctx.settings());
  }

  public RollbackExecutor(
      NetlifyClient client,
      Path projectDir,
      Path stateDir,
      Clock clock,
      RollbackSettings settings) {
    this.client = client;
    this.projectDir = projectDir;
    this.stateDir = stateDir;
    this.clock = clock;
    this.settings = settings;
  }

  /**
   * What to execute.
   *
   * @param siteId the site
   * @param toId the deploy to publish
   * @param expectedFromId the deploy that must still be published (compare-and-swap); null: any
   * @param lock lock auto publishing on the target afterwards
   * @param reason why (recorded)
   * @param who who ran it (recorded)
   * @param backup a backup of the current deploy (its manifest at least); null: take one now
   * @param backupFirst store every byte of the backup before the switch, not after it
   * @param target the target deploy as already read (ready); null: read it now
   * @param trigger what started it, recorded ({@link RollbackRecord#GUARD}); null: a person
   */
  public record Request(
      String siteId,
      String toId,
      String expectedFromId,
      boolean lock,
      String reason,
      String who,
      BackupStore.Backup backup,
      boolean backupFirst,
      Deploy target,
      String trigger) {

    public Request(
        String siteId,
        String toId,
        String expectedFromId,
        boolean lock,
        String reason,
        String who,
        BackupStore.Backup backup) {
      this(siteId, toId, expectedFromId, lock, reason, who, backup, false, null, null);
    }
  }

  /**
   * How it ended: {@code record} is the final history entry; {@code site} the site as the switch
   * began, {@code from} and {@code to} the deploys it switched between (from may be null); {@code
   * verifiedNanos} the {@link System#nanoTime()} when the switch was verified (or found not to be),
   * 0 when it never got that far.
   */
  /**
   * @param recordError why the rollback's outcome could not be written to its local records (a full
   *     disk, a read-only folder), null when it was: the outcome stands either way
   */
  public record Result(
      RollbackRecord record,
      Site site,
      Deploy from,
      Deploy to,
      long verifiedNanos,
      String recordError) {
    public RollbackOutcome outcome() {
      return RollbackOutcome.of(record);
    }
  }

  /** Why the outcome could not be written to the local records; null when it was. */
  private volatile String recordError;

  /** When the switch's verification ended in this run (System.nanoTime), 0 if it did not. */
  private volatile long verifiedNanos;

  /** API calls that change the site and are in flight: an interruption waits for them. */
  private final java.util.concurrent.atomic.AtomicInteger changing =
      new java.util.concurrent.atomic.AtomicInteger();

  public static String newRollbackId(Instant now) {
    return "rb-"
        + ID_TIME.format(now)
        + "-"
        + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
  }

  @SuppressWarnings("try") // The site lock is held for the block's duration, never referenced.
  public Result execute(Request request, ProgressListener listener) {
    StepJournal journal = new StepJournal(clock, listener);
    Instant started = clock.instant();
    String rollbackId = newRollbackId(started);
    DeploymentRecords records = DeploymentRecords.load(stateDir);
    RollbackHistory history = new RollbackHistory(stateDir);
    journal.note("start", "Starting rollback...");
    try (SiteLock ignored =
        journal.run(
            "site_lock",
            null,
            () ->
                SiteLock.acquire(
                    stateDir, request.siteId(), rollbackId, settings.lockWait(), clock),
            l -> "Site lock taken")) {
      Site site =
          journal.run(
              "check",
              "Checking the published deploy...",
              () -> client.getSite(request.siteId()),
              s ->
                  s.publishedDeploy() == null
                      ? "The site has no published deploy"
                      : "Published deploy is "
                          + DeployHistory.versionLabel(s.publishedDeploy(), records)
                          + " ("
                          + s.publishedDeploy().id()
                          + ")");
      Deploy from = site.publishedDeploy();
      String fromId = from == null ? null : from.id();
      Deploy to =
          request.target() != null && request.target().isReady()
              ? request.target()
              : target(request.toId());
      String fromVersion = from == null ? null : DeployHistory.versionLabel(from, records);
      String toVersion = DeployHistory.versionLabel(to, records);
      boolean forward =
          from != null
              && to.createdAt() != null
              && from.createdAt() != null
              && to.createdAt().isAfter(from.createdAt());
      RollbackRecord record =
          new RollbackRecord(
              rollbackId,
              request.siteId(),
              new RollbackRecord.DeployRef(fromId, fromVersion, site.isAutoPublishLocked()),
              new RollbackRecord.DeployRef(to.id(), toVersion, null),
              forward ? "forward" : "back",
              request.reason(),
              request.who(),
              started,
              null,
              List.of(),
              request.backup() == null ? null : display(request.backup().dir()),
              null,
              RollbackRecord.IN_PROGRESS,
              null,
              null,
              null,
              null,
              List.of(),
              null,
              null,
              request.trigger());
      if (request.expectedFromId() != null && !request.expectedFromId().equals(fromId)) {
        String message =
            "The published deploy is now "
                + fromId
                + ", not "
                + request.expectedFromId()
                + " as analysed: someone published meanwhile. Nothing was changed; run the rollback again.";
        history.save(
            record
                .withSteps(journal.records())
                .finished(
                    clock.instant(),
                    RollbackRecord.ABORTED,
                    null,
                    message,
                    "check",
                    Recoverer.observe(client, request.siteId(), clock, fromVersion),
                    null));
        throw new RollbackException(RollbackException.Kind.CONFLICT, message);
      }
      if (to.id().equals(fromId)) {
        throw new RollbackException(
            RollbackException.Kind.INVALID_TARGET,
            toVersion + " (" + to.id() + ") is already the published deploy.");
      }
      if (!to.isReady()) {
        throw new RollbackException(
            RollbackException.Kind.INVALID_TARGET,
            "Deploy "
                + to.id()
                + " is in state '"
                + to.state()
                + "': only ready deploys can be published.");
      }
      history.save(record);
      active = record.id();
      // Stopping the process mid-switch records where the site is and says how to put it back.
      Thread onStop =
          new Thread(
              () -> {
                RollbackRecord r = interrupted();
                if (r != null) {
                  journal.listener().onInterrupted(r);
                }
              },
              "devops-rollback-interrupt");
      Runtime.getRuntime().addShutdownHook(onStop);
      try {
        RollbackRecord done = switchOver(request, record, site, journal, history, records);
        done = storeBackupBytes(done, site, journal, history);
        return new Result(done, site, from, to, verifiedNanos, recordError);
      } finally {
        active = null;
        try {
          Runtime.getRuntime().removeShutdownHook(onStop);
        } catch (IllegalStateException shuttingDown) {
          // The hook is running: it records the interruption.
        }
      }
    }
  }

  /**
   * The process is being stopped (Ctrl-C, SIGTERM) while a rollback may be changing the site:
   * records where the site is, so that the history never leaves it unknown. Returns the entry, or
   * null when no rollback was in flight.
   */
  public RollbackRecord interrupted() {
    String id = active;
    if (id == null) {
      return null;
    }
    RollbackHistory history = new RollbackHistory(stateDir);
    RollbackRecord record = history.find(id).orElse(null);
    if (record == null) {
      return null;
    }
    // A restore or lock still in flight may yet change the site: read it once that call settles.
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (changing.get() > 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    RollbackRecord.SiteState state = Recoverer.observe(client, record.siteId(), clock, null);
    return history.update(
        id,
        r ->
            r.finished(
                clock.instant(),
                RollbackRecord.INTERRUPTED,
                r.verification(),
                "Interrupted (the process was stopped).",
                r.failedStep(),
                state,
                state.locked()));
  }

  private RollbackRecord switchOver(
      Request request,
      RollbackRecord started,
      Site site,
      StepJournal journal,
      RollbackHistory history,
      DeploymentRecords records) {
    RollbackRecord record = started;
    String siteId = request.siteId();
    String fromId = record.from().id();
    String toId = record.to().id();
    String toLabel = record.to().version();
    try {
      if (request.backup() == null && site.publishedDeploy() != null) {
        Deploy from = site.publishedDeploy();
        String fromVersion = record.from().version();
        String reason = "pre-rollback " + record.id();
        BackupStore store = new BackupStore(stateDir, clock);
        ProgressListener listener = journal.listener();
        BackupStore.Backup backup =
            journal.run(
                "backup",
                "Recording what is live...",
                () -> {
                  BackupStore.Backup b =
                      request.backupFirst()
                          ? store.record(
                              client, site, from, fromVersion, reason, BackupManifest.PRE_ROLLBACK)
                          : store.prepare(
                              client, site, from, fromVersion, reason, BackupManifest.PRE_ROLLBACK);
                  return request.backupFirst()
                      ? store.fetch(client, b, from, true, listener)
                      : store.secureBeforeSwitch(client, b, from, listener);
                },
                b -> "Backup created: " + display(b.dir()));
        record = history.update(record.id(), r -> r.withBackup(display(backup.dir())));
      }
      if (site.isAutoPublishLocked()) {
        journal.run(
            "unlock",
            "Unlocking auto publishing...",
            () -> changingSite(() -> client.unlockDeploy(fromId)),
            "Auto publishing unlocked");
      } else {
        journal.skip("unlock", "Auto publishing is on: nothing to unlock");
      }
      journal.run(
          "restore",
          "Restoring " + toLabel + "...",
          () -> changingSite(() -> client.restoreSiteDeploy(siteId, toId)),
          "Restore requested");
      journal.run(
          "publish",
          "Waiting for " + toLabel + " to go live...",
          () -> Waits.untilPublished(client, siteId, toId, settings.publishTimeout()),
          s -> "Code reverted to " + toLabel);
      if (request.lock()) {
        // The verification lists the target's files: that 7 MB answer (at 50,000 files) is read
        // while the lock is taken, not after it.
        java.util.concurrent.CompletableFuture.runAsync(
            () -> {
              try {
                DeployFiles.publishedOrNull(client, siteId, toId);
              } catch (RuntimeException e) {
                // The verification asks again and reports what it meets.
              }
            });
        journal.run(
            "lock",
            "Locking auto publishing on " + toLabel + "...",
            () -> changingSite(() -> lockIfLive(siteId, toId)),
            "Auto publishing locked on " + toLabel);
      } else {
        journal.skip(
            "lock",
            "Auto publishing left on (--no-lock): the next git deploy will replace " + toLabel);
      }
    } catch (Superseded s) {
      return superseded(record, journal, history, records, null, s.getMessage());
    } catch (RuntimeException e) {
      return failAndRecover(record, journal, history, e);
    }
    VerificationResult verification;
    try {
      verification =
          journal.run(
              "verify",
              "Verifying served content...",
              () ->
                  new Verifier(client, settings.verifySample(), settings.healthPaths())
                      .verify(siteId, toId),
              v ->
                  v.ok()
                      ? "Health check: passed"
                      : "Health check: failed (" + Recoverer.failedChecks(v) + ")");
    } catch (RuntimeException e) {
      verification =
          new VerificationResult(
              false,
              toId,
              null,
              List.of(
                  new VerificationResult.Check(
                      "verification", false, "could not run: " + Recoverer.message(e))),
              0);
    }
    verifiedNanos = System.nanoTime();
    RollbackRecord.SiteState state = Recoverer.observe(client, siteId, clock, toId, toLabel);
    if (state.publishedDeployId() != null && !toId.equals(state.publishedDeployId())) {
      return superseded(
          record,
          journal,
          history,
          records,
          verification,
          state.publishedDeployId() + " was published before this rollback ended");
    }
    String outcome = verification.ok() ? RollbackRecord.VERIFIED : RollbackRecord.UNVERIFIED;
    boolean ok = verification.ok();
    RollbackRecord switched = record;
    bookkeeping(
        () -> {
          records.recordRollback(switched.id(), fromId, toId, clock.instant());
          // A roll forward leaves a deploy that was never the problem: only a roll back marks it.
          if (fromId != null && !"forward".equals(switched.direction())) {
            records.markBad(
                fromId,
                switched.reason() == null ? "rolled back" : switched.reason(),
                switched.id());
          }
          records.clearBad(toId);
          if (ok) {
            records.markVerified(toId, clock.instant());
          }
        });
    journal.note(
        "done", verification.ok() ? "Rollback complete" : "Rollback switched, but not verified");
    VerificationResult v = verification;
    java.util.function.UnaryOperator<RollbackRecord> finish =
        r ->
            r.withSteps(journal.records())
                .finished(
                    clock.instant(),
                    outcome,
                    v,
                    v.ok() ? null : "Verification failed: " + Recoverer.failedChecks(v),
                    v.ok() ? null : "verify",
                    state,
                    state.locked());
    try {
      return history.update(record.id(), finish);
    } catch (RuntimeException e) {
      // The switch happened and was checked: that stays the outcome, and the failed write is
      // reported beside it (exit 17), never as a failed rollback to recover from.
      recordError = writeFailure(e);
      return finish.apply(record);
    }
  }

  /** What a failed local write says, with the file system's own words (the deepest cause). */
  private static String writeFailure(RuntimeException e) {
    String top = Recoverer.message(e);
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String why = root.getMessage();
    return why == null || top.contains(why) ? top : top + ": " + why;
  }

  /** Local bookkeeping after the switch: a failure is kept for the report, never thrown. */
  private void bookkeeping(Runnable write) {
    try {
      write.run();
    } catch (RuntimeException e) {
      if (recordError == null) {
        recordError = writeFailure(e);
      }
    }
  }

  /**
   * Locks {@code toId} only while it is the published deploy, read before and after: a deploy or
   * rollback that went live meanwhile is neither locked in its place nor left pinned under this
   * one.
   */
  private Deploy lockIfLive(String siteId, String toId) {
    Deploy locked = client.lockDeploy(toId);
    String after = Recoverer.publishedIdOrNull(client, siteId);
    if (after != null && !after.equals(toId)) {
      try {
        client.unlockDeploy(toId); // the lock would pin a deploy that no longer serves
      } catch (RuntimeException e) {
        // The record says where the site is; a lock left on a deploy that is not live pins nothing.
      }
      throw new Superseded(after + " was published while auto publishing was being locked");
    }
    return locked;
  }

  /** Another rollback or deploy replaced the target while this one ran. */
  private static final class Superseded extends RuntimeException {
    Superseded(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Records a rollback whose target another rollback or deploy replaced before it ended: the site
   * is left as that change made it (no lock, no recovery), and the outcome says so.
   */
  private RollbackRecord superseded(
      RollbackRecord record,
      StepJournal journal,
      RollbackHistory history,
      DeploymentRecords records,
      VerificationResult verification,
      String what) {
    String fromId = record.from().id();
    String toId = record.to().id();
    records.recordRollback(record.id(), fromId, toId, clock.instant());
    if (fromId != null && !"forward".equals(record.direction())) {
      records.markBad(
          fromId, record.reason() == null ? "rolled back" : record.reason(), record.id());
    }
    journal.note("done", "Rollback overtaken: " + what);
    RollbackRecord.SiteState state = Recoverer.observe(client, record.siteId(), clock, null);
    return history.update(
        record.id(),
        r ->
            r.withSteps(journal.records())
                .finished(
                    clock.instant(),
                    RollbackRecord.SUPERSEDED,
                    verification,
                    what,
                    verification == null ? "lock" : "verify",
                    state,
                    state.locked()));
  }

  /** Runs a call that changes the site, counted so that an interruption can wait for it. */
  private <T> T changingSite(java.util.function.Supplier<T> call) {
    changing.incrementAndGet();
    try {
      return call.get();
    } finally {
      changing.decrementAndGet();
    }
  }

  /**
   * After the switch: stores the bytes the pre-rollback backup still lacks (the deploy stays on
   * Netlify meanwhile, so recovery never waited for them), and finishes earlier backups that an
   * interruption left incomplete. A failure here leaves the backup marked incomplete; the
   * rollback's outcome stands.
   */
  private RollbackRecord storeBackupBytes(
      RollbackRecord record, Site site, StepJournal journal, RollbackHistory history) {
    if (record.backup() == null || site.publishedDeploy() == null) {
      return record;
    }
    BackupStore store = new BackupStore(stateDir, clock);
    Path dir = projectDir.resolve(record.backup()).normalize();
    BackupStore.Backup backup;
    try {
      backup = new BackupStore.Backup(dir, store.readManifest(dir));
    } catch (IllegalArgumentException e) {
      return record;
    }
    List<BackupStore.Backup> earlier =
        store.incomplete().stream()
            .filter(b -> !b.dir().equals(dir))
            .filter(b -> b.manifest().deploy() != null && b.manifest().site() != null)
            .filter(b -> record.siteId().equals(b.manifest().site().id()))
            .limit(5)
            .toList();
    if (backup.manifest().isComplete() && earlier.isEmpty()) {
      return recordCompletion(record, history, true, backup.manifest().completedAt());
    }
    Deploy from = site.publishedDeploy();
    boolean stillPublished = from.id().equals(Recoverer.publishedIdOrNull(client, record.siteId()));
    try {
      BackupStore.Backup done =
          journal.run(
              "backup_bytes",
              "Storing the backup's files...",
              () -> {
                BackupStore.Backup b =
                    backup.manifest().isComplete()
                        ? backup
                        : store.fetch(client, backup, from, stillPublished, journal.listener());
                for (BackupStore.Backup old : earlier) {
                  try {
                    BackupStore.Backup resumed =
                        store.resume(client, old.dir(), journal.listener());
                    if (resumed.manifest().isComplete()) {
                      history.backupCompleted(
                          projectDir, resumed.dir(), resumed.manifest().completedAt());
                    }
                  } catch (RuntimeException e) {
                    // An older backup stays incomplete; this rollback's is what matters now.
                  }
                }
                return b;
              },
              b ->
                  b.manifest().isComplete()
                      ? "Backup complete: " + display(b.dir())
                      : "Backup incomplete: " + b.manifest().filesNote());
      return recordCompletion(
          record, history, done.manifest().isComplete(), done.manifest().completedAt());
    } catch (RuntimeException e) {
      return recordCompletion(record, history, false, null);
    }
  }

  /**
   * Writes whether the backup is complete into the record. The switch is already verified and
   * recorded: a failure to write this is not the rollback's, so the record then stays as it was.
   */
  private static RollbackRecord recordCompletion(
      RollbackRecord record, RollbackHistory history, boolean complete, Instant at) {
    try {
      // Never back to incomplete: a `backup create --resume` may have finished it meanwhile.
      return history.update(
          record.id(),
          r ->
              !complete && Boolean.TRUE.equals(r.backupComplete())
                  ? r
                  : r.withBackupCompletion(complete, at));
    } catch (RuntimeException e) {
      return record.withBackupCompletion(complete, at);
    }
  }

  private RollbackRecord failAndRecover(
      RollbackRecord record, StepJournal journal, RollbackHistory history, RuntimeException e) {
    String error = Recoverer.message(e);
    String failedStep = journal.failedStep() == null ? "execute" : journal.failedStep();
    RollbackRecord.SiteState state = Recoverer.observe(client, record.siteId(), clock, null);
    RollbackRecord failed =
        history.update(
            record.id(),
            r ->
                r.withSteps(journal.records())
                    .finished(
                        clock.instant(),
                        RollbackRecord.IN_PROGRESS,
                        null,
                        error,
                        failedStep,
                        state,
                        state.locked()));
    journal
        .listener()
        .onFailure(
            new RollbackFailure(
                failed.id(), error, failedStep, failed.backup(), describe(state, failed)));
    return new Recoverer(client, projectDir, stateDir, clock, settings).recover(failed, journal);
  }

  private static String describe(RollbackRecord.SiteState state, RollbackRecord record) {
    String id = state.publishedDeployId();
    if (id == null) {
      return "unknown: the site " + state.summary();
    }
    String which =
        id.equals(record.from().id())
            ? "still on " + record.from().version() + " (" + id + ", pre-rollback)"
            : id.equals(record.to().id())
                ? "on " + record.to().version() + " (" + id + ", the target)"
                : "on " + id;
    return which + ", auto publishing " + (Boolean.TRUE.equals(state.locked()) ? "locked" : "on");
  }

  private Deploy target(String toId) {
    try {
      return client.getDeploy(toId);
    } catch (dev.devops.netlify.NetlifyException e) {
      if (e.isNotFound()) {
        throw new RollbackException(
            RollbackException.Kind.NOT_FOUND,
            "Deploy " + toId + " does not exist (deleted, expired, or never existed).",
            toId,
            e);
      }
      throw e;
    }
  }

  /** A path as the user sees it: relative to the project directory. */
  String display(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Path base = projectDir.toAbsolutePath().normalize();
    String text = abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
    return text.endsWith("/") ? text : text + "/";
  }
}
