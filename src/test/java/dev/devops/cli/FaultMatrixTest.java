package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devops.local.Fault;
import dev.devops.testing.Cli;
import dev.devops.testing.ReliabilityReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Every API call each command makes, crossed with every kind of fault, through the real entry
 * point: each cell must end in a retry that succeeds, one clear error line with its documented exit
 * code, or a recovery; never a stack trace, never the token, and a rollback always leaves the site
 * on a deploy it knows.
 */
class FaultMatrixTest extends RollbackTestBase {
  /** A fault kind, how to inject it once, and the exit codes it may end in. */
  private record Kind(String name, UnaryOperator<Fault> arm, Set<Integer> allowed) {}

  // Recovered (11) and conflict (10) are defined outcomes of a rollback whose switch failed.
  private static final List<Kind> KINDS =
      List.of(
          new Kind(
              "500",
              f -> f.status(500),
              Set.of(ExitCode.OK.code(), ExitCode.API.code(), ExitCode.RECOVERED.code())),
          new Kind(
              "502",
              f -> f.status(502),
              Set.of(ExitCode.OK.code(), ExitCode.API.code(), ExitCode.RECOVERED.code())),
          new Kind("429+reset", f -> f.status(429), Set.of(ExitCode.OK.code())),
          new Kind(
              "timeout",
              f -> f.delay(Duration.ofMillis(900)),
              Set.of(ExitCode.OK.code(), ExitCode.API.code(), ExitCode.RECOVERED.code())),
          new Kind(
              "dropped",
              Fault::dropConnection,
              Set.of(ExitCode.OK.code(), ExitCode.API.code(), ExitCode.RECOVERED.code())),
          new Kind(
              "malformed",
              Fault::malformedBody,
              Set.of(ExitCode.OK.code(), ExitCode.API.code(), ExitCode.RECOVERED.code())),
          new Kind(
              "401", f -> f.status(401), Set.of(ExitCode.AUTH.code(), ExitCode.RECOVERED.code())),
          new Kind(
              "404",
              f -> f.status(404),
              Set.of(
                  ExitCode.NOT_FOUND.code(),
                  ExitCode.INVALID_TARGET.code(),
                  ExitCode.RECOVERED.code(),
                  ExitCode.NO_TARGET.code())));

  /**
   * Calls whose failure a command tolerates by design and reports as a note (env vars need a scope
   * some tokens lack; a file the file API does not give is read from the deploy's permalink and
   * checked against its sha; a deploy Netlify lists no files for is backed up as metadata, with a
   * warning: the deploy itself stays restorable by id; without the published deploy's listing,
   * verification compares what the site serves with the deploy's permalink; the site's shared
   * record is read and written with a warning on failure, and the command goes on with local
   * state): success is a defined outcome for them under every fault. Entries are "op" or "scenario
   * op".
   */
  private static final Set<String> OPTIONAL =
      Set.of(
          "getEnvVars",
          "getDeployFile",
          "listDeployFiles",
          "listSiteFiles",
          "getSiteFileByPathName",
          "getSiteMetadata",
          "updateSiteMetadata",
          "getCurrentUser",
          "init getSite");

  /** One command under test: how to prepare its project and what to run. */
  private record Scenario(String name, Function<PlatformProject, String[]> args) {}

  private final List<Scenario> scenarios =
      List.of(
          new Scenario("list", p -> args("deployments", "list")),
          new Scenario("validate+analyze", p -> args("rollback", "--dry-run")),
          new Scenario(
              "backup",
              p -> args("backup", "create", "--deployment", "v2.0.0", "--reason", "matrix")),
          new Scenario("rollback", p -> args("rollback", "--yes", "--reason", "matrix")),
          new Scenario("verify", p -> args("verify-deployment", "--id", publishedId(p))),
          new Scenario(
              "deploy",
              p -> {
                p.siteDir("public", Map.of("index.html", "<p>new " + p.siteName + "</p>"));
                return args("deploy", "--dir", "public", "--prod", "--version", "v9.9.9");
              }),
          new Scenario("status", p -> args("status")),
          new Scenario("logs", p -> args("logs")),
          new Scenario(
              "init",
              p -> args("init", "--site", p.siteName, "--api-url", platform.apiUrl(), "--force")));

  private static String[] args(String... args) {
    return args;
  }

  private int projectCount;

  private PlatformProject freshProject() {
    PlatformProject p =
        new PlatformProject(platform, dir.resolve("m" + projectCount), "matrix-" + projectCount++);
    p.deploy("v1.0.0", Map.of("index.html", "one"));
    p.deploy("v2.0.0", Map.of("index.html", "two"));
    return p;
  }

  @Test
  void everyCallTimesEveryFaultHasADefinedOutcome() {
    Map<String, Map<String, String>> table = new LinkedHashMap<>();
    List<String> outputs = new ArrayList<>();
    int cells = 0;
    for (Scenario scenario : scenarios) {
      // The calls this command makes, seen from the platform.
      PlatformProject baseline = freshProject();
      String[] baselineArgs = scenario.args().apply(baseline);
      faults().clear();
      faults().resetCalls();
      platform.platform().resetLimits();
      Cli.Result ok = run(baseline, baselineArgs);
      assertThat(ok.exitCode()).as(scenario.name() + ": " + ok.err()).isZero();
      Map<String, Integer> calls = new TreeMap<>(faults().allCalls());
      for (String op : calls.keySet()) {
        Map<String, String> row = new LinkedHashMap<>();
        for (Kind kind : KINDS) {
          PlatformProject p = freshProject();
          String published = publishedId(p);
          String[] args = scenario.args().apply(p);
          faults().clear();
          faults().inject(kind.arm().apply(Fault.on(op)));
          // Each cell is a fresh minute of Netlify's limits, as each incident would be.
          platform.platform().resetLimits();
          Cli.Result r = run(p, args);
          faults().clear();
          outputs.add(r.all());
          String cell = scenario.name() + " " + op + " x " + kind.name();
          boolean tolerated =
              r.exitCode() == 0
                  && (OPTIONAL.contains(op) || OPTIONAL.contains(scenario.name() + " " + op));
          assertThat(tolerated || kind.allowed().contains(r.exitCode()))
              .as(cell + " exit " + r.exitCode() + ": " + r.err())
              .isTrue();
          assertThat(r.all()).as(cell).doesNotContain("\tat ").doesNotContain("Exception");
          if (r.exitCode() != 0) {
            // One error line; the rollback's spec blocks may add a 💡 hint after it.
            List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines.stream().filter(l -> l.startsWith("❌"))).as(cell).hasSize(1);
          }
          assertSiteOnAKnownDeploy(p, published, cell);
          row.put(
              kind.name(),
              (tolerated && !kind.allowed().contains(0)
                      ? "fallback"
                      : r.exitCode() == 0 ? "ok" : "exit " + r.exitCode())
                  + " ✓");
          cells++;
        }
        table.put(scenario.name() + " · " + op, row);
      }
    }
    int scanned = ReliabilityReport.assertNoSecret(platform.token(), outputs, dir);
    ReliabilityReport.section("20-fault-matrix", render(table, cells, scanned));
    assertThat(cells).isGreaterThanOrEqualTo(KINDS.size() * 20);
  }

  private Cli.Result run(PlatformProject p, String[] args) {
    return p.cli
        .env("DEVOPS_RETRY_BASE_MS", "1")
        .env("DEVOPS_TIMEOUT_SECONDS", "0.3")
        .env("DEVOPS_LOCK_WAIT_SECONDS", "0.5")
        .run(args);
  }

  /** The live deploy is the one before the command or one of the project's deploys. */
  private void assertSiteOnAKnownDeploy(PlatformProject p, String before, String cell) {
    String now = publishedId(p);
    var ids = new ArrayList<String>();
    platform
        .call("GET", "/sites/" + p.siteId + "/deploys", null)
        .forEach(d -> ids.add(d.get("id").asText()));
    assertThat(now).as(cell + ": published deploy").isIn(ids);
    var history = rollbackHistory(p);
    if (history != null && history.size() > 0) {
      assertThat(history.get(history.size() - 1).get("outcome").asText())
          .as(cell + ": rollback outcome")
          .isNotEqualTo("in_progress");
    }
    assertThat(before).isNotBlank();
  }

  private static String render(Map<String, Map<String, String>> table, int cells, int scanned) {
    StringBuilder md = new StringBuilder("## Fault matrix\n\n");
    md.append(
            "Each cell: the outcome (ok = retried, then success; fallback = an optional read failed and was replaced or reported as a note; exit N = one ")
        .append("clear error line with that exit code) and its pass count.\n\n| call |");
    KINDS.forEach(k -> md.append(' ').append(k.name()).append(" |"));
    md.append("\n|---|");
    KINDS.forEach(k -> md.append("---|"));
    md.append('\n');
    table.forEach(
        (call, row) -> {
          md.append("| ").append(call).append(" |");
          KINDS.forEach(k -> md.append(' ').append(row.get(k.name())).append(" 1/1 |"));
          md.append('\n');
        });
    md.append("\n")
        .append(cells)
        .append(" cells, ")
        .append(cells)
        .append(" passed; token absent from ")
        .append(scanned)
        .append(" outputs and files.\n");
    return md.toString();
  }
}
