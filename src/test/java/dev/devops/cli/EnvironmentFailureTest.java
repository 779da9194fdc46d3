package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devops.testing.Cli;
import dev.devops.util.AtomicFiles;
import dev.devops.util.Json;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Failures of the machine rather than of devops: a full disk, a read-only {@code .devops}, an
 * unreadable file in the folder to deploy, a token that cannot go into a header, a timeout too
 * small to be one, hand-edited history entries. Each is one line and its own exit code, never
 * "Internal error".
 */
class EnvironmentFailureTest extends HostileCases {
  /**
   * True when this process ignores file permissions (root): chmod cannot make a file unreadable or
   * a folder read-only for it.
   */
  private boolean ignoresPermissions() throws IOException {
    Path probe = Files.createTempFile(dir, "probe", ".txt");
    try {
      Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("---------"));
      return Files.isReadable(probe);
    } finally {
      Files.delete(probe);
    }
  }

  /** The file system refuses every write under {@code devops} with {@code reason}. */
  private static AtomicFiles.Simulation failWrites(Path devops, String reason) {
    Path root = devops.toAbsolutePath().normalize();
    return AtomicFiles.simulateFailure(
        path ->
            path.startsWith(root)
                ? reason.startsWith("No space")
                    ? new IOException(reason)
                    : new FileSystemException(path.toString(), null, reason)
                : null);
  }

  @Test
  void aFullDiskIsOneLineAndItsOwnCode() {
    PlatformProject p = twoDeploys("disk-full");
    Path devops = p.dir.resolve(".devops");
    try (AtomicFiles.Simulation full = failWrites(devops, "No space left on device")) {
      record(
          "disk full: rollback",
          p.cli.run("rollback", "--yes", "--reason", "x"),
          ExitCode.LOCAL_IO,
          "No space left on device (the disk is full: free some space, then run the command"
              + " again).");
      record(
          "disk full: init --force",
          p.cli.run("init", "--site", p.siteName, "--api-url", platform.apiUrl(), "--force"),
          ExitCode.LOCAL_IO,
          "Cannot write .devops/config.json: No space left on device");
    }
    try (AtomicFiles.Simulation full =
        failWrites(devops.resolve("backups"), "No space left on device")) {
      record(
          "disk full while backing up: rollback",
          p.cli.run("rollback", "--yes", "--reason", "x"),
          ExitCode.LOCAL_IO,
          "No space left on device");
    }
    assertThat(served(p, "/")).as("nothing switched").isEqualTo("two");
  }

  /**
   * The disk fills up after the switch: the rollback stays what it was (switched, checked), the
   * failed write is said apart with its own code, and no recovery is advised.
   */
  @Test
  void aDiskThatFillsUpAfterTheSwitchLeavesAVerifiedRollbackVerified() {
    PlatformProject p = newProject("full-after");
    String v1 = p.deploy("v1.0.0", Map.of("index.html", "one"));
    p.deploy("v2.0.0", Map.of("index.html", "two"));
    try (AtomicFiles.Simulation full = fullOnceServing(p, v1)) {
      Cli.Result r =
          record(
              "disk full after the switch: rollback --json",
              p.cli.run("rollback", "--yes", "--reason", "x", "--json"),
              java.util.Set.of(ExitCode.LOCAL_IO.code()));
      List<com.fasterxml.jackson.databind.JsonNode> lines = PlatformProject.jsonLines(r);
      com.fasterxml.jackson.databind.JsonNode result = lines.get(lines.size() - 1);
      assertThat(result.get("outcome").asText()).isEqualTo("verified");
      assertThat(result.get("record_error").asText()).contains("No space left on device");
      assertThat(result.get("exit_code").asInt()).isEqualTo(ExitCode.LOCAL_IO.code());
    }
    assertThat(publishedId(p)).isEqualTo(v1);

    PlatformProject q = newProject("full-after-text");
    String first = q.deploy("v1.0.0", Map.of("index.html", "one"));
    q.deploy("v2.0.0", Map.of("index.html", "two"));
    try (AtomicFiles.Simulation full = fullOnceServing(q, first)) {
      Cli.Result text =
          record(
              "disk full after the switch: rollback",
              q.cli.run("rollback", "--yes", "--reason", "x"),
              java.util.Set.of(ExitCode.LOCAL_IO.code()));
      assertThat(text.out()).contains("✓ Rollback successful!");
      assertThat(text.err())
          .contains("⚠️ The rollback ended verified, but its record could not be written")
          .contains("nothing needs recovering")
          .doesNotContain("❌");
    }
    assertThat(publishedId(q)).isEqualTo(first);
  }

  /** The disk of {@code p}'s {@code .devops} is full from the moment the site serves {@code id}. */
  private static AtomicFiles.Simulation fullOnceServing(PlatformProject p, String id) {
    Path root = p.dir.resolve(".devops").toAbsolutePath().normalize();
    return AtomicFiles.simulateFailure(
        path ->
            path.startsWith(root) && id.equals(publishedId(p))
                ? new IOException("No space left on device")
                : null);
  }

  @Test
  void aReadOnlyDevopsIsOneLineAndItsOwnCode() throws IOException {
    PlatformProject p = twoDeploys("read-only");
    Path devops = p.dir.resolve(".devops");
    Files.setPosixFilePermissions(devops, PosixFilePermissions.fromString("r-xr-xr-x"));
    // chmod 555 stops every user but root; for root the file system's answer is simulated.
    try (AtomicFiles.Simulation readOnly =
        ignoresPermissions() ? failWrites(devops, "Read-only file system") : () -> {}) {
      Cli.Result r =
          record(
              "read-only .devops (chmod 555): rollback",
              p.cli.run("rollback", "--yes", "--reason", "x"),
              ExitCode.LOCAL_IO,
              ".devops/");
      assertThat(r.err()).containsAnyOf("Permission denied", "Read-only file system");
      record(
          "read-only .devops (chmod 555): init --force",
          p.cli.run("init", "--site", p.siteName, "--api-url", platform.apiUrl(), "--force"),
          ExitCode.LOCAL_IO,
          "Cannot write .devops/config.json");
    } finally {
      Files.setPosixFilePermissions(devops, PosixFilePermissions.fromString("rwx------"));
    }
    assertThat(served(p, "/")).as("nothing switched").isEqualTo("two");
  }

  @Test
  void anUnreadableFileInTheFolderIsOneLineAndItsOwnCode() throws IOException {
    PlatformProject p = twoDeploys("unreadable");
    Path site = p.siteDir("public", Map.of("index.html", "<h1>v3</h1>", "secret.html", "s"));
    faults().resetCalls();
    if (!ignoresPermissions()) {
      Path secret = site.resolve("secret.html");
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
      try {
        record(
            "unreadable file in --dir (chmod 000)",
            p.cli.run("deploy", "--dir", "public", "--prod"),
            ExitCode.LOCAL_IO,
            "secret.html: Permission denied");
      } finally {
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
      }
    }
    // A file whose reads fail for every user, root included: an I/O error (Linux).
    Path mem = Path.of("/proc/self/mem");
    if (Files.isRegularFile(mem)) {
      Path link = site.resolve("memory.bin");
      Files.createSymbolicLink(link, mem);
      try {
        record(
            "file in --dir whose reads fail (I/O error)",
            p.cli.run("deploy", "--dir", "public", "--prod", "--follow-symlinks"),
            ExitCode.LOCAL_IO,
            "Cannot read " + site.toRealPath().resolve("memory.bin") + ": Input/output error");
      } finally {
        Files.delete(link);
      }
    }
    assertThat(faults().calls("createSiteDeploy")).as("deploys created").isZero();
  }

  @Test
  void aTokenThatCannotGoIntoAHeaderIsRefusedBeforeAnyRequest() throws IOException {
    PlatformProject p = twoDeploys("bad-token");
    faults().resetCalls();
    Map<String, String> tokens =
        Map.of(
            "with a line break", "tok-ab12\ncd34-zz",
            "with a non-ASCII character", "tök-ab12cd34-zz",
            "with a space", "tok-ab12 cd34-zz");
    for (Map.Entry<String, String> token : tokens.entrySet()) {
      Cli.Result r =
          record(
              "NETLIFY_AUTH_TOKEN " + token.getKey(),
              p.cli.env("NETLIFY_AUTH_TOKEN", token.getValue()).run("deployments", "list"),
              ExitCode.AUTH,
              "NETLIFY_AUTH_TOKEN holds a line break, a space or a non-ASCII character");
      assertThat(r.all()).doesNotContain("ab12").doesNotContain("cd34");
    }
    Cli.Result local =
        record(
            "NETLIFY_AUTH_TOKEN with a line break: local sites list",
            new Cli(p.dir)
                .env("NETLIFY_AUTH_TOKEN", "tok-ab12\r\nX-Evil: 1")
                .run("local", "sites", "list", "--api-url", platform.apiUrl()),
            ExitCode.AUTH,
            "holds a line break");
    assertThat(local.all()).doesNotContain("ab12").doesNotContain("X-Evil");
    assertThat(faults().allCalls()).as("requests sent").isEmpty();
    p.cli.env("NETLIFY_AUTH_TOKEN", platform.token());
  }

  @Test
  void aTimeoutBelowOneMillisecondIsRefused() {
    PlatformProject p = twoDeploys("timeout");
    for (String value : List.of("0.0001", "0", "1e-9")) {
      record(
          "DEVOPS_TIMEOUT_SECONDS=" + value,
          p.cli.env("DEVOPS_TIMEOUT_SECONDS", value).run("status"),
          ExitCode.USAGE,
          "DEVOPS_TIMEOUT_SECONDS='" + value + "' is not a number of seconds from 0.001 (1 ms)");
    }
    p.cli.env("DEVOPS_TIMEOUT_SECONDS", "5");
  }

  @Test
  void historyEntriesWithMissingFieldsAreAConfigErrorNamingTheEntry() throws IOException {
    PlatformProject p = twoDeploys("history-fields");
    assertThat(p.cli.run("rollback", "--yes", "--reason", "first").exitCode()).isZero();
    Path file = p.dir.resolve(".devops/rollback-history.json");
    ArrayNode valid = (ArrayNode) Json.mapper().readTree(file.toFile());
    String id = valid.get(0).get("id").asText();
    for (String field : List.of("to", "from", "id", "outcome")) {
      ArrayNode entries = valid.deepCopy();
      ObjectNode broken = entries.addObject().setAll((ObjectNode) valid.get(0).deepCopy());
      broken.put("id", "rb-20260101-000000-beef");
      broken.remove(field);
      Files.writeString(file, Json.mapper().writeValueAsString(entries));
      String named =
          field.equals("id") ? "entry 2 has no 'id'" : "entry 2 (rb-20260101-000000-beef)";
      record(
          "rollback-history.json entry without '" + field + "': rollback history",
          p.cli.run("rollback", "history"),
          ExitCode.CONFIG,
          ".devops/rollback-history.json: " + named);
    }
    record(
        "rollback-history.json entry without 'outcome': rollback --dry-run",
        p.cli.run("rollback", "--dry-run"),
        ExitCode.CONFIG,
        "has no 'outcome'");
    record(
        "rollback-history.json entry without 'outcome': emergency-recover",
        p.cli.run("emergency-recover", "--rollback-id", id),
        ExitCode.CONFIG,
        "has no 'outcome'");
    Cli.Result status =
        record(
            "rollback-history.json entry without 'outcome': status",
            p.cli.run("status"),
            ExitCode.OK,
            null);
    assertThat(status.err()).contains("⚠️ .devops/rollback-history.json: entry 2");
  }
}
