package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.Fault;
import dev.devops.testing.Cli;
import dev.devops.testing.ReliabilityReport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hostile files and answers, hostile ids and paths, races, and the token scanner: every case ends
 * in a defined exit code with one clear line, nothing is written outside {@code .devops}, and the
 * token appears in no output and no file.
 */
class HostileInputTest extends HostileCases {
  private static void writeLarge(Path file, String head, long fillerBytes, String tail)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(head.getBytes(StandardCharsets.UTF_8));
      byte[] chunk = "a".repeat(1 << 16).getBytes(StandardCharsets.US_ASCII);
      for (long left = fillerBytes; left > 0; left -= chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, left));
      }
      out.write(tail.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void hostileProjectFilesGiveOneClearLine() throws IOException {
    PlatformProject p = twoDeploys("files");
    Path config = p.dir.resolve(".devops/config.json");
    String good = Files.readString(config);
    Map<String, Runnable> cases = new LinkedHashMap<>();
    Files.writeString(config, "{\"site_id\": ");
    record("config.json malformed", p.cli.run("status"), Set.of(ExitCode.CONFIG.code()));
    writeLarge(config, "{\"site_id\":\"", 50L << 20, "\"}");
    record("config.json 50 MB", p.cli.run("status"), Set.of(ExitCode.CONFIG.code()));
    Files.writeString(config, "[".repeat(100_000) + "]".repeat(100_000));
    record("config.json nested 100k levels", p.cli.run("status"), Set.of(ExitCode.CONFIG.code()));
    Files.writeString(config, good);
    Path history = p.dir.resolve(".devops/rollback-history.json");
    Files.writeString(history, "[".repeat(100_000) + "]".repeat(100_000));
    record(
        "rollback-history.json nested 100k levels",
        p.cli.run("rollback", "--dry-run"),
        Set.of(ExitCode.CONFIG.code()));
    writeLarge(history, "[{\"id\":\"", 50L << 20, "\"}]");
    record(
        "rollback-history.json 50 MB",
        p.cli.run("rollback", "--dry-run"),
        Set.of(ExitCode.CONFIG.code()));
    Files.delete(history);
    Path records = p.dir.resolve(".devops/deployments.json");
    Files.writeString(records, "{\"deploys\": {\"x\": ");
    record(
        "deployments.json malformed",
        p.cli.run("deployments", "list"),
        Set.of(ExitCode.OK.code(), ExitCode.CONFIG.code()));
    assertThat(cases).isEmpty();
  }

  @Test
  void anUnreadableRollbackHistoryIsAConfigErrorNotACrash() throws IOException {
    PlatformProject p = twoDeploys("history");
    Files.writeString(p.dir.resolve(".devops/rollback-history.json"), "[[]]");
    Cli.Result r = p.cli.run("rollback", "--dry-run");
    PlatformProject.assertOneLineError(
        r, ExitCode.CONFIG.code(), ".devops/rollback-history.json is unreadable");
    scan(r);
  }

  @Test
  void anUnsafePathListedByTheApiIsAnApiErrorNotAUsageError() {
    PlatformProject p = twoDeploys("unsafe");
    faults()
        .inject(
            Fault.on("listSiteFiles")
                .replyWith(
                    "[{\"id\":\"f\",\"path\":\"/../x\",\"sha\":\"" + "a".repeat(40) + "\"}]"));
    Cli.Result r = p.cli.run("backup", "create", "--deployment", "v2.0.0", "--reason", "x");
    PlatformProject.assertOneLineError(
        r, ExitCode.API.code(), "Netlify listed an unsafe file path");
    scan(r);
  }

  @Test
  void hostileApiBodiesAreBoundedAndRefused() {
    PlatformProject p = twoDeploys("bodies");
    faults().inject(Fault.on("getSite").oversizedBody(50L << 20).times(Integer.MAX_VALUE));
    Cli.Result big =
        record("getSite answers 50 MB", p.cli.run("status"), Set.of(ExitCode.API.code()));
    assertThat(big.err()).contains("exceeds");
    faults().clear();
    faults().inject(Fault.on("listSiteDeploys").nestedBody(100_000).times(Integer.MAX_VALUE));
    record(
        "listSiteDeploys answers 100k nested arrays",
        p.cli.run("deployments", "list"),
        Set.of(ExitCode.API.code()));
    faults().clear();
    faults().inject(Fault.on("getSite").replyWith("{\"id\": 42, \"name\": [1,2]}"));
    record(
        "getSite answers the wrong shape",
        p.cli.run("status"),
        Set.of(ExitCode.OK.code(), ExitCode.API.code()));
  }

  @Test
  void hostileIdsAreRefusedBeforeAnyRequest() {
    PlatformProject p = twoDeploys("ids");
    List<String> ids =
        List.of(
            "../../etc/passwd",
            "..",
            "a/b",
            "%2e%2e%2fsites",
            "abc\u0000def",
            "x".repeat(5000),
            "/absolute");
    int n = 0;
    for (String id : ids) {
      String label = id.length() > 40 ? "x×5000" : id.replace("\u0000", "NUL");
      faults().resetCalls();
      record(
          "logs --deployment " + label,
          p.cli.run("logs", "--deployment", id),
          Set.of(ExitCode.USAGE.code()));
      record(
          "verify-deployment --id " + label,
          p.cli.run("verify-deployment", "--id", id),
          Set.of(ExitCode.USAGE.code()));
      record(
          "backup create --deployment " + label,
          p.cli.run("backup", "create", "--deployment", id),
          Set.of(ExitCode.USAGE.code(), ExitCode.INVALID_TARGET.code()));
      record(
          "rollback " + label,
          p.cli.run("rollback", id, "--yes", "--reason", "x"),
          Set.of(ExitCode.USAGE.code(), ExitCode.INVALID_TARGET.code()));
      record(
          "emergency-recover --rollback-id " + label,
          p.cli.run("emergency-recover", "--rollback-id", id),
          Set.of(
              ExitCode.USAGE.code(),
              ExitCode.CONFIG.code(),
              ExitCode.NOT_FOUND.code(),
              ExitCode.INVALID_TARGET.code()));
      assertThat(faults().calls("getDeploy")).as(label).isZero();
      n++;
    }
    assertThat(n).isEqualTo(ids.size());
  }

  @Test
  void hostileFilePathsFromTheApiStayInsideTheBackup() throws IOException {
    PlatformProject p = twoDeploys("paths");
    String v2 = publishedId(p);
    String sha = "fe05bcdcdc4928012781a5f1a2a77cbb5398e106";
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put("../", "/../../../escape.txt");
    paths.put("./", "/a/./b");
    paths.put("//", "/a//b");
    paths.put("NUL", "/a\\u0000b");
    paths.put("backslash", "/..\\\\escape.txt");
    paths.put("5000-char name", "/" + "n".repeat(5000));
    paths.put("no SHA1", "/index.html\",\"sha\":\"../x");
    for (Map.Entry<String, String> hostile : paths.entrySet()) {
      String listing =
          "[{\"id\":\"f\",\"path\":\"" + hostile.getValue() + "\",\"sha\":\"" + sha + "\"}]";
      if (hostile.getKey().equals("no SHA1")) {
        listing = "[{\"id\":\"f\",\"path\":\"/index.html\",\"sha\":\"../x\"}]";
      }
      faults().inject(Fault.on("listSiteFiles").replyWith(listing).times(Integer.MAX_VALUE));
      record(
          "backup of a deploy listing a path with " + hostile.getKey(),
          p.cli.run("backup", "create", "--deployment", v2, "--reason", "x"),
          Set.of(ExitCode.API.code()));
      faults().clear();
    }
    // A literal '%2e%2e' segment is a file name, not a parent: it stays inside the backup.
    String encoded =
        "[{\"id\":\"f\",\"path\":\"/%2e%2e/%2e%2e/escape2.txt\",\"sha\":\"" + sha + "\"}]";
    faults().inject(Fault.on("listSiteFiles").replyWith(encoded).times(Integer.MAX_VALUE));
    record(
        "backup of a deploy listing %2e%2e segments",
        p.cli.run("backup", "create", "--deployment", v2, "--reason", "x"),
        Set.of(ExitCode.OK.code(), ExitCode.API.code()));
    faults().clear();
    assertThat(Files.exists(dir.resolve("escape.txt"))).isFalse();
    assertThat(Files.exists(dir.resolve("escape2.txt"))).isFalse();
  }

  @Test
  void plainHttpToARemoteHostIsRefusedBeforeAnyConnection() {
    PlatformProject p = twoDeploys("tls");
    for (String url :
        List.of("http://example.com", "http://10.0.0.1:8080/api/v1", "http://127.0.0.1.nip.io")) {
      Cli.Result r =
          record(
              "NETLIFY_API_URL=" + url,
              p.cli.env("NETLIFY_API_URL", url).run("status"),
              Set.of(ExitCode.USAGE.code(), ExitCode.CONFIG.code()));
      assertThat(r.err()).contains("Refusing plain HTTP");
    }
    p.cli.env("NETLIFY_API_URL", platform.apiUrl());
  }

  @Test
  void twoRollbacksAtOnceMakeOneSwitch() throws Exception {
    PlatformProject p = twoDeploys("race");
    String v2 = publishedId(p);
    Cli.Result[] results = new Cli.Result[2];
    Thread[] threads = new Thread[2];
    for (int i = 0; i < 2; i++) {
      int n = i;
      threads[i] =
          new Thread(
              () ->
                  results[n] =
                      p.cli
                          .env("DEVOPS_LOCK_WAIT_SECONDS", "0.2")
                          .run("rollback", "v1.0.0", "--yes", "--reason", "race " + n));
      threads[i].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    List<Integer> codes = List.of(results[0].exitCode(), results[1].exitCode());
    record(
        "two rollbacks at once (first)",
        results[0],
        Set.of(ExitCode.OK.code(), ExitCode.INVALID_TARGET.code(), ExitCode.CONFLICT.code()));
    record(
        "two rollbacks at once (second)",
        results[1],
        Set.of(ExitCode.OK.code(), ExitCode.INVALID_TARGET.code(), ExitCode.CONFLICT.code()));
    assertThat(codes).contains(0);
    assertThat(publishedId(p)).isNotEqualTo(v2);
    assertThat(served(p, "/")).isEqualTo("one");
    JsonNode history = rollbackHistory(p);
    history.forEach(e -> assertThat(e.get("outcome").asText()).isNotEqualTo("in_progress"));
  }

  @Test
  void aPublishFromElsewhereAtEachStepIsDetected() throws Exception {
    PlatformProject probe = twoDeploys("probe");
    faults().resetCalls();
    Cli.Result clean = probe.cli.run("rollback", "--yes", "--reason", "probe");
    assertThat(clean.exitCode()).as(clean.err()).isZero();
    List<String> ops = new ArrayList<>(faults().allCalls().keySet());
    for (String op : ops) {
      PlatformProject p = twoDeploys("publish");
      faults().clear();
      faults().resetCalls();
      // Hold the rollback at this call while someone else publishes v3.
      faults().inject(Fault.on(op).delay(java.time.Duration.ofMillis(300)));
      Thread other =
          new Thread(
              () -> {
                while (faults().calls(op) == 0) {
                  Thread.onSpinWait();
                }
                p.deploy("v3.0.0", Map.of("index.html", "three"));
              });
      other.start();
      Cli.Result r = p.cli.run("rollback", "v1.0.0", "--yes", "--reason", "race");
      other.join(30_000);
      faults().clear();
      record(
          "publish from elsewhere during " + op,
          r,
          Set.of(
              ExitCode.OK.code(),
              ExitCode.CONFLICT.code(),
              ExitCode.RECOVERED.code(),
              ExitCode.UNVERIFIED.code()));
      assertThat(served(p, "/")).as(op).isIn("one", "two", "three");
      JsonNode history = rollbackHistory(p);
      if (history != null) {
        history.forEach(
            e -> assertThat(e.get("outcome").asText()).as(op).isNotEqualTo("in_progress"));
      }
    }
  }

  @Test
  void aStaleLockFileBlocksNobody() throws IOException {
    PlatformProject p = twoDeploys("stale");
    Path locks = p.dir.resolve(".devops/locks");
    Files.createDirectories(locks);
    Files.writeString(locks.resolve(p.siteId + ".lock"), "pid 999999 (killed)");
    Cli.Result r =
        record(
            "stale lock file of a killed process",
            p.cli.env("DEVOPS_LOCK_WAIT_SECONDS", "0.5").run("rollback", "--yes", "--reason", "x"),
            Set.of(ExitCode.OK.code()));
    assertThat(served(p, "/")).isEqualTo("one");
    int checked = ReliabilityReport.assertOwnerOnly(p.dir.resolve(".devops/backups"));
    Path history = p.dir.resolve(".devops/rollback-history.json");
    assertThat(
            java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(history)))
        .isEqualTo("rw-------");
    row("backups and history owner-only (" + (checked + 1) + " paths)", "0600/0700");
    assertThat(r.exitCode()).isZero();
  }
}
