package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devops.local.Fault;
import dev.devops.testing.Cli;
import dev.devops.testing.PlatformFixture;
import dev.devops.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every human block of the rollback spec, pinned as golden files (src/test/resources/golden/
 * rollback/). Ids, ports, times and timestamps are replaced by stable names.
 *
 * <p>The spec's impact block lists the files that change, which needs the target's file list: on
 * Netlify that comes from the per-deploy listing (answered, not documented) or from devops's own
 * deploy records. These goldens run with that listing; {@link #documentedApiOnly} pins the same
 * rollback as Netlify's documented API alone allows it.
 */
@PlatformTest.WithUndocumentedEndpoints
class RollbackGoldenTest extends RollbackTestBase {
  /** The spec's history: v1.2.0, v1.2.1, a failed v1.2.2, and v1.2.3 live; a clock 2h later. */
  private record Spec(PlatformProject p, List<String> ids) {}

  private Spec spec() {
    return spec(newProject("golden"));
  }

  private static Spec spec(PlatformProject p) {
    PlatformFixture platform = p.platform;
    List<String> ids = new ArrayList<>();
    ids.add(
        p.deploy(
            "v1.2.0 · Initial dashboard",
            Map.of("index.html", "<h1>v1.2.0</h1>", "app.js", "a0", "pay.js", "p0")));
    ids.add(
        p.deploy(
            "v1.2.1 · Fix: connection pool leak",
            Map.of("index.html", "<h1>v1.2.1</h1>", "app.js", "a1", "pay.js", "p0")));
    platform.failDeploy(p.siteId, "v1.2.2 · Update: payment gateway");
    ids.add(
        p.deploy(
            "v1.2.3 · Feature: new user dashboard",
            Map.of(
                "index.html",
                "<h1>v1.2.3</h1>",
                "app.js",
                "a3",
                "dashboard.html",
                "d",
                "dash.css",
                "c")));
    String failed =
        platform
            .call("GET", "/sites/" + p.siteId + "/deploys?state=error", null)
            .get(0)
            .get("id")
            .asText();
    ids.add(failed);
    p.cli
        .clock(Clock.fixed(p.createdAt(ids.get(2)).plus(Duration.ofHours(2)), ZoneOffset.UTC))
        .env("USER", "alice");
    return new Spec(p, ids);
  }

  private String normalize(Spec s, String text) {
    String result = s.p().normalize(text, s.ids()).replace(s.p().siteName, "SITE");
    return result
        .replaceAll("\\[\\d\\d:\\d\\d\\]", "[mm:ss]")
        .replaceAll("rb-\\d{8}-\\d{6}-[0-9a-f]{4}", "ROLLBACK_ID")
        .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d{6}Z(-\\d+)?", "TIMESTAMP")
        .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "INSTANT")
        .replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC", "TIME")
        .replaceAll("pid \\d+", "pid PID")
        .replaceAll(" \\d+ms", " Nms")
        .replaceAll("\\d+(\\.\\d)? [KMGT]?B/s", "RATE")
        .replaceAll("[0-9a-f]{24}", "DEPLOY_NEW");
  }

  @Test
  void successfulRollbackShowsEverySpecBlock() {
    Spec s = spec();
    Cli.Result r = s.p().cli.run("rollback", "--yes", "--reason", "dashboard broken");
    assertThat(r.exitCode()).as(r.err()).isZero();
    Golden.assertMatches("rollback/rollback-success.txt", normalize(s, r.screen()));
  }

  /** The same rollback where Netlify lists only the published deploy's files. */
  @Test
  void documentedApiOnly() throws Exception {
    try (PlatformFixture documented = PlatformFixture.start(dir.resolve("documented-platform"))) {
      Spec s = spec(new PlatformProject(documented, dir.resolve("p"), "golden-documented"));
      Cli.Result r = s.p().cli.run("rollback", "--yes", "--reason", "dashboard broken");
      assertThat(r.exitCode()).as(r.err()).isZero();
      Golden.assertMatches("rollback/rollback-success-documented.txt", normalize(s, r.screen()));
    }
  }

  @Test
  void cannotRollbackBlock() {
    Spec s = spec();
    Cli.Result r = s.p().cli.run("rollback", s.ids().get(3), "--yes", "--reason", "x");
    assertThat(r.exitCode()).isEqualTo(ExitCode.INVALID_TARGET.code());
    Golden.assertMatches("rollback/cannot-rollback.txt", normalize(s, r.screen()));
  }

  @Test
  void noPreviousDeploymentsBlock() {
    PlatformProject p = new PlatformProject(platform, dir.resolve("lonely"), "golden-lonely");
    String only = p.deploy("v1.0.0");
    p.cli.clock(Clock.fixed(p.createdAt(only).plus(Duration.ofHours(2)), ZoneOffset.UTC));
    Cli.Result r = p.cli.run("rollback", "--yes", "--reason", "x");
    assertThat(r.exitCode()).isEqualTo(ExitCode.NO_TARGET.code());
    Golden.assertMatches(
        "rollback/no-previous-deployments.txt",
        p.normalize(r.screen(), List.of(only)).replace(p.siteName, "SITE"));
  }

  @Test
  void confirmRollbackBlockAndCancellation() {
    Spec s = spec();
    Cli.Result r = s.p().cli.runInteractive("no\n", "rollback", "v1.2.0");
    assertThat(r.exitCode()).isEqualTo(ExitCode.NOT_CONFIRMED.code());
    Golden.assertMatches("rollback/confirm-cancelled.txt", normalize(s, r.screen()));
  }

  @Test
  void rollbackFailedBlockThenRecovery() {
    Spec s = spec();
    platform.platform().faults().inject(Fault.on("lockDeploy").status(500).times(3));
    Cli.Result r = s.p().cli.run("rollback", "--yes", "--reason", "x");
    platform.platform().faults().clear();
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.RECOVERED.code());
    Golden.assertMatches("rollback/rollback-failed-recovered.txt", normalize(s, r.screen()));
  }

  @Test
  void switchedButNotVerifiedBlock() throws Exception {
    Spec s = spec();
    Path config = s.p().dir.resolve(".devops/config.json");
    ObjectNode json = (ObjectNode) Json.mapper().readTree(Files.readString(config));
    json.putObject("health_checks").putArray("paths").add("/").add("/healthz");
    Files.writeString(
        config, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json));
    Cli.Result r = s.p().cli.run("rollback", "--yes", "--reason", "x");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.UNVERIFIED.code());
    String text = normalize(s, r.screen());
    Golden.assertMatches("rollback/rollback-unverified.txt", text.substring(text.indexOf("🔄")));
  }

  @Test
  void stepCommandsHumanOutput() {
    Spec s = spec();
    Cli.Result backup =
        s.p().cli.run("backup", "create", "--deployment", "v1.2.3", "--reason", "before");
    assertThat(backup.exitCode()).as(backup.err()).isZero();
    Cli.Result analyze =
        s.p().cli.run("rollback", "analyze", "--from", s.ids().get(2), "--to", s.ids().get(1));
    Cli.Result execute =
        s.p()
            .cli
            .run("rollback", "execute", "--to", s.ids().get(1), "--reason", "steps", "--track");
    assertThat(execute.exitCode()).as(execute.err()).isZero();
    Cli.Result verify = s.p().cli.run("verify-deployment", "--id", s.ids().get(1));
    Cli.Result history = s.p().cli.run("rollback", "history");
    String id =
        history
            .out()
            .lines()
            .filter(l -> l.startsWith("rb-"))
            .findFirst()
            .orElseThrow()
            .split(" ")[0];
    Cli.Result recover = s.p().cli.run("emergency-recover", "--rollback-id", id);
    Cli.Result again = s.p().cli.run("emergency-recover", "--rollback-id", id);
    Cli.Result list = s.p().cli.run("backup", "list");
    Cli.Result check = s.p().cli.run("backup", "verify");
    String all =
        String.join(
            "\n",
            "$ devops backup create --deployment v1.2.3 --reason before",
            backup.screen(),
            "$ devops rollback analyze --from DEPLOY_3 --to DEPLOY_2",
            analyze.screen(),
            "$ devops rollback execute --to DEPLOY_2 --reason steps --track",
            execute.screen(),
            "$ devops verify-deployment --id DEPLOY_2",
            verify.screen(),
            "$ devops rollback history",
            history.screen(),
            "$ devops emergency-recover --rollback-id ROLLBACK_ID",
            recover.screen(),
            "$ devops emergency-recover --rollback-id ROLLBACK_ID (again)",
            again.screen(),
            "$ devops backup list",
            list.screen(),
            "$ devops backup verify",
            check.screen());
    Golden.assertMatches("rollback/step-commands.txt", normalize(s, all));
  }

  @Test
  void longChangeListsShowFivePathsThenTheCount() {
    PlatformProject p = newProject("many");
    Map<String, String> before = new java.util.TreeMap<>();
    Map<String, String> after = new java.util.TreeMap<>();
    before.put("index.html", "<h1>v1</h1>");
    after.put("index.html", "<h1>v2</h1>");
    for (int i = 1; i <= 6; i++) {
      before.put("kept-" + i + ".html", "kept " + i); // 6 removed by the rollback: all shown
      after.put("new-" + i + ".html", "new " + i); // 6 added by v2: removed by the rollback
    }
    for (int i = 1; i <= 8; i++) {
      before.put("page-" + i + ".html", "v1 " + i);
      after.put(
          "page-" + i + ".html",
          "v2 " + i); // with index.html, 9 modified: 5 shown, then "and 4 more"
    }
    String v1 = p.deploy("v1.0.0", before);
    String v2 = p.deploy("v2.0.0", after);
    Cli.Result analyze = p.cli.run("rollback", "analyze", "--from", v2, "--to", v1);
    assertThat(analyze.exitCode()).as(analyze.err()).isZero();
    String text = p.normalize(analyze.screen(), List.of(v1, v2)).replace(p.siteName, "SITE");
    Golden.assertMatches(
        "rollback/analyze-many-changes.txt", text.replaceAll("\\d+[smhd] ago", "AGE ago"));
  }
}
