package dev.devops.engine;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.DigestDeploy;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.NetlifyException;
import dev.devops.netlify.Site;
import dev.devops.netlify.SiteFiles;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Puts a site back on the deploy it served before a rollback, with that deploy's lock state:
 * re-publishes it, or, when Netlify no longer has it, deploys the backup's files as a new deploy.
 * Idempotent: when the site is already there, it only says so.
 */
public final class Recoverer {
  private final NetlifyClient client;
  private final Path projectDir;
  private final Path stateDir;
  private final Clock clock;
  private final RollbackSettings settings;
  private final SharedRecord shared;

  /** The recoverer of {@code devops emergency-recover}: it takes the team's lease first. */
  public Recoverer(EngineContext ctx) {
    this(ctx.client(), ctx.projectDir(), ctx.stateDir(), ctx.clock(), ctx.settings(), ctx.shared());
  }

  public Recoverer(
      NetlifyClient client,
      Path projectDir,
      Path stateDir,
      Clock clock,
      RollbackSettings settings) {
    this(client, projectDir, stateDir, clock, settings, null);
  }

  private Recoverer(
      NetlifyClient client,
      Path projectDir,
      Path stateDir,
      Clock clock,
      RollbackSettings settings,
      SharedRecord shared) {
    this.client = client;
    this.projectDir = projectDir;
    this.stateDir = stateDir;
    this.clock = clock;
    this.settings = settings;
    this.shared = shared;
  }

  /**
   * {@code devops emergency-recover}: recovers the site of rollback {@code rollbackId} under the
   * site lock. Returns the updated entry.
   *
   * <p>A compare-and-swap, like the rollback: the site must still be where the rollback left it
   * (its target) or where it started (the pre-rollback deploy). When a later rollback or deploy has
   * moved it on, nothing is changed unless {@code force}.
   *
   * @throws RollbackException NOT_FOUND for an unknown rollback id, INVALID_TARGET when the
   *     rollback recorded no deploy to go back to, CONFLICT when another rollback holds the lock or
   *     the team's lease, or the site has moved on since the rollback (without {@code force})
   */
  @SuppressWarnings("try") // The site lock is held for the block's duration, never referenced.
  public RollbackRecord recover(String rollbackId, boolean force, ProgressListener listener) {
    RollbackRecord record =
        new RollbackHistory(stateDir)
            .find(rollbackId)
            .orElseThrow(
                () ->
                    new RollbackException(
                        RollbackException.Kind.NOT_FOUND,
                        "No rollback '"
                            + rollbackId
                            + "' in .devops/rollback-history.json: see 'devops rollback history'."));
    if (record.from() == null || record.from().id() == null) {
      throw new RollbackException(
          RollbackException.Kind.INVALID_TARGET,
          "Rollback " + rollbackId + " recorded no pre-rollback deploy to go back to.");
    }
    // The team's lease too, when there is a shared record: a teammate's rollback running now is
    // waited for (or named in the refusal), whatever --force says about the site's past.
    try (SiteLock ignored =
            SiteLock.acquire(stateDir, record.siteId(), rollbackId, settings.lockWait(), clock);
        SharedLease lease = shared == null ? null : shared.acquire()) {
      if (!force) {
        refuseWhenMovedOn(record);
      }
      return recover(record, new StepJournal(clock, listener));
    }
  }

  /**
   * Throws CONFLICT when the site serves neither the rollback's target nor its pre-rollback deploy,
   * or when a later rollback of the site switched it: undoing this one would undo that later work.
   */
  private void refuseWhenMovedOn(RollbackRecord record) {
    String live = publishedId(client.getSite(record.siteId()));
    String target = record.to() == null ? null : record.to().id();
    RollbackRecord later =
        new RollbackHistory(stateDir)
            .all().stream()
                .filter(r -> record.siteId().equals(r.siteId()) && !r.id().equals(record.id()))
                .filter(r -> r.startedAt() != null && record.startedAt() != null)
                .filter(r -> r.startedAt().isAfter(record.startedAt()))
                .filter(
                    r ->
                        r.verification() != null
                            || r.recoveries() != null && !r.recoveries().isEmpty())
                .reduce((a, b) -> b.startedAt().isAfter(a.startedAt()) ? b : a)
                .orElse(null);
    boolean whereLeft = live != null && (live.equals(target) || live.equals(record.from().id()));
    if (whereLeft && later == null) {
      return;
    }
    String serves =
        live == null
            ? "no deploy"
            : later != null && !name(later, live).equals(live)
                ? name(later, live)
                : name(record, live);
    throw new RollbackException(
        RollbackException.Kind.CONFLICT,
        "The site has moved on since rollback "
            + record.id()
            + ": it serves "
            + serves
            + (later == null
                ? ", published after it"
                : ", and rollback " + later.id() + " came after it")
            + ". Nothing was changed; to put "
            + label(record)
            + " back anyway, run 'devops emergency-recover --rollback-id "
            + record.id()
            + " --force'.");
  }

  /**
   * Recovers the site of {@code record}; the caller holds the site lock. Returns the updated entry.
   */
  public RollbackRecord recover(RollbackRecord record, StepJournal journal) {
    RollbackHistory history = new RollbackHistory(stateDir);
    String siteId = record.siteId();
    String preId = record.from().id();
    boolean preLocked = Boolean.TRUE.equals(record.from().locked());
    String[] method = {"none_needed"};
    String[] liveId = {preId};
    if (preId == null) {
      RollbackRecord.Recovery none =
          new RollbackRecord.Recovery(
              clock.instant(),
              "none_possible",
              RollbackRecord.RECOVERY_FAILED,
              null,
              "The site had no published deploy before the rollback: there is nothing to go back to.");
      RollbackRecord.SiteState state = observe(client, siteId, clock, null);
      return history.update(
          record.id(),
          r -> r.withRecovery(none, RollbackRecord.RECOVERY_FAILED, state, clock.instant()));
    }
    try {
      Site site =
          journal.run(
              "recover_check",
              "Checking where the site is...",
              () -> client.getSite(siteId),
              s ->
                  "Site serves "
                      + name(record, publishedId(s))
                      + (s.isAutoPublishLocked() ? " (auto publishing locked)" : ""));
      if (!preId.equals(publishedId(site))) {
        if (site.isAutoPublishLocked()) {
          String lockedId = publishedId(site);
          journal.run(
              "recover_unlock",
              "Unlocking auto publishing...",
              () -> client.unlockDeploy(lockedId),
              "Auto publishing unlocked");
        }
        liveId[0] = republish(record, journal, method);
        String live = name(record, liveId[0]);
        site =
            journal.run(
                "recover_wait",
                "Waiting for " + live + " to go live...",
                () -> Waits.untilPublished(client, siteId, liveId[0], settings.publishTimeout()),
                s -> "Site serves " + live + " again");
      }
      if (preLocked && !site.isAutoPublishLocked()) {
        journal.run(
            "recover_lock",
            "Locking auto publishing again...",
            () -> client.lockDeploy(liveId[0]),
            "Auto publishing locked, as before the rollback");
        method[0] = "none_needed".equals(method[0]) ? "lock_restored" : method[0];
      } else if (!preLocked && site.isAutoPublishLocked()) {
        journal.run(
            "recover_unlock",
            "Starting auto publishing again...",
            () -> client.unlockDeploy(liveId[0]),
            "Auto publishing on, as before the rollback");
        method[0] = "none_needed".equals(method[0]) ? "lock_restored" : method[0];
      }
      VerificationResult check =
          journal.run(
              "recover_verify",
              "Verifying served content...",
              () ->
                  new Verifier(client, settings.verifySample(), settings.healthPaths())
                      .verify(siteId, liveId[0]),
              v ->
                  v.ok()
                      ? "Served content matches " + name(record, liveId[0])
                      : "Served content not confirmed: " + failedChecks(v));
      RollbackRecord.SiteState state = observe(client, siteId, clock, record.from().version());
      String message =
          switch (method[0]) {
            case "none_needed" ->
                "The site was already on the pre-rollback deploy; nothing to undo.";
            case "lock_restored" ->
                "The site was on the pre-rollback deploy; its lock state was restored.";
            case "republished" -> "Re-published the pre-rollback deploy " + preId + ".";
            default ->
                "The pre-rollback deploy is gone; deployed the backup's files as "
                    + liveId[0]
                    + ".";
          };
      if (!check.ok()) {
        message += " Verification: " + failedChecks(check) + ".";
      }
      RollbackRecord.Recovery recovery =
          new RollbackRecord.Recovery(
              clock.instant(), method[0], RollbackRecord.RECOVERED, liveId[0], message);
      return history.update(
          record.id(),
          r ->
              r.withSteps(merge(r, journal))
                  .withRecovery(recovery, RollbackRecord.RECOVERED, state, clock.instant()));
    } catch (RuntimeException e) {
      RollbackRecord.SiteState state = observe(client, siteId, clock, null);
      RollbackRecord.Recovery recovery =
          new RollbackRecord.Recovery(
              clock.instant(), method[0], RollbackRecord.RECOVERY_FAILED, null, message(e));
      return history.update(
          record.id(),
          r ->
              r.withSteps(merge(r, journal))
                  .withRecovery(recovery, RollbackRecord.RECOVERY_FAILED, state, clock.instant()));
    }
  }

  private String republish(RollbackRecord record, StepJournal journal, String[] method) {
    String preId = record.from().id();
    try {
      journal.run(
          "recover_restore",
          "Re-publishing " + label(record) + "...",
          () -> client.restoreSiteDeploy(record.siteId(), preId),
          "Re-publish requested");
      method[0] = "republished";
      return preId;
    } catch (NetlifyException e) {
      if (!e.isNotFound() || record.backup() == null) {
        throw e;
      }
    }
    Path dir = projectDir.resolve(record.backup()).normalize();
    BackupStore store = new BackupStore(stateDir, clock);
    BackupManifest manifest = store.readManifest(dir);
    Deploy redeployed =
        journal.run(
            "recover_redeploy",
            "The pre-rollback deploy is gone: deploying the backup's "
                + manifest.files().size()
                + " files...",
            () -> redeploy(store.siteFiles(manifest), manifest, record),
            d -> "Backup deployed as " + d.id());
    journal.run(
        "recover_restore",
        "Publishing " + redeployed.id() + "...",
        () -> client.restoreSiteDeploy(record.siteId(), redeployed.id()),
        "Publish requested");
    method[0] = "redeployed_backup";
    return redeployed.id();
  }

  /** Deploys the backup's files with the same digest deploy as {@code devops deploy}. */
  private Deploy redeploy(SiteFiles site, BackupManifest manifest, RollbackRecord record) {
    String title = "Recovery of " + label(record) + " (rollback " + record.id() + ")";
    return new DigestDeploy(client, 8, settings.publishTimeout(), null)
        .run(
            new DigestDeploy.Request(
                record.siteId(), site, false, title, manifest.deploy().commitRef()))
        .deploy();
  }

  /** Reads where the site is now; never throws. */
  static RollbackRecord.SiteState observe(
      NetlifyClient client, String siteId, Clock clock, String versionHint) {
    return observe(client, siteId, clock, null, versionHint);
  }

  /**
   * Reads where the site is now; never throws. {@code versionHint} names the published deploy when
   * it is {@code expectedId} (any deploy when that is null).
   */
  static RollbackRecord.SiteState observe(
      NetlifyClient client, String siteId, Clock clock, String expectedId, String versionHint) {
    try {
      Site site = client.getSite(siteId);
      String id = publishedId(site);
      if (expectedId != null && !expectedId.equals(id)) {
        versionHint = null;
      }
      return new RollbackRecord.SiteState(
          id,
          site.isAutoPublishLocked(),
          clock.instant(),
          "published deploy is "
              + (id == null ? "none" : id)
              + (versionHint != null && id != null ? " (" + versionHint + ")" : "")
              + ", auto publishing "
              + (site.isAutoPublishLocked() ? "locked" : "on"));
    } catch (RuntimeException e) {
      return new RollbackRecord.SiteState(
          null, null, clock.instant(), "could not be read from the API (" + message(e) + ")");
    }
  }

  /** The site's published deploy id now, or null when it has none or cannot be read. */
  static String publishedIdOrNull(NetlifyClient client, String siteId) {
    try {
      return publishedId(client.getSite(siteId));
    } catch (RuntimeException e) {
      return null;
    }
  }

  static String publishedId(Site site) {
    Deploy d = site.publishedDeploy();
    return d == null ? null : d.id();
  }

  static String failedChecks(VerificationResult v) {
    return String.join(
        "; ",
        v.checks().stream().filter(c -> !c.ok()).map(VerificationResult.Check::detail).toList());
  }

  static String message(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** A deploy id with the version the record knows for it. */
  private static String name(RollbackRecord record, String id) {
    if (id != null && id.equals(record.from().id())) {
      return label(record);
    }
    if (id != null
        && record.to() != null
        && id.equals(record.to().id())
        && record.to().version() != null
        && !record.to().version().equals(id)) {
      return record.to().version() + " (" + id + ")";
    }
    return String.valueOf(id);
  }

  private static String label(RollbackRecord record) {
    String v = record.from().version();
    return v == null || v.equals(record.from().id())
        ? record.from().id()
        : v + " (" + record.from().id() + ")";
  }

  private static java.util.List<StepRecord> merge(RollbackRecord r, StepJournal journal) {
    java.util.List<StepRecord> all =
        new java.util.ArrayList<>(r.steps() == null ? java.util.List.of() : r.steps());
    for (StepRecord s : journal.records()) {
      if (!all.contains(s)) {
        all.add(s);
      }
    }
    return all;
  }
}
