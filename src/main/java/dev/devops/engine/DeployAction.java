package dev.devops.engine;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.DigestDeploy;
import dev.devops.netlify.NetlifyException;
import dev.devops.netlify.Site;
import dev.devops.netlify.SiteFiles;
import dev.devops.state.DeployRecord;
import dev.devops.util.Futures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * {@code devops deploy}: hashes a folder, sends Netlify's file digest, uploads only what the site
 * lacks, waits until the deploy is ready (and, for production, published), and records it in the
 * project's records.
 */
public final class DeployAction {
  /** Uploads run in parallel up to this; the client bounds those in flight to Netlify's limit. */
  static final int UPLOAD_THREADS = 8;

  private final EngineContext ctx;

  public DeployAction(EngineContext ctx) {
    this.ctx = ctx;
  }

  /**
   * What to deploy.
   *
   * @param dir the folder (the site's build output)
   * @param production publish when ready; else a draft
   * @param title the deploy's title, or null
   * @param version a version label to record, or null
   * @param commitRef the project's git commit, or null
   * @param timeout how long the deploy may take to become ready
   * @param followLinks deploy what symbolic links point to, even outside {@code dir} (else links
   *     are skipped, and those pointing outside {@code dir} refused: {@link SiteFiles#hash})
   */
  public record Request(
      Path dir,
      boolean production,
      String title,
      String version,
      String commitRef,
      Duration timeout,
      boolean followLinks) {}

  /** Told of each stage as it happens. */
  public interface Listener extends DigestDeploy.Listener {
    default void hashed(SiteFiles files) {}

    /** Production was asked for, but auto publishing is locked: the deploy will not go live. */
    default void lockedSite(Site site) {}

    /** The deploy finished, but it could not be recorded in the project's records. */
    default void notRecorded(Deploy deploy, RuntimeException why) {}

    /** The deploy finished, but its files could not be kept in the local backup store. */
    default void notKept(Deploy deploy, RuntimeException why) {}

    /**
     * The process is being stopped mid-deploy; the deploy was canceled on the platform, or {@code
     * failure} says why not. Called from a shutdown hook.
     */
    default void interrupted(String deployId, RuntimeException failure) {}
  }

  /**
   * How it ended.
   *
   * @param deploy the deploy, ready
   * @param site the site as it was before the deploy
   * @param files what was deployed
   * @param uploadedFiles how many files had to be uploaded
   * @param published it is the site's published deploy now
   */
  public record Result(
      Deploy deploy, Site site, SiteFiles files, int uploadedFiles, boolean published) {
    public boolean lockedOut() {
      return site.isAutoPublishLocked();
    }
  }

  /** Hashes, deploys, waits, records. */
  public Result run(Request request, Listener listener) throws IOException {
    CompletableFuture<Site> siteLookup =
        CompletableFuture.supplyAsync(() -> ctx.client().getSite(ctx.siteId()));
    SiteFiles files =
        SiteFiles.hash(
            request.dir(),
            Math.max(2, Runtime.getRuntime().availableProcessors()),
            request.followLinks());
    if (files.count() == 0) {
      throw new IllegalArgumentException(
          request.dir() + " has no files to deploy (dotfiles are skipped).");
    }
    listener.hashed(files);
    // The files' bytes go into the backup store while the deploy uploads: a later backup of this
    // deploy then downloads nothing.
    BackupStore store = new BackupStore(ctx.stateDir(), ctx.clock());
    CompletableFuture<Integer> kept = CompletableFuture.supplyAsync(() -> store.storeLocal(files));
    Site site = Futures.join(siteLookup);
    boolean locked = site.isAutoPublishLocked();
    if (request.production() && locked) {
      listener.lockedSite(site);
    }
    CancelOnExit cancel = new CancelOnExit(listener);
    DigestDeploy.Result done;
    Runtime.getRuntime().addShutdownHook(cancel);
    try {
      done =
          new DigestDeploy(ctx.client(), UPLOAD_THREADS, request.timeout(), cancel)
              .run(
                  new DigestDeploy.Request(
                      ctx.siteId(),
                      files,
                      !request.production(),
                      request.title(),
                      request.commitRef()));
      cancel.finished = true;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(cancel);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it cancels the deploy.
      }
    }
    Deploy deploy = done.deploy();
    boolean published =
        request.production()
            && !locked
            && awaitPublished(deploy.id(), ctx.settings().publishTimeout());
    if (request.version() != null && !request.version().isBlank()) {
      // The label is the team's: a teammate's list and rollback name this deploy by it too.
      ctx.shared().label(deploy.id(), request.version());
    }
    try {
      ctx.localRecords()
          .recordDeploy(
              new DeployRecord(
                  deploy.id(),
                  ctx.siteId(),
                  request.version(),
                  request.title(),
                  deploy.commitRef(),
                  request.production(),
                  deploy.state(),
                  ctx.clock().instant()));
    } catch (RuntimeException e) {
      listener.notRecorded(deploy, e);
    }
    try {
      store.keep(site, deploy, request.version(), files, Futures.join(kept));
    } catch (RuntimeException e) {
      listener.notKept(deploy, e);
    }
    if (request.production() && !locked && !published) {
      throw new NetlifyException(
          "getSite",
          0,
          "Deploy "
              + deploy.id()
              + " is ready but the site did not publish it within "
              + ctx.settings().publishTimeout().toSeconds()
              + " s: check 'devops status'.",
          null);
    }
    return new Result(deploy, site, files, done.uploadedFiles(), published);
  }

  /** A production deploy is published by the platform once ready; wait for that, bounded. */
  private boolean awaitPublished(String deployId, Duration timeout) {
    try {
      Waits.untilPublished(ctx.client(), ctx.siteId(), deployId, timeout);
      return true;
    } catch (IllegalStateException notInTime) {
      return false;
    }
  }

  /**
   * Ctrl-C or SIGTERM while the deploy is in flight cancels it on the platform, as netlify-cli
   * does; passes the deploy's progress on to the listener meanwhile.
   */
  private final class CancelOnExit extends Thread implements DigestDeploy.Listener {
    private final Listener listener;
    private volatile String createdId;
    private volatile boolean finished;

    CancelOnExit(Listener listener) {
      super("devops-deploy-cancel");
      this.listener = listener;
    }

    @Override
    public void created(Deploy deploy) {
      createdId = deploy.id();
      listener.created(deploy);
    }

    @Override
    public void uploading(int done, int total) {
      listener.uploading(done, total);
    }

    @Override
    public void waiting(String state) {
      listener.waiting(state);
    }

    @Override
    public void run() {
      String id = createdId;
      if (id == null || finished) {
        return;
      }
      try {
        ctx.client().cancelSiteDeploy(id);
        listener.interrupted(id, null);
      } catch (RuntimeException e) {
        listener.interrupted(id, e);
      }
    }
  }
}
