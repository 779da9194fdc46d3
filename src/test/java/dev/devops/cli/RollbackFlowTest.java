package dev.devops.cli;

import static dev.devops.cli.PlatformProject.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.state.DeploymentRecords;
import dev.devops.testing.Cli;
import dev.devops.testing.PlatformFixture;
import dev.devops.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole {@code devops rollback} flow, end to end against the local platform. */
class RollbackFlowTest {
  @TempDir static Path platformDir;
  static PlatformFixture platform;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    platform = PlatformFixture.start(platformDir);
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  static int sites;

  private PlatformProject project() {
    return new PlatformProject(platform, dir, "flow-" + (++sites));
  }

  private String served(PlatformProject p, String path) {
    return platform.get(platform.platform().siteUrl(p.siteName) + path);
  }

  private JsonNode site(PlatformProject p) {
    return platform.call("GET", "/sites/" + p.siteId, null);
  }

  private JsonNode history(PlatformProject p) throws Exception {
    return Json.mapper().readTree(Files.readString(p.dir.resolve(".devops/rollback-history.json")));
  }

  @Test
  void defaultTargetSkipsFailedAndBadDeploysAndIsVerified() throws Exception {
    PlatformProject p = project();
    String v100 = p.deploy("v1.0.0", Map.of("index.html", "<h1>v1.0.0</h1>", "a.css", "a{}"));
    String v110 = p.deploy("v1.1.0", Map.of("index.html", "<h1>v1.1.0</h1>", "a.css", "a{}"));
    platform.failDeploy(p.siteId, "v1.1.5");
    String v120 = p.deploy("v1.2.0", Map.of("index.html", "<h1>v1.2.0</h1>", "b.css", "b{}"));
    DeploymentRecords.load(p.dir.resolve(".devops")).markBad(v110, "broke checkout", "rb-earlier");

    Cli.Result r = p.cli.run("rollback", "--yes", "--reason", "checkout broken");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("Skipped v1.1.5").contains("failed");
    assertThat(r.err()).contains("Skipped v1.1.0 (" + v110 + "): marked bad by an earlier rollback");
    assertThat(r.err()).contains("🎯 Target: v1.0.0 (" + v100 + ")");
    assertThat(r.err()).contains("✓ Rollback successful!");
    assertThat(served(p, "/")).isEqualTo("<h1>v1.0.0</h1>");
    assertThat(site(p).at("/published_deploy/id").asText()).isEqualTo(v100);
    assertThat(site(p).at("/published_deploy/locked").asBoolean()).isTrue();
    JsonNode entry = history(p).get(0);
    assertThat(entry.get("outcome").asText()).isEqualTo("verified");
    assertThat(entry.at("/from/id").asText()).isEqualTo(v120);
    assertThat(entry.at("/to/id").asText()).isEqualTo(v100);
    assertThat(entry.get("reason").asText()).isEqualTo("checkout broken");
    assertThat(entry.get("verification").get("ok").asBoolean()).isTrue();
    assertThat(entry.get("lock_after").asBoolean()).isTrue();
    assertThat(DeploymentRecords.load(p.dir.resolve(".devops")).isBad(v120)).isTrue();
  }

  /** v1.0.0, v1.1.0, v1.2.0 (current); returns their ids, oldest first. */
  private List<String> threeReleases(PlatformProject p) {
    return List.of(
        p.deploy("v1.0.0", Map.of("index.html", "<h1>v1.0.0</h1>", "app.js", "one()")),
        p.deploy("v1.1.0", Map.of("index.html", "<h1>v1.1.0</h1>", "app.js", "two()")),
        p.deploy("v1.2.0", Map.of("index.html", "<h1>v1.2.0</h1>", "app.js", "three()", "new.html", "new")));
  }

  @Test
  void versionLabelTargetGoesToThatDeploy() throws Exception {
    PlatformProject p = project();
    List<String> ids = threeReleases(p);
    Cli.Result r = p.cli.run("rollback", "v1.0.0", "--yes", "--reason", "pick v1.0.0");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(served(p, "/")).isEqualTo("<h1>v1.0.0</h1>");
    assertThat(history(p).get(0).at("/to/id").asText()).isEqualTo(ids.get(0));
  }

  @Test
  void deployIdTargetGoesToThatDeploy() {
    PlatformProject p = project();
    List<String> ids = threeReleases(p);
    Cli.Result r = p.cli.run("rollback", ids.get(1), "--confirm", "ROLLBACK", "--reason", "by id");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(served(p, "/")).isEqualTo("<h1>v1.1.0</h1>");
  }

  @Test
  void rollForwardToANewerDeployWorksTheSameWay() throws Exception {
    PlatformProject p = project();
    List<String> ids = threeReleases(p);
    assertThat(p.cli.run("rollback", "v1.0.0", "--yes", "--reason", "back").exitCode()).isZero();
    Cli.Result r = p.cli.run("rollback", ids.get(2), "--yes", "--reason", "forward again");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("Rolling forward from v1.0.0 to v1.2.0").contains("Changes that will be applied:");
    assertThat(served(p, "/")).isEqualTo("<h1>v1.2.0</h1>");
    assertThat(history(p).get(1).get("direction").asText()).isEqualTo("forward");
    assertThat(DeploymentRecords.load(p.dir.resolve(".devops")).isBad(ids.get(2))).isFalse();
  }

  @Test
  void secondRollbackGoesFurtherBackSkippingTheBadOne() {
    PlatformProject p = project();
    List<String> ids = threeReleases(p);
    assertThat(p.cli.run("rollback", "--yes", "--reason", "first").exitCode()).isZero();
    assertThat(served(p, "/")).isEqualTo("<h1>v1.1.0</h1>");
    Cli.Result r = p.cli.run("rollback", "--yes", "--reason", "still broken");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(site(p).at("/published_deploy/id").asText()).isEqualTo(ids.get(0));
    assertThat(served(p, "/")).isEqualTo("<h1>v1.0.0</h1>");
  }

  @Test
  void ambiguousLabelListsTheCandidatesAndStops() {
    PlatformProject p = project();
    String a = p.deploy("v2.0.0 first try", Map.of("index.html", "a"));
    String b = p.deploy("v2.0.0 second try", Map.of("index.html", "b"));
    p.deploy("v2.1.0", Map.of("index.html", "c"));
    Cli.Result r = p.cli.run("rollback", "v2.0.0", "--yes", "--reason", "x");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(8);
    assertThat(r.err()).contains(a).contains(b).contains("pass a deploy id");
    assertThat(served(p, "/")).isEqualTo("c");
  }

  @Test
  void nothingToRollBackTo() {
    PlatformProject p = project();
    p.deploy("v1.0.0");
    Cli.Result r = p.cli.run("rollback", "--yes", "--reason", "x");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(14);
    assertThat(r.err()).contains("❌ No previous deployments found").contains("💡 Nothing to rollback to");
  }

  @Test
  void onlyFailedOlderDeploysMeansNoTargetAndSaysWhatWasSkipped() {
    PlatformProject p = project();
    platform.failDeploy(p.siteId, "v0.9.0");
    p.deploy("v1.0.0");
    Cli.Result r = p.cli.run("rollback", "--yes", "--reason", "x");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(14);
    assertThat(r.err()).contains("skipped v0.9.0").contains("failed");
  }

  @Test
  void invalidTargetsAreRefusedWithTheSpecBlock() {
    PlatformProject p = project();
    List<String> ids = threeReleases(p);
    Cli.Result current = p.cli.run("rollback", ids.get(2), "--yes", "--reason", "x");
    assertThat(current.exitCode()).isEqualTo(8);
    assertThat(current.err()).contains("❌ Cannot rollback to v1.2.0").contains("Reason: v1.2.0 (" + ids.get(2) + ") is already the published deploy.")
        .contains("💡 Try a different version or contact support");
    Cli.Result missing = p.cli.run("rollback", "0123456789abcdef01234567", "--yes", "--reason", "x");
    assertThat(missing.exitCode()).isEqualTo(8);
    assertThat(missing.err()).contains("Reason: Deploy 0123456789abcdef01234567 does not exist");
    Cli.Result unknownLabel = p.cli.run("rollback", "v9.9.9", "--yes", "--reason", "x");
    assertThat(unknownLabel.exitCode()).isEqualTo(8);
    assertThat(served(p, "/")).isEqualTo("<h1>v1.2.0</h1>");
  }

  @Test
  void structuralChangesBlockUnlessAccepted() {
    PlatformProject p = project();
    String old = p.deploy("v1.0.0", Map.of("index.html", "old"));
    p.deploy("v1.1.0", Map.of("index.html", "new", "_redirects", "/a /b 301"));
    Cli.Result blocked = p.cli.run("rollback", "--yes", "--reason", "x");
    assertThat(blocked.exitCode()).as(blocked.err()).isEqualTo(8);
    assertThat(blocked.err()).contains("Reason: Redirects or headers change: /_redirects differ.");
    assertThat(served(p, "/")).isEqualTo("new");
    Cli.Result accepted = p.cli.run("rollback", "--yes", "--reason", "x", "--accept-breaking");
    assertThat(accepted.exitCode()).as(accepted.err()).isZero();
    assertThat(accepted.err()).contains("⚠️ Accepted: Redirects or headers change");
    assertThat(site(p).at("/published_deploy/id").asText()).isEqualTo(old);
  }

  @Test
  void withoutATerminalItRefusesUnlessConfirmedByFlag() {
    PlatformProject p = project();
    threeReleases(p);
    Cli.Result r = p.cli.run("rollback");
    PlatformProject.assertOneLineError(r, 9, "No terminal to confirm on");
    Cli.Result wrongWord = p.cli.run("rollback", "--confirm", "yes", "--reason", "x");
    PlatformProject.assertOneLineError(wrongWord, 9, "--confirm must be exactly ROLLBACK");
    Cli.Result noReason = p.cli.run("rollback", "--yes");
    PlatformProject.assertOneLineError(noReason, 2, "--reason is required");
    assertThat(served(p, "/")).isEqualTo("<h1>v1.2.0</h1>");
    assertThat(p.dir.resolve(".devops/rollback-history.json")).doesNotExist();
  }

  @Test
  void onATerminalOnlyTheExactWordConfirms() throws Exception {
    PlatformProject p = project();
    threeReleases(p);
    Cli.Result lower = p.cli.runInteractive("rollback\n", "rollback");
    assertThat(lower.exitCode()).isEqualTo(9);
    assertThat(lower.err()).contains("⚠️ Confirm Rollback").contains("Type 'ROLLBACK' to confirm:").contains("you did not type ROLLBACK");
    assertThat(served(p, "/")).isEqualTo("<h1>v1.2.0</h1>");
    Cli.Result ok = p.cli.runInteractive("ROLLBACK\nlogin page broken\n", "rollback");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.err()).contains("Reason (recorded in the rollback history):");
    assertThat(served(p, "/")).isEqualTo("<h1>v1.1.0</h1>");
    assertThat(history(p).get(0).get("reason").asText()).isEqualTo("login page broken");
  }

  @Test
  void dryRunShowsEverythingAndChangesNothing() throws Exception {
    PlatformProject p = project();
    threeReleases(p);
    Cli.Result r = p.cli.run("rollback", "--dry-run");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("📋 Recent Deployments").contains("⚠️ Rollback Impact Analysis").contains("Dry run");
    assertThat(r.err()).doesNotContain("Creating backup");
    assertThat(served(p, "/")).isEqualTo("<h1>v1.2.0</h1>");
    assertThat(p.dir.resolve(".devops/backups")).doesNotExist();
    assertThat(p.dir.resolve(".devops/rollback-history.json")).doesNotExist();
  }

  @Test
  void noLockLeavesAutoPublishingOn() {
    PlatformProject p = project();
    threeReleases(p);
    Cli.Result r = p.cli.run("rollback", "--yes", "--reason", "x", "--no-lock");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(site(p).at("/published_deploy/locked").asBoolean()).isFalse();
    assertThat(r.err()).contains("the next git deploy to production replaces this rollback");
  }

  @Test
  void aLockedSiteIsUnlockedRestoredAndLockedOnTheTarget() {
    PlatformProject p = project();
    List<String> ids = threeReleases(p);
    platform.call("POST", "/deploys/" + ids.get(2) + "/lock", null);
    Cli.Result r = p.cli.run("rollback", "--yes", "--reason", "x");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("Auto publishing unlocked");
    assertThat(site(p).at("/published_deploy/id").asText()).isEqualTo(ids.get(1));
    assertThat(site(p).at("/published_deploy/locked").asBoolean()).isTrue();
  }
}
