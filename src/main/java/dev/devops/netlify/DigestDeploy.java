package dev.devops.netlify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Netlify's file-digest deploy: create the deploy, send the SHA1 of every file, upload only the
 * files the platform does not have yet ({@code required}), in parallel, then wait until the deploy
 * is ready. A deploy that fails on the way is canceled, as netlify-cli does.
 */
public final class DigestDeploy {
  /** netlify-cli asks for asynchronous digest processing above this many files. */
  static final int ASYNC_THRESHOLD = 100;

  private static final Set<String> DIGEST_SETTLED =
      Set.of("prepared", "uploading", "uploaded", "processing", "processed", "ready", "error");

  /** What the deploy is doing, for progress display; called from several threads. */
  public interface Listener {
    default void created(Deploy deploy) {}

    default void uploading(int done, int total) {}

    default void waiting(String state) {}
  }

  /**
   * What to deploy.
   *
   * @param siteId the site
   * @param files the hashed site directory
   * @param draft true for a draft (preview) deploy, false for production
   * @param title the deploy's title, or null
   * @param commitRef the git commit, or null
   */
  public record Request(
      String siteId, SiteFiles files, boolean draft, String title, String commitRef) {}

  /** The finished deploy and how many files had to be uploaded. */
  public record Result(Deploy deploy, int uploadedFiles) {}

  private final NetlifyClient client;
  private final int uploadThreads;
  private final Duration readyTimeout;
  private final Listener listener;

  public DigestDeploy(
      NetlifyClient client, int uploadThreads, Duration readyTimeout, Listener listener) {
    this.client = client;
    this.uploadThreads = Math.max(1, uploadThreads);
    this.readyTimeout = readyTimeout;
    this.listener = listener == null ? new Listener() {} : listener;
  }

  public Result run(Request request) {
    Deploy created =
        client.createSiteDeploy(
            request.siteId(),
            new DeployRequest(null, null, request.draft(), null, null, null, "cli"),
            request.title());
    listener.created(created);
    try {
      boolean async = request.files().count() > ASYNC_THRESHOLD;
      Deploy deploy =
          client.updateSiteDeploy(
              request.siteId(),
              created.id(),
              new DeployRequest(
                  request.files().digest(), null, request.draft(), async, null, null, null),
              request.commitRef());
      long start = System.nanoTime();
      long deadline = start + readyTimeout.toNanos();
      Predicate<Deploy> digestSettled = d -> DIGEST_SETTLED.contains(String.valueOf(d.state()));
      while (!digestSettled.test(deploy)) {
        deploy = poll(request.siteId(), deploy, start, deadline, digestSettled);
      }
      failIfError(deploy);
      int uploaded = upload(deploy.id(), request.files(), deploy.requiredOrEmpty());
      while (!deploy.isReady()) {
        deploy = poll(request.siteId(), deploy, start, deadline, Deploy::isReady);
        failIfError(deploy);
      }
      return new Result(deploy, uploaded);
    } catch (RuntimeException e) {
      cancelQuietly(created.id());
      throw e;
    }
  }

  /**
   * Waits a little and fetches the deploy again. Past the deadline, only a deploy that has still
   * not reached {@code done} is a timeout: one that got there at the last moment is not.
   */
  private Deploy poll(
      String siteId, Deploy last, long start, long deadline, Predicate<Deploy> done) {
    listener.waiting(last.state());
    sleep(Math.min(pollDelay((System.nanoTime() - start) / 1_000_000), untilMillis(deadline)));
    Deploy now = client.getSiteDeploy(siteId, last.id());
    if (!done.test(now) && !"error".equals(now.state()) && System.nanoTime() > deadline) {
      throw new NetlifyException(
          "getSiteDeploy",
          0,
          "Deploy "
              + now.id()
              + " is still '"
              + now.state()
              + "' after "
              + readyTimeout.toSeconds()
              + " s: canceled it (allow longer with --timeout).",
          null);
    }
    return now;
  }

  private static long untilMillis(long deadline) {
    return Math.max(1, (deadline - System.nanoTime()) / 1_000_000 + 1);
  }

  private static long pollDelay(long elapsedMs) {
    // Static processing is quick: poll fast first, then back off towards netlify-cli's 1 s.
    return elapsedMs < 2_000 ? 50 : elapsedMs < 10_000 ? 250 : 1_000;
  }

  private void failIfError(Deploy deploy) {
    if (deploy.isError()) {
      String why = deploy.errorMessage() == null ? "no reason given" : deploy.errorMessage();
      throw new NetlifyException(
          "getSiteDeploy", 0, "Deploy " + deploy.id() + " failed: " + why + ".", null);
    }
  }

  /** Uploads every local file whose SHA1 is required; returns how many were uploaded. */
  private int upload(String deployId, SiteFiles files, List<String> required) {
    // One pass over the digest: every path whose SHA1 is required (several paths may share one).
    Set<String> wanted = new HashSet<>(required);
    Set<String> missing = new LinkedHashSet<>(required);
    List<String> paths = new ArrayList<>();
    files
        .digest()
        .forEach(
            (path, sha) -> {
              if (wanted.contains(sha)) {
                paths.add(path);
                missing.remove(sha);
              }
            });
    if (!missing.isEmpty()) {
      throw new NetlifyException(
          "updateSiteDeploy",
          0,
          "The platform asked for a file this deploy does not have ("
              + missing.iterator().next()
              + ").",
          null);
    }
    if (paths.isEmpty()) {
      return 0;
    }
    AtomicInteger done = new AtomicInteger();
    listener.uploading(0, paths.size());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(uploadThreads, paths.size()),
            r -> {
              Thread t = new Thread(r, "devops-upload");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> uploads = new ArrayList<>();
      for (String path : paths) {
        uploads.add(
            pool.submit(
                () -> {
                  try {
                    client.uploadDeployFile(deployId, path, files.file(path));
                  } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + files.file(path), e);
                  }
                  listener.uploading(done.incrementAndGet(), paths.size());
                  return null;
                }));
      }
      for (Future<?> upload : uploads) {
        upload.get();
      }
      return paths.size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NetlifyException("uploadDeployFile", 0, "Interrupted while uploading.", e);
    } finally {
      pool.shutdownNow();
      try {
        pool.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void cancelQuietly(String deployId) {
    try {
      client.cancelSiteDeploy(deployId);
    } catch (RuntimeException ignored) {
      // The original failure is what the user needs to see.
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NetlifyException(
          "getSiteDeploy", 0, "Interrupted while waiting for the deploy.", e);
    }
  }
}
