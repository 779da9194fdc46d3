package dev.devops.engine;

import dev.devops.http.Urls;
import dev.devops.netlify.Deploy;
import dev.devops.netlify.DeployFile;
import dev.devops.netlify.Fetched;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.NetlifyException;
import dev.devops.netlify.Site;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Proves that a deploy is what the site serves: the API says it is published and ready, the site
 * answers, the bytes served for index.html and a sample of other files have the deploy's SHA1s, and
 * the configured health paths answer 2xx.
 */
public final class Verifier {
  /** Files Netlify consumes as configuration; they are not served as-is. */
  static final Set<String> CONFIG_FILES = Set.of("/_redirects", "/_headers", "/netlify.toml");

  private final NetlifyClient client;
  private final int sample;
  private final List<String> healthPaths;
  private final int attempts;

  public Verifier(NetlifyClient client, int sample, List<String> healthPaths) {
    this(client, sample, healthPaths, 4);
  }

  Verifier(NetlifyClient client, int sample, List<String> healthPaths, int attempts) {
    this.client = client;
    this.sample = Math.max(0, sample);
    this.healthPaths = healthPaths == null ? List.of() : healthPaths;
    this.attempts = attempts;
  }

  /**
   * {@code devops verify-deployment}: verifies {@code deployId} on the project's site and records a
   * pass, so that the deployments list can call the live deploy healthy.
   */
  public static VerificationResult verifyAndRecord(EngineContext ctx, String deployId) {
    VerificationResult result =
        new Verifier(ctx.client(), ctx.settings().verifySample(), ctx.settings().healthPaths())
            .verify(ctx.siteId(), deployId);
    if (result.ok()) {
      ctx.records().markVerified(deployId, ctx.clock().instant());
    }
    return result;
  }

  /** Verifies, allowing a short settle time for the edge to pick up the swap. */
  public VerificationResult verify(String siteId, String deployId) {
    VerificationResult result = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      result = verifyOnce(siteId, deployId);
      if (result.ok()) {
        return result;
      }
      if (attempt < attempts) {
        sleep(250L * attempt);
      }
    }
    return result;
  }

  private VerificationResult verifyOnce(String siteId, String deployId) {
    List<VerificationResult.Check> checks = new ArrayList<>();
    Site site = client.getSite(siteId);
    Deploy published = site.publishedDeploy();
    String publishedId = published == null ? null : published.id();
    boolean isPublished = deployId.equals(publishedId);
    checks.add(
        new VerificationResult.Check(
            "published",
            isPublished,
            isPublished
                ? "published deploy is " + deployId
                : "published deploy is " + publishedId + ", not " + deployId));
    Deploy deploy = isPublished ? published : client.getDeploy(deployId);
    checks.add(
        new VerificationResult.Check(
            "ready", deploy.isReady(), "deploy state is " + deploy.state()));
    String base = site.liveUrl();
    // The site's answer and its health paths are fetched while the file list is read (at 50,000
    // files, 7 MB): neither waits for the other.
    List<String> paths = new ArrayList<>();
    paths.add("/");
    paths.addAll(healthPaths);
    java.util.concurrent.ExecutorService pool = fetchPool(paths.size());
    try {
      List<java.util.concurrent.Future<Fetched>> answers = new ArrayList<>();
      for (String path : paths) {
        answers.add(pool.submit(() -> fetch(base, path)));
      }
      // The published deploy's files are documented (GET /sites/{id}/files); others are not.
      List<DeployFile> files =
          isPublished
              ? DeployFiles.publishedOrNull(client, siteId, deployId)
              : DeployFiles.listOrNull(client, deploy);
      VerificationResult.Check content =
          files == null ? samePermalinkBytes(base, deploy) : sameSha1s(base, files);
      Fetched root = await(answers.get(0));
      boolean responding = root != null && root.isSuccessful();
      checks.add(
          new VerificationResult.Check(
              "responding",
              responding,
              root == null ? base + " did not answer" : base + " answered " + root.status()));
      checks.add(content);
      for (int i = 0; i < healthPaths.size(); i++) {
        String path = healthPaths.get(i);
        Fetched health = await(answers.get(i + 1));
        boolean ok = health != null && health.isSuccessful();
        checks.add(
            new VerificationResult.Check(
                "health " + path,
                ok,
                path + (health == null ? " did not answer" : " answered " + health.status())));
      }
      int compared = files == null ? 1 : Math.max(0, filesToCompare(files).size());
      boolean ok = checks.stream().allMatch(VerificationResult.Check::ok);
      return new VerificationResult(ok, deployId, base, List.copyOf(checks), compared);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Daemon threads for {@code tasks} fetches of served content, at most {@link #PARALLEL_FETCHES}.
   */
  private static java.util.concurrent.ExecutorService fetchPool(int tasks) {
    return java.util.concurrent.Executors.newFixedThreadPool(
        Math.max(1, Math.min(PARALLEL_FETCHES, tasks)),
        r -> {
          Thread t = new Thread(r, "devops-verify");
          t.setDaemon(true);
          return t;
        });
  }

  private static <T> T await(java.util.concurrent.Future<T> future) {
    try {
      return future.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while verifying.", e);
    }
  }

  /**
   * Served files fetched at once: each costs a round trip, none counts against the API limit, and a
   * CDN serves many at once. The default sample (index.html and 20 others) is one round trip.
   */
  static final int PARALLEL_FETCHES = 32;

  /**
   * The content check alone: the served bytes of {@code files} (index.html and up to the sample
   * size of the others; the guard passes a rotating sample), or, without a file list, the index
   * bytes of the deploy's permalink.
   */
  VerificationResult.Check content(String base, Deploy deploy, List<DeployFile> files) {
    return files == null ? samePermalinkBytes(base, deploy) : sameSha1s(base, files);
  }

  /** The served bytes of index.html and a sample of files have the deploy's SHA1s. */
  private VerificationResult.Check sameSha1s(String base, List<DeployFile> files) {
    List<DeployFile> chosen = filesToCompare(files);
    List<String> mismatched = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.ExecutorService pool = fetchPool(chosen.size());
    try {
      List<java.util.concurrent.Future<?>> all = new ArrayList<>();
      for (DeployFile file : chosen) {
        all.add(
            pool.submit(
                () -> {
                  Fetched.Digest served = digest(base, file.path());
                  if (served == null
                      || !served.isSuccessful()
                      || !served.sha1().equalsIgnoreCase(file.sha())) {
                    mismatched.add(
                        file.path()
                            + (served == null
                                ? " (no answer)"
                                : served.isSuccessful() ? "" : " (" + served.status() + ")"));
                  }
                }));
      }
      for (java.util.concurrent.Future<?> f : all) {
        await(f);
      }
    } finally {
      pool.shutdownNow();
    }
    int compared = chosen.size();
    return new VerificationResult.Check(
        "content",
        compared > 0 && mismatched.isEmpty(),
        compared == 0
            ? "no files to compare"
            : mismatched.isEmpty()
                ? compared + " served file(s) match the deploy's SHA1s"
                : "served bytes differ from the deploy for "
                    + String.join(", ", mismatched.stream().sorted().toList()));
  }

  /** A served file's status and SHA1, streamed; null when it did not answer. */
  private Fetched.Digest digest(String base, String path) {
    URI root = Urls.parse(base);
    if (root == null) {
      return null;
    }
    String relative = path.startsWith("/") ? path.substring(1) : path;
    try {
      return client.fetchDigest(Urls.of(root).root().segments(relative).build().toString());
    } catch (NetlifyException | IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Without a file list: the site serves the same index bytes as the deploy's own permalink, which
   * only that deploy serves.
   */
  private VerificationResult.Check samePermalinkBytes(String base, Deploy deploy) {
    String permalink = DeployFiles.permalink(deploy);
    Fetched site = fetch(base, "/");
    Fetched own = permalink == null ? null : fetch(permalink, "/");
    boolean same =
        site != null
            && own != null
            && site.isSuccessful()
            && own.isSuccessful()
            && java.util.Arrays.equals(site.body(), own.body());
    return new VerificationResult.Check(
        "content",
        same,
        same
            ? "the site serves the same index bytes as the deploy's permalink (file list not available)"
            : "the site's index bytes differ from the deploy's permalink " + permalink);
  }

  /** index.html, then an evenly spread, deterministic sample of the other served files. */
  List<DeployFile> filesToCompare(List<DeployFile> files) {
    List<DeployFile> served =
        files.stream()
            .filter(f -> f.path() != null && f.sha() != null)
            .map(
                f ->
                    f.path().startsWith("/")
                        ? f
                        : new DeployFile("/" + f.path(), f.sha(), f.size()))
            .filter(f -> !CONFIG_FILES.contains(f.path()))
            .sorted(Comparator.comparing(DeployFile::path))
            .toList();
    List<DeployFile> chosen = new ArrayList<>();
    List<DeployFile> others = new ArrayList<>();
    for (DeployFile f : served) {
      if (f.path().equals("/index.html")) {
        chosen.add(f);
      } else {
        others.add(f);
      }
    }
    int n = Math.min(sample, others.size());
    for (int i = 0; i < n; i++) {
      chosen.add(others.get((int) ((long) i * others.size() / n)));
    }
    return chosen;
  }

  private Fetched fetch(String base, String path) {
    URI root = Urls.parse(base);
    if (root == null) {
      return null;
    }
    String relative = path.startsWith("/") ? path.substring(1) : path;
    try {
      return client.fetch(Urls.of(root).root().segments(relative).build().toString());
    } catch (NetlifyException | IllegalArgumentException e) {
      return null;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
