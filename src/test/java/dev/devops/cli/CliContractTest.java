package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.testing.Cli;
import dev.devops.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The contract scripts and agents rely on: {@code --json} always gives JSON, one exit code per
 * meaning, deploys by id or label everywhere, help everywhere, reports on stdout and messages on
 * stderr, and no JSON built by hand.
 */
class CliContractTest extends RollbackTestBase {
  private record Site(PlatformProject p, String v1, String v2, String v3) {}

  private Site site() {
    PlatformProject p = newProject("contract");
    return new Site(
        p,
        p.deploy("v1.0.1", Map.of("index.html", "<h1>one</h1>")),
        p.deploy("v1.0.2", Map.of("index.html", "<h1>two</h1>")),
        p.deploy("v1.0.3", Map.of("index.html", "<h1>three</h1>")));
  }

  /** The error object: the last line of stdout (event streams print their steps before it). */
  private static JsonNode error(Cli.Result r) throws IOException {
    List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
    JsonNode node = Json.mapper().readTree(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
    assertThat(node).as("stdout of %s", r.err()).isNotNull();
    assertThat(node.get("error")).as("stdout %s; stderr %s", r.out(), r.err()).isNotNull();
    return node.get("error");
  }

  @Test
  void jsonUsageErrorsStillPrintTheErrorObject() throws IOException {
    Site s = site();
    List<String[]> usages =
        List.of(
            new String[] {"deployments", "list", "--limit", "abc", "--json"},
            new String[] {"deployments", "list", "--limit", "0", "--json"},
            new String[] {"deployments", "list", "--bogus", "--json"},
            new String[] {"backup", "create", "--deployment", "X", "--json"},
            new String[] {"deploy", "--json"},
            new String[] {"rollback", "analyze", "--from", "x", "--json"});
    for (String[] args : usages) {
      Cli.Result r = s.p().cli.run(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCode.USAGE.code());
      JsonNode e = error(r);
      assertThat(e.get("exit_code").asInt()).isEqualTo(ExitCode.USAGE.code());
      assertThat(e.get("error").asText()).isEqualTo("usage");
      assertThat(e.get("message").asText()).isNotBlank();
      JsonDocs.assertDocumented(Json.mapper().readTree(r.out()), "errors.md", "ERROR");
      assertThat(r.out().lines().count()).isEqualTo(1);
    }
  }

  @Test
  void anUnknownDeployIsNotFoundOnEveryCommand() throws IOException {
    Site s = site();
    String unknown = "0123456789abcdef01234567";
    List<String[]> runs =
        List.of(
            new String[] {"deployments", "validate", "--id", unknown},
            new String[] {"deployments", "validate", "--id", "deadbeef"},
            new String[] {"rollback", unknown, "--dry-run"},
            new String[] {"rollback", "analyze", "--from", s.v3(), "--to", unknown},
            new String[] {"rollback", "analyze", "--from", unknown, "--to", s.v1()},
            new String[] {"rollback", "execute", "--to", unknown, "--reason", "x"},
            new String[] {"verify-deployment", "--id", unknown},
            new String[] {"logs", "--deployment", unknown},
            new String[] {"backup", "create", "--deployment", unknown, "--reason", "x"});
    for (String[] args : runs) {
      List<String> withJson = new ArrayList<>(List.of(args));
      withJson.add("--json");
      Cli.Result r = s.p().cli.run(withJson.toArray(String[]::new));
      assertThat(r.exitCode())
          .as(String.join(" ", args) + ": " + r.err())
          .isEqualTo(ExitCode.NOT_FOUND.code());
      assertThat(error(r).get("error").asText()).isEqualTo("not_found");
    }
    // A deploy that exists but cannot be rolled back to fails validation: {ok:false}, exit 8.
    Cli.Result current = s.p().cli.run("deployments", "validate", "--id", s.v3(), "--json");
    assertThat(current.exitCode()).isEqualTo(ExitCode.INVALID_TARGET.code());
    assertThat(PlatformProject.json(current).get("ok").asBoolean()).isFalse();
  }

  @Test
  void everyDeployArgumentTakesAVersionLabel() {
    Site s = site();
    Cli.Result analyze =
        s.p().cli.run("rollback", "analyze", "--from", "v1.0.3", "--to", "v1.0.1", "--json");
    assertThat(analyze.exitCode()).as(analyze.err()).isZero();
    assertThat(PlatformProject.json(analyze).at("/from/id").asText()).isEqualTo(s.v3());
    Cli.Result logs = s.p().cli.run("logs", "--deployment", "v1.0.2", "--json");
    assertThat(logs.exitCode()).as(logs.err()).isZero();
    Cli.Result verify = s.p().cli.run("verify-deployment", "--id", "v1.0.3", "--json");
    assertThat(verify.exitCode()).as(verify.err()).isZero();
    Cli.Result execute =
        s.p().cli.run("rollback", "execute", "--to", "v1.0.2", "--from", "v1.0.3", "--reason", "x");
    assertThat(execute.exitCode()).as(execute.err()).isZero();
    assertThat(publishedId(s.p())).isEqualTo(s.v2());
  }

  @Test
  void everyCommandTakesHelp() {
    List<List<String>> paths = new ArrayList<>();
    collect(RootCommand.commandLine(), new ArrayList<>(), paths);
    assertThat(paths).hasSizeGreaterThan(20);
    Cli cli = new Cli(dir);
    for (List<String> path : paths) {
      for (String flag : new String[] {"-h", "--help"}) {
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        Cli.Result r = cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isZero();
        assertThat(r.out()).as(String.join(" ", args)).contains("Usage:");
      }
    }
    Cli.Result top = cli.run("--help");
    String demo = top.out().substring(top.out().indexOf("  demo "));
    assertThat(demo.substring(0, demo.indexOf("generate-completion")))
        .contains("Roll back a broken release for real")
        .contains("platform.")
        .doesNotContain(":");
  }

  private static void collect(CommandLine cl, List<String> prefix, List<List<String>> into) {
    for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
      List<String> path = new ArrayList<>(prefix);
      path.add(sub.getKey());
      into.add(path);
      collect(sub.getValue(), path, into);
    }
  }

  @Test
  void reportsGoToStdoutAndProgressToStderr() {
    Site s = site();
    Cli.Result dry = s.p().cli.run("rollback", "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out())
        .contains("📋 Recent Deployments")
        .contains("🎯 Target: v1.0.2")
        .contains("⚠️ Rollback Impact Analysis");
    assertThat(dry.err()).contains("🔍 Dry run").doesNotContain("Rollback Impact Analysis");
    Cli.Result analyze = s.p().cli.run("rollback", "analyze", "--from", "v1.0.3", "--to", "v1.0.2");
    assertThat(analyze.out()).contains("⚠️ Rollback Impact Analysis");
    assertThat(analyze.err()).isEmpty();
    Cli.Result rollback = s.p().cli.run("rollback", "--yes", "--reason", "streams");
    assertThat(rollback.out()).contains("✓ Rollback successful!").doesNotContain("[00:");
    assertThat(rollback.err()).contains("[00:00] Starting rollback...").doesNotContain("📋");
  }

  @Test
  void viewsShowSecondsNotNanosecondsAndSizesPeopleRead() throws IOException {
    Site s = site();
    assertThat(s.p().cli.run("rollback", "--yes", "--reason", "time").exitCode()).isZero();
    Cli.Result history = s.p().cli.run("rollback", "history");
    Cli.Result backups = s.p().cli.run("backup", "list");
    for (String text : new String[] {history.out(), backups.out()}) {
      assertThat(text).containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC");
      assertThat(text).doesNotContainPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d");
    }
    Path site = s.p().siteDir("tiny", Map.of("index.html", "hi"));
    Cli.Result deploy = s.p().cli.run("deploy", "--dir", site.toString());
    assertThat(deploy.exitCode()).as(deploy.err()).isZero();
    assertThat(deploy.err()).contains("1 files, 2 B hashed").doesNotContain("0.0 MB");
  }

  @Test
  void onlyAVerifiedDeployIsCalledHealthy() throws IOException {
    Site s = site();
    JsonNode before = PlatformProject.json(s.p().cli.run("deployments", "list", "--json"));
    assertThat(before.at("/current/status").asText()).isEqualTo("live");
    assertThat(s.p().cli.run("verify-deployment", "--id", "v1.0.3").exitCode()).isZero();
    JsonNode after = PlatformProject.json(s.p().cli.run("deployments", "list", "--json"));
    assertThat(after.at("/current/status").asText()).isEqualTo("healthy");
  }

  @Test
  void exit13AdvisesTheRecoveryCommand() {
    String block =
        RollbackView.recovery(
            new dev.devops.engine.RollbackRecord(
                "rb-1",
                "site",
                new dev.devops.engine.RollbackRecord.DeployRef("a", "v1", false),
                new dev.devops.engine.RollbackRecord.DeployRef("b", "v2", null),
                "back",
                "r",
                "me",
                null,
                null,
                List.of(),
                null,
                null,
                dev.devops.engine.RollbackRecord.RECOVERY_FAILED,
                "boom",
                "restore",
                null,
                null,
                List.of()));
    assertThat(block)
        .contains("devops emergency-recover --rollback-id rb-1")
        .doesNotContain("contact platform support");
  }

  @Test
  void noCommandBuildsJsonByHand() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/devops/cli"))) {
      for (Path file : files.toList()) {
        String source = Files.readString(file);
        assertThat(source)
            .as(file.toString())
            .doesNotContain("Map<String, Object>")
            .doesNotContain("ObjectNode")
            .doesNotContain("createObjectNode");
      }
    }
  }
}
