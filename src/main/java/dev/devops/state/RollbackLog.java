package dev.devops.state;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads {@code .devops/rollback-history.json} (written by the rollback engine) leniently, for
 * display only: an unreadable or unexpected file is treated as "no rollback recorded".
 */
public final class RollbackLog {
  public static final String FILE_NAME = "rollback-history.json";

  private RollbackLog() {}

  /**
   * One rollback as the status view shows it.
   *
   * @param id the rollback id
   * @param from the deploy id published before
   * @param to the deploy id published after
   * @param reason the reason given, or null
   * @param finishedAt when it finished, or null
   * @param outcome for example {@code verified}, {@code recovered}, {@code failed}; or null
   * @param fromVersion the version label of {@code from}, when the file gives it
   * @param toVersion the version label of {@code to}, when the file gives it
   */
  public record Entry(
      String id,
      String from,
      String to,
      String reason,
      Instant finishedAt,
      String outcome,
      String fromVersion,
      String toVersion) {}

  /** The most recent rollback (the latest finished_at, else the last entry), if any. */
  public static Optional<Entry> last(Path stateDir) {
    Path file = stateDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(file.toFile());
    } catch (IOException e) {
      return Optional.empty();
    }
    JsonNode list = root;
    if (root != null && root.isObject()) {
      list = root.has("rollbacks") ? root.get("rollbacks") : root.get("entries");
    }
    if (list == null || !list.isArray()) {
      return Optional.empty();
    }
    Entry best = null;
    for (JsonNode node : list) {
      if (!node.isObject()) {
        continue;
      }
      Entry e =
          new Entry(
              text(node, "id", "rollback_id"),
              deployId(node.get("from")),
              deployId(node.get("to")),
              text(node, "reason"),
              time(text(node, "finished_at", "at", "started_at")),
              text(node, "outcome", "status"),
              version(node.get("from"), node.get("from_version")),
              version(node.get("to"), node.get("to_version")));
      if (best == null
          || e.finishedAt() == null
          || best.finishedAt() == null
          || !e.finishedAt().isBefore(best.finishedAt())) {
        best = e;
      }
    }
    return Optional.ofNullable(best);
  }

  private static String deployId(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isObject()) {
      return node.hasNonNull("id") ? node.get("id").asText() : null;
    }
    return node.asText();
  }

  private static String version(JsonNode deploy, JsonNode separate) {
    if (deploy != null && deploy.isObject() && deploy.hasNonNull("version")) {
      return deploy.get("version").asText();
    }
    return separate != null && separate.isValueNode() && !separate.isNull()
        ? separate.asText()
        : null;
  }

  private static String text(JsonNode node, String... names) {
    for (String name : names) {
      JsonNode value = node.get(name);
      if (value != null && value.isValueNode() && !value.isNull()) {
        return value.asText();
      }
    }
    return null;
  }

  private static Instant time(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
