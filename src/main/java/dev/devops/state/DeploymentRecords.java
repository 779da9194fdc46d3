package dev.devops.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.devops.config.ConfigException;
import dev.devops.util.JrJson;
import dev.devops.util.SafeFiles;
import dev.devops.util.UnsafeFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The project's own record of deploys and rollbacks ({@code .devops/deployments.json}): version
 * labels given by {@code devops deploy --version}, deploys a rollback marked bad, and the rollbacks
 * themselves. Every change re-reads the file, applies itself and writes the file atomically, under
 * an exclusive file lock, so concurrent processes never lose each other's updates.
 */
public final class DeploymentRecords {
  public static final String FILE_NAME = "deployments.json";
  private static final String DISPLAY = SafeFiles.STATE_DIR + "/" + FILE_NAME;
  static final int MAX_DEPLOYS = 5000;
  static final int MAX_ROLLBACKS = 1000;

  /** Serialises writers inside this process; the file lock serialises processes. */
  private static final ReentrantLock IN_PROCESS = new ReentrantLock();

  private final Path stateDir;
  private final Overlay overlay;
  private Data data;

  private DeploymentRecords(Path stateDir, Data data) {
    this(stateDir, data, null);
  }

  private DeploymentRecords(Path stateDir, Data local, Overlay overlay) {
    this.stateDir = stateDir;
    this.overlay = overlay;
    this.data = overlay == null ? local : overlay.over(local);
  }

  /**
   * Marks and labels kept elsewhere (the site's shared record), laid over these records: for each
   * deploy the newest mark or clearing wins; a local label wins over a shared one.
   *
   * @param bad bad marks by deploy id
   * @param cleared when a mark was cleared ({@code mark --good}), by deploy id
   * @param labels version labels by deploy id
   */
  public record Overlay(
      Map<String, BadMark> bad, Map<String, Instant> cleared, Map<String, String> labels) {
    public static final Overlay NONE = new Overlay(Map.of(), Map.of(), Map.of());

    Data over(Data local) {
      Data merged = new Data();
      merged.schema = local.schema;
      merged.deploys = new LinkedHashMap<>(local.deploys);
      labels.forEach(
          (id, version) -> {
            DeployRecord own = merged.deploys.get(id);
            if (own == null || own.version() == null || own.version().isBlank()) {
              merged.deploys.put(
                  id, new DeployRecord(id, null, version, null, null, true, null, null));
            }
          });
      merged.verified = local.verified;
      merged.rollbacks = local.rollbacks;
      merged.cleared = new LinkedHashMap<>(local.cleared);
      merged.bad = new LinkedHashMap<>(local.bad);
      java.util.Set<String> ids = new java.util.LinkedHashSet<>(bad.keySet());
      ids.addAll(cleared.keySet());
      for (String id : ids) {
        Instant newestClear = newest(local.cleared.get(id), cleared.get(id));
        BadMark own = local.bad.get(id);
        BadMark shared = bad.get(id);
        BadMark mark = own == null ? shared : shared == null ? own : newer(own, shared);
        if (mark != null && (newestClear == null || at(mark).isAfter(newestClear))) {
          merged.bad.put(id, mark);
        } else {
          merged.bad.remove(id);
        }
        if (newestClear != null) {
          merged.cleared.put(id, newestClear);
        }
      }
      return merged;
    }

    private static BadMark newer(BadMark a, BadMark b) {
      return at(b).isAfter(at(a)) ? b : a;
    }

    private static Instant at(BadMark m) {
      return m.at() == null ? Instant.EPOCH : m.at();
    }

    private static Instant newest(Instant a, Instant b) {
      return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
  }

  /** These records with {@code overlay} laid over them; writes still go to the local file only. */
  public DeploymentRecords with(Overlay overlay) {
    if (this.overlay == null) {
      return new DeploymentRecords(stateDir, data, overlay); // the records as read, not read again
    }
    return new DeploymentRecords(
        stateDir, stateDir == null ? new Data() : read(stateDir.resolve(FILE_NAME)), overlay);
  }

  /** Loads the records (empty when the file does not exist yet). */
  public static DeploymentRecords load(Path stateDir) {
    return new DeploymentRecords(stateDir, read(stateDir.resolve(FILE_NAME)));
  }

  /** Records that were never saved: for a project without {@code .devops/} state. */
  public static DeploymentRecords empty() {
    return new DeploymentRecords(null, new Data());
  }

  public Path file() {
    return stateDir == null ? null : stateDir.resolve(FILE_NAME);
  }

  /** The label recorded by {@code devops deploy --version} for this deploy. */
  public Optional<String> versionOf(String deployId) {
    DeployRecord r = data.deploys.get(deployId);
    return r == null || r.version() == null || r.version().isBlank()
        ? Optional.empty()
        : Optional.of(r.version());
  }

  public Optional<DeployRecord> deploy(String deployId) {
    return Optional.ofNullable(data.deploys.get(deployId));
  }

  /** Every recorded deploy, oldest first. */
  public List<DeployRecord> deploys() {
    return List.copyOf(data.deploys.values());
  }

  public boolean isBad(String deployId) {
    return data.bad.containsKey(deployId);
  }

  /** A verification of this deploy's served bytes and health checks passed. */
  public boolean isVerified(String deployId) {
    return data.verified.containsKey(deployId);
  }

  /** Records that a verification of this deploy passed. */
  public void markVerified(String deployId, Instant at) {
    update(
        d -> {
          d.verified.remove(deployId);
          d.verified.put(deployId, at);
          trim(d.verified, MAX_DEPLOYS);
        });
  }

  public Optional<BadMark> badMark(String deployId) {
    return Optional.ofNullable(data.bad.get(deployId));
  }

  /** Every bad mark, by deploy id. */
  public Map<String, BadMark> badMarks() {
    return Collections.unmodifiableMap(data.bad);
  }

  /** When each cleared mark was cleared, by deploy id. */
  public Map<String, Instant> clearedMarks() {
    return Collections.unmodifiableMap(data.cleared);
  }

  /** Every rollback recorded here, oldest first. */
  public List<RollbackRecord> rollbacks() {
    return Collections.unmodifiableList(data.rollbacks);
  }

  public Optional<RollbackRecord> lastRollback() {
    return data.rollbacks.isEmpty()
        ? Optional.empty()
        : Optional.of(data.rollbacks.get(data.rollbacks.size() - 1));
  }

  /** Adds (or replaces) the record of a deploy made by {@code devops deploy}. */
  public void recordDeploy(DeployRecord record) {
    update(
        d -> {
          d.deploys.remove(record.id());
          d.deploys.put(record.id(), record);
          trim(d.deploys, MAX_DEPLOYS);
        });
  }

  /** Marks a deploy as bad: a rollback moved away from it. */
  public void markBad(String deployId, String reason, String rollbackId) {
    markBad(deployId, new BadMark(reason, rollbackId, Instant.now(), null, null));
  }

  /** Marks a deploy as bad with {@code mark} (who, where, when and why). */
  public void markBad(String deployId, BadMark mark) {
    update(
        d -> {
          d.bad.remove(deployId);
          d.bad.put(deployId, mark);
          d.cleared.remove(deployId);
          trim(d.bad, MAX_DEPLOYS);
        });
  }

  /** Clears a bad mark, for example when a deploy is deliberately published again. */
  public void clearBad(String deployId) {
    clearBad(deployId, Instant.now());
  }

  /** Clears a bad mark, remembering when: a shared mark older than that stays cleared. */
  public void clearBad(String deployId, Instant at) {
    update(
        d -> {
          boolean wasBad = d.bad.remove(deployId) != null;
          if (wasBad || (overlay != null && overlay.bad().containsKey(deployId))) {
            d.cleared.remove(deployId);
            d.cleared.put(deployId, at);
            trim(d.cleared, MAX_DEPLOYS);
          }
        });
  }

  public void recordRollback(String rollbackId, String fromId, String toId, Instant at) {
    update(
        d -> {
          d.rollbacks.add(new RollbackRecord(rollbackId, fromId, toId, at));
          while (d.rollbacks.size() > MAX_ROLLBACKS) {
            d.rollbacks.remove(0);
          }
        });
  }

  /** Re-reads, changes and writes the file under the locks; then this object shows the result. */
  private void update(Consumer<Data> change) {
    if (stateDir == null) {
      change.accept(data);
      return;
    }
    Path file = stateDir.resolve(FILE_NAME);
    IN_PROCESS.lock();
    try {
      Path lockFile = stateDir.resolve("." + FILE_NAME + ".lock");
      try (FileChannel channel = SafeFiles.openLock(lockFile);
          FileLock ignored = channel.lock()) {
        Data fresh = read(file);
        change.accept(fresh);
        SafeFiles.write(
            file, (JrJson.prettyCompact(fresh) + "\n").getBytes(StandardCharsets.UTF_8));
        data = overlay == null ? fresh : overlay.over(fresh);
      }
    } catch (UnsafeFileException e) {
      throw new ConfigException(ConfigException.Kind.INVALID, e.getMessage(), null, e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot update " + DISPLAY, e);
    } finally {
      IN_PROCESS.unlock();
    }
  }

  private static Data read(Path file) {
    byte[] bytes;
    try {
      Optional<byte[]> read = SafeFiles.readBounded(file, SafeFiles.RECORD_FILE_BYTES);
      if (read.isEmpty()) {
        return new Data();
      }
      bytes = read.get();
    } catch (UnsafeFileException e) {
      throw new ConfigException(ConfigException.Kind.INVALID, e.getMessage(), null, e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + DISPLAY, e);
    }
    try {
      Data data = bytes.length == 0 ? null : JrJson.compact().beanFrom(Data.class, bytes);
      return data == null ? new Data() : data.normalized();
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
      throw new ConfigException(
          ConfigException.Kind.MALFORMED,
          DISPLAY
              + where
              + ": not valid JSON; fix or move the file aside (it is never overwritten).",
          null,
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + DISPLAY, e);
    }
  }

  private static <K, V> void trim(Map<K, V> map, int max) {
    Iterator<K> oldest = map.keySet().iterator();
    while (map.size() > max && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
  }

  /**
   * Why a deploy is considered bad.
   *
   * @param reason the reason the rollback gave
   * @param rollbackId the rollback that moved away from it
   * @param at when it was marked
   * @param who who marked it (null in marks written before the field existed)
   * @param host the machine it was marked from, or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BadMark(
      String reason,
      @JsonProperty("rollback_id") String rollbackId,
      Instant at,
      String who,
      String host) {}

  /**
   * One rollback: which deploy was live before, and which after.
   *
   * @param rollbackId the rollback's id
   * @param from the deploy published before
   * @param to the deploy published after
   * @param at when the switch happened
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record RollbackRecord(
      @JsonProperty("rollback_id") String rollbackId, String from, String to, Instant at) {}

  /** The file: deploys by id (oldest first), bad marks by deploy id, rollbacks oldest first. */
  static final class Data {
    public int schema = 1;
    public LinkedHashMap<String, DeployRecord> deploys = new LinkedHashMap<>();
    public LinkedHashMap<String, BadMark> bad = new LinkedHashMap<>();
    public List<RollbackRecord> rollbacks = new ArrayList<>();
    public LinkedHashMap<String, Instant> verified = new LinkedHashMap<>();
    public LinkedHashMap<String, Instant> cleared = new LinkedHashMap<>();

    Data normalized() {
      if (cleared == null) {
        cleared = new LinkedHashMap<>();
      }
      cleared.values().removeIf(java.util.Objects::isNull);
      if (verified == null) {
        verified = new LinkedHashMap<>();
      }
      if (deploys == null) {
        deploys = new LinkedHashMap<>();
      }
      if (bad == null) {
        bad = new LinkedHashMap<>();
      }
      // Entries a hand edit left empty are dropped rather than read as nulls later.
      deploys.values().removeIf(java.util.Objects::isNull);
      bad.values().removeIf(java.util.Objects::isNull);
      verified.values().removeIf(java.util.Objects::isNull);
      rollbacks = rollbacks == null ? new ArrayList<>() : new ArrayList<>(rollbacks);
      rollbacks.removeIf(java.util.Objects::isNull);
      return this;
    }
  }
}
