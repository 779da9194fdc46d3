package dev.devops.engine;

import dev.devops.engine.SharedState.Entry;
import dev.devops.engine.SharedState.Label;
import dev.devops.engine.SharedState.Mark;
import dev.devops.engine.SharedState.Snapshot;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.NetlifyException;
import dev.devops.state.DeploymentRecords;
import dev.devops.util.Futures;
import dev.devops.util.JrJson;
import dev.devops.util.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The site's shared record: one key ({@value #KEY}) of the site's metadata, which every client with
 * access to the site reads. It holds the last {@value #MAX_ROLLBACKS} rollbacks, the bad marks, the
 * version labels and the lease of a running rollback, so that a team on several machines sees one
 * history.
 *
 * <p>Netlify's {@code PUT /sites/{id}/metadata} replaces the whole object and has no
 * compare-and-swap, so every write reads the object, changes only {@value #KEY} and writes every
 * other key back as found. Two writers can still interleave between one's read and its write (the
 * later write wins); the lease narrows that for rollbacks (see {@link #acquire}), and the
 * rollback's own compare-and-swap on the published deploy stays the final guard.
 *
 * <p>When the metadata cannot be read or written (a 5xx after retries, a token without access),
 * every method warns once and goes on with nothing shared: commands then use this machine's records
 * only, and a rollback runs without the lease.
 */
public final class SharedRecord {
  /** The metadata key. */
  public static final String KEY = "devops";

  /** The most bytes the {@value #KEY} value may take, as compact JSON; a larger one is ignored. */
  public static final int MAX_BYTES = 64 * 1024;

  public static final int MAX_ROLLBACKS = 50;
  public static final int MAX_MARKS = 100;
  public static final int MAX_LABELS = 200;

  /** Longest reason kept, in characters. */
  static final int MAX_REASON = 300;

  public static final Duration DEFAULT_LEASE_WAIT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_LEASE_TTL = Duration.ofMinutes(2);

  /**
   * How this run uses the shared record.
   *
   * @param leaseWait how long a rollback waits for another holder's lease
   * @param leaseTtl how long a lease lasts unless renewed (a killed holder frees the site after it)
   * @param host this machine's name, recorded with rollbacks, marks and the lease
   * @param command the command this run is (recorded in the lease)
   * @param warn where warnings go (once each)
   */
  public record Options(
      Duration leaseWait, Duration leaseTtl, String host, String command, Consumer<String> warn) {
    public static Options defaults() {
      return new Options(DEFAULT_LEASE_WAIT, DEFAULT_LEASE_TTL, localHost(), "devops", w -> {});
    }
  }

  /** A rollback of the merged history: the record, the machine it ran on, and where it was read. */
  public record Logged(RollbackRecord record, String host, String source) {
    public static final String LOCAL = "local";
    public static final String SHARED = "shared";
  }

  private final NetlifyClient client;
  private final String siteId;
  private final Clock clock;
  private final String localWho;
  private final Options options;
  private final Set<String> warned = new LinkedHashSet<>();
  private final List<String> warnings = new ArrayList<>();
  private volatile Snapshot cached;
  private volatile CompletableFuture<Decoded> early;
  private String problem;
  private String who;

  public SharedRecord(
      NetlifyClient client, String siteId, Clock clock, String localWho, Options options) {
    this.client = client;
    this.siteId = siteId;
    this.clock = clock;
    this.localWho = localWho;
    this.options = options;
  }

  public Options options() {
    return options;
  }

  /** The warnings of this run (each given once), for a command's JSON. */
  public synchronized List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Why the shared record could not be used in this run, or null. */
  public synchronized String problem() {
    return problem;
  }

  /**
   * The record as first read in this run (read now if not yet); empty when unavailable. Once read,
   * it is answered without the lock, which the lease may hold across its requests.
   */
  public Snapshot read() {
    Snapshot known = cached;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (cached == null) {
        cached = fetch();
      }
      return cached;
    }
  }

  /**
   * Starts reading the record beside a run's other requests. The answer is used, and a failure
   * reported, only by the first {@link #read}: a run that stops before it (the site was not found)
   * warns of nothing.
   */
  public void prefetch() {
    synchronized (this) {
      if (cached != null || early != null || problem != null) {
        return;
      }
      // Decoded there too: the first thread is meanwhile decoding the run's other answers.
      early = CompletableFuture.supplyAsync(() -> decode(client.getSiteMetadata(siteId)));
    }
  }

  /** The record read now. */
  public synchronized Snapshot refresh() {
    early = null;
    cached = fetch();
    return cached;
  }

  /** The shared marks and labels, to lay over this machine's records. */
  public DeploymentRecords.Overlay overlay() {
    Snapshot s = read();
    if (s.marks().isEmpty() && s.labels().isEmpty()) {
      return DeploymentRecords.Overlay.NONE;
    }
    Map<String, DeploymentRecords.BadMark> bad = new LinkedHashMap<>();
    Map<String, Instant> cleared = new LinkedHashMap<>();
    s.marks()
        .forEach(
            (id, m) -> {
              if (m.bad()) {
                bad.put(
                    id,
                    new DeploymentRecords.BadMark(
                        m.reason(), m.rollbackId(), m.at(), m.who(), m.host()));
              } else if (m.at() != null) {
                cleared.put(id, m.at());
              }
            });
    Map<String, String> labels = new LinkedHashMap<>();
    s.labels().forEach((id, l) -> labels.put(id, l.version()));
    return new DeploymentRecords.Overlay(bad, cleared, labels);
  }

  /**
   * This machine's rollbacks of the site merged with the shared ones, oldest first: an entry in
   * both is shown once, with the machine the shared record names.
   */
  public List<Logged> merged(List<RollbackRecord> local) {
    Map<String, Entry> shared = new LinkedHashMap<>();
    read().rollbacks().forEach(e -> shared.put(e.id(), e));
    List<Logged> all = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (RollbackRecord r : local) {
      Entry s = shared.get(r.id());
      all.add(new Logged(r, s == null ? null : s.host(), Logged.LOCAL));
      seen.add(r.id());
    }
    for (Entry e : shared.values()) {
      if (!seen.contains(e.id())) {
        all.add(new Logged(record(e), e.host(), Logged.SHARED));
      }
    }
    all.sort(OLDEST_FIRST);
    return all;
  }

  /**
   * By start, oldest first: a lambda of our own, where Comparator.comparing's serializable one is
   * not held by the class-data archive.
   */
  private static final Comparator<Logged> OLDEST_FIRST = (a, b) -> started(a).compareTo(started(b));

  private static Instant started(Logged l) {
    return Objects.requireNonNullElse(l.record().startedAt(), Instant.EPOCH);
  }

  /** A shared entry as a history entry (it has no steps, backup or verification). */
  private RollbackRecord record(Entry e) {
    return new RollbackRecord(
        e.id(),
        siteId,
        new RollbackRecord.DeployRef(e.from(), e.fromVersion(), null),
        new RollbackRecord.DeployRef(e.to(), e.toVersion(), null),
        e.direction(),
        e.reason(),
        e.who() == null ? "unknown" : e.who(),
        e.startedAt(),
        e.finishedAt(),
        List.of(),
        null,
        null,
        e.outcome() == null ? "unknown" : e.outcome(),
        null,
        null,
        null,
        null,
        List.of(),
        null,
        null,
        e.trigger());
  }

  /** Who acts, as the API knows them ({@code GET /user}: email, else name, else slug). */
  public synchronized String who() {
    if (who == null && problem != null) {
      return localWho; // the API is failing this run: no further call for a name
    }
    if (who == null) {
      who = localWho;
      try {
        Map<String, Object> user = client.getCurrentUser();
        for (String field : new String[] {"email", "full_name", "slug"}) {
          Object value = user == null ? null : user.get(field);
          if (value instanceof String text && !text.isBlank()) {
            who = Printable.clean(text, 120);
            break;
          }
        }
      } catch (RuntimeException e) {
        // The local name still says who it was.
      }
    }
    return who;
  }

  /** Sets ({@code bad}) or clears a deploy's mark for everyone; false when it could not. */
  public boolean mark(String deployId, boolean bad, String reason, String rollbackId) {
    Mark mark = new Mark(bad, who(), options.host(), clock.instant(), cut(reason), rollbackId);
    return update(s -> s.withMark(deployId, mark));
  }

  /** Records a version label for everyone; false when it could not. */
  public boolean label(String deployId, String version) {
    Label label = new Label(version, who(), clock.instant());
    return update(s -> s.withLabel(deployId, label));
  }

  /** The change a finished rollback makes: its entry, and the marks a switch back implies. */
  public UnaryOperator<Snapshot> recording(RollbackRecord r) {
    Entry entry =
        new Entry(
            r.id(),
            r.from().id(),
            r.to().id(),
            r.from().version(),
            r.to().version(),
            r.direction(),
            cut(r.reason()),
            who(),
            options.host(),
            r.startedAt(),
            r.finishedAt(),
            r.outcome(),
            r.trigger());
    boolean switched =
        RollbackRecord.VERIFIED.equals(r.outcome())
            || RollbackRecord.UNVERIFIED.equals(r.outcome());
    Instant now = clock.instant();
    String mover = who();
    return s -> {
      Snapshot next = s.withRollback(entry);
      if (switched) {
        if (r.from().id() != null && !"forward".equals(r.direction())) {
          next =
              next.withMark(
                  r.from().id(),
                  new Mark(
                      true,
                      mover,
                      options.host(),
                      now,
                      r.reason() == null ? "rolled back" : cut(r.reason()),
                      r.id()));
        }
        Mark old = next.marks().get(r.to().id());
        if (old != null && old.bad()) {
          next =
              next.withMark(
                  r.to().id(),
                  new Mark(
                      false, mover, options.host(), now, "published again by " + r.id(), r.id()));
        }
      }
      return next;
    };
  }

  /** Records a finished rollback for everyone (entry and marks); false when it could not. */
  public boolean recordRollback(RollbackRecord r) {
    return update(recording(r));
  }

  // ---- the lease

  /**
   * Takes the site's lease before a rollback changes anything ({@link SharedLease#acquire}).
   *
   * @return the lease; a held-nothing lease when the shared record is unavailable (warned)
   * @throws RollbackException CONFLICT when another holder kept it through the wait
   */
  public SharedLease acquire() {
    return SharedLease.acquire(this);
  }

  Clock clock() {
    return clock;
  }

  // ---- reading and writing

  private Snapshot fetch() {
    if (problem != null) {
      return Snapshot.EMPTY;
    }
    CompletableFuture<Decoded> started = early;
    early = null;
    try {
      return reported(
          started == null ? decode(client.getSiteMetadata(siteId)) : Futures.join(started));
    } catch (NetlifyException e) {
      unavailable(e);
      return Snapshot.EMPTY;
    }
  }

  /**
   * Read-modify-write of the one key: reads the metadata, applies {@code change} to the record
   * (null: change nothing), bounds it and writes the object back with every other key as found.
   * False when the metadata is unavailable (warned) or the record cannot be bounded.
   */
  synchronized boolean update(UnaryOperator<Snapshot> change) {
    if (problem != null) {
      return false;
    }
    try {
      Map<String, Object> metadata = new LinkedHashMap<>(client.getSiteMetadata(siteId));
      Snapshot current = reported(decode(metadata));
      Snapshot next = change.apply(current);
      if (next == null) {
        cached = current;
        return true;
      }
      byte[] encoded = null;
      Snapshot bounded = next.trimmed(MAX_ROLLBACKS, MAX_MARKS, MAX_LABELS);
      while (true) {
        encoded = JrJson.compact().asBytes(bounded);
        if (encoded.length <= MAX_BYTES) {
          break;
        }
        Snapshot smaller = shrink(bounded);
        if (smaller == null) {
          warnOnce(
              "too-large",
              "The shared record would be larger than "
                  + MAX_BYTES / 1024
                  + " KB: not written (this machine's records are up to date).");
          return false;
        }
        bounded = smaller;
      }
      metadata.put(KEY, JrJson.compact().anyFrom(encoded));
      client.updateSiteMetadata(siteId, metadata);
      cached = bounded;
      return true;
    } catch (NetlifyException e) {
      unavailable(e);
      return false;
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the shared record", e);
    }
  }

  /** One step smaller: the oldest rollback, else the oldest label, else the oldest mark. */
  private static Snapshot shrink(Snapshot s) {
    if (s.rollbacks().size() > 1) {
      return s.trimmed(s.rollbacks().size() - 1, s.marks().size(), s.labels().size());
    }
    if (!s.labels().isEmpty()) {
      return s.trimmed(s.rollbacks().size(), s.marks().size(), s.labels().size() - 1);
    }
    if (s.marks().size() > 1) {
      return s.trimmed(s.rollbacks().size(), s.marks().size() - 1, 0);
    }
    return null;
  }

  /** A record as decoded, and why it was ignored (null when it was not). */
  private record Decoded(Snapshot snapshot, String ignored) {
    static Decoded ignored(String why) {
      return new Decoded(Snapshot.EMPTY, why);
    }
  }

  /**
   * The record in {@code metadata}; a value that is too large or malformed is ignored. Says nothing
   * itself: it may run on another thread, and only the first {@link #read} warns.
   */
  private static Decoded decode(Map<String, Object> metadata) {
    Object value = metadata == null ? null : metadata.get(KEY);
    if (value == null) {
      return new Decoded(Snapshot.EMPTY, null);
    }
    try {
      if (!(value instanceof Map<?, ?>)) {
        throw new IOException("not an object");
      }
      byte[] encoded = JrJson.compact().asBytes(value);
      if (encoded.length > MAX_BYTES) {
        return Decoded.ignored(
            "The shared record (site metadata '"
                + KEY
                + "') is larger than "
                + MAX_BYTES / 1024
                + " KB: ignored; this machine's records are used, and the next write replaces it.");
      }
      Snapshot s = JrJson.compact().beanFrom(Snapshot.class, encoded);
      return new Decoded(s == null ? Snapshot.EMPTY : s.normalized(), null);
    } catch (IOException | RuntimeException e) {
      return Decoded.ignored(
          "The shared record (site metadata '"
              + KEY
              + "') is malformed: ignored; this machine's records are used, and the next write"
              + " replaces it.");
    }
  }

  /** The decoded record, once its warning (if any) is given. */
  private Snapshot reported(Decoded decoded) {
    if (decoded.ignored() != null) {
      warnOnce("ignored", decoded.ignored());
    }
    return decoded.snapshot();
  }

  private void unavailable(NetlifyException e) {
    problem = Printable.clean(e.getMessage(), 200);
    warnOnce(
        "unavailable",
        "The site's shared record is unavailable ("
            + problem
            + "): using this machine's records only; a rollback runs without the team lease"
            + " (the compare-and-swap on the published deploy still guards the switch).");
  }

  synchronized void warnOnce(String kind, String message) {
    if (warned.add(kind)) {
      warnings.add(message);
      options.warn().accept(message);
    }
  }

  private static String cut(String text) {
    return text == null || text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "…";
  }

  private static volatile String localHost;

  /**
   * This machine's name, found once a run: HOSTNAME, else the kernel's host name, else the {@code
   * hostname} command, else "unknown". Never a name-server lookup: {@code
   * InetAddress.getLocalHost()} resolves the name too, which takes seconds on a laptop whose name
   * no server knows (a common macOS set-up), and every command that reads the shared record needs
   * this name.
   */
  public static String localHost() {
    String known = localHost;
    if (known == null) {
      known = localHost(System.getenv("HOSTNAME"), Path.of("/proc/sys/kernel/hostname"));
      localHost = known;
    }
    return known;
  }

  static String localHost(String env, Path kernelHostName) {
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    try (InputStream in = Files.newInputStream(kernelHostName)) {
      String name = new String(in.readNBytes(256), StandardCharsets.UTF_8).trim();
      if (!name.isEmpty()) {
        return name;
      }
    } catch (IOException | RuntimeException notLinux) {
      // macOS and the BSDs: ask the command.
    }
    try {
      Process p =
          new ProcessBuilder("hostname").redirectError(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().close();
      // It exits first (its one line fits any pipe), so a stuck command cannot block the read.
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      } else if (p.exitValue() == 0) {
        try (InputStream out = p.getInputStream()) {
          String name = new String(out.readNBytes(256), StandardCharsets.UTF_8).trim();
          if (!name.isEmpty()) {
            return name;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // No such command.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "unknown";
  }
}
