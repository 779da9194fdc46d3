package dev.devops.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the site's shared record holds ({@link SharedRecord}), as JSON under the metadata key
 * {@value SharedRecord#KEY}: rollbacks, marks, labels and the lease. Values only; reading, bounds
 * and writing are {@link SharedRecord}'s.
 */
public final class SharedState {
  private SharedState() {}

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
}
