package dev.devops.cli;

import static dev.devops.cli.PlatformProject.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.engine.SiteLock;
import dev.devops.testing.Cli;
import dev.devops.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The step commands on their own: analyze, execute, history, backup, verify, emergency-recover. */
class RollbackStepsTest extends RollbackTestBase {
  private record Site(PlatformProject p, String v1, String v2, String v3) {}

  private Site site() {
    PlatformProject p = newProject("steps");
    return new Site(
        p,
        p.deploy(
            "v1.0.0", Map.of("index.html", "<h1>one</h1>", "shared.css", "s{}", "old.html", "old")),
        p.deploy("v1.1.0", Map.of("index.html", "<h1>two</h1>", "shared.css", "s{}")),
        p.deploy(
            "v1.2.0",
            Map.of("index.html", "<h1>three</h1>", "shared.css", "s{}", "new.html", "new")));
  }

  private String published(Site s) {
    return publishedId(s.p());
  }

  private String served(Site s) {
    return served(s.p(), "/");
  }

  private JsonNode history(Site s) {
    return rollbackHistory(s.p());
  }

  /** The last JSON line of a JSON-lines output. */
  static JsonNode lastLine(Cli.Result r) throws Exception {
    List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
    return Json.mapper().readTree(lines.get(lines.size() - 1));
  }

  @Test
  void analyzeThenAPublishFromElsewhereAbortsExecuteAndChangesNothing() throws Exception {
    Site s = site();
    Cli.Result analyze =
        s.p().cli.run("rollback", "analyze", "--from", s.v3(), "--to", s.v2(), "--json");
    assertThat(analyze.exitCode()).as(analyze.err()).isZero();
    // Someone publishes v1.0.0 from the Netlify UI meanwhile.
    platform.call("POST", "/sites/" + s.p().siteId + "/deploys/" + s.v1() + "/restore", null);
    Cli.Result execute = s.p().cli.run("rollback", "execute", "--to", s.v2(), "--from", s.v3());
    PlatformProject.assertOneLineError(
        execute, ExitCode.CONFLICT.code(), "someone published meanwhile");
    assertThat(published(s)).isEqualTo(s.v1());
    assertThat(s.p().dir.resolve(".devops/backups")).doesNotExist();
    JsonNode entry = history(s).get(0);
    assertThat(entry.get("outcome").asText()).isEqualTo("aborted");
    assertThat(entry.at("/site_state/published_deploy_id").asText()).isEqualTo(s.v1());
  }

  @Test
  void executeOnItsOwnTakesABackupStreamsProgressAndVerifies() throws Exception {
    Site s = site();
    Cli.Result r =
        s.p().cli.run("rollback", "execute", "--to", s.v2(), "--reason", "step by step", "--track");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.screen())
        .contains("🔄 Rolling back deployment...")
        .contains("[00:00] Starting rollback...")
        .contains("Recording what is live...")
        .contains("Code reverted to v1.1.0")
        .contains("Health check: passed");
    assertThat(served(s)).isEqualTo("<h1>two</h1>");
    assertThat(history(s).get(0).get("backup").asText()).startsWith(".devops/backups/");
  }

  @Test
  void anotherRollbackHoldingTheSiteLockMakesTheSecondRefuseNamingTheHolder() {
    Site s = site();
    try (SiteLock held =
        SiteLock.acquire(
            s.p().dir.resolve(".devops"),
            s.p().siteId,
            "rb-other",
            Duration.ZERO,
            Clock.systemUTC())) {
      assertThat(held).isNotNull();
      Cli.Result r =
          s.p()
              .cli
              .env("DEVOPS_LOCK_WAIT_SECONDS", "0.3")
              .run("rollback", "--yes", "--reason", "x");
      assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.CONFLICT.code());
      assertThat(r.screen())
          .contains("Another rollback of this site is running")
          .contains("rb-other")
          .contains("pid " + ProcessHandle.current().pid());
    }
    assertThat(published(s)).isEqualTo(s.v3());
  }

  @Test
  void aLockFileLeftByADeadProcessBlocksNobody() throws Exception {
    Site s = site();
    Path lock = s.p().dir.resolve(".devops/locks/" + s.p().siteId + ".lock");
    Files.createDirectories(lock.getParent());
    Files.writeString(lock, "pid 999999, since 2020-01-01T00:00:00Z, rollback rb-dead\n");
    Cli.Result r = s.p().cli.run("rollback", "--yes", "--reason", "after a crash");
    assertThat(r.exitCode()).as(r.err()).isZero();
  }

  @Test
  void twoRollbacksAtOnceOneWinsTheOtherRefuses() throws Exception {
    Site s = site();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Callable<Cli.Result> toV2 =
          () ->
              s.p()
                  .cli
                  .run("rollback", "execute", "--to", s.v2(), "--from", s.v3(), "--reason", "a");
      Callable<Cli.Result> toV1 =
          () ->
              s.p()
                  .cli
                  .run("rollback", "execute", "--to", s.v1(), "--from", s.v3(), "--reason", "b");
      List<Future<Cli.Result>> futures = List.of(pool.submit(toV2), pool.submit(toV1));
      List<Integer> codes = new ArrayList<>();
      for (Future<Cli.Result> f : futures) {
        codes.add(f.get().exitCode());
      }
      assertThat(codes).containsExactlyInAnyOrder(0, 10);
      String winner = codes.get(0) == 0 ? s.v2() : s.v1();
      assertThat(published(s)).isEqualTo(winner);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void emergencyRecoverPutsTheSiteBackAndIsSafeToRunTwice() throws Exception {
    Site s = site();
    assertThat(s.p().cli.run("rollback", "--yes", "--reason", "x").exitCode()).isZero();
    String id = history(s).get(0).get("id").asText();
    Cli.Result first = s.p().cli.run("emergency-recover", "--rollback-id", id);
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.screen())
        .contains("✓ Recovered: Re-published the pre-rollback deploy " + s.v3());
    assertThat(published(s)).isEqualTo(s.v3());
    assertThat(served(s)).isEqualTo("<h1>three</h1>");
    boolean lockedAfterFirst =
        platform
            .call("GET", "/sites/" + s.p().siteId, null)
            .at("/published_deploy/locked")
            .asBoolean();
    assertThat(lockedAfterFirst).as("unlocked, as before the rollback").isFalse();
    Cli.Result second = s.p().cli.run("emergency-recover", "--rollback-id", id, "--json");
    assertThat(second.exitCode()).as(second.err()).isZero();
    JsonNode result = lastLine(second);
    assertThat(result.get("outcome").asText()).isEqualTo("recovered");
    assertThat(result.at("/recovery/method").asText()).isEqualTo("none_needed");
    assertThat(published(s)).isEqualTo(s.v3());
    assertThat(history(s).get(0).get("recoveries")).hasSize(2);
  }

  @Test
  void emergencyRecoverDeploysTheBackupWhenThePreRollbackDeployIsGone() throws Exception {
    Site s = site();
    assertThat(s.p().cli.run("rollback", "--yes", "--reason", "x").exitCode()).isZero();
    platform.call("DELETE", "/sites/" + s.p().siteId + "/deploys/" + s.v3(), null);
    String id = history(s).get(0).get("id").asText();
    Cli.Result r = s.p().cli.run("emergency-recover", "--rollback-id", id);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.screen()).contains("deployed the backup's files as");
    assertThat(served(s)).isEqualTo("<h1>three</h1>");
    assertThat(platform.get(platform.platform().siteUrl(s.p().siteName) + "/new.html"))
        .isEqualTo("new");
    assertThat(history(s).get(0).at("/recoveries/0/method").asText())
        .isEqualTo("redeployed_backup");
  }

  @Test
  void aBackupRedeployKeepsEveryFileOfTheDeployDotfilesIncluded() throws Exception {
    PlatformProject p = newProject("dotfiles");
    p.deploy("v1.0.0", Map.of("index.html", "<h1>one</h1>"));
    String v2 =
        p.deploy(
            "v2.0.0",
            Map.of("index.html", "<h1>two</h1>", ".nojekyll", "keep", ".hidden/conf", "c"));
    assertThat(p.cli.run("rollback", "--yes", "--reason", "x").exitCode()).isZero();
    platform.call("DELETE", "/sites/" + p.siteId + "/deploys/" + v2, null);
    String id = rollbackHistory(p).get(0).get("id").asText();

    Cli.Result r = p.cli.run("emergency-recover", "--rollback-id", id);
    assertThat(r.exitCode()).as(r.err()).isZero();
    String site = platform.platform().siteUrl(p.siteName);
    assertThat(platform.get(site + "/")).isEqualTo("<h1>two</h1>");
    assertThat(platform.get(site + "/.nojekyll")).isEqualTo("keep");
    assertThat(platform.get(site + "/.hidden/conf")).isEqualTo("c");
  }

  @Test
  void emergencyRecoverOfAnUnknownRollbackIsNotFound() {
    Site s = site();
    PlatformProject.assertOneLineError(
        s.p().cli.run("emergency-recover", "--rollback-id", "rb-nope"), 6, "No rollback 'rb-nope'");
  }

  @Test
  void backupsStoreEachBlobOnceOwnerOnlyAndVerifyCatchesCorruption() throws Exception {
    Site s = site();
    Cli.Result first =
        s.p()
            .cli
            .run("backup", "create", "--deployment", s.v3(), "--reason", "before change", "--json");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(json(first).get("new_blobs").asInt()).isEqualTo(3);
    Cli.Result second =
        s.p().cli.run("backup", "create", "--deployment", "v1.2.0", "--reason", "again", "--json");
    assertThat(json(second).get("new_blobs").asInt()).isZero();
    assertThat(json(second).get("reused_blobs").asInt()).isEqualTo(3);
    // Netlify lists only the published deploy's files: v1 is backed up once it is live again.
    platform.call("POST", "/sites/" + s.p().siteId + "/deploys/" + s.v1() + "/restore", null);
    Cli.Result older =
        s.p().cli.run("backup", "create", "--deployment", s.v1(), "--reason", "older", "--json");
    assertThat(json(older).get("new_blobs").asInt())
        .as("shared.css is stored already")
        .isEqualTo(2);

    Path backups = s.p().dir.resolve(".devops/backups");
    try (Stream<Path> all = Files.walk(backups)) {
      for (Path path : all.toList()) {
        String perms = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        assertThat(perms)
            .as(path.toString())
            .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------");
      }
    }
    JsonNode list = json(s.p().cli.run("backup", "list", "--json"));
    assertThat(list.get("backups")).hasSize(3);
    Cli.Result ok = s.p().cli.run("backup", "verify", "--json");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(json(ok).get("ok").asBoolean()).isTrue();

    String sha =
        Json.mapper()
            .readTree(
                Files.readString(
                    backups
                        .resolve(
                            json(first)
                                .get("dir")
                                .asText()
                                .replace(".devops/backups/", "")
                                .replace("/", ""))
                        .resolve("manifest.json")))
            .get("files")
            .get(0)
            .get("sha")
            .asText();
    Path blob = backups.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha);
    Files.writeString(blob, "tampered");
    Cli.Result bad = s.p().cli.run("backup", "verify", json(first).get("dir").asText(), "--json");
    assertThat(bad.exitCode()).isEqualTo(ExitCode.UNVERIFIED.code());
    assertThat(json(bad).at("/backups/0/corrupt")).hasSize(1);
  }

  @Test
  void backupVerifyRefusesPathsOutsideTheBackupStore() {
    Site s = site();
    Cli.Result r = s.p().cli.run("backup", "verify", "../../etc");
    PlatformProject.assertOneLineError(r, ExitCode.NOT_FOUND.code(), "No backup at '../../etc'");
  }

  @Test
  void verifyDeploymentProvesTheServedBytesAndFailsForTheWrongDeploy() {
    Site s = site();
    Cli.Result ok = s.p().cli.run("verify-deployment", "--id", s.v3(), "--json");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    JsonNode v = json(ok);
    assertThat(v.get("ok").asBoolean()).isTrue();
    assertThat(v.get("files_checked").asInt()).isEqualTo(3);
    Cli.Result wrong = s.p().cli.run("verify-deployment", "--id", s.v2());
    assertThat(wrong.exitCode()).isEqualTo(ExitCode.UNVERIFIED.code());
    assertThat(wrong.screen())
        .contains("⚠️ Deployment not verified")
        .contains("✗ Deploy published");
  }

  @Test
  void validateReportsWhyATargetCannotBeUsed() {
    Site s = site();
    platform.failDeploy(s.p().siteId, "v1.3.0");
    Cli.Result ok = s.p().cli.run("deployments", "validate", "--id", "v1.1.0", "--json");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(json(ok).get("ok").asBoolean()).isTrue();
    Cli.Result current = s.p().cli.run("deployments", "validate", "--id", s.v3());
    assertThat(current.exitCode()).isEqualTo(ExitCode.INVALID_TARGET.code());
    assertThat(current.screen()).contains("❌ Cannot rollback to v1.2.0");
    Cli.Result failed = s.p().cli.run("deployments", "validate", "--id", "v1.3.0", "--json");
    assertThat(failed.exitCode()).isEqualTo(ExitCode.INVALID_TARGET.code());
    assertThat(json(failed).at("/findings/0/code").asText()).isEqualTo("not_ready");
  }

  @Test
  void envVarChangesSinceTheTargetWasLiveAreAWarningNotABlock() {
    Site s = site();
    platform.setEnv(s.p().siteId, "API_VERSION", "2.3");
    Cli.Result r = s.p().cli.run("rollback", "--dry-run");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.screen()).contains("⚠️ Env vars changed since v1.1.0 was live: API_VERSION");
  }

  @Test
  void historyListsEveryRollbackNewestFirst() throws Exception {
    Site s = site();
    s.p().cli.run("rollback", "--yes", "--reason", "first");
    s.p().cli.run("rollback", "--yes", "--reason", "second");
    Cli.Result human = s.p().cli.run("rollback", "history");
    assertThat(human.out())
        .contains("🕘 Rollback History")
        .contains("Reason: second")
        .contains("VERIFIED");
    JsonNode all = json(s.p().cli.run("rollback", "history", "--json")).get("rollbacks");
    assertThat(all).hasSize(2);
    assertThat(all.get(0).get("reason").asText()).isEqualTo("second");
    assertThat(all.get(0).get("steps")).isNotEmpty();
  }

  @Test
  void theTokenAppearsInNoOutputAndNoFile() throws Exception {
    Site s = site();
    List<Cli.Result> results = new ArrayList<>();
    results.add(s.p().cli.run("rollback", "--yes", "--reason", "x", "--debug"));
    results.add(s.p().cli.run("rollback", "history", "--json"));
    results.add(s.p().cli.run("backup", "list", "--json"));
    String id = history(s).get(0).get("id").asText();
    results.add(s.p().cli.run("emergency-recover", "--rollback-id", id, "--json", "--debug"));
    for (Cli.Result r : results) {
      assertThat(r.all()).doesNotContain(platform.token());
    }
    try (Stream<Path> files = Files.walk(s.p().dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1))
            .as(f.toString())
            .doesNotContain(platform.token());
      }
    }
  }
}
