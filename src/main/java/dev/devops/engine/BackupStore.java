package dev.devops.engine;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.DeployFile;
import dev.devops.netlify.EnvVar;
import dev.devops.netlify.InvalidInputException;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.NetlifyException;
import dev.devops.netlify.Site;
import dev.devops.netlify.SiteFiles;
import dev.devops.util.AtomicFiles;
import dev.devops.util.Json;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * {@code .devops/backups/}: one directory per backup with its manifest, and a shared blob store
 * ({@code blobs/ab/SHA1}) so that each file's bytes are kept once across all backups. Everything is
 * owner-only, written atomically, and checked against its SHA1.
 */
public final class BackupStore {
  static final int DOWNLOAD_THREADS = 8;
  private static final DateTimeFormatter DIR_NAME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path root;
  private final Path blobs;
  private final Clock clock;

  public BackupStore(Path stateDir, Clock clock) {
    this.root = stateDir.resolve("backups").toAbsolutePath().normalize();
    this.blobs = root.resolve("blobs");
    this.clock = clock;
  }

  /** A backup on disk. */
  public record Backup(Path dir, BackupManifest manifest) {}

  /** What {@link #verify} found: blobs missing or whose bytes no longer match their SHA1. */
  public record Verification(
      Path dir, int files, int blobsChecked, List<String> missing, List<String> corrupt) {
    public boolean ok() {
      return missing.isEmpty() && corrupt.isEmpty();
    }
  }

  public Path root() {
    return root;
  }

  /**
   * Backs up {@code deploy} of {@code site}: metadata, env var names and non-secret values, the
   * file list, and every file's bytes (downloaded in parallel, each checked against its SHA1).
   */
  public Backup create(
      NetlifyClient client, Site site, Deploy deploy, String version, String reason) {
    try {
      AtomicFiles.createPrivateDirectories(root);
      AtomicFiles.createPrivateDirectories(blobs);
      List<DeployFile> listed;
      String filesNote = null;
      try {
        listed = client.listDeployFiles(deploy);
      } catch (NetlifyException e) {
        if (!e.isNotFound()) {
          throw e;
        }
        listed = List.of();
      }
      if (listed.isEmpty()) {
        filesNote = "Netlify listed no files for this deploy: the backup holds its metadata only.";
      }
      List<BackupManifest.FileEntry> files = new ArrayList<>();
      Map<String, String> pathBySha = new LinkedHashMap<>();
      long total = 0;
      for (DeployFile f : listed) {
        String path = "/" + listedPath(f.path());
        String sha = f.sha() == null ? "" : f.sha().toLowerCase(java.util.Locale.ROOT);
        if (!Sha1.isValid(sha)) {
          // The API's answer is wrong, not the program: exit as an API failure.
          throw new NetlifyException(
              "listDeployFiles",
              0,
              "Netlify listed deploy file "
                  + path
                  + " without a valid SHA1: refusing to back it up.",
              null);
        }
        long size = f.size() == null ? 0 : f.size();
        files.add(new BackupManifest.FileEntry(path, sha, size));
        pathBySha.putIfAbsent(sha, path);
        total += size;
      }
      files.sort(Comparator.comparing(BackupManifest.FileEntry::path));
      List<String> unavailable = java.util.Collections.synchronizedList(new ArrayList<>());
      int[] counts = download(client, deploy, pathBySha, unavailable);
      if (!unavailable.isEmpty()) {
        unavailable.sort(null);
        filesNote =
            unavailable.size()
                + " file(s) could not be downloaded with their SHA1 (listed in 'unavailable').";
      }
      List<BackupManifest.EnvEntry> env = new ArrayList<>();
      String envNote = envVars(client, site, env);
      Instant now = clock.instant();
      BackupManifest manifest =
          new BackupManifest(
              BackupManifest.FORMAT,
              now,
              reason,
              siteInfo(site),
              deployInfo(deploy, version),
              env,
              envNote,
              files,
              filesNote,
              List.copyOf(unavailable),
              new BackupManifest.Stats(files.size(), total, counts[0], counts[1]));
      Path dir = newBackupDir(now);
      AtomicFiles.write(
          dir.resolve("manifest.json"),
          Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest),
          AtomicFiles.OWNER_ONLY_FILE);
      return new Backup(dir, manifest);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot write the backup under " + root + ": " + e.getMessage(), e);
    }
  }

  /** Every complete backup (one with a readable manifest), newest first. */
  public List<Backup> list() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<Backup> result = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.sorted(Comparator.reverseOrder()).toList()) {
        if (dir.equals(blobs) || !Files.isRegularFile(dir.resolve("manifest.json"))) {
          continue;
        }
        try {
          result.add(new Backup(dir, readManifest(dir)));
        } catch (IllegalArgumentException e) {
          // An unreadable manifest is reported by verify, not by list.
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot list " + root + ": " + e.getMessage(), e);
    }
    return result;
  }

  /** A file path the API listed, checked: an unsafe one is a bad answer, never a path we use. */
  private static String listedPath(String path) {
    try {
      return NetlifyClient.filePath(path);
    } catch (InvalidInputException e) {
      throw new NetlifyException(
          "listDeployFiles",
          0,
          "Netlify listed an unsafe file path (" + e.getMessage() + "): refusing to back it up.",
          e);
    }
  }

  /** The backup directory named by a user argument; it must be a backup inside this store. */
  public Path resolve(String dirArgument, Path cwd) {
    Path dir = cwd.resolve(dirArgument).toAbsolutePath().normalize();
    if (!dir.startsWith(root) || dir.equals(root) || dir.startsWith(blobs)) {
      dir = root.resolve(dirArgument).toAbsolutePath().normalize();
    }
    if (!dir.startsWith(root)
        || dir.equals(root)
        || dir.startsWith(blobs)
        || !Files.isRegularFile(dir.resolve("manifest.json"))) {
      throw new IllegalArgumentException(
          "No backup at '" + dirArgument + "': pass a directory listed by 'devops backup list'.");
    }
    return dir;
  }

  public BackupManifest readManifest(Path dir) {
    try {
      BackupManifest manifest =
          Json.mapper().readValue(dir.resolve("manifest.json").toFile(), BackupManifest.class);
      if (manifest.files() == null || manifest.deploy() == null) {
        throw new IllegalArgumentException(
            "Backup manifest " + dir.resolve("manifest.json") + " is incomplete.");
      }
      for (BackupManifest.FileEntry f : manifest.files()) {
        NetlifyClient.filePath(f.path());
        if (!Sha1.isValid(f.sha())) {
          throw new IllegalArgumentException(
              "Backup manifest lists an invalid SHA1 for " + f.path() + ".");
        }
      }
      return manifest;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Backup manifest " + dir.resolve("manifest.json") + " is unreadable: " + e.getMessage(),
          e);
    }
  }

  /** Checks that every blob of the backup in {@code dir} exists and still has its SHA1. */
  public Verification verify(Path dir) {
    BackupManifest manifest = readManifest(dir);
    List<String> missing = new ArrayList<>();
    List<String> corrupt = new ArrayList<>();
    Map<String, String> pathBySha = new LinkedHashMap<>();
    for (BackupManifest.FileEntry f : manifest.files()) {
      if (!manifest.unavailableOrEmpty().contains(f.path())) {
        pathBySha.putIfAbsent(f.sha(), f.path());
      }
    }
    for (Map.Entry<String, String> e : pathBySha.entrySet()) {
      Path blob = blobPath(e.getKey());
      if (!Files.isRegularFile(blob)) {
        missing.add(e.getValue());
        continue;
      }
      try {
        if (!Sha1.hex(Files.readAllBytes(blob)).equals(e.getKey())) {
          corrupt.add(e.getValue());
        }
      } catch (IOException ex) {
        corrupt.add(e.getValue());
      }
    }
    return new Verification(dir, manifest.files().size(), pathBySha.size(), missing, corrupt);
  }

  /** The bytes stored for {@code sha}, checked. */
  public byte[] blob(String sha) {
    try {
      byte[] bytes = Files.readAllBytes(blobPath(sha));
      if (!Sha1.hex(bytes).equals(sha)) {
        throw new IllegalStateException(
            "Backup blob " + sha + " is corrupt: its bytes no longer match its SHA1.");
      }
      return bytes;
    } catch (IOException e) {
      throw new IllegalStateException("Backup blob " + sha + " is missing: " + e.getMessage(), e);
    }
  }

  /**
   * The files of a backup as a deploy wants them: each manifest path (validated) with its SHA1,
   * read from the blob store, so a recovery deploys them without copying or hashing them again.
   * Files the backup could not download are left out.
   *
   * @throws IllegalStateException when a blob the manifest names is missing
   */
  public SiteFiles siteFiles(BackupManifest manifest) {
    Set<String> unavailable = Set.copyOf(manifest.unavailableOrEmpty());
    Map<String, String> digest = new LinkedHashMap<>();
    Map<String, Path> files = new LinkedHashMap<>();
    long bytes = 0;
    for (BackupManifest.FileEntry f : manifest.files()) {
      if (unavailable.contains(f.path())) {
        continue;
      }
      String relative = NetlifyClient.filePath(f.path());
      Path blob = blobPath(f.sha());
      if (!Files.isRegularFile(blob)) {
        throw new IllegalStateException("Backup blob " + f.sha() + " is missing: " + blob);
      }
      digest.put(relative, f.sha());
      files.put(relative, blob);
      bytes += f.size();
    }
    return SiteFiles.known(digest, files, bytes);
  }

  Path blobPath(String sha) {
    if (!Sha1.isValid(sha)) {
      throw new IllegalArgumentException("Invalid SHA1: " + sha);
    }
    return blobs.resolve(sha.substring(0, 2)).resolve(sha);
  }

  /** Downloads blobs not yet stored; returns {new, reused}. */
  private int[] download(
      NetlifyClient client, Deploy deploy, Map<String, String> pathBySha, List<String> unavailable)
      throws IOException {
    AtomicInteger fresh = new AtomicInteger();
    AtomicInteger reused = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(DOWNLOAD_THREADS, daemonThreads());
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Map.Entry<String, String> e : pathBySha.entrySet()) {
        String sha = e.getKey();
        Path blob = blobPath(sha);
        if (Files.isRegularFile(blob) && intact(blob, sha)) {
          reused.incrementAndGet();
          continue;
        }
        futures.add(
            pool.submit(
                () -> {
                  byte[] bytes = verifiedBytes(client, deploy, sha, e.getValue());
                  if (bytes == null) {
                    unavailable.add(e.getValue());
                  } else {
                    storeBlob(sha, bytes, e.getValue());
                    fresh.incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading files", e);
    } finally {
      pool.shutdownNow();
    }
    return new int[] {fresh.get(), reused.get()};
  }

  /** A stored blob still has its SHA1; a damaged one is removed so that it is downloaded again. */
  private static boolean intact(Path blob, String sha) throws IOException {
    if (Sha1.hex(Files.readAllBytes(blob)).equals(sha)) {
      return true;
    }
    Files.deleteIfExists(blob);
    return false;
  }

  /**
   * The bytes of {@code path} with SHA1 {@code sha}: from the API's raw file download, else from
   * the deploy's permalink (the per-deploy file API is not documented); null when neither gives
   * bytes with that SHA1.
   */
  private static byte[] verifiedBytes(
      NetlifyClient client, Deploy deploy, String sha, String path) {
    try {
      byte[] bytes = client.getDeployFileBytes(deploy.id(), path);
      if (Sha1.hex(bytes).equals(sha)) {
        return bytes;
      }
    } catch (NetlifyException e) {
      if (e.isAuth()) {
        throw e;
      }
    }
    String permalink = DeployFiles.permalink(deploy);
    if (permalink == null) {
      return null;
    }
    try {
      java.net.URI base = dev.devops.http.Urls.parse(permalink);
      if (base == null) {
        return null;
      }
      String url =
          dev.devops.http.Urls.of(base)
              .root()
              .segments(NetlifyClient.filePath(path))
              .build()
              .toString();
      dev.devops.netlify.Fetched served = client.fetch(url);
      return served.isSuccessful() && Sha1.hex(served.body()).equals(sha) ? served.body() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void storeBlob(String sha, byte[] bytes, String path) throws IOException {
    Path blob = blobPath(sha);
    Path dir = blob.getParent();
    if (!Files.isDirectory(dir)) {
      AtomicFiles.createPrivateDirectories(dir);
    }
    Path tmp = dir.resolve(AtomicFiles.tempName(blob));
    AtomicFiles.write(tmp, bytes, AtomicFiles.OWNER_ONLY_FILE);
    AtomicFiles.moveIfAbsent(tmp, blob);
  }

  private Path newBackupDir(Instant now) throws IOException {
    String base = DIR_NAME.format(now);
    for (int i = 1; ; i++) {
      Path dir = root.resolve(i == 1 ? base : base + "-" + i);
      try {
        Files.createDirectory(dir);
        AtomicFiles.setPermissions(dir, AtomicFiles.OWNER_ONLY_DIR);
        return dir;
      } catch (FileAlreadyExistsException e) {
        // Two backups in one second: take the next suffix.
      }
    }
  }

  private static String envVars(
      NetlifyClient client, Site site, List<BackupManifest.EnvEntry> out) {
    if (site.accountId() == null) {
      return "Environment variables not recorded: the site has no account id.";
    }
    try {
      for (EnvVar v : client.getEnvVars(site.accountId(), site.id())) {
        List<BackupManifest.EnvValue> values = new ArrayList<>();
        if (v.values() != null) {
          for (EnvVar.Value value : v.values()) {
            values.add(
                new BackupManifest.EnvValue(value.context(), v.secret() ? null : value.value()));
          }
        }
        out.add(
            new BackupManifest.EnvEntry(v.key(), v.secret(), v.scopes(), values, v.updatedAt()));
      }
      out.sort(Comparator.comparing(BackupManifest.EnvEntry::key));
      return "Environment variables are not rolled back by a restore; values of secret variables are not stored.";
    } catch (NetlifyException e) {
      return "Environment variables not recorded: " + e.getMessage();
    }
  }

  private static BackupManifest.SiteInfo siteInfo(Site site) {
    Deploy published = site.publishedDeploy();
    return new BackupManifest.SiteInfo(
        site.id(),
        site.name(),
        site.liveUrl(),
        site.accountId(),
        published == null ? null : published.id(),
        site.isAutoPublishLocked());
  }

  private static BackupManifest.DeployInfo deployInfo(Deploy d, String version) {
    List<BackupManifest.FunctionEntry> functions = new ArrayList<>();
    for (Deploy.DeployFunction f : d.functionsOrEmpty()) {
      functions.add(new BackupManifest.FunctionEntry(f.name(), f.id()));
    }
    return new BackupManifest.DeployInfo(
        d.id(),
        version,
        d.title(),
        d.commitRef(),
        d.branch(),
        d.context(),
        d.state(),
        d.framework(),
        d.createdAt(),
        d.publishedAt(),
        d.isLocked(),
        functions);
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "backup-download-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
