package dev.devops.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.devops.config.ConfigException;
import dev.devops.util.Json;
import dev.devops.util.SafeFiles;
import dev.devops.util.UnsafeFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * {@code .devops/rollback-history.json}: every rollback, oldest first. Each change is a
 * read-modify-write under a file lock, written atomically, so concurrent processes never lose an
 * entry and a crash never leaves a torn file.
 */
public final class RollbackHistory {
  private static final Object JVM_LOCK = new Object();

  /** Oldest entries beyond this are dropped, so the file stays small. */
  static final int MAX_ENTRIES = 1000;

  private static final TypeReference<List<RollbackRecord>> LIST = new TypeReference<>() {};
  private static final String DISPLAY = SafeFiles.STATE_DIR + "/rollback-history.json";

  private final Path file;
  private final Path lockFile;

  public RollbackHistory(Path stateDir) {
    this.file = stateDir.resolve("rollback-history.json");
    this.lockFile = stateDir.resolve("locks").resolve("rollback-history.lock");
  }

  public Path file() {
    return file;
  }

  /**
   * All entries, oldest first; an absent file is an empty history. A file that is not a plain file
   * of this user, too large, not valid JSON, or with an entry that lacks what every entry has
   * ({@code id}, {@code site_id}, {@code from.id}, {@code to.id}, {@code outcome}) is a config
   * error that names the problem; it is never overwritten while so.
   */
  public List<RollbackRecord> all() {
    List<RollbackRecord> records;
    try {
      Optional<byte[]> bytes = SafeFiles.readBounded(file, SafeFiles.RECORD_FILE_BYTES);
      if (bytes.isEmpty()) {
        return List.of();
      }
      records = Json.mapper().readValue(bytes.get(), LIST);
    } catch (UnsafeFileException e) {
      throw new ConfigException(ConfigException.Kind.INVALID, e.getMessage(), null, e);
    } catch (JsonProcessingException e) {
      // A torn, hostile or hand-edited file is the user's to fix: a config error, not a crash.
      throw new ConfigException(
          ConfigException.Kind.MALFORMED,
          DISPLAY
              + " is unreadable ("
              + firstLine(e.getOriginalMessage())
              + "): fix or move the file aside (it is never overwritten while unreadable).",
          null,
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + DISPLAY, e);
    }
    if (records == null) {
      return List.of();
    }
    for (int i = 0; i < records.size(); i++) {
      String missing = missingField(records.get(i));
      if (missing != null) {
        RollbackRecord r = records.get(i);
        throw new ConfigException(
            ConfigException.Kind.INVALID,
            DISPLAY
                + ": entry "
                + (i + 1)
                + (r == null || r.id() == null ? "" : " (" + r.id() + ")")
                + " has no '"
                + missing
                + "': fix or remove that entry (the file is never overwritten while invalid).");
      }
    }
    return records;
  }

  /** The first field every entry needs that {@code r} lacks, or null. */
  private static String missingField(RollbackRecord r) {
    if (r == null) {
      return "id";
    }
    if (r.id() == null || r.id().isBlank()) {
      return "id";
    }
    if (r.siteId() == null) {
      return "site_id";
    }
    if (r.from() == null || r.from().id() == null) {
      return "from";
    }
    if (r.to() == null || r.to().id() == null) {
      return "to";
    }
    if (r.outcome() == null) {
      return "outcome";
    }
    if (r.steps() != null) {
      for (StepRecord step : r.steps()) {
        if (step == null || step.name() == null) {
          return "steps[].name";
        }
        if (step.outcome() == null) {
          return "steps[].outcome";
        }
      }
    }
    return null;
  }

  private static String firstLine(String message) {
    String line = message == null ? "unknown error" : message.lines().findFirst().orElse("");
    return line.length() > 160 ? line.substring(0, 160) + "…" : line;
  }

  /** Rollbacks of {@code siteId} that never recorded their end (their process died). */
  public List<RollbackRecord> unfinished(String siteId) {
    return all().stream()
        .filter(r -> siteId.equals(r.siteId()))
        .filter(
            r ->
                RollbackRecord.IN_PROGRESS.equals(r.outcome())
                    || RollbackRecord.INTERRUPTED.equals(r.outcome()))
        .toList();
  }

  /** The newest rollback of {@code siteId} (the last one started), if any. */
  public Optional<RollbackRecord> last(String siteId) {
    List<RollbackRecord> all = all();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (siteId.equals(all.get(i).siteId())) {
        return Optional.of(all.get(i));
      }
    }
    return Optional.empty();
  }

  public Optional<RollbackRecord> find(String rollbackId) {
    return all().stream().filter(r -> r.id().equals(rollbackId)).findFirst();
  }

  /** Adds {@code record}, or replaces the entry with its id. */
  public RollbackRecord save(RollbackRecord record) {
    return update(record.id(), existing -> record);
  }

  /** Applies {@code change} to the entry {@code id} (null if absent) and stores the result. */
  public RollbackRecord update(String id, UnaryOperator<RollbackRecord> change) {
    RollbackRecord[] updated = new RollbackRecord[1];
    rewrite(
        records -> {
          int index = -1;
          for (int i = 0; i < records.size(); i++) {
            if (records.get(i).id().equals(id)) {
              index = i;
            }
          }
          updated[0] = change.apply(index < 0 ? null : records.get(index));
          if (index < 0) {
            records.add(updated[0]);
            while (records.size() > MAX_ENTRIES) {
              records.remove(0);
            }
          } else {
            records.set(index, updated[0]);
          }
          return true;
        });
    return updated[0];
  }

  /**
   * Records that the backup in {@code backupDir} became complete at {@code at}, on every entry that
   * names it (a path relative to {@code projectDir}, as recorded) and does not say so yet: {@code
   * backup create --resume}, or a later rollback, finished what an interrupted one left. Returns
   * how many entries changed; the file is not rewritten when none did.
   */
  public int backupCompleted(Path projectDir, Path backupDir, Instant at) {
    Path wanted = backupDir.toAbsolutePath().normalize();
    Path base = projectDir.toAbsolutePath().normalize();
    int[] changed = {0};
    rewrite(
        records -> {
          for (int i = 0; i < records.size(); i++) {
            RollbackRecord r = records.get(i);
            if (r.backup() != null
                && !Boolean.TRUE.equals(r.backupComplete())
                && names(base, r.backup(), wanted)) {
              records.set(i, r.withBackupCompletion(true, at));
              changed[0]++;
            }
          }
          return changed[0] > 0;
        });
    return changed[0];
  }

  /** Whether {@code recorded}, relative to {@code base}, is {@code wanted}; false if no path. */
  private static boolean names(Path base, String recorded, Path wanted) {
    try {
      return base.resolve(recorded).normalize().equals(wanted);
    } catch (java.nio.file.InvalidPathException e) {
      return false; // a hand-edited entry: it names no backup of ours
    }
  }

  /**
   * Reads every entry, lets {@code change} edit the list in place, and stores it when {@code
   * change} says it changed: under the file lock, written atomically.
   */
  @SuppressWarnings("try") // The file lock is held for the block's duration, never referenced.
  private void rewrite(Predicate<List<RollbackRecord>> change) {
    synchronized (JVM_LOCK) {
      try {
        try (FileChannel ch = SafeFiles.openLock(lockFile);
            FileLock ignored = ch.lock()) {
          List<RollbackRecord> records = new ArrayList<>(all());
          if (change.test(records)) {
            SafeFiles.write(
                file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(records));
          }
        }
      } catch (UnsafeFileException e) {
        throw new ConfigException(ConfigException.Kind.INVALID, e.getMessage(), null, e);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot write " + DISPLAY, e);
      }
    }
  }
}
