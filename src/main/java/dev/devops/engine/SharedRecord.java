package dev.devops.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.NetlifyException;
import dev.devops.state.DeploymentRecords;
import dev.devops.util.Json;
import dev.devops.util.Printable;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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

  /** Between writing the lease and reading it back: a rival's write in flight lands first. */
  static final Duration SETTLE = Duration.ofMillis(300);

  private static final Duration POLL = Duration.ofSeconds(1);
  private static final SecureRandom RANDOM = new SecureRandom();

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

  /** A rollback as the shared record keeps it. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(
      String id,
      String from,
      String to,
      @JsonProperty("from_version") String fromVersion,
      @JsonProperty("to_version") String toVersion,
      String direction,
      String reason,
      String who,
      String host,
      @JsonProperty("started_at") Instant startedAt,
      @JsonProperty("finished_at") Instant finishedAt,
      String outcome,
      String trigger) {}

  /** A mark on a deploy: bad, or cleared ({@code bad} false: {@code mark --good}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Mark(
      boolean bad,
      String who,
      String host,
      Instant at,
      String reason,
      @JsonProperty("rollback_id") String rollbackId) {}

  /** A version label given by {@code devops deploy --version}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Label(String version, String who, Instant at) {}

  /** Who holds the lease. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Holder(String who, String host, Long pid, String command, Instant since) {}

  /** The lease of a running rollback: its token, when it ends unless renewed, and its holder. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Lease(String token, @JsonProperty("expires_at") Instant expiresAt, Holder holder) {
    public boolean heldAt(Instant now) {
      return token != null && expiresAt != null && expiresAt.isAfter(now);
    }
  }

  /** The {@value #KEY} value: rollbacks oldest first, marks and labels by deploy id. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Snapshot(
      int schema,
      List<Entry> rollbacks,
      Map<String, Mark> marks,
      Map<String, Label> labels,
      Lease lease) {
    public static final Snapshot EMPTY = new Snapshot(1, List.of(), Map.of(), Map.of(), null);

    Snapshot withLease(Lease l) {
      return new Snapshot(schema, rollbacks, marks, labels, l);
    }

    Snapshot withMark(String deployId, Mark mark) {
      Map<String, Mark> m = new LinkedHashMap<>(marks);
      m.remove(deployId);
      m.put(deployId, mark);
      return new Snapshot(schema, rollbacks, m, labels, lease);
    }

    Snapshot withLabel(String deployId, Label label) {
      Map<String, Label> m = new LinkedHashMap<>(labels);
      m.remove(deployId);
      m.put(deployId, label);
      return new Snapshot(schema, rollbacks, marks, m, lease);
    }

    Snapshot withRollback(Entry entry) {
      List<Entry> r = new ArrayList<>(rollbacks);
      r.removeIf(e -> e.id().equals(entry.id()));
      r.add(entry);
      return new Snapshot(schema, r, marks, labels, lease);
    }

    /** Drops what a hostile or hand-made value put in that no entry can have. */
    Snapshot normalized() {
      List<Entry> r = new ArrayList<>();
      if (rollbacks != null) {
        rollbacks.stream()
            .filter(e -> e != null && e.id() != null && e.to() != null)
            .forEach(r::add);
      }
      Map<String, Mark> m = new LinkedHashMap<>();
      if (marks != null) {
        marks.forEach(
            (k, v) -> {
              if (k != null && v != null) {
                m.put(k, v);
              }
            });
      }
      Map<String, Label> l = new LinkedHashMap<>();
      if (labels != null) {
        labels.forEach(
            (k, v) -> {
              if (k != null && v != null && v.version() != null && !v.version().isBlank()) {
                l.put(k, v);
              }
            });
      }
      Lease le = lease == null || lease.token() == null ? null : lease;
      return new Snapshot(Math.max(1, schema), r, m, l, le);
    }

    /** Within the count bounds: the newest rollbacks, marks and labels. */
    Snapshot trimmed(int maxRollbacks, int maxMarks, int maxLabels) {
      List<Entry> r = new ArrayList<>(rollbacks);
      while (r.size() > maxRollbacks) {
        r.remove(0);
      }
      return new Snapshot(
          schema,
          r,
          newest(marks, maxMarks, Mark::at),
          newest(labels, maxLabels, Label::at),
          lease);
    }

    private static <V> Map<String, V> newest(
        Map<String, V> map, int max, java.util.function.Function<V, Instant> at) {
      if (map.size() <= max) {
        return map;
      }
      List<Map.Entry<String, V>> sorted = new ArrayList<>(map.entrySet());
      sorted.sort(
          Comparator.comparing(
              e -> Objects.requireNonNullElse(at.apply(e.getValue()), Instant.EPOCH)));
      Map<String, V> kept = new LinkedHashMap<>();
      sorted
          .subList(sorted.size() - max, sorted.size())
          .forEach(e -> kept.put(e.getKey(), e.getValue()));
      return kept;
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
  private Snapshot cached;
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

  /** The record as first read in this run (read now if not yet); empty when unavailable. */
  public synchronized Snapshot read() {
    if (cached == null) {
      cached = fetch();
    }
    return cached;
  }

  /** The record read now. */
  public synchronized Snapshot refresh() {
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
    all.sort(
        Comparator.comparing(
            l -> Objects.requireNonNullElse(l.record().startedAt(), Instant.EPOCH)));
    return all;
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
            List.of())
        .triggeredBy(e.trigger());
  }

  /** Who acts, as the API knows them ({@code GET /user}: email, else name, else slug). */
  public synchronized String who() {
    if (who == null && problem != null) {
      return localWho; // the API is failing this run: no further call for a name
    }
    if (who == null) {
      who = localWho;
      try {
        JsonNode user = client.getCurrentUser();
        for (String field : new String[] {"email", "full_name", "slug"}) {
          if (user != null && user.hasNonNull(field) && !user.get(field).asText().isBlank()) {
            who = Printable.clean(user.get(field).asText(), 120);
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

  /** A lease this run holds; closing it releases it. {@link #NONE} when none could be taken. */
  public final class Held implements AutoCloseable {
    private final String token;
    private final ScheduledExecutorService renewer;
    private final Thread onStop;
    private volatile boolean released;

    private Held(String token) {
      this.token = token;
      if (token == null) {
        this.renewer = null;
        this.onStop = null;
        return;
      }
      this.renewer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "devops-lease-renewal");
                t.setDaemon(true);
                return t;
              });
      long period = Math.max(1000, options.leaseTtl().toMillis() / 3);
      renewer.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
      // SIGTERM and Ctrl-C release the lease too; SIGKILL leaves it to expire.
      this.onStop = new Thread(() -> release(UnaryOperator.identity()), "devops-lease-release");
      Runtime.getRuntime().addShutdownHook(onStop);
    }

    /** Whether this run holds the lease (false: the shared record was unavailable). */
    public boolean held() {
      return token != null;
    }

    private void renew() {
      if (released) {
        return;
      }
      Instant until = clock.instant().plus(options.leaseTtl());
      boolean[] lost = {false};
      update(
          s -> {
            if (s.lease() == null || !token.equals(s.lease().token())) {
              lost[0] = true;
              return null;
            }
            return s.withLease(new Lease(token, until, s.lease().holder()));
          });
      if (lost[0]) {
        warnOnce(
            "lease-lost",
            "The rollback lease of this site was taken over (it had expired): the compare-and-swap"
                + " on the published deploy still guards the switch.");
        renewer.shutdown();
      }
    }

    /** Applies {@code change} and releases the lease in one write. */
    public void release(UnaryOperator<Snapshot> change) {
      synchronized (this) {
        if (released) {
          return;
        }
        released = true;
      }
      if (token == null) {
        update(change);
        return;
      }
      renewer.shutdownNow();
      update(
          s -> {
            Snapshot next = change.apply(s);
            Snapshot base = next == null ? s : next;
            return base.lease() != null && token.equals(base.lease().token())
                ? base.withLease(null)
                : next;
          });
    }

    @Override
    public void close() {
      release(UnaryOperator.identity());
      if (onStop != null) {
        try {
          Runtime.getRuntime().removeShutdownHook(onStop);
        } catch (IllegalStateException shuttingDown) {
          // The hook is running: it releases the lease.
        }
      }
    }
  }

  /**
   * Takes the site's lease before a rollback changes anything: reads the record; while another
   * unexpired lease is held, waits (up to {@link Options#leaseWait}) and then refuses with a
   * CONFLICT that names the holder; writes a random token with an expiry and this run as holder;
   * waits {@link #SETTLE}; reads the record back and checks the token is still ours (else starts
   * over). The lease is renewed while held, released on close and on SIGTERM, and expires on its
   * own after a SIGKILL.
   *
   * <p>What it cannot do: the API has no compare-and-swap, so two runs that read "free" and write
   * within the settle window of each other can both believe they hold it. The read-back narrows
   * that window to the gap between one's read and its write; the rollback's compare-and-swap on the
   * published deploy ({@code expectedFromId}) stays the final guard.
   *
   * @return the lease; a held-nothing lease when the shared record is unavailable (warned)
   * @throws RollbackException CONFLICT when another holder kept it through the wait
   */
  public Held acquire() {
    long deadline = System.nanoTime() + options.leaseWait().toNanos();
    while (true) {
      Snapshot s = refresh();
      if (problem() != null) {
        return new Held(null);
      }
      Instant now = clock.instant();
      if (s.lease() != null && s.lease().heldAt(now)) {
        if (System.nanoTime() >= deadline) {
          throw busy(s.lease());
        }
        pause(Math.min(POLL.toNanos(), Math.max(1, deadline - System.nanoTime())));
        continue;
      }
      String token = HexFormat.of().formatHex(randomBytes());
      Lease mine =
          new Lease(
              token,
              now.plus(options.leaseTtl()),
              new Holder(
                  who(), options.host(), ProcessHandle.current().pid(), options.command(), now));
      boolean[] taken = {false};
      boolean written =
          update(
              fresh -> {
                if (fresh.lease() != null && fresh.lease().heldAt(clock.instant())) {
                  return null; // taken between our two reads
                }
                taken[0] = true;
                return fresh.withLease(mine);
              });
      if (!written) {
        return new Held(null);
      }
      if (taken[0]) {
        pause(SETTLE.toNanos());
        Snapshot back = refresh();
        if (problem() != null) {
          return new Held(null);
        }
        if (back.lease() != null && token.equals(back.lease().token())) {
          return new Held(token);
        }
      }
      if (System.nanoTime() >= deadline) {
        Lease other = read().lease();
        throw busy(other == null ? mine : other);
      }
    }
  }

  private RollbackException busy(Lease lease) {
    return new RollbackException(
        RollbackException.Kind.CONFLICT,
        "Another rollback of this site is running: "
            + describe(lease)
            + ". Wait for it to finish,"
            + " then check 'devops status'.");
  }

  /** "alice@example.com on laptop-1 (pid 4242, devops rollback) since 10:04:05Z". */
  public static String describe(Lease lease) {
    Holder h = lease.holder();
    if (h == null) {
      return "holder unknown";
    }
    StringBuilder b =
        new StringBuilder(h.who() == null ? "someone" : Printable.clean(h.who(), 120));
    if (h.host() != null) {
      b.append(" on ").append(Printable.clean(h.host(), 120));
    }
    List<String> details = new ArrayList<>();
    if (h.pid() != null) {
      details.add("pid " + h.pid());
    }
    if (h.command() != null) {
      details.add(Printable.clean(h.command(), 80));
    }
    if (!details.isEmpty()) {
      b.append(" (").append(String.join(", ", details)).append(')');
    }
    if (h.since() != null) {
      b.append(" since ").append(h.since());
    }
    return b.toString();
  }

  // ---- reading and writing

  private Snapshot fetch() {
    if (problem != null) {
      return Snapshot.EMPTY;
    }
    try {
      return parse(client.getSiteMetadata(siteId));
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
      JsonNode read = client.getSiteMetadata(siteId);
      ObjectNode metadata =
          read instanceof ObjectNode o ? o.deepCopy() : Json.mapper().createObjectNode();
      Snapshot current = parse(metadata);
      Snapshot next = change.apply(current);
      if (next == null) {
        cached = current;
        return true;
      }
      byte[] encoded = null;
      Snapshot bounded = next.trimmed(MAX_ROLLBACKS, MAX_MARKS, MAX_LABELS);
      while (true) {
        encoded = Json.mapper().writeValueAsBytes(bounded);
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
      metadata.set(KEY, Json.mapper().readTree(encoded));
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

  /** The record in {@code metadata}; a value that is too large or malformed is ignored (warned). */
  private Snapshot parse(JsonNode metadata) {
    JsonNode value = metadata == null ? null : metadata.get(KEY);
    if (value == null || value.isNull()) {
      return Snapshot.EMPTY;
    }
    try {
      if (!value.isObject()) {
        throw new IOException("not an object");
      }
      if (Json.mapper().writeValueAsBytes(value).length > MAX_BYTES) {
        warnOnce(
            "ignored",
            "The shared record (site metadata '"
                + KEY
                + "') is larger than "
                + MAX_BYTES / 1024
                + " KB: ignored; this machine's records are used, and the next write replaces it.");
        return Snapshot.EMPTY;
      }
      Snapshot s = Json.mapper().treeToValue(value, Snapshot.class);
      return s == null ? Snapshot.EMPTY : s.normalized();
    } catch (IOException | RuntimeException e) {
      warnOnce(
          "ignored",
          "The shared record (site metadata '"
              + KEY
              + "') is malformed: ignored; this machine's records are used, and the next write"
              + " replaces it.");
      return Snapshot.EMPTY;
    }
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

  private synchronized void warnOnce(String kind, String message) {
    if (warned.add(kind)) {
      warnings.add(message);
      options.warn().accept(message);
    }
  }

  private static String cut(String text) {
    return text == null || text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "…";
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static void pause(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RollbackException(
          RollbackException.Kind.CONFLICT, "Interrupted while waiting for the rollback lease.", e);
    }
  }

  /** This machine's name: HOSTNAME, else what the OS says, else "unknown". */
  public static String localHost() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.trim();
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
