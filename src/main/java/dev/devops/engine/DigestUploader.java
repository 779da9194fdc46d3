package dev.devops.engine;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.DeployRequest;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.NetlifyException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Netlify's file-digest deploy: announce every path with its SHA1, upload only the contents the
 * platform asks for (bounded parallel uploads), then wait until the deploy is ready. Contents come
 * from a function of the SHA1, so any store (a directory, the backup blobs) can feed it.
 */
public final class DigestUploader {
  static final int UPLOAD_THREADS = 8;

  private final NetlifyClient client;
  private final Duration readyTimeout;

  public DigestUploader(NetlifyClient client, Duration readyTimeout) {
    this.client = client;
    this.readyTimeout = readyTimeout;
  }

  /**
   * Deploys {@code shaByPath} to production (or as a draft) and returns the ready deploy.
   *
   * @param bytesBySha the contents of a SHA1 (checked by the caller's store)
   */
  public Deploy deploy(
      String siteId, Map<String, String> shaByPath, Function<String, byte[]> bytesBySha, String title, boolean draft) {
    Map<String, String> files = new LinkedHashMap<>();
    shaByPath.forEach((path, sha) -> files.put(path.startsWith("/") ? path : "/" + path, sha));
    Deploy created = client.createSiteDeploy(siteId, DeployRequest.of(files, null, draft), title);
    Set<String> required = new HashSet<>(created.requiredOrEmpty());
    Map<String, String> pathBySha = new LinkedHashMap<>();
    files.forEach((path, sha) -> {
      if (required.contains(sha)) {
        pathBySha.putIfAbsent(sha, path);
      }
    });
    upload(created.id(), pathBySha, bytesBySha);
    return awaitReady(siteId, created.id());
  }

  private void upload(String deployId, Map<String, String> pathBySha, Function<String, byte[]> bytesBySha) {
    if (pathBySha.isEmpty()) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(UPLOAD_THREADS, pathBySha.size()), r -> {
      Thread t = new Thread(r, "deploy-upload");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      pathBySha.forEach((sha, path) ->
          futures.add(pool.submit(() -> client.uploadDeployFile(deployId, path, bytesBySha.apply(sha)))));
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while uploading.", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private Deploy awaitReady(String siteId, String deployId) {
    long deadline = System.nanoTime() + readyTimeout.toNanos();
    long pause = 100;
    while (true) {
      Deploy d = client.getSiteDeploy(siteId, deployId);
      if (d.isReady()) {
        return d;
      }
      if (d.isError()) {
        throw new NetlifyException("getSiteDeploy", 0,
            "Deploy " + deployId + " failed: " + (d.errorMessage() == null ? d.state() : d.errorMessage()) + ".", null);
      }
      if (System.nanoTime() > deadline) {
        throw new NetlifyException("getSiteDeploy", 0,
            "Deploy " + deployId + " was not ready after " + readyTimeout.toSeconds() + " s (state " + d.state() + ").", null);
      }
      Waits.sleep(pause);
      pause = Math.min(pause * 2, 1000);
    }
  }
}
