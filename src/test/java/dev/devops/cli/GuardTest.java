package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.Fault;
import dev.devops.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Guarded deploys end to end: the real CLI against the local platform over HTTP, on fake time (a
 * two-minute window runs in the time its requests take). Every kind of failure is rolled back and
 * verified, with the old deploy serving again and auto publishing locked; a good or flapping deploy
 * is left alone; a publish from elsewhere stops the guard.
 */
class GuardTest extends GuardTestBase {
  static final String GOOD_INDEX = "<h1>Welcome to v1</h1><script src=/app.js></script>";

  /** v1: good, live, with a health page. */
  static String good(PlatformProject p) {
    return p.deploy(
        "v1.0.0",
        Map.of("index.html", GOOD_INDEX, "app.js", "console.log('v1')", "healthz.html", "ok"));
  }

  /** Files of a v2 that is fine. */
  static Map<String, String> fine() {
    return Map.of(
        "index.html",
        "<h1>Welcome to v2</h1><script src=/app.js></script>",
        "app.js",
        "console.log('v2')",
        "healthz.html",
        "ok");
  }

  /** Files of a v2 whose /healthz answers 500 (a redirect rule, applied by the platform). */
  static Map<String, String> healthz500() {
    return Map.of(
        "index.html",
        "<h1>Welcome to v2</h1>",
        "500.html",
        "down",
        "_redirects",
        "/healthz /500.html 500\n");
  }

  private Cli.Result deployGuarded(PlatformProject p, Map<String, String> files, String... more) {
    Path dir = p.siteDir("v2", files);
    List<String> args =
        new java.util.ArrayList<>(
            List.of("deploy", "--dir", dir.toString(), "--prod", "--version", "v2.0.0", "--guard"));
    args.addAll(List.of(more));
    return p.cli.run(args.toArray(String[]::new));
  }

  /** The site is back on {@code v1}, serving its bytes, locked, and the history says the guard. */
  private JsonNode assertRolledBackTo(PlatformProject p, String v1, Cli.Result r, String check) {
    assertExit(r, ExitCode.GUARD_ROLLED_BACK);
    assertThat(publishedId(p)).isEqualTo(v1);
    assertThat(served(p, "/")).isEqualTo(GOOD_INDEX);
    assertThat(locked(p)).as("auto publishing locked").isTrue();
    List<JsonNode> history = rollbacks(p);
    assertThat(history).hasSize(1);
    JsonNode entry = history.get(0);
    assertThat(entry.get("trigger").asText()).isEqualTo("guard");
    assertThat(entry.get("outcome").asText()).isEqualTo("verified");
    assertThat(entry.at("/to/id").asText()).isEqualTo(v1);
    assertThat(entry.get("reason").asText()).startsWith("guard: " + check + " failed 3 times");
    String bad = entry.at("/from/id").asText();
    assertThat(records(p).toString()).contains(bad).contains("guard: " + check);
    assertThat(p.dir.resolve(".devops/guards").toFile().list()).isEmpty();
    return entry;
  }

  @Test
  void aGoodDeployPassesTheGuard() {
    PlatformProject p = project("good");
    String v1 = good(p);
    healthChecks(p, "[{\"path\":\"/\",\"status\":200,\"contains\":\"Welcome\"},\"/healthz\"]");
    Cli.Result r = deployGuarded(p, fine());
    assertExit(r, ExitCode.OK);
    assertThat(r.out()).contains("✓ Guard passed: v2.0.0").contains("stayed healthy for 2m");
    assertThat(r.err())
        .contains("🛡️ Guarding v2.0.0")
        .contains("GET / → 200, contains \"Welcome\"")
        .contains("[00:00] round 1: ✓ content · ✓ health / · ✓ health /healthz")
        // A round every 10 s for 2 m on fake time; the real time each round takes also passes on
        // that clock, so a busy machine may fit one round more or less, never a runaway.
        .contains("round 12:")
        .doesNotContain("round 16:");
    assertThat(rollbacks(p)).isEmpty();
    assertThat(publishedId(p)).isNotEqualTo(v1);
    assertThat(served(p, "/")).contains("Welcome to v2");
    assertThat(time.slept()).as("the window passed on fake time").isPositive();
  }

  @Test
  void aHealthPathAnswering500IsRolledBackAndTheOldDeployServesAgain() {
    PlatformProject p = project("h500");
    String v1 = good(p);
    healthChecks(p, "[\"/healthz\"]");
    Cli.Result r = deployGuarded(p, healthz500());
    assertRolledBackTo(p, v1, r, "health /healthz");
    assertThat(served(p, "/healthz")).isEqualTo("ok");
    assertThat(r.err())
        .contains("✗ health /healthz (answered 500 after retries; 3 of 3)")
        .contains("❌ v2.0.0")
        .contains("🔄 Rolling back to v1.0.0");
    assertThat(r.out())
        .contains("✓ Rollback successful!")
        .contains("🛡️ Rolled back by the guard: v2.0.0")
        .contains("Reason: guard: health /healthz failed 3 times in a row");
    assertThat(r.err()).contains("[00:20] round 3:").doesNotContain("round 4:");
  }

  @Test
  void aMissingFileUnderAHealthPathIsRolledBackByGuardOnADeployMadeElsewhere() {
    PlatformProject p = project("missing");
    String v1 = good(p);
    healthChecks(p, "[\"/\",\"/healthz\"]");
    // A deploy devops did not make (as a git push built by Netlify): no health page.
    p.deploy("v2.0.0", Map.of("index.html", "<h1>v2</h1>"));
    Cli.Result r = p.cli.run("guard");
    assertRolledBackTo(p, v1, r, "health /healthz");
    assertThat(r.err()).contains("answered 404, expected 2xx");
    assertThat(r.err()).contains("1 of 1 files per round match the deploy's SHA1s");
  }

  @Test
  void aMissingAssetIsRolledBack() {
    PlatformProject p = project("asset");
    String v1 = good(p);
    // A forced catch-all rewrite: every asset answers the page instead of its own bytes.
    Map<String, String> files = new java.util.HashMap<>(fine());
    files.put("_redirects", "/* /index.html 200!\n");
    Cli.Result r = deployGuarded(p, files);
    assertRolledBackTo(p, v1, r, "content");
    assertThat(r.err()).contains("served bytes differ from the deploy for /app.js");
  }

  @Test
  void aFailingContainsCheckIsRolledBack() {
    PlatformProject p = project("contains");
    String v1 = good(p);
    healthChecks(p, "[{\"path\":\"/\",\"contains\":\"Welcome\"}]");
    Cli.Result r = deployGuarded(p, Map.of("index.html", "<h1>500 Internal Error</h1>"));
    assertRolledBackTo(p, v1, r, "health /");
    assertThat(r.err()).contains("answered 200 without \"Welcome\" in the body");
  }

  @Test
  void aProbeCommandExiting1IsRolledBackAndNeverSeesTheToken() throws IOException {
    PlatformProject p = project("probe");
    String v1 = good(p);
    Path smoke =
        script(
            p,
            "smoke.sh",
            "echo \"url=$DEVOPS_GUARD_URL deploy=$DEVOPS_GUARD_DEPLOY_ID round=$DEVOPS_GUARD_ROUND"
                + " token=${NETLIFY_AUTH_TOKEN:-absent}\" >> probe.log\n"
                + "echo 'checkout answered 500'\nexit 1");
    Cli.Result r = deployGuarded(p, fine(), "--probe", smoke + " --quick 'two words'");
    JsonNode entry = assertRolledBackTo(p, v1, r, "probe");
    assertThat(entry.get("reason").asText()).endsWith("exit 1: checkout answered 500");
    List<String> log = Files.readAllLines(p.dir.resolve("probe.log"));
    assertThat(log).hasSize(3);
    assertThat(log.get(0))
        .contains("url=" + platform.platform().siteUrl(p.siteName))
        .contains("deploy=" + entry.at("/from/id").asText())
        .contains("round=1")
        .contains("token=absent")
        .doesNotContain(platform.token());
  }

  @Test
  void aProbeThatHangsIsKilledAtItsTimeoutAndCountsAsAFailure() {
    PlatformProject p = project("hang");
    String v1 = good(p);
    Path hang = script(p, "hang.sh", "echo started\nexec sleep 30");
    Cli.Result r =
        deployGuarded(
            p,
            fine(),
            "--probe",
            hang.toString(),
            "--probe-timeout",
            "300ms",
            "--failure-limit",
            "1");
    assertExit(r, ExitCode.GUARD_ROLLED_BACK);
    assertThat(publishedId(p)).isEqualTo(v1);
    assertThat(rollbacks(p).get(0).get("reason").asText())
        .isEqualTo("guard: probe failed 1 time: timed out after 300 ms: started");
  }

  @Test
  void aFlappingDeployIsNotRolledBack() {
    PlatformProject p = project("flap");
    String v1 = good(p);
    // Fails every other round: never twice in a row.
    Path flaky =
        script(p, "flaky.sh", "case $DEVOPS_GUARD_ROUND in *[13579]) echo flaky; exit 1;; esac");
    Cli.Result r =
        deployGuarded(p, fine(), "--probe", flaky.toString(), "--failure-limit", "2", "--json");
    assertExit(r, ExitCode.OK);
    List<JsonNode> lines = lines(r);
    List<JsonNode> probes = events(lines, "probe");
    assertThat(probes).hasSize(13);
    assertThat(probes.get(0).get("ok").asBoolean()).isFalse();
    assertThat(probes.get(0).at("/checks/2/name").asText()).isEqualTo("probe");
    assertThat(probes.get(0).at("/checks/2/failures").asInt()).isEqualTo(1);
    assertThat(probes.get(0).at("/checks/2/detail").asText()).isEqualTo("exit 1: flaky");
    assertThat(probes.get(1).get("ok").asBoolean()).isTrue();
    assertThat(probes.get(1).at("/checks/2/failures").asInt()).isZero();
    JsonNode result = events(lines, "result").get(0);
    assertThat(result.get("outcome").asText()).isEqualTo("healthy");
    assertThat(result.get("message").asText()).contains("7 failures, never 2 in a row");
    assertThat(result.get("rollback").isNull()).isTrue();
    assertThat(rollbacks(p)).isEmpty();
    assertThat(publishedId(p)).isNotEqualTo(v1);
    assertThat(locked(p)).isFalse();
  }

  @Test
  void aPublishFromElsewhereDuringTheWindowStopsTheGuardWithNoRollback() {
    PlatformProject p = project("elsewhere");
    good(p);
    healthChecks(p, "[\"/healthz\"]");
    String[] v3 = new String[1];
    time.afterSleeping(
        Duration.ofSeconds(25),
        () ->
            v3[0] = p.deploy("v3.0.0", Map.of("index.html", "<h1>v3</h1>", "healthz.html", "ok")));
    // Failing, but not yet 5 times in a row when v3 is published.
    Cli.Result r = deployGuarded(p, healthz500(), "--failure-limit", "5");
    assertExit(r, ExitCode.CONFLICT);
    assertThat(r.out())
        .contains("⚠️ Guard stopped: The site now serves v3.0.0 (" + v3[0] + ")")
        .contains("nothing was rolled back");
    assertThat(rollbacks(p)).isEmpty();
    assertThat(publishedId(p)).isEqualTo(v3[0]);
    assertThat(locked(p)).isFalse();
    assertThat(served(p, "/")).isEqualTo("<h1>v3</h1>");
  }

  @Test
  void guardNextGuardsTheNextPublishAndRollsItBack() {
    PlatformProject p = project("next");
    String v1 = good(p);
    healthChecks(p, "[\"/healthz\"]");
    time.afterSleeping(Duration.ofSeconds(12), () -> p.deploy("v2.0.0", healthz500()));
    Cli.Result r = p.cli.run("guard", "--next", "--json");
    assertExit(r, ExitCode.GUARD_ROLLED_BACK);
    List<JsonNode> lines = lines(r);
    JsonNode waiting = lines.get(0);
    JsonDocs.assertDocumented(waiting, "guard.md", "waiting");
    JsonDocs.assertDocumented(waiting.get("published"), "guard.md", "REF");
    assertThat(waiting.at("/published/id").asText()).isEqualTo(v1);
    JsonNode start = events(lines, "start").get(0);
    assertThat(start.at("/previous/id").asText()).isEqualTo(v1);
    assertThat(start.at("/deploy/version").asText()).isEqualTo("v2.0.0");
    assertThat(publishedId(p)).isEqualTo(v1);
    assertThat(locked(p)).isTrue();
    assertThat(events(lines, "probe")).hasSize(3);
    assertThat(time.slept()).as("it waited for the publish").isGreaterThan(Duration.ofSeconds(10));
  }

  @Test
  void guardNextSaysAtOnceThatALockedSiteWillPublishNothing() {
    PlatformProject p = project("locked");
    good(p);
    p.deploy("v2.0.0", fine());
    assertThat(p.cli.run("rollback", "--yes", "--reason", "pin").exitCode()).isZero();
    Cli.Result r = p.cli.run("guard", "--next", "--json");
    PlatformProject.assertOneLineError(
        r, ExitCode.NOTHING_TO_GUARD.code(), "Auto publishing is locked on v1.0.0");
    assertThat(r.err()).contains("no new deploy will publish");
    assertThat(time.slept()).as("no waiting").isZero();
    JsonDocs.assertDocumented(lines(r).get(0), "errors.md", "ERROR");
  }

  @Test
  void nothingPublishedIsNothingToGuard() {
    PlatformProject p = project("empty");
    PlatformProject.assertOneLineError(
        p.cli.run("guard"), ExitCode.NOTHING_TO_GUARD.code(), "has no published deploy");
  }

  @Test
  void guardNextGivesUpAfterItsTimeout() {
    PlatformProject p = project("timeout");
    good(p);
    Cli.Result r = p.cli.run("guard", "--next", "--timeout", "1m");
    PlatformProject.assertOneLineError(
        r, ExitCode.NOTHING_TO_GUARD.code(), "No new deploy was published within 1m");
    assertThat(time.slept()).isGreaterThan(Duration.ofSeconds(50));
  }

  @Test
  void aBrokenFirstDeployHasNothingToGoBackTo() {
    PlatformProject p = project("first");
    healthChecks(p, "[\"/healthz\"]");
    Cli.Result r = deployGuarded(p, healthz500(), "--json");
    assertExit(r, ExitCode.NO_TARGET);
    JsonNode result = events(lines(r), "result").get(0);
    assertThat(result.get("outcome").asText()).isEqualTo("not_rolled_back");
    assertThat(result.get("message").asText()).contains("No previous deployments found");
    assertThat(result.get("exit_code").asInt()).isEqualTo(ExitCode.NO_TARGET.code());
    assertThat(rollbacks(p)).isEmpty();
  }

  @Test
  void healthCheckEnabledFalseSkipsTheHealthChecksButKeepsTheByteCheck() {
    PlatformProject p = project("nohealth");
    String v1 = good(p);
    healthChecks(p, "[\"/healthz\"]");
    config(p, c -> c.putObject("deployment").put("health_check_enabled", false));
    Cli.Result passes = deployGuarded(p, healthz500(), "--json");
    assertExit(passes, ExitCode.OK);
    JsonNode start = events(lines(passes), "start").get(0);
    assertThat(start.get("checks")).hasSize(1);
    assertThat(start.get("checks").get(0).asText()).startsWith("content:");

    assertExit(
        p.cli.run("rollback", v1, "--yes", "--reason", "back", "--no-lock", "--accept-breaking"),
        ExitCode.OK);
    Map<String, String> asset = new java.util.HashMap<>(fine());
    asset.put("_redirects", "/* /index.html 200!\n");
    Path v3 = p.siteDir("v3", asset);
    Cli.Result caught = p.cli.run("deploy", "--dir", v3.toString(), "--prod", "--guard");
    assertExit(caught, ExitCode.GUARD_ROLLED_BACK);
    assertThat(rollbacks(p).get(1).get("reason").asText()).startsWith("guard: content failed");
  }

  @Test
  void rollbackOnFailureMakesTheGuardTheDefaultOfProdDeploys() {
    PlatformProject p = project("default");
    String v1 = good(p);
    healthChecks(p, "[\"/healthz\"]");
    config(p, c -> c.putObject("deployment").put("rollback_on_failure", true));
    // init --force keeps the checks and the deployment section.
    Cli.Result init =
        p.cli.run("init", "--site", p.siteName, "--api-url", platform.apiUrl(), "--force");
    assertThat(init.exitCode()).as(init.err()).isZero();

    Path unguarded = p.siteDir("v2", healthz500());
    Cli.Result off = p.cli.run("deploy", "--dir", unguarded.toString(), "--prod", "--no-guard");
    assertExit(off, ExitCode.OK);
    assertThat(off.err()).doesNotContain("Guarding");
    String v2 = publishedId(p);

    Cli.Result draft = p.cli.run("deploy", "--dir", unguarded.toString());
    assertExit(draft, ExitCode.OK);
    assertThat(draft.err()).doesNotContain("Guarding");

    assertExit(
        p.cli.run("rollback", v1, "--yes", "--reason", "back", "--no-lock", "--accept-breaking"),
        ExitCode.OK);
    Cli.Result on = p.cli.run("deploy", "--dir", unguarded.toString(), "--prod");
    assertExit(on, ExitCode.GUARD_ROLLED_BACK);
    assertThat(publishedId(p)).isEqualTo(v1);
    assertThat(v2).isNotEqualTo(v1);
  }

  @Test
  void aDeployThatDoesNotGoLiveIsNotGuarded() {
    PlatformProject p = project("pinned");
    good(p);
    p.deploy("v2.0.0", fine());
    assertThat(p.cli.run("rollback", "--yes", "--reason", "pin").exitCode()).isZero();
    Cli.Result r = deployGuarded(p, healthz500(), "--json");
    assertExit(r, ExitCode.OK);
    assertThat(r.err()).contains("🛡️ Guard skipped: the deploy is not live");
    List<JsonNode> lines = lines(r);
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).at("/deploy/published").asBoolean()).isFalse();
  }

  @Test
  void badGuardOptionsAreRefusedBeforeAnythingIsDeployed() {
    PlatformProject p = project("usage");
    Path dir = p.siteDir("v2", fine());
    String d = dir.toString();
    String[][] runs = {
      {"deploy", "--dir", d, "--guard"},
      {"deploy", "--dir", d, "--prod", "--guard", "--no-guard"},
      {"deploy", "--dir", d, "--prod", "--guard-window", "5m"},
      {"deploy", "--dir", d, "--prod", "--guard", "--guard-window", "soon"},
      {"deploy", "--dir", d, "--prod", "--guard", "--guard-window", "0s"},
      {"deploy", "--dir", d, "--prod", "--guard", "--guard-interval", "10ms"},
      {"deploy", "--dir", d, "--prod", "--guard", "--failure-limit", "0"},
      {"deploy", "--dir", d, "--prod", "--guard", "--probe", "./no-such-script"},
      {"deploy", "--dir", d, "--prod", "--guard", "--probe", "smoke 'unterminated"},
      {"guard", "--timeout", "5m"},
    };
    for (String[] args : runs) {
      Cli.Result r = p.cli.run(args);
      assertThat(r.exitCode())
          .as(String.join(" ", args) + "\n" + r.err())
          .isEqualTo(ExitCode.USAGE.code());
      assertThat(r.err()).doesNotContain("Exception");
    }
    assertThat(platform.call("GET", "/sites/" + p.siteId + "/deploys", null)).isEmpty();
  }

  @Test
  void aGuardKilledEarlierIsNamedByTheNextOne() throws Exception {
    PlatformProject p = project("orphan");
    String v1 = good(p);
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path marker = p.dir.resolve(".devops/guards/gd-20260101-000000-abcd.json");
    Files.createDirectories(marker.getParent());
    Files.writeString(
        marker,
        "{\"id\":\"gd-20260101-000000-abcd\",\"site_id\":\""
            + p.siteId
            + "\",\"deploy_id\":\""
            + v1
            + "\",\"version\":\"v1.0.0\",\"pid\":"
            + gone.pid()
            + ",\"started_at\":\"2026-01-01T00:00:00Z\"}");
    Cli.Result r = p.cli.run("guard", "--json");
    assertExit(r, ExitCode.OK);
    assertThat(r.err())
        .contains("⚠️ The guard of v1.0.0 (" + v1 + ") (started 2026-01-01 00:00:00 UTC)")
        .contains("stopped before its verdict")
        .contains("To watch the live deploy again: devops guard");
    assertThat(Files.exists(marker)).as("judged again: the warning is done").isFalse();
    assertThat(p.cli.run("guard").err()).doesNotContain("stopped before its verdict");
  }

  @Test
  void anApiFailureInTheWindowStopsTheGuardAndRollsNothingBack() {
    PlatformProject p = project("apifail");
    good(p);
    String v2 = p.deploy("v2.0.0", fine());
    var faults = platform.platform().faults();
    // One 502 is retried by the client and changes nothing.
    faults.inject(Fault.on("getSite").status(502).afterCalls(3));
    assertExit(p.cli.run("guard", "--guard-window", "30s"), ExitCode.OK);
    faults.clear();
    // A lasting outage of the API during the window: not the deploy's fault.
    faults.inject(Fault.on("getSite").status(503).afterCalls(3).times(Integer.MAX_VALUE));
    Cli.Result r = p.cli.run("guard");
    faults.clear();
    PlatformProject.assertOneLineError(
        r, ExitCode.API.code(), "The guard stopped before its verdict: nothing was rolled back");
    assertThat(r.err()).contains("v2.0.0 (" + v2 + ") stays live, not judged");
    assertThat(rollbacks(p)).isEmpty();
    assertThat(publishedId(p)).isEqualTo(v2);
    assertThat(p.dir.resolve(".devops/guards").toFile().list()).isEmpty();
  }

  @Test
  void aSharedRecordThatCannotBeReadIsOneWarningLineInTheGuardsJson() {
    PlatformProject p = project("sharedwarn");
    String v1 = good(p);
    healthChecks(p, "[\"/healthz\"]");
    p.deploy("v2.0.0", healthz500());
    var faults = platform.platform().faults();
    faults.inject(Fault.on("getSiteMetadata").status(403).times(Integer.MAX_VALUE));
    Cli.Result r = p.cli.run("guard", "--json");
    faults.clear();
    assertExit(r, ExitCode.GUARD_ROLLED_BACK);
    List<JsonNode> warnings = events(lines(r), "warning");
    assertThat(warnings).hasSize(1);
    JsonDocs.assertDocumented(warnings.get(0), "rollback.md", "warning");
    assertThat(warnings.get(0).get("message").asText()).contains("shared record is unavailable");
    assertThat(r.err()).contains("⚠️ The site's shared record is unavailable");
    assertThat(publishedId(p)).isEqualTo(v1);
  }

  @Test
  void jsonLinesAreDocumented() {
    PlatformProject p = project("json");
    good(p);
    healthChecks(p, "[\"/healthz\"]");
    Cli.Result passed = deployGuarded(p, fine(), "--json");
    assertExit(passed, ExitCode.OK);
    List<JsonNode> lines = lines(passed);
    JsonDocs.assertDocumented(lines.get(0), "deploy.md", "deploy");
    JsonDocs.assertDocumented(lines.get(0).get("deploy"), "deploy.md", null);
    JsonNode start = lines.get(1);
    JsonDocs.assertDocumented(start, "guard.md", "start");
    JsonDocs.assertDocumented(start.get("deploy"), "guard.md", "REF");
    JsonNode probe = lines.get(2);
    JsonDocs.assertDocumented(probe, "guard.md", "probe");
    JsonDocs.assertDocumented(probe.get("checks").get(0), "guard.md", "CHECK");
    JsonNode result = lines.get(lines.size() - 1);
    JsonDocs.assertDocumented(result, "guard.md", "result");
    assertThat(result.get("exit_code").asInt()).isZero();
    assertThat(events(lines, "result")).hasSize(1);

    p.cli.run("rollback", "v1.0.0", "--yes", "--reason", "again", "--no-lock");
    Path bad = p.siteDir("v3", healthz500());
    Cli.Result rolled = p.cli.run("deploy", "--dir", bad.toString(), "--prod", "--guard", "--json");
    assertExit(rolled, ExitCode.GUARD_ROLLED_BACK);
    lines = lines(rolled);
    JsonNode unhealthy = events(lines, "unhealthy").get(0);
    JsonDocs.assertDocumented(unhealthy, "guard.md", "unhealthy");
    JsonDocs.assertDocumented(unhealthy.get("check"), "guard.md", "CHECK");
    JsonDocs.assertDocumented(events(lines, "step").get(0), "rollback.md", "step");
    JsonDocs.assertDocumented(events(lines, "impact").get(0), "rollback.md", "impact");
    assertThat(events(lines, "result")).as("the rollback's own result is not printed").hasSize(1);
    result = lines.get(lines.size() - 1);
    JsonDocs.assertDocumented(result, "guard.md", "result");
    JsonDocs.assertDocumented(result.get("rollback"), "rollback-history.md", "ENTRY");
    assertThat(result.get("outcome").asText()).isEqualTo("rolled_back");
    assertThat(result.at("/rollback/trigger").asText()).isEqualTo("guard");
    assertThat(result.get("exit_code").asInt()).isEqualTo(ExitCode.GUARD_ROLLED_BACK.code());
    JsonDocs.assertDocumented(result.get("failed_check"), "guard.md", "CHECK");

    Cli.Result history = p.cli.run("rollback", "history", "--json");
    JsonNode newest = PlatformProject.json(history).get("rollbacks").get(0);
    JsonDocs.assertDocumented(newest, "rollback-history.md", "ENTRY", "SHARED");
    assertThat(newest.get("trigger").asText()).isEqualTo("guard");
  }
}
