package dev.devops.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devops.local.Model.DeployRecord;
import dev.devops.local.Model.EnvFile;
import dev.devops.local.Model.LogEntry;
import dev.devops.local.Model.Meta;
import dev.devops.local.Model.Publication;
import dev.devops.local.Model.SiteRecord;
import dev.devops.rules.RuleError;
import dev.devops.rules.RuleFileSource;
import dev.devops.rules.RuleSet;
import dev.devops.rules.RulesSummary;
import dev.devops.rules.SummaryMessage;
import dev.devops.util.AtomicFiles;
import dev.devops.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The platform's state: sites, deploys, env vars and blobs, on disk under one directory.
 *
 * <p>Every mutation happens under this object's monitor and is written (atomically, via {@link
 * AtomicFiles}) before the monitor is released. The publish pointer of a site lives in its own
 * file, so switching the published deploy is one atomic rename. What the static host serves is kept
 * apart in immutable {@link Served} snapshots swapped through {@link AtomicReference}s, so serving
 * never takes the lock.
 */
final class Store {
  /**
   * A deploy's file map lies beside its record, in {@code deploys/ID.files-N.json}: each map that
   * is saved gets a new N, and the record names its map, so writing the record is what switches
   * from one map to the next (a crash between the two writes leaves the old pair).
   */
  private static final String FILES_MARK = ".files-";

  private static final com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, String>>
      FILE_MAP = new com.fasterxml.jackson.core.type.TypeReference<>() {};

  static final String ACCOUNT_SCOPE = "account";
  private static final byte[] EMPTY_OBJECT = {'{', '}'};

  private final Path root;
  private final ObjectMapper json = Json.mapper();
  final BlobStore blobs;
  final BlobStore functions;
  private final ExecutorService background;
  private Meta meta;
  private Instant lastCreatedAt = Instant.EPOCH;
  private final Map<String, SiteRecord> sites = new LinkedHashMap<>();
  private final Map<String, DeployRecord> deploys = new LinkedHashMap<>();
  private final Map<String, EnvFile> env = new LinkedHashMap<>();

  /** Site metadata as stored (compact JSON bytes), by site id; absent means {@code {}}. */
  private final Map<String, byte[]> metadata = new LinkedHashMap<>();

  private final Map<String, AtomicReference<Served>> servedBySite = new ConcurrentHashMap<>();
  private final Map<String, Served> servedByDeploy = new ConcurrentHashMap<>();

  /** Latest ready deploy per branch, keyed by its host label {@code BRANCH--SITE}. */
  private final Map<String, Served> servedByBranch = new ConcurrentHashMap<>();

  /** Told of each deploy that becomes ready, on the background thread, outside the lock. */
  private volatile Consumer<DeployRecord> onReady = deploy -> {};

  Store(Path root, ExecutorService background) throws IOException {
    this.root = root;
    this.background = background;
    Files.createDirectories(root);
    sweepTemporaryFiles();
    this.blobs = new BlobStore(root.resolve("blobs"), "SHA-1");
    this.functions = new BlobStore(root.resolve("functions"), "SHA-256");
    load();
  }

  // ---- loading -------------------------------------------------------------------------------

  private void sweepTemporaryFiles() throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (AtomicFiles.isTempName(file.getFileName().toString())) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  private synchronized void load() throws IOException {
    Path metaFile = root.resolve("meta.json");
    if (Files.exists(metaFile)) {
      meta = read(metaFile, json.constructType(Meta.class));
    } else {
      meta = new Meta();
      meta.accountId = Ids.newId();
      meta.accountSlug = "local";
      meta.userId = Ids.newId();
      meta.createdAt = Ids.now();
      write(metaFile, meta);
    }
    for (SiteRecord site :
        readAll("sites", SiteRecord.class, s -> s.id != null && s.name != null, "a site")) {
      sites.put(site.id, site);
    }
    List<DeployRecord> loaded =
        readAll(
            "deploys",
            DeployRecord.class,
            d -> d.id != null && d.siteId != null && d.createdAt != null,
            "a deploy");
    loaded.sort(Comparator.comparing(d -> d.createdAt));
    Set<String> mapsInUse = new java.util.HashSet<>();
    for (DeployRecord deploy : loaded) {
      if (sites.containsKey(deploy.siteId)) {
        if (deploy.filesFile != null) {
          deploy.files =
              read(filesPath(deploy.filesFile), json.getTypeFactory().constructType(FILE_MAP));
          deploy.filesSaved = deploy.files;
          mapsInUse.add(deploy.filesFile);
        }
        deploys.put(deploy.id, deploy);
        lastCreatedAt = deploy.createdAt; // loaded oldest first
      } else {
        deleteFiles(deploy); // its site was deleted
      }
    }
    sweepFileMaps(mapsInUse);
    Path envDir = root.resolve("env");
    if (Files.isDirectory(envDir)) {
      try (Stream<Path> files = Files.list(envDir)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          String name = file.getFileName().toString();
          if (name.endsWith(".json")) {
            env.put(
                name.substring(0, name.length() - 5),
                read(file, json.constructType(EnvFile.class)));
          }
        }
      }
    }
    Path metadataDir = root.resolve("metadata");
    if (Files.isDirectory(metadataDir)) {
      try (Stream<Path> files = Files.list(metadataDir)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          String name = file.getFileName().toString();
          String siteId = name.endsWith(".json") ? name.substring(0, name.length() - 5) : null;
          if (siteId != null && sites.containsKey(siteId)) {
            metadata.put(siteId, Files.readAllBytes(file));
          } else if (siteId != null) {
            delete(file); // its site was deleted
          }
        }
      }
    }
    for (DeployRecord deploy : deploys.values()) {
      if ("ready".equals(deploy.state)) {
        servedByDeploy.put(deploy.id, snapshot(deploy));
      }
    }
    for (SiteRecord site : sites.values()) {
      refreshServed(site);
      deploysOf(site).stream()
          .map(d -> d.branch)
          .filter(java.util.Objects::nonNull)
          .distinct()
          .forEach(branch -> refreshBranch(site, branch));
    }
    // Finish what a previous run left in flight: processing deploys, and auto-publishes that
    // were decided but not yet written to the site.
    for (DeployRecord deploy : List.copyOf(deploys.values())) {
      if ("processing".equals(deploy.state)) {
        scheduleProcessing(deploy.id);
      } else if ("uploading".equals(deploy.state)) {
        advanceIfUploaded(deploy); // the last blob landed, but its state change did not
        if (!"uploading".equals(deploy.state)) {
          save(deploy);
        }
      } else if ("ready".equals(deploy.state) && deploy.publishPending) {
        SiteRecord site = sites.get(deploy.siteId);
        if (!deploy.id.equals(site.publishedDeployId())) {
          publish(site, deploy, "auto");
        }
        deploy.publishPending = false;
        save(deploy);
      }
    }
  }

  /**
   * The records in {@code dir}; one that is not JSON, or lacks what {@code whole} needs, stops the
   * load with a message naming it ({@code what}: "a deploy").
   */
  private <T> List<T> readAll(
      String dir, Class<T> type, java.util.function.Predicate<T> whole, String what)
      throws IOException {
    List<T> result = new ArrayList<>();
    Path path = root.resolve(dir);
    if (!Files.isDirectory(path)) {
      return result;
    }
    try (Stream<Path> files = Files.list(path)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json") && !name.contains(FILES_MARK)) {
          T record = read(file, json.constructType(type));
          if (record == null || !whole.test(record)) {
            throw new DataFileException(
                display(file) + " is not " + what + " record the platform wrote: move it aside");
          }
          result.add(record);
        }
      }
    }
    return result;
  }

  /** A file of the data folder that is not what the platform writes there (torn, edited). */
  static final class DataFileException extends IOException {
    private static final long serialVersionUID = 1L;

    DataFileException(String message) {
      super(message);
    }
  }

  /** {@code file} as {@code type}; not JSON is a {@link DataFileException} naming the file. */
  private <T> T read(Path file, com.fasterxml.jackson.databind.JavaType type) throws IOException {
    try {
      return json.readValue(file.toFile(), type);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
      throw new DataFileException(
          display(file)
              + " is not valid JSON"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")")
              + ": move it aside, or restore it from a copy");
    }
  }

  /** {@code file} relative to the data folder, as messages name it. */
  private String display(Path file) {
    return root.relativize(file).toString();
  }

  private void write(Path file, Object value) {
    try {
      AtomicFiles.write(file, json.writeValueAsBytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void delete(Path file) {
    try {
      Files.deleteIfExists(file);
      AtomicFiles.syncDirectory(file.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void save(SiteRecord site) {
    site.updatedAt = Ids.now();
    write(root.resolve("sites").resolve(site.id + ".json"), site);
  }

  /**
   * Writes {@code deploy}; its file map only when that map is not on disk yet (a map is replaced,
   * never changed in place): the new map first, then the record that names it, then the old map.
   */
  void save(DeployRecord deploy) {
    deploy.updatedAt = Ids.now();
    String oldMap = deploy.filesFile;
    if (deploy.filesSaved != deploy.files) {
      String name = deploy.id + FILES_MARK + Long.toHexString(System.nanoTime()) + ".json";
      write(filesPath(name), deploy.files);
      deploy.filesFile = name;
      deploy.filesSaved = deploy.files;
    }
    write(root.resolve("deploys").resolve(deploy.id + ".json"), deploy);
    if (oldMap != null && !oldMap.equals(deploy.filesFile)) {
      delete(filesPath(oldMap));
    }
  }

  /** A file map's path; its name comes from our own record, checked all the same. */
  private Path filesPath(String name) {
    if (!name.matches("[A-Za-z0-9]+\\.files-[0-9a-f]+\\.json")) {
      throw new IllegalStateException("Not a file map of this store: " + name);
    }
    return root.resolve("deploys").resolve(name);
  }

  /** Deletes the record of {@code deploy}, then its file map. */
  private void deleteFiles(DeployRecord deploy) {
    delete(root.resolve("deploys").resolve(deploy.id + ".json"));
    if (deploy.filesFile != null) {
      delete(filesPath(deploy.filesFile));
    }
  }

  /** Deletes the file maps no record names (a crash between writing a map and its record). */
  private void sweepFileMaps(Set<String> inUse) throws IOException {
    Path dir = root.resolve("deploys");
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.contains(FILES_MARK) && !inUse.contains(name)) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  void saveEnv(String scope) {
    write(root.resolve("env").resolve(scope + ".json"), env.get(scope));
  }

  // ---- queries --------------------------------------------------------------------------------

  synchronized Meta meta() {
    return meta;
  }

  synchronized List<SiteRecord> sites() {
    return new ArrayList<>(sites.values());
  }

  /** A site by id. */
  synchronized SiteRecord site(String id) {
    SiteRecord site = sites.get(id);
    if (site == null) {
      throw ApiException.notFound("Site");
    }
    return site;
  }

  /** A site by id, else null. */
  synchronized SiteRecord siteById(String id) {
    return sites.get(id);
  }

  /** A site by name, else null. */
  synchronized SiteRecord siteByName(String name) {
    return sites.values().stream().filter(s -> s.name.equals(name)).findFirst().orElse(null);
  }

  synchronized DeployRecord deploy(String id) {
    DeployRecord deploy = deploys.get(id);
    if (deploy == null) {
      throw ApiException.notFound("Deploy");
    }
    return deploy;
  }

  synchronized DeployRecord deployOfSite(SiteRecord site, String deployId) {
    DeployRecord deploy = deploy(deployId);
    if (!deploy.siteId.equals(site.id)) {
      throw ApiException.notFound("Deploy");
    }
    return deploy;
  }

  /** Deploys of a site, newest first. */
  synchronized List<DeployRecord> deploysOf(SiteRecord site) {
    List<DeployRecord> result = new ArrayList<>();
    for (DeployRecord deploy : deploys.values()) {
      if (deploy.siteId.equals(site.id)) {
        result.add(deploy);
      }
    }
    result.sort(
        Comparator.comparing((DeployRecord d) -> d.createdAt).thenComparing(d -> d.id).reversed());
    return result;
  }

  /**
   * When {@code deploy} was published on its site: the last time, or with {@code first} the first
   * time; null if never.
   */
  synchronized Instant publishedAt(DeployRecord deploy, boolean first) {
    SiteRecord site = sites.get(deploy.siteId);
    if (site == null) {
      return null;
    }
    Instant at = null;
    for (int i = site.publications.size() - 1; i >= 0; i--) {
      Publication publication = site.publications.get(i);
      if (publication.deployId.equals(deploy.id)) {
        at = publication.at;
        if (!first) {
          break;
        }
      }
    }
    return at;
  }

  synchronized DeployRecord publishedDeploy(SiteRecord site) {
    String id = site.publishedDeployId();
    return id == null ? null : deploys.get(id);
  }

  /** SHA1s and SHA256s a deploy still waits for, in digest order of first appearance. */
  synchronized List<String> requiredFiles(DeployRecord deploy) {
    Set<String> missing = new LinkedHashSet<>();
    for (String sha : deploy.files.values()) {
      if (!blobs.has(sha)) {
        missing.add(sha);
      }
    }
    return new ArrayList<>(missing);
  }

  synchronized List<String> requiredFunctions(DeployRecord deploy) {
    Set<String> missing = new LinkedHashSet<>();
    for (String sha : deploy.functions.values()) {
      if (!functions.has(sha)) {
        missing.add(sha);
      }
    }
    return new ArrayList<>(missing);
  }

  // ---- sites ----------------------------------------------------------------------------------

  synchronized SiteRecord createSite(String name) {
    String siteName = name == null || name.isBlank() ? "site-" + Ids.newId().substring(16) : name;
    if (!siteName.matches("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?") || siteName.contains("--")) {
      throw ApiException.unprocessable(
          "name: may only contain lowercase letters, digits and single hyphens, up to 63"
              + " characters");
    }
    if (sites.values().stream().anyMatch(s -> s.name.equals(siteName))) {
      throw ApiException.unprocessable("name: must be unique (" + siteName + " is taken)");
    }
    SiteRecord site = new SiteRecord();
    site.id = Ids.newId();
    site.name = siteName;
    site.createdAt = Ids.now();
    save(site);
    sites.put(site.id, site);
    servedBySite.put(site.name, new AtomicReference<>());
    return site;
  }

  /**
   * Deletes a site with its deploys and env vars. Removing the site's file is the commit point:
   * deploy records left by a crash right after it belong to no site and are dropped at start.
   */
  synchronized void deleteSite(SiteRecord site) {
    delete(root.resolve("sites").resolve(site.id + ".json"));
    sites.remove(site.id);
    servedBySite.remove(site.name);
    servedByBranch.keySet().removeIf(label -> label.endsWith("--" + site.name));
    for (DeployRecord deploy : List.copyOf(deploys.values())) {
      if (deploy.siteId.equals(site.id)) {
        deploys.remove(deploy.id);
        servedByDeploy.remove(deploy.id);
        deleteFiles(deploy);
      }
    }
    env.remove(site.id);
    delete(root.resolve("env").resolve(site.id + ".json"));
    metadata.remove(site.id);
    delete(root.resolve("metadata").resolve(site.id + ".json"));
  }

  // ---- site metadata ----------------------------------------------------------------------------

  /** The site's metadata object as JSON bytes ({@code {}} until one is stored). */
  synchronized byte[] metadata(SiteRecord site) {
    return metadata.getOrDefault(site.id, EMPTY_OBJECT);
  }

  /** Replaces the site's metadata object: written (atomically) before this returns. */
  synchronized void replaceMetadata(SiteRecord site, byte[] json) {
    if (!sites.containsKey(site.id)) {
      throw ApiException.notFound("Site"); // deleted meanwhile
    }
    try {
      AtomicFiles.write(root.resolve("metadata").resolve(site.id + ".json"), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    metadata.put(site.id, json);
  }

  // ---- deploys --------------------------------------------------------------------------------

  record DeployRequest(
      String title,
      Boolean draft,
      String branch,
      String commitRef,
      String framework,
      String frameworkVersion,
      String deploySource,
      Map<String, String> files,
      Map<String, String> functions) {}

  synchronized DeployRecord createDeploy(SiteRecord site, DeployRequest request) {
    DeployRecord deploy = new DeployRecord();
    deploy.id = Ids.newId();
    deploy.siteId = site.id;
    deploy.state = "new";
    deploy.createdAt = nextCreatedAt();
    log(deploy, "Deploy " + deploy.id + " created", "info", "initializing");
    apply(deploy, request);
    deploys.put(deploy.id, deploy);
    if (request.files() != null || request.functions() != null) {
      startUploading(deploy);
    } else {
      save(deploy);
    }
    return deploy;
  }

  synchronized DeployRecord updateDeploy(DeployRecord deploy, DeployRequest request) {
    if (!"new".equals(deploy.state) && !"uploading".equals(deploy.state)) {
      throw ApiException.unprocessable(
          "Deploy is " + deploy.state + " and can no longer be changed");
    }
    boolean wasDraft = deploy.draft;
    apply(deploy, request);
    // As on Netlify, a deploy created as a draft stays one: netlify-cli creates drafts with
    // draft=true and then sends its default draft=false with the file digest.
    deploy.draft |= wasDraft;
    startUploading(deploy);
    return deploy;
  }

  /** Strictly increasing creation times, so that "newest first" is an order, not a guess. */
  private Instant nextCreatedAt() {
    Instant now = Ids.now();
    lastCreatedAt = now.isAfter(lastCreatedAt) ? now : lastCreatedAt.plusMillis(1);
    return lastCreatedAt;
  }

  private void apply(DeployRecord deploy, DeployRequest request) {
    if (request.title() != null) {
      deploy.title = request.title();
    }
    if (request.draft() != null) {
      deploy.draft = request.draft();
    }
    if (request.branch() != null) {
      deploy.branch = request.branch().isEmpty() ? null : request.branch();
    }
    if (request.commitRef() != null) {
      deploy.commitRef = request.commitRef();
    }
    if (request.framework() != null) {
      deploy.framework = request.framework();
    }
    if (request.frameworkVersion() != null) {
      deploy.frameworkVersion = request.frameworkVersion();
    }
    if (request.deploySource() != null) {
      deploy.deploySource = request.deploySource();
    }
    if (request.files() != null) {
      deploy.files = new LinkedHashMap<>(request.files());
      deploy.missingFiles = null;
    }
    if (request.functions() != null) {
      deploy.functions = new LinkedHashMap<>(request.functions());
    }
  }

  private void startUploading(DeployRecord deploy) {
    int required = requiredFiles(deploy).size();
    int requiredFunctions = requiredFunctions(deploy).size();
    log(
        deploy,
        deploy.files.size()
            + " files in deploy, "
            + required
            + " new files to upload, "
            + requiredFunctions
            + " new functions to upload",
        "info",
        "deploying");
    deploy.state = "uploading";
    advanceIfUploaded(deploy);
    save(deploy);
  }

  /** Moves an uploading deploy on to processing once nothing is missing any more. */
  private void advanceIfUploaded(DeployRecord deploy) {
    if (!"uploading".equals(deploy.state)) {
      return;
    }
    if (deploy.missingFiles == null) {
      deploy.missingFiles = new java.util.HashSet<>(requiredFiles(deploy));
    }
    if (deploy.missingFiles.isEmpty() && requiredFunctions(deploy).isEmpty()) {
      deploy.state = "processing";
      log(deploy, "All files uploaded; processing", "info", "deploying");
      scheduleProcessing(deploy.id);
    }
  }

  /**
   * Stores one uploaded file, streamed; its bytes must hash to the SHA1 the digest gave for its
   * path. Returns the number of bytes received.
   */
  long uploadFile(String deployId, String path, InputStream content, long maxBytes)
      throws IOException {
    String sha = expectedDigest(deployId, false, path);
    long size = blobs.put(sha, content, maxBytes); // hashing and fsync outside the lock
    synchronized (this) {
      DeployRecord deploy = deploy(deployId);
      if (deploy.missingFiles != null) {
        deploy.missingFiles.remove(sha);
      }
      if ("uploading".equals(deploy.state)) {
        String before = deploy.state;
        advanceIfUploaded(deploy);
        if (!before.equals(deploy.state)) {
          save(deploy);
        }
      }
      return size;
    }
  }

  DeployRecord uploadFunction(
      String deployId,
      String name,
      InputStream content,
      long maxBytes,
      String runtime,
      String invocationMode)
      throws IOException {
    String sha = expectedDigest(deployId, true, name);
    functions.put(sha, content, maxBytes);
    synchronized (this) {
      DeployRecord deploy = deploy(deployId);
      Model.FunctionMeta functionMeta = new Model.FunctionMeta();
      functionMeta.runtime = runtime;
      functionMeta.invocationMode = invocationMode;
      functionMeta.uploadedAt = Ids.now();
      deploy.functionMeta.put(name, functionMeta);
      advanceIfUploaded(deploy);
      save(deploy);
      return deploy;
    }
  }

  /** The digest an upload must match: the deploy's entry for that file path or function name. */
  private synchronized String expectedDigest(String deployId, boolean function, String key) {
    DeployRecord deploy = deploy(deployId);
    String sha = (function ? deploy.functions : deploy.files).get(key);
    if (sha == null) {
      throw ApiException.unprocessable(
          (function ? "Function " : "Path ") + key + " is not part of deploy " + deployId);
    }
    if ("error".equals(deploy.state)) {
      throw ApiException.unprocessable("Deploy " + deployId + " has failed or was canceled");
    }
    return sha;
  }

  private void scheduleProcessing(String deployId) {
    try {
      background.execute(() -> finishProcessing(deployId));
    } catch (java.util.concurrent.RejectedExecutionException ignored) {
      // Shutting down: the deploy stays "processing" on disk and is resumed at the next start.
    }
  }

  private synchronized void finishProcessing(String deployId) {
    DeployRecord deploy = deploys.get(deployId);
    if (deploy == null || !"processing".equals(deploy.state)) {
      return;
    }
    if (!requiredFiles(deploy).isEmpty() || !requiredFunctions(deploy).isEmpty()) {
      deploy.state = "error";
      deploy.errorMessage = "Files missing after upload";
      log(deploy, deploy.errorMessage, "error", "deploying");
      save(deploy);
      return;
    }
    SiteRecord site = sites.get(deploy.siteId);
    DeployRecord published = publishedDeploy(site);
    boolean lockedOut = published != null && published.locked;
    // Rules are parsed once, here, into the snapshot that serves the deploy from now on.
    Served served = snapshot(deploy);
    logRuleErrors(deploy, served.rules());
    deploy.state = "ready";
    deploy.summary = summary(deploy.state, served.rules());
    deploy.publishPending = deploy.production() && !lockedOut;
    log(deploy, "Deploy is ready", "info", "deploying");
    if (deploy.production() && lockedOut) {
      log(deploy, "Deploy not published: auto publishing is locked", "warn", "deploying");
    }
    save(deploy);
    servedByDeploy.put(deploy.id, served);
    if (deploy.branch != null) {
      refreshBranch(site, deploy.branch);
    }
    if (deploy.publishPending) {
      publish(site, deploy, "auto");
      deploy.publishPending = false;
      save(deploy);
    }
    Consumer<DeployRecord> listener = onReady;
    try {
      background.execute( // runs once this lock is released
          () -> {
            try {
              listener.accept(deploy);
            } catch (RuntimeException ignored) {
              // Only a head start: whatever the listener prepares is made again on demand.
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
      // Nothing to prepare for a platform that is stopping.
    }
  }

  /** Calls {@code listener} for every deploy that becomes ready from now on. */
  void onReady(Consumer<DeployRecord> listener) {
    this.onReady = listener;
  }

  synchronized DeployRecord cancel(DeployRecord deploy) {
    if ("ready".equals(deploy.state)) {
      throw ApiException.unprocessable(
          "Deploy " + deploy.id + " is already ready and cannot be canceled");
    }
    if (!"error".equals(deploy.state)) {
      deploy.state = "error";
      deploy.errorMessage = "Canceled build";
      log(deploy, "Deploy canceled", "warn", "deploying");
      save(deploy);
    }
    return deploy;
  }

  synchronized void deleteDeploy(DeployRecord deploy) {
    SiteRecord site = sites.get(deploy.siteId);
    if (deploy.id.equals(site.publishedDeployId())) {
      throw ApiException.unprocessable("Cannot delete the published deploy of a site");
    }
    deleteFiles(deploy);
    deploys.remove(deploy.id);
    servedByDeploy.remove(deploy.id);
    if (deploy.branch != null) {
      refreshBranch(site, deploy.branch);
    }
  }

  synchronized DeployRecord setLocked(DeployRecord deploy, boolean locked) {
    deploy.locked = locked;
    log(
        deploy,
        locked ? "Auto publishing locked" : "Auto publishing unlocked",
        "info",
        "publishing");
    save(deploy);
    return deploy;
  }

  /** Publishes a ready deploy (restoreSiteDeploy): allowed even while auto publishing is locked. */
  synchronized DeployRecord restore(SiteRecord site, DeployRecord deploy) {
    if (!"ready".equals(deploy.state)) {
      throw ApiException.unprocessable(
          "Deploy " + deploy.id + " is " + deploy.state + "; only ready deploys can be published");
    }
    publish(site, deploy, "restore");
    return deploy;
  }

  /** Re-publishes the deploy that was live before the current one (rollbackSiteDeploy). */
  synchronized DeployRecord rollback(SiteRecord site) {
    String current = site.publishedDeployId();
    if (current == null) {
      throw ApiException.unprocessable("Site has no published deploy to roll back from");
    }
    for (int i = site.publications.size() - 2; i >= 0; i--) {
      DeployRecord candidate = deploys.get(site.publications.get(i).deployId);
      if (candidate != null && !candidate.id.equals(current) && "ready".equals(candidate.state)) {
        publish(site, candidate, "rollback");
        return candidate;
      }
    }
    throw ApiException.unprocessable("Site has no earlier published deploy to roll back to");
  }

  private void publish(SiteRecord site, DeployRecord deploy, String how) {
    Instant at = Ids.now();
    site.publications.add(new Model.Publication(deploy.id, at, how));
    save(site); // the atomic switch: one rename of the site's file, nothing else to write
    refreshServed(site);
  }

  private void refreshServed(SiteRecord site) {
    DeployRecord published = publishedDeploy(site);
    Served served = null;
    if (published != null) {
      served = servedByDeploy.computeIfAbsent(published.id, id -> snapshot(published));
    }
    servedBySite.computeIfAbsent(site.name, n -> new AtomicReference<>()).set(served);
  }

  private Served snapshot(DeployRecord deploy) {
    Map<String, Served.ServedFile> files = new java.util.HashMap<>();
    for (Map.Entry<String, String> file : deploy.files.entrySet()) {
      files.put(
          file.getKey(),
          new Served.ServedFile(
              file.getValue(), MimeTypes.of(file.getKey()), blobs.size(file.getValue())));
    }
    return new Served(deploy.id, sites.get(deploy.siteId).name, Map.copyOf(files), rules(deploy));
  }

  /** The deploy's redirect and header rules, read from its own files. */
  private RuleSet rules(DeployRecord deploy) {
    Map<String, String> files = deploy.files;
    try {
      return RuleSet.read(
          new RuleFileSource() {
            @Override
            public long size(String path) {
              String sha = files.get(path);
              return sha == null ? -1 : blobs.size(sha);
            }

            @Override
            public byte[] read(String path) {
              return blobs.read(files.get(path));
            }
          });
    } catch (IOException | UncheckedIOException e) {
      // A ready deploy's blobs were all present; losing one now is a broken data dir, and the
      // deploy is then served without rules rather than not at all.
      return RuleSet.EMPTY;
    }
  }

  /** Logs rule errors as netlify/build does ("Warning: some redirects have syntax errors:"). */
  private void logRuleErrors(DeployRecord deploy, RuleSet rules) {
    logErrors(deploy, "redirects", rules.redirectErrors());
    logErrors(deploy, "headers", rules.headerErrors());
  }

  private void logErrors(DeployRecord deploy, String kind, List<RuleError> errors) {
    if (!errors.isEmpty()) {
      log(
          deploy,
          "Warning: some "
              + kind
              + " have syntax errors:\n\n"
              + errors.stream().map(RuleError::message).collect(Collectors.joining("\n\n")),
          "warn",
          "deploying");
    }
  }

  private static Model.Summary summary(String state, RuleSet rules) {
    Model.Summary summary = new Model.Summary();
    summary.status = state;
    for (SummaryMessage message : RulesSummary.messages(rules)) {
      summary.messages.add(
          new Model.SummaryMessage(
              message.type(), message.title(), message.description(), message.details()));
    }
    return summary;
  }

  /**
   * A deploy's log: what its own record holds plus its publications, which live in the site's
   * publish history so that a publish is a single write.
   */
  synchronized List<LogEntry> log(DeployRecord deploy) {
    List<LogEntry> entries = new ArrayList<>(deploy.log);
    SiteRecord site = sites.get(deploy.siteId);
    if (site != null) {
      for (Publication publication : site.publications) {
        if (publication.deployId.equals(deploy.id)) {
          entries.add(
              new LogEntry(
                  publication.at, "Published (" + publication.how + ")", "info", "publishing"));
        }
      }
    }
    entries.sort(Comparator.comparing(e -> e.ts));
    return entries;
  }

  private void log(DeployRecord deploy, String line, String level, String section) {
    deploy.log.add(new LogEntry(Ids.now(), line, level, section));
  }

  // ---- serving (lock-free) ------------------------------------------------------------------

  Served servedSite(String siteName) {
    AtomicReference<Served> ref = servedBySite.get(siteName);
    return ref == null ? null : ref.get();
  }

  Served servedDeploy(String deployId) {
    return servedByDeploy.get(deployId);
  }

  /** The latest ready deploy of a branch, by host label {@code BRANCH--SITE}. */
  Served servedBranch(String label) {
    return servedByBranch.get(label);
  }

  /** A branch name as it appears in a host label: {@code feature/Login} → {@code feature-login}. */
  static String branchSlug(String branch) {
    return branch
        .toLowerCase(java.util.Locale.ROOT)
        .replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-|-$", "");
  }

  private void refreshBranch(SiteRecord site, String branch) {
    String label = branchSlug(branch) + "--" + site.name;
    DeployRecord latest =
        deploysOf(site).stream()
            .filter(d -> branch.equals(d.branch) && "ready".equals(d.state))
            .findFirst()
            .orElse(null);
    if (latest == null) {
      servedByBranch.remove(label);
    } else {
      servedByBranch.put(label, servedByDeploy.computeIfAbsent(latest.id, id -> snapshot(latest)));
    }
  }

  // ---- env vars -------------------------------------------------------------------------------

  synchronized EnvFile env(String scope) {
    return env.computeIfAbsent(scope, s -> new EnvFile());
  }
}
