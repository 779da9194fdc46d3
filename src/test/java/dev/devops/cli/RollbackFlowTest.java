package dev.devops.cli;

import static dev.devops.cli.PlatformProject.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.Fault;
import dev.devops.state.DeploymentRecords;
import dev.devops.testing.Cli;
import dev.devops.testing.PlatformFixture.DeployOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole {@code devops rollback} flow, end to end against the local platform. */
class RollbackFlowTest extends RollbackTestBase {
  private PlatformProject project() {
    return newProject("flow");
  }

  private JsonNode site(PlatformProject p) {
    return siteJson(p);
  }

  private JsonNode history(PlatformProject p) {
    return rollbackHistory(p);
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
    assertThat(r.screen()).contains("Skipped v1.1.5").contains("failed");
    assertThat(r.screen())
        .contains("Skipped v1.1.0 (" + v110 + "): marked bad by an earlier rollback");
    assertThat(r.screen()).contains("🎯 Target: v1.0.0 (" + v100 + ")");
    assertThat(r.screen()).contains("✓ Rollback successful!");
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

  @Test
  void aRollbackListsEachDeploysFilesOnce() {
    PlatformProject p = project();
    p.deploy("v1.0.0", Map.of("index.html", "<h1>v1.0.0</h1>", "a.css", "a{}"));
    p.deploy("v1.1.0", Map.of("index.html", "<h1>v1.1.0</h1>", "b.css", "b{}"));
    platform.platform().faults().resetCalls();

    Cli.Result r = p.cli.run("rollback", "--yes", "--reason", "listing once");

    assertThat(r.exitCode()).as(r.err()).isZero();
    // Compare and backup share the live deploy's documented listing; verification reads the
    // target's once it is published; the target's own listing is read once, to compare.
    assertThat(platform.platform().faults().calls("listSiteFiles")).isEqualTo(2);
    assertThat(platform.platform().faults().calls("listDeployFiles"))
        .isEqualTo(undocumentedEndpoints() ? 1 : 0);
    // The env vars too: the validation's drift check and the backup share one read.
    assertThat(platform.platform().faults().calls("getEnvVars")).isEqualTo(1);
  }

  /** Runs {@code run} with {@code fault} armed on the platform. */
  private static Cli.Result withFault(Fault fault, java.util.function.Supplier<Cli.Result> run) {
    faults().inject(fault);
    try {
      return run.get();
    } finally {
      faults().clear();
    }
  }

  /** v1.0.0, v1.1.0, v1.2.0 (current); returns their ids, oldest first. */
  private List<String> threeReleases(PlatformProject p) {
    return List.of(
        p.deploy("v1.0.0", Map.of("index.html", "<h1>v1.0.0</h1>", "app.js", "one()")),
        p.deploy("v1.1.0", Map.of("index.html", "<h1>v1.1.0</h1>", "app.js", "two()")),
        p.deploy(
            "v1.2.0",
            Map.of("index.html", "<h1>v1.2.0</h1>", "app.js", "three()", "new.html", "new")));
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
    assertThat(r.screen())
        .contains("Rolling forward from v1.0.0 to v1.2.0")
        .contains("Changes that will be applied:");
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
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.INVALID_TARGET.code());
    assertThat(r.screen()).contains(a).contains(b).contains("pass a deploy id");
    assertThat(served(p, "/")).isEqualTo("c");
  }

  @Test
  void nothingToRollBackTo() {
    PlatformProject p = project();
    p.deploy("v1.0.0");
    Cli.Result r = p.cli.run("rollback", "--yes", "--reason", "x");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.NO_TARGET.code());
    assertThat(r.screen())
        .contains("❌ No previous deployments found")
        .contains("💡 Nothing to rollback to");
  }

  @Test
  void onlyFailedOlderDeploysMeansNoTargetAndSaysWhatWasSkipped() {
    PlatformProject p = project();
    platform.failDeploy(p.siteId, "v0.9.0");
    p.deploy("v1.0.0");
    Cli.Result r = p.cli.run("rollback", "--yes", "--reason", "x");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.NO_TARGET.code());
    assertThat(r.screen()).contains("skipped v0.9.0").contains("failed");
  }

  @Test
  void invalidTargetsAreRefusedWithTheSpecBlock() {
    PlatformProject p = project();
    List<String> ids = threeReleases(p);
    Cli.Result current = p.cli.run("rollback", ids.get(2), "--yes", "--reason", "x");
    assertThat(current.exitCode()).isEqualTo(ExitCode.INVALID_TARGET.code());
    assertThat(current.screen())
        .contains("❌ Cannot rollback to v1.2.0")
        .contains("Reason: v1.2.0 (" + ids.get(2) + ") is already the published deploy.")
        .contains("💡 Try a different version or contact support");
    Cli.Result missing =
        p.cli.run("rollback", "0123456789abcdef01234567", "--yes", "--reason", "x");
    assertThat(missing.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code());
    assertThat(missing.screen()).contains("Reason: Deploy 0123456789abcdef01234567 does not exist");
    Cli.Result unknownLabel = p.cli.run("rollback", "v9.9.9", "--yes", "--reason", "x");
    assertThat(unknownLabel.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code());
    assertThat(unknownLabel.screen()).contains("❌ Cannot rollback to v9.9.9");
    assertThat(served(p, "/")).isEqualTo("<h1>v1.2.0</h1>");
  }

  @Test
  void structuralChangesBlockUnlessAccepted() {
    PlatformProject p = project();
    String old = p.deploy("v1.0.0", Map.of("index.html", "old"));
    p.deploy("v1.1.0", Map.of("index.html", "new", "_redirects", "/a /b 301"));
    Cli.Result blocked = p.cli.run("rollback", "--yes", "--reason", "x");
    assertThat(blocked.exitCode()).as(blocked.err()).isEqualTo(ExitCode.INVALID_TARGET.code());
    // Without the target's file list, the deploy summaries' rule counts still show the change.
    assertThat(blocked.screen())
        .contains(
            undocumentedEndpoints()
                ? "Reason: Redirects or headers change: /_redirects differ."
                : "Reason: Redirects or headers change: redirects 1 → 0 rules, by Netlify's"
                    + " deploy summaries.");
    assertThat(served(p, "/")).isEqualTo("new");
    Cli.Result accepted = p.cli.run("rollback", "--yes", "--reason", "x", "--accept-breaking");
    assertThat(accepted.exitCode()).as(accepted.err()).isZero();
    assertThat(accepted.screen()).contains("⚠️ Accepted: Redirects or headers change");
    assertThat(site(p).at("/published_deploy/id").asText()).isEqualTo(old);
  }

  @Test
  void withoutATerminalItRefusesUnlessConfirmedByFlag() {
    PlatformProject p = project();
    threeReleases(p);
    Cli.Result r = p.cli.run("rollback");
    PlatformProject.assertOneLineError(
        r, ExitCode.NOT_CONFIRMED.code(), "No terminal to confirm on");
    Cli.Result wrongWord = p.cli.run("rollback", "--confirm", "yes", "--reason", "x");
    PlatformProject.assertOneLineError(
        wrongWord, ExitCode.NOT_CONFIRMED.code(), "--confirm must be exactly ROLLBACK");
    Cli.Result noReason = p.cli.run("rollback", "--yes");
    PlatformProject.assertOneLineError(noReason, ExitCode.USAGE.code(), "--reason is required");
    assertThat(served(p, "/")).isEqualTo("<h1>v1.2.0</h1>");
    assertThat(p.dir.resolve(".devops/rollback-history.json")).doesNotExist();
  }

  @Test
  void onATerminalOnlyTheExactWordConfirms() throws Exception {
    PlatformProject p = project();
    threeReleases(p);
    Cli.Result lower = p.cli.runInteractive("rollback\n", "rollback");
    assertThat(lower.exitCode()).isEqualTo(ExitCode.NOT_CONFIRMED.code());
    assertThat(lower.screen())
        .contains("⚠️ Confirm Rollback")
        .contains("Type 'ROLLBACK' to confirm:")
        .contains("you did not type ROLLBACK");
    assertThat(served(p, "/")).isEqualTo("<h1>v1.2.0</h1>");
    Cli.Result ok = p.cli.runInteractive("ROLLBACK\nlogin page broken\n", "rollback");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.screen()).contains("Reason (recorded in the rollback history):");
    assertThat(served(p, "/")).isEqualTo("<h1>v1.1.0</h1>");
    assertThat(history(p).get(0).get("reason").asText()).isEqualTo("login page broken");
  }

  @Test
  void dryRunShowsEverythingAndChangesNothing() throws Exception {
    PlatformProject p = project();
    threeReleases(p);
    Cli.Result r = p.cli.run("rollback", "--dry-run");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.screen())
        .contains("📋 Recent Deployments")
        .contains("⚠️ Rollback Impact Analysis")
        .contains("Dry run");
    assertThat(r.screen()).doesNotContain("Creating backup");
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
    assertThat(r.screen()).contains("the next git deploy to production replaces this rollback");
  }

  @Test
  void aLockedSiteIsUnlockedRestoredAndLockedOnTheTarget() {
    PlatformProject p = project();
    List<String> ids = threeReleases(p);
    platform.call("POST", "/deploys/" + ids.get(2) + "/lock", null);
    Cli.Result r = p.cli.run("rollback", "--yes", "--reason", "x");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.screen()).contains("Auto publishing unlocked");
    assertThat(site(p).at("/published_deploy/id").asText()).isEqualTo(ids.get(1));
    assertThat(site(p).at("/published_deploy/locked").asBoolean()).isTrue();
  }

  @Test
  void withoutPerDeployFileListsTheRollbackStillWorksAndVerifiesByPermalink() {
    PlatformProject p = project();
    List<String> ids = threeReleases(p);
    Cli.Result r =
        withFault(
            Fault.on("listDeployFiles").status(404).times(Integer.MAX_VALUE),
            () -> p.cli.run("rollback", "--yes", "--reason", "no file lists"));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.screen())
        .contains("- unknown: Netlify lists only the published deploy's files")
        .contains("Redirects and headers:\n- unknown")
        .contains("/ as served: differs between the two deploys")
        .contains("served file(s) match the deploy's SHA1s");
    assertThat(rollbackHistory(p).get(0).get("backup_complete").asBoolean()).isTrue();
    assertThat(publishedId(p)).isEqualTo(ids.get(1));
    assertThat(rollbackHistory(p).get(0).get("outcome").asText()).isEqualTo("verified");
  }

  @Test
  void withOnlyDocumentedEndpointsChangedRedirectsAreNeverReportedUnchanged() throws Exception {
    assumeFalse(undocumentedEndpoints(), "the case of Netlify's documented API only");
    PlatformProject p = project();
    String fourRules =
        p.deploy(
            "v1.0.0",
            Map.of(
                "index.html",
                "<h1>v1.0.0</h1>",
                "_redirects",
                "/old /new 301\n/spa/* /index.html 200\n/gone /x 410\n/a /b 302\n"));
    String sameCount =
        p.deploy(
            "v1.1.0", Map.of("index.html", "<h1>v1.1.0</h1>", "_redirects", "/one /two 301\n"));
    String live =
        p.deploy(
            "v1.2.0", Map.of("index.html", "<h1>v1.2.0</h1>", "_redirects", "/three /four 301\n"));

    // The same number of rules, different rules: the summaries cannot tell, so "unknown".
    Cli.Result dry = p.cli.run("rollback", sameCount, "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.screen())
        .contains(
            "Redirects and headers:\n- unknown: Netlify does not list the target's rule files")
        .doesNotContain("Redirects and headers:\n- unchanged");

    // Four rules where one is live: the change shows, and blocks until accepted.
    Cli.Result analyze =
        p.cli.run("rollback", "analyze", "--from", live, "--to", fourRules, "--json");
    assertThat(json(analyze).at("/comparison/config_files").isNull()).isTrue();
    assertThat(json(analyze).at("/comparison/rules/redirects/from").asInt()).isEqualTo(1);
    assertThat(json(analyze).at("/comparison/rules/redirects/to").asInt()).isEqualTo(4);
    Cli.Result r =
        p.cli.run("rollback", fourRules, "--yes", "--reason", "rules", "--accept-breaking");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.screen())
        .contains("- redirects: 1 → 4 rules (Netlify's deploy summaries)")
        .doesNotContain("Redirects and headers:\n- unchanged");
    JsonNode entry = rollbackHistory(p).get(0);
    assertThat(entry.get("outcome").asText()).isEqualTo("verified");
    assertThat(publishedId(p)).isEqualTo(fourRules);

    Path manifest = p.dir.resolve(entry.get("backup").asText()).resolve("manifest.json");
    JsonNode backup = dev.devops.util.Json.mapper().readTree(Files.readString(manifest));
    assertThat(backup.get("files_source").asText()).isEqualTo("site_files");
    assertThat(backup.get("complete").asBoolean()).isTrue();
    List<String> paths = new java.util.ArrayList<>();
    backup.get("files").forEach(f -> paths.add(f.get("path").asText()));
    assertThat(paths).containsExactlyInAnyOrder("/index.html", "/_redirects");
    assertThat(backup.at("/deploy/id").asText()).isEqualTo(live);
  }

  @Test
  void backupsFallBackToThePermalinkWhenTheRawFileApiFails() {
    PlatformProject p = project();
    List<String> ids = threeReleases(p);
    Cli.Result r =
        withFault(
            Fault.on(undocumentedEndpoints() ? "getDeployFile" : "getSiteFileByPathName")
                .status(500)
                .times(Integer.MAX_VALUE),
            () ->
                p.cli.run(
                    "backup",
                    "create",
                    "--deployment",
                    ids.get(2),
                    "--reason",
                    "fallback",
                    "--json"));
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(json(r).get("new_blobs").asInt()).isEqualTo(3);
    assertThat(json(r).get("unavailable").asInt()).isZero();
    assertThat(p.cli.run("backup", "verify").exitCode()).isZero();
  }

  @Test
  void theDefaultTargetIsFoundBeyondTheFirstPageOfHistory() {
    PlatformProject p = project();
    String good = p.deploy("v1.0.0", Map.of("index.html", "good"));
    for (int i = 1; i <= 6; i++) {
      platform.failDeploy(p.siteId, "v1.0." + i);
    }
    p.deploy("v2.0.0", Map.of("index.html", "broken"));
    Cli.Result r = p.cli.run("rollback", "--yes", "--reason", "deep");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(
            r.screen().lines().filter(l -> l.contains("Skipped") && l.contains("failed")).count())
        .isEqualTo(6);
    assertThat(publishedId(p)).isEqualTo(good);
    assertThat(served(p, "/")).isEqualTo("good");
  }

  @Test
  void functionAndFrameworkChangesAreFoundAndBlockUnlessAccepted() {
    PlatformProject p = project();
    byte[] helloV1 = "zip of hello v1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] helloV2 = "zip of hello v2".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] extra = "zip of extra".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String v1 =
        platform.deploy(
            p.siteId,
            Map.of("index.html", "one"),
            new DeployOptions("v1.0.0", false, null, null, Map.of("hello", helloV1), "astro"));
    String v2 =
        platform.deploy(
            p.siteId,
            Map.of("index.html", "two"),
            new DeployOptions("v1.1.0", false, null, null, Map.of("hello", helloV2), "astro"));
    platform.deploy(
        p.siteId,
        Map.of("index.html", "three"),
        new DeployOptions(
            "v1.2.0", false, null, null, Map.of("hello", helloV2, "extra", extra), "next"));

    Cli.Result blocked = p.cli.run("rollback", "--yes", "--reason", "x");
    assertThat(blocked.exitCode()).as(blocked.err()).isEqualTo(ExitCode.INVALID_TARGET.code());
    assertThat(blocked.screen()).contains("Reason: Functions change: the rollback removes extra.");
    Cli.Result analyze =
        p.cli.run("rollback", "analyze", "--from", publishedId(p), "--to", v2, "--json");
    assertThat(json(analyze).at("/comparison/functions/removed/0").asText()).isEqualTo("extra");
    assertThat(json(analyze).at("/comparison/framework_changed").asBoolean()).isTrue();
    assertThat(json(analyze).at("/findings").toString()).contains("framework_changed");

    Cli.Result accepted = p.cli.run("rollback", "--yes", "--reason", "x", "--accept-breaking");
    assertThat(accepted.exitCode()).as(accepted.err()).isZero();
    assertThat(accepted.screen())
        .contains("- removed: extra")
        .contains("function code rolls back with the deploy")
        .contains("Framework: next → astro");
    assertThat(publishedId(p)).isEqualTo(v2);

    Cli.Result changedOnly = p.cli.run("rollback", v1, "--yes", "--reason", "function code only");
    assertThat(changedOnly.exitCode()).as(changedOnly.err()).isZero();
    assertThat(changedOnly.screen()).contains("- changed: hello");
  }
}
