package dev.devops.engine;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.netlify.Deploy;
import dev.devops.netlify.DeployFile;
import dev.devops.netlify.Download;
import dev.devops.netlify.EnvVar;
import dev.devops.netlify.InvalidInputException;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.NetlifyException;
import dev.devops.netlify.Sha1;
import dev.devops.netlify.Site;
import dev.devops.netlify.SiteFiles;
import dev.devops.util.AtomicFiles;
import dev.devops.util.Futures;
import dev.devops.util.Json;
import dev.devops.util.SafeFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code .devops/backups/}: one directory per backup with its manifest, and a shared blob store
 * ({@code blobs/ab/SHA1}) so that each file's bytes are kept once across all backups and all
 * deploys {@code devops deploy} made. Everything is owner-only, written atomically, streamed in
 * bounded memory and checked against its SHA1.
 *
 * <p>A backup is taken in two steps, so that a rollback's switch never waits for bytes: {@link
 * #record} writes the manifest (what was live: site, deploy, lock, env var names, every file with
 * its SHA1), then {@link #fetch} stores the bytes the store lacks, from the deploy's permalink
 * (where Netlify's API limit does not apply), else from the API, paced by the rate budget.
 */
public final class BackupStore {
  /** Parallel downloads from a deploy's permalink (served content, not the API). */
  static final int CDN_DOWNLOADS = 32;

  /** Parallel downloads through the API; the rate budget paces them further. */
  static final int API_DOWNLOADS = 4;

  static final long MAX_FILE_BYTES = 256L * 1024 * 1024;

  /** A manifest read whole: 50,000 files take about 8 MB, so this bound holds about 800,000. */
  static final long MAX_MANIFEST_BYTES = 128L * 1024 * 1024;

  /** Files Netlify consumes as configuration: its CDN does not serve them. */
  static final Set<String> RULE_FILES = Set.of("/_redirects", "/_headers", "/netlify.toml");

  private static final DateTimeFormatter DIR_NAME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path root;
  private final Path blobs;
  private final Clock clock;

  /**
   * Blobs this store has hashed or stored in this run: blobs never change, so one check a run is
   * enough (a rollback asks about every file several times).
   */
  private final Set<String> checked = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Blobs found missing in this run, not looked for on disk again (a rollback of 50,000 files asks
   * about each three times); one this store adds is in {@link #checked} from then on. One another
   * process adds meanwhile is at worst fetched again, and kept once.
   */
  private final Set<String> absent = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** By deploy id: whether its permalink served a file, asked while its manifest was made. */
  private final Map<String, CompletableFuture<Boolean>> permalinkProbes =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A site's env vars as a backup records them, and the note that goes with them. */
  private record EnvRead(List<BackupManifest.EnvEntry> entries, String note) {}

  private static EnvRead joinEnv(CompletableFuture<EnvRead> read) {
    try {
      return read.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  public BackupStore(Path stateDir, Clock clock) {
    this.root = stateDir.resolve("backups").toAbsolutePath().normalize();
    this.blobs = root.resolve("blobs");
    this.clock = clock;
  }

  /** A backup on disk. */
  public record Backup(Path dir, BackupManifest manifest) {}

  /**
   * What {@link #verify} found: blobs missing or whose bytes no longer match their SHA1, and
   * whether the backup holds every byte it should ({@code note} says why not).
   */
  public record Verification(
      Path dir,
      int files,
      int blobsChecked,
      List<String> missing,
      List<String> corrupt,
      boolean complete,
      String note) {
    public boolean ok() {
      return complete && missing.isEmpty() && corrupt.isEmpty();
    }

    /**
     * Incomplete, and nothing it holds is damaged: {@code backup create --resume} may finish it.
     */
    public boolean onlyIncomplete() {
      return !complete && corrupt.isEmpty();
    }
  }

  /** Told of a fetch as it goes; called from several threads. */
  public interface FetchListener {
    FetchListener NONE = new FetchListener() {};

    /** {@code files} files of {@code bytes} bytes are to be fetched from {@code source}. */
    default void fetching(int files, long bytes, String source) {}

    /** One more file of {@code bytes} bytes is stored. */
    default void fetched(long bytes) {}

    /** The API is the only way left: {@code files} requests take about {@code estimate}. */
    default void throughApi(int files, Duration estimate) {}
  }

  public Path root() {
    return root;
  }

  /**
   * Step one: records what {@code deploy} of {@code site} is (metadata, lock state, env var names
   * and non-secret values, every file with its SHA1) in a new backup's manifest, and stores nothing
   * else. The manifest says it is incomplete until {@link #fetch} has stored the bytes; it is
   * complete at once when the store already holds them all.
   *
   * @param kind {@link BackupManifest#PRE_ROLLBACK}, {@link BackupManifest#MANUAL}...
   */
  public Backup record(
      NetlifyClient client, Site site, Deploy deploy, String version, String reason, String kind) {
    Backup backup = prepare(client, site, deploy, version, reason, kind);
    write(backup);
    return backup;
  }

  /**
   * The manifest {@link #record} writes, not written yet: {@link #secureBeforeSwitch} and {@link
   * #fetch} write it once, when they end, so a rollback's switch waits for one manifest write.
   */
  public Backup prepare(
      NetlifyClient client, Site site, Deploy deploy, String version, String reason, String kind) {
    // The env vars are read while the file list is (another request, not another answer's wait).
    CompletableFuture<EnvRead> envVars =
        CompletableFuture.supplyAsync(
            () -> {
              List<BackupManifest.EnvEntry> entries = new ArrayList<>();
              String note = envVars(client, site, entries);
              return new EnvRead(entries, note);
            });
    try {
      SafeFiles.createPrivateDirectories(root);
      SafeFiles.createPrivateDirectories(blobs);
      Listed listed = list(client, site, deploy);
      List<BackupManifest.FileEntry> files = new ArrayList<>();
      long total = 0;
      for (DeployFile f : listed.files()) {
        files.add(entry(f, listed.source()));
        total += f.size() == null ? 0 : f.size();
      }
      files.sort(Comparator.comparing(BackupManifest.FileEntry::path));
      probeEarly(client, deploy, files);
      EnvRead read = joinEnv(envVars);
      List<BackupManifest.EnvEntry> env = read.entries();
      String envNote = read.note();
      Instant now = clock.instant();
      BackupManifest manifest =
          new BackupManifest(
              BackupManifest.FORMAT,
              now,
              reason,
              kind,
              siteInfo(site),
              deployInfo(deploy, version),
              env,
              envNote,
              files,
              listed.source(),
              listed.note(),
              List.of(),
              false,
              null,
              new BackupManifest.Stats(files.size(), total, 0, 0));
      Path dir = newBackupDir(now);
      List<String> missing = missingBlobs(manifest);
      BackupManifest.Stats counts =
          new BackupManifest.Stats(files.size(), total, 0, distinct(files) - missing.size());
      manifest = manifest.finished(List.of(), listed.note(), false, now, counts);
      Backup backup = new Backup(dir, manifest);
      if (missing.isEmpty()) {
        // Every byte is already here (a deploy devops made, an earlier backup): complete now.
        manifest =
            manifest.finished(List.of(), listed.note(), listed.source() != null, now, counts);
        backup = new Backup(dir, manifest);
      }
      return backup;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write the backup under " + root + ": " + e.getMessage(), e);
    }
  }

  /** Both steps at once: the manifest, then every byte (as {@code backup create} does). */
  public Backup create(
      NetlifyClient client,
      Site site,
      Deploy deploy,
      String version,
      String reason,
      String kind,
      FetchListener listener) {
    Backup backup = record(client, site, deploy, version, reason, kind);
    return backup.manifest().isComplete() ? backup : fetch(client, backup, deploy, true, listener);
  }

  /**
   * Before a switch, while {@code deploy} is still the published one: stores the bytes its
   * permalink will never serve (the rule files: Netlify's CDN does not serve them), through the
   * documented site-files API. Then tries one file through the permalink: when the permalink cannot
   * serve it (a password-protected site, say), stores every missing byte through the API now, while
   * the deploy is still published and the documented API can still reach it.
   */
  public Backup secureBeforeSwitch(
      NetlifyClient client, Backup backup, Deploy deploy, FetchListener listener) {
    BackupManifest m = backup.manifest();
    if (m.isComplete()) {
      write(backup);
      return backup;
    }
    Map<String, BackupManifest.FileEntry> missing = missingEntries(m);
    List<BackupManifest.FileEntry> rules = new ArrayList<>();
    for (BackupManifest.FileEntry f : missing.values()) {
      if (RULE_FILES.contains(f.path())) {
        rules.add(f);
      }
    }
    String siteId = m.site().id();
    fetchAll(rules, f -> fromSiteFiles(client, siteId, f), API_DOWNLOADS, listener);
    rules.forEach(f -> missing.remove(f.sha()));
    BackupManifest.FileEntry probe =
        missing.values().stream().min(Comparator.comparingLong(f -> f.size())).orElse(null);
    if (probe != null && !permalinkServes(client, deploy, probe)) {
      List<BackupManifest.FileEntry> rest = new ArrayList<>(missing.values());
      rest.remove(probe);
      listener.throughApi(rest.size() + 1, client.rateBudget().timeFor(rest.size() + 1));
      fetchAll(List.of(probe), f -> fromSiteFiles(client, siteId, f), API_DOWNLOADS, listener);
      fetchAll(rest, f -> fromSiteFiles(client, siteId, f), API_DOWNLOADS, listener);
    }
    return finish(backup, false);
  }

  /**
   * Step two: stores every byte the backup's files need that the store lacks, from the deploy's
   * permalink (each checked against its SHA1), else through the API: the documented site files
   * while {@code deploy} is published ({@code published}), else the per-deploy download. The
   * manifest is rewritten with what could not be had and, once nothing is missing, when the backup
   * became complete.
   */
  public Backup fetch(
      NetlifyClient client,
      Backup backup,
      Deploy deploy,
      boolean published,
      FetchListener listener) {
    Map<String, BackupManifest.FileEntry> missing = missingEntries(backup.manifest());
    if (!missing.isEmpty()) {
      List<BackupManifest.FileEntry> wanted = new ArrayList<>(missing.values());
      long bytes = wanted.stream().mapToLong(BackupManifest.FileEntry::size).sum();
      listener.fetching(wanted.size(), bytes, "permalink");
      List<BackupManifest.FileEntry> failed =
          fetchAll(wanted, f -> fromPermalink(client, deploy, f), CDN_DOWNLOADS, listener);
      if (!failed.isEmpty()) {
        String siteId = backup.manifest().site().id();
        listener.throughApi(failed.size(), client.rateBudget().timeFor(failed.size()));
        fetchAll(
            failed,
            f ->
                published
                    ? fromSiteFiles(client, siteId, f)
                    : fromDeployFiles(client, deploy.id(), f),
            API_DOWNLOADS,
            listener);
      }
    }
    return finish(backup, true);
  }

  /**
   * Finishes an incomplete backup ({@code backup create --resume}): the newest incomplete one, or
   * the one in {@code dir}.
   *
   * @throws IllegalArgumentException when there is none to resume
   */
  public Backup resume(NetlifyClient client, Path dir, FetchListener listener) {
    Backup backup =
        dir != null
            ? new Backup(dir, readManifest(dir))
            : incomplete().stream()
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No incomplete backup to resume."));
    if (backup.manifest().isComplete()) {
      return backup;
    }
    Deploy deploy = client.getDeploy(backup.manifest().deploy().id());
    Site site = client.getSite(backup.manifest().site().id());
    boolean published =
        site.publishedDeploy() != null && site.publishedDeploy().id().equals(deploy.id());
    return fetch(client, backup, deploy, published, listener);
  }

  /**
   * Puts the bytes of local files into the blob store: those it lacks, each checked against its
   * SHA1 as it is copied (a file changed since it was hashed is left out). Returns how many blobs
   * were added.
   */
  public int storeLocal(SiteFiles files) {
    try {
      SafeFiles.createPrivateDirectories(root);
      SafeFiles.createPrivateDirectories(blobs);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + blobs + ": " + e.getMessage(), e);
    }
    Map<String, Path> bySha = new LinkedHashMap<>();
    files.digest().forEach((path, sha) -> bySha.putIfAbsent(sha, files.file(path)));
    AtomicInteger fresh = new AtomicInteger();
    parallel(
        new ArrayList<>(bySha.entrySet()),
        CDN_DOWNLOADS,
        e -> {
          if (!isStored(e.getKey()) && copyIn(e.getValue(), e.getKey())) {
            fresh.incrementAndGet();
          }
        });
    return fresh.get();
  }

  /**
   * Keeps a deploy that {@code devops deploy} made from local files (their bytes stored with {@link
   * #storeLocal}): a manifest records its file list, so that a later backup or impact analysis of
   * this deploy needs neither the network nor an undocumented endpoint.
   */
  public Backup keep(Site site, Deploy deploy, String version, SiteFiles files, int newBlobs) {
    try {
      List<BackupManifest.FileEntry> entries = new ArrayList<>();
      long total = 0;
      for (Map.Entry<String, String> e : files.digest().entrySet()) {
        long size = Files.size(files.file(e.getKey()));
        entries.add(new BackupManifest.FileEntry("/" + e.getKey(), e.getValue(), size));
        total += size;
      }
      Instant now = clock.instant();
      BackupManifest manifest =
          new BackupManifest(
              BackupManifest.FORMAT,
              now,
              "deployed by devops deploy",
              BackupManifest.DEPLOY,
              siteInfo(site),
              deployInfo(deploy, version),
              List.of(),
              "Environment variables are not part of a deploy.",
              entries,
              "local",
              null,
              List.of(),
              false,
              null,
              new BackupManifest.Stats(entries.size(), total, newBlobs, 0));
      Backup backup = new Backup(newBackupDir(now), manifest);
      return finish(backup, true);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot keep the deploy's manifest under " + root + ": " + e.getMessage(), e);
    }
  }

  /** The newest manifest that lists {@code deployId}'s files, if this store has one. */
  public java.util.Optional<BackupManifest> filesOf(String deployId) {
    // Newest first, and no further than the first that lists it; a manifest that names another
    // deploy at its head is not read whole (50,000 files are megabytes of JSON to bind).
    List<Backup> found = new ArrayList<>();
    scan(
        head -> head.deployId() == null || head.deployId().equals(deployId),
        false,
        b -> {
          BackupManifest m = b.manifest();
          if (m.deploy() != null
              && deployId.equals(m.deploy().id())
              && (m.filesSource() != null || !m.files().isEmpty())) {
            found.add(b);
            return false;
          }
          return true;
        });
    return found.isEmpty()
        ? java.util.Optional.empty()
        : java.util.Optional.of(found.get(0).manifest());
  }

  /** Every backup with a readable manifest, newest first. */
  public List<Backup> list() {
    List<Backup> result = new ArrayList<>();
    scan(head -> true, false, result::add);
    return result;
  }

  /**
   * The backups whose manifest says they are incomplete, newest first: only those are read whole.
   */
  public List<Backup> incomplete() {
    List<Backup> result = new ArrayList<>();
    scan(
        head -> !Boolean.TRUE.equals(head.complete()),
        true,
        b -> {
          if (!b.manifest().isComplete()) {
            result.add(b);
          }
          return true;
        });
    return result;
  }

  /**
   * What a manifest says before (or, with {@code wholeHead}, around) its file list: its deploy's id
   * and whether it is complete, null where it does not say. Read as JSON tokens, not bound: a
   * manifest of 50,000 files is megabytes, and most searches need only this.
   */
  record Head(String deployId, Boolean complete) {
    static final Head UNKNOWN = new Head(null, null);
  }

  /**
   * The head of a manifest's {@code bytes}; {@link Head#UNKNOWN} when it cannot tell (the full read
   * then decides, and reports). Without {@code wholeHead} it stops at the file list, which comes
   * after the deploy in every manifest this store writes.
   */
  static Head readHead(byte[] bytes, boolean wholeHead) {
    try {
      String deployId = null;
      Boolean complete = null;
      try (JsonParser p = Json.mapper().getFactory().createParser(bytes)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          return Head.UNKNOWN;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken value = p.nextToken();
          if (name.equals("deploy") && value == JsonToken.START_OBJECT) {
            JsonNode deploy = p.readValueAsTree();
            deployId = deploy.path("id").isTextual() ? deploy.path("id").asText() : null;
          } else if (name.equals("complete") && value.isBoolean()) {
            complete = p.getBooleanValue();
          } else if (name.equals("files") && !wholeHead) {
            break;
          } else {
            p.skipChildren();
          }
        }
      }
      return new Head(deployId, complete);
    } catch (IOException | RuntimeException e) {
      return Head.UNKNOWN;
    }
  }

  /**
   * Reads each backup with a readable manifest, newest first, until {@code visit} answers false;
   * one whose {@link Head} {@code worthReading} refuses is passed over unread.
   */
  private void scan(
      java.util.function.Predicate<Head> worthReading,
      boolean wholeHead,
      java.util.function.Predicate<Backup> visit) {
    try {
      List<Path> dirs = new ArrayList<>(SafeFiles.list(root));
      dirs.sort(Comparator.reverseOrder());
      for (Path dir : dirs) {
        if (dir.equals(blobs) || !SafeFiles.isRegularFile(dir.resolve("manifest.json"))) {
          continue;
        }
        Backup backup;
        try {
          byte[] bytes = manifestBytes(dir);
          if (!worthReading.test(readHead(bytes, wholeHead))) {
            continue;
          }
          backup = new Backup(dir, parseManifest(dir, bytes));
        } catch (IllegalArgumentException e) {
          continue; // An unreadable manifest is reported by verify, not by list.
        }
        if (!visit.test(backup)) {
          return;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + root + ": " + e.getMessage(), e);
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
        || !isManifest(dir.resolve("manifest.json"))) {
      throw new IllegalArgumentException(
          "No backup at '" + dirArgument + "': pass a directory listed by 'devops backup list'.");
    }
    return dir;
  }

  private static boolean isManifest(Path file) {
    try {
      return SafeFiles.isRegularFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public BackupManifest readManifest(Path dir) {
    return parseManifest(dir, manifestBytes(dir));
  }

  /** The bytes of {@code dir}'s manifest, read once for its head and, when needed, the rest. */
  private static byte[] manifestBytes(Path dir) {
    try {
      return SafeFiles.readBounded(dir.resolve("manifest.json"), MAX_MANIFEST_BYTES)
          .orElseThrow(() -> new java.nio.file.NoSuchFileException("no manifest.json"));
    } catch (dev.devops.util.UnsafeFileException e) {
      throw new UncheckedIOException(e);
    } catch (IOException e) {
      throw unreadable(dir, e);
    }
  }

  private static IllegalArgumentException unreadable(Path dir, IOException e) {
    return new IllegalArgumentException(
        "Backup manifest " + dir.resolve("manifest.json") + " is unreadable: " + e.getMessage(), e);
  }

  /** {@code bytes} as {@code dir}'s manifest, checked: every path and SHA1 safe to use. */
  private static BackupManifest parseManifest(Path dir, byte[] bytes) {
    try {
      BackupManifest manifest = Json.mapper().readValue(bytes, BackupManifest.class);
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
      throw unreadable(dir, e);
    }
  }

  /** Checks that every blob of the backup in {@code dir} exists and still has its SHA1. */
  public Verification verify(Path dir) {
    BackupManifest manifest = readManifest(dir);
    List<String> missing = new ArrayList<>();
    List<String> corrupt = new ArrayList<>();
    Map<String, String> pathBySha = new LinkedHashMap<>();
    Set<String> unavailable = Set.copyOf(manifest.unavailableOrEmpty());
    for (BackupManifest.FileEntry f : manifest.files()) {
      if (!unavailable.contains(f.path())) {
        pathBySha.putIfAbsent(f.sha(), f.path());
      }
    }
    for (Map.Entry<String, String> e : pathBySha.entrySet()) {
      Path blob = blobPath(e.getKey());
      switch (entryAt(blob)) {
        case ABSENT, OTHER -> missing.add(e.getValue());
        case LINK -> corrupt.add(e.getValue()); // not the stored bytes, wherever it points
        case FILE -> {
          if (!e.getKey().equals(sha1Of(blob))) {
            corrupt.add(e.getValue());
          }
        }
      }
    }
    return new Verification(
        dir,
        manifest.files().size(),
        pathBySha.size(),
        missing,
        corrupt,
        manifest.isComplete(),
        manifest.filesNote());
  }

  /**
   * The files of a backup as a deploy wants them: each manifest path (validated) with its SHA1,
   * read from the blob store, so a recovery deploys them without copying them. Each blob is hashed
   * first (never through a link): the deploy uploads what the file holds. Files the backup could
   * not download are left out.
   *
   * @throws IllegalStateException when a blob the manifest names is missing or damaged
   */
  public SiteFiles siteFiles(BackupManifest manifest) {
    Set<String> unavailable = Set.copyOf(manifest.unavailableOrEmpty());
    // Every blob is checked first: a deploy uploads what the file holds, whatever the manifest
    // says.
    Map<String, BackupManifest.FileEntry> missing = missingEntries(manifest);
    Map<String, String> digest = new LinkedHashMap<>();
    Map<String, Path> files = new LinkedHashMap<>();
    long bytes = 0;
    for (BackupManifest.FileEntry f : manifest.files()) {
      if (unavailable.contains(f.path())) {
        continue;
      }
      String relative = NetlifyClient.filePath(f.path());
      Path blob = blobPath(f.sha());
      if (missing.containsKey(f.sha())) {
        throw new IllegalStateException(
            "Backup blob " + f.sha() + " is missing or damaged: " + blob);
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

  // ---- listing

  private record Listed(List<DeployFile> files, String source, String note) {}

  /** The deploy's files from the best source there is (see {@link DeployFiles#find}). */
  private Listed list(NetlifyClient client, Site site, Deploy deploy) {
    DeployFiles.Listing found = DeployFiles.find(client, this, site, deploy);
    if (found != null) {
      return new Listed(found.files(), found.source(), null);
    }
    return new Listed(
        List.of(),
        null,
        "Netlify lists only the published deploy's files, and no earlier backup has this one's:"
            + " the backup holds its metadata only.");
  }

  private static BackupManifest.FileEntry entry(DeployFile f, String source) {
    String path = "/" + listedPath(f.path(), source);
    String sha = f.sha() == null ? "" : f.sha().toLowerCase(java.util.Locale.ROOT);
    if (!Sha1.isValid(sha)) {
      // The API's answer is wrong, not the program: exit as an API failure.
      throw new NetlifyException(
          "listSiteFiles",
          0,
          "Netlify listed file " + path + " without a valid SHA1: refusing to back it up.",
          null);
    }
    return new BackupManifest.FileEntry(path, sha, f.size() == null ? 0 : f.size());
  }

  /** A file path the API listed, checked: an unsafe one is a bad answer, never a path we use. */
  private static String listedPath(String path, String source) {
    try {
      return NetlifyClient.filePath(path);
    } catch (InvalidInputException e) {
      throw new NetlifyException(
          "site_files".equals(source) ? "listSiteFiles" : "listDeployFiles",
          0,
          "Netlify listed an unsafe file path (" + e.getMessage() + "): refusing to back it up.",
          e);
    }
  }

  // ---- bytes

  /** The manifest's files whose blobs the store lacks (not counting known-unavailable), by SHA1. */
  private Map<String, BackupManifest.FileEntry> missingEntries(BackupManifest m) {
    // Blobs not looked at yet this run are looked at (and hashed, when there) on every core.
    Set<String> unseen = new java.util.HashSet<>();
    for (BackupManifest.FileEntry f : m.files()) {
      if (!checked.contains(f.sha()) && !absent.contains(f.sha())) {
        unseen.add(f.sha());
      }
    }
    if (unseen.size() > 100) {
      unseen.parallelStream().forEach(this::isStored);
    }
    Map<String, BackupManifest.FileEntry> missing = new LinkedHashMap<>();
    for (BackupManifest.FileEntry f : m.files()) {
      if (!missing.containsKey(f.sha()) && !isStored(f.sha())) {
        missing.put(f.sha(), f);
      }
    }
    return missing;
  }

  List<String> missingBlobs(BackupManifest m) {
    List<String> paths = new ArrayList<>();
    for (BackupManifest.FileEntry f : missingEntries(m).values()) {
      paths.add(f.path());
    }
    return paths;
  }

  /** One way of getting one file's bytes into the store: true when stored and checked. */
  @FunctionalInterface
  private interface Source {
    boolean store(BackupManifest.FileEntry file);
  }

  /** Runs {@code source} over {@code files}, {@code threads} at a time; returns those it failed. */
  private List<BackupManifest.FileEntry> fetchAll(
      List<BackupManifest.FileEntry> files, Source source, int threads, FetchListener listener) {
    List<BackupManifest.FileEntry> failed = Collections.synchronizedList(new ArrayList<>());
    parallel(
        files,
        threads,
        f -> {
          if (source.store(f)) {
            listener.fetched(f.size());
          } else {
            failed.add(f);
          }
        });
    failed.sort(Comparator.comparing(BackupManifest.FileEntry::path));
    return failed;
  }

  /**
   * Asks the permalink of {@code deploy} for its smallest file that the permalink can serve, on a
   * thread of its own, while the manifest is made: the answer {@link #secureBeforeSwitch} needs is
   * then ready (one round trip less before the switch). Its bytes are checked and dropped: the
   * store and the manifest's counts are left exactly as they would be without it.
   */
  private void probeEarly(
      NetlifyClient client, Deploy deploy, List<BackupManifest.FileEntry> files) {
    files.stream()
        .filter(f -> !RULE_FILES.contains(f.path()))
        .min(Comparator.comparingLong(BackupManifest.FileEntry::size))
        .ifPresent(
            f ->
                permalinkProbes.put(
                    deploy.id(),
                    CompletableFuture.supplyAsync(
                        () -> permalinkServesRight(client, deploy, f),
                        task -> {
                          Thread t = new Thread(task, "devops-permalink-probe");
                          t.setDaemon(true);
                          t.start();
                        })));
  }

  /**
   * Whether the permalink of {@code deploy} serves its files: the early probe's answer when it
   * served one, else (it failed, or none was made) asked now with {@code missing}.
   */
  private boolean permalinkServes(
      NetlifyClient client, Deploy deploy, BackupManifest.FileEntry missing) {
    CompletableFuture<Boolean> early = permalinkProbes.remove(deploy.id());
    if (early != null) {
      try {
        if (Futures.join(early)) {
          return true;
        }
      } catch (RuntimeException e) {
        // Asked again below, where a failure that matters (a refused token) is thrown as before.
      }
    }
    return fromPermalink(client, deploy, missing);
  }

  private boolean fromPermalink(NetlifyClient client, Deploy deploy, BackupManifest.FileEntry f) {
    String url = permalinkUrl(deploy, f);
    return url != null && download(f, tmp -> client.downloadServed(url, tmp, MAX_FILE_BYTES));
  }

  /** Whether the permalink serves {@code f} with its SHA1; nothing is stored. */
  private boolean permalinkServesRight(
      NetlifyClient client, Deploy deploy, BackupManifest.FileEntry f) {
    String url = permalinkUrl(deploy, f);
    if (url == null) {
      return false;
    }
    // Beside its blob, as every download's temporary file: one a kill leaves is swept there.
    Path blob = blobPath(f.sha());
    Path tmp = blob.getParent().resolve(AtomicFiles.tempName(blob));
    try {
      SafeFiles.createPrivateDirectories(blob.getParent());
      Download got = client.downloadServed(url, tmp, MAX_FILE_BYTES);
      return got.isSuccessful() && f.sha().equals(got.sha1());
    } catch (NetlifyException e) {
      if (e.isAuth()) {
        throw e;
      }
      return false;
    } catch (IOException e) {
      return false; // asked again before the switch, where a failure to store is reported
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // A leftover temporary file is swept by the next run.
      }
    }
  }

  /** The URL of {@code f} on the permalink of {@code deploy}; null when it serves none. */
  private static String permalinkUrl(Deploy deploy, BackupManifest.FileEntry f) {
    String permalink = deploy.permalink();
    if (permalink == null || RULE_FILES.contains(f.path())) {
      return null;
    }
    java.net.URI base = dev.devops.http.Urls.parse(permalink);
    if (base == null) {
      return null;
    }
    return dev.devops.http.Urls.of(base)
        .root()
        .segments(NetlifyClient.filePath(f.path()))
        .build()
        .toString();
  }

  private boolean fromSiteFiles(NetlifyClient client, String siteId, BackupManifest.FileEntry f) {
    return download(f, tmp -> client.downloadSiteFile(siteId, f.path(), tmp, MAX_FILE_BYTES));
  }

  private boolean fromDeployFiles(
      NetlifyClient client, String deployId, BackupManifest.FileEntry f) {
    return download(f, tmp -> client.downloadDeployFile(deployId, f.path(), tmp, MAX_FILE_BYTES));
  }

  /** Streams one file into a temporary blob, keeps it only when its SHA1 matches. */
  private boolean download(
      BackupManifest.FileEntry f, java.util.function.Function<Path, Download> fetch) {
    Path blob = blobPath(f.sha());
    Path tmp = null;
    try {
      SafeFiles.createPrivateDirectories(blob.getParent());
      tmp = blob.getParent().resolve(AtomicFiles.tempName(blob));
      Download got = fetch.apply(tmp);
      if (got.isSuccessful() && f.sha().equals(got.sha1())) {
        AtomicFiles.setPermissions(tmp, AtomicFiles.OWNER_ONLY_FILE);
        // A blob that was there already is not known good: isStored hashes it.
        if (AtomicFiles.moveIfAbsent(tmp, blob)) {
          checked.add(f.sha());
        }
        return true;
      }
      return false;
    } catch (NetlifyException e) {
      if (e.isAuth()) {
        throw e;
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot store a backup blob under " + blobs, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // A leftover temporary blob is swept by the next run.
        }
      }
    }
  }

  /** Copies a local file into the store, checking its SHA1 on the way; false when it changed. */
  private boolean copyIn(Path file, String sha) {
    Path blob = blobPath(sha);
    Path tmp = null;
    try {
      SafeFiles.createPrivateDirectories(blob.getParent());
      tmp = blob.getParent().resolve(AtomicFiles.tempName(blob));
      MessageDigest digest = Sha1.newDigest();
      try (InputStream in = Files.newInputStream(file);
          var out = Files.newOutputStream(tmp)) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
          out.write(buffer, 0, n);
        }
      }
      if (!sha.equals(Sha1.hex(digest))) {
        return false;
      }
      AtomicFiles.setPermissions(tmp, AtomicFiles.OWNER_ONLY_FILE);
      if (AtomicFiles.moveIfAbsent(tmp, blob)) {
        checked.add(sha);
      }
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Swept by the next run.
        }
      }
    }
  }

  /** The blob is stored and still has its SHA1; a damaged one is removed, to be fetched again. */
  private boolean isStored(String sha) {
    if (checked.contains(sha)) {
      return true;
    }
    if (absent.contains(sha)) {
      return false;
    }
    Path blob = blobPath(sha);
    BlobEntry entry = entryAt(blob);
    if (entry != BlobEntry.FILE) {
      if (entry != BlobEntry.ABSENT) {
        refuseIfUnsafe(blob); // a link, a FIFO...: refused by name, never followed
      }
      absent.add(sha);
      return false;
    }
    if (sha.equals(sha1Of(blob))) {
      checked.add(sha);
      return true;
    }
    try {
      Files.deleteIfExists(blob);
    } catch (IOException ignored) {
      // It stays missing either way.
    }
    absent.add(sha);
    return false;
  }

  /** What a blob's path holds, seen without following a link. */
  private enum BlobEntry {
    ABSENT,
    FILE,
    LINK,
    OTHER
  }

  /**
   * What {@code blob} is. Absent, the usual case in a fresh folder, 50,000 times over, costs one
   * stat: an attribute read without following links throws for an absent file (with its stack
   * trace, 0.8 s of CPU for 50,000 blobs). A dangling link counts as absent: a download's rename
   * replaces it.
   */
  private static BlobEntry entryAt(Path blob) {
    if (!Files.exists(blob)) {
      return BlobEntry.ABSENT;
    }
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(blob, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (IOException e) {
      return BlobEntry.ABSENT; // removed since
    }
    if (attrs.isRegularFile()) {
      return BlobEntry.FILE;
    }
    return attrs.isSymbolicLink() ? BlobEntry.LINK : BlobEntry.OTHER;
  }

  /** Throws, naming it, when {@code blob} is there but is not a plain file of this user. */
  private static void refuseIfUnsafe(Path blob) {
    try {
      SafeFiles.isRegularFile(blob);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rewrites the manifest with what is still missing; complete when nothing is. */
  private Backup finish(Backup backup, boolean finalAttempt) {
    BackupManifest m = backup.manifest();
    List<String> missing = missingBlobs(m);
    int stored = distinct(m.files()) - missing.size();
    BackupManifest.Stats before = m.stats();
    int reused = before == null ? 0 : before.reusedBlobs();
    int fresh = Math.max(0, stored - reused);
    String note = m.filesNote();
    boolean listed = m.filesSource() != null;
    boolean complete = listed && missing.isEmpty();
    if (finalAttempt && !missing.isEmpty()) {
      note =
          missing.size()
              + " file(s) could not be had with their SHA1 from the deploy's permalink or the"
              + " API (listed in 'unavailable'); 'devops backup create --resume' tries again.";
    }
    BackupManifest done =
        m.finished(
            finalAttempt ? missing : List.of(),
            note,
            complete,
            clock.instant(),
            new BackupManifest.Stats(
                m.files().size(), before == null ? 0 : before.totalBytes(), fresh, reused));
    Backup updated = new Backup(backup.dir(), done);
    write(updated);
    return updated;
  }

  private void write(Backup backup) {
    try {
      SafeFiles.write(
          backup.dir().resolve("manifest.json"),
          Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(backup.manifest()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write the backup manifest in " + backup.dir() + ": " + e.getMessage(), e);
    }
  }

  private static int distinct(List<BackupManifest.FileEntry> files) {
    return (int) files.stream().map(BackupManifest.FileEntry::sha).distinct().count();
  }

  private static <T> void parallel(
      List<T> items, int threads, java.util.function.Consumer<T> work) {
    if (items.isEmpty()) {
      return;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(threads, items.size()), daemonThreads());
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> work.accept(item)));
      }
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
      throw new IllegalStateException("Interrupted while storing backup files.", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A blob's SHA1, read without following a link; "" when it cannot be read. */
  private static String sha1Of(Path blob) {
    try (FileChannel channel =
        FileChannel.open(blob, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      return Sha1.hex(channel);
    } catch (IOException e) {
      return "";
    }
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
      Thread t = new Thread(r, "backup-fetch-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
