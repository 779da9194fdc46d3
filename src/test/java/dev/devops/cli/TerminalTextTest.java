package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devops.local.Fault;
import dev.devops.testing.Cli;
import dev.devops.testing.PlatformFixture.DeployOptions;
import dev.devops.util.Json;
import dev.devops.util.Printable;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deploy titles, commit refs, branches, file paths and log lines are written by whoever opens a
 * pull request; version labels by whoever edits {@code .devops/deployments.json}. On a terminal
 * they must show as text, never act: pinned as a golden file through every view that prints them,
 * including the prompt where the user types ROLLBACK. Deploy file listings are on so that file
 * paths from both deploys reach the diff view.
 */
@PlatformTest.WithUndocumentedEndpoints
class TerminalTextTest extends HostileCases {
  private static final String ESC = "\u001b";

  /** Clears the screen, retitles the window, conceals what follows, rings, returns, reorders. */
  private static final String HOSTILE =
      ESC + "[2J" + ESC + "]0;owned\u0007" + ESC + "[8mhidden" + ESC + "[0m\rfake\u202eevil\u2066";

  @Test
  void textFromOutsideIsShownNeverActedOn() throws IOException {
    PlatformProject p = newProject("term");
    List<String> ids = new ArrayList<>();
    ids.add(p.deploy("v1.0.0 · first", Map.of("index.html", "one")));
    Map<String, String> files = new LinkedHashMap<>();
    files.put("index.html", "two");
    files.put("evil" + HOSTILE + ".html", "x");
    ids.add(
        platform.deploy(
            p.siteId,
            files,
            new DeployOptions(
                "v2.0.0 · " + HOSTILE + " title",
                false,
                "main" + HOSTILE,
                "0123abc" + HOSTILE,
                Map.of(),
                null)));
    // A branch deploy goes live when published on purpose (restoreSiteDeploy), as on Netlify.
    platform.call("POST", "/sites/" + p.siteId + "/deploys/" + ids.get(1) + "/restore", null);
    String label = "v2.0.0" + HOSTILE;
    ObjectNode records = Json.mapper().createObjectNode();
    records
        .putObject("deploys")
        .putObject(ids.get(1))
        .put("id", ids.get(1))
        .put("site_id", p.siteId)
        .put("version", label)
        .put("production", true);
    Files.writeString(p.dir.resolve(".devops/deployments.json"), records.toString());
    ArrayNode log = Json.mapper().createArrayNode();
    log.addObject()
        .put("ts", "2026-01-15T10:04:05Z")
        .put("log", "built " + HOSTILE)
        .put("section", "building" + HOSTILE)
        .put("level", "warn");
    Cli cli =
        p.cli
            .clock(Clock.fixed(p.createdAt(ids.get(1)).plus(Duration.ofHours(2)), ZoneOffset.UTC))
            .env("USER", "alice");

    StringBuilder golden = new StringBuilder();
    show(golden, "deployments list", cli.run("deployments", "list"), ExitCode.OK);
    var list = PlatformProject.json(cli.run("deployments", "list", "--json"));
    assertThat(list.at("/current/version").asText()).as("JSON keeps the data").isEqualTo(label);
    show(
        golden,
        "rollback v1.0.0 --dry-run",
        cli.run("rollback", "v1.0.0", "--dry-run"),
        ExitCode.OK);
    show(
        golden,
        "rollback v1.0.0 (typing: no)",
        cli.runInteractive("no\n", "rollback", "v1.0.0"),
        ExitCode.NOT_CONFIRMED);
    faults().inject(Fault.on("getDeployLog").replyWith(log.toString()));
    show(
        golden,
        "logs --deployment DEPLOY_2",
        cli.run("logs", "--deployment", ids.get(1)),
        ExitCode.OK);
    Cli.Result rollback = cli.run("rollback", "v1.0.0", "--yes", "--reason", "why" + HOSTILE);
    assertPrintable("rollback --yes", rollback);
    assertThat(rollback.exitCode()).as(rollback.all()).isZero();
    show(golden, "status", cli.run("status"), ExitCode.OK);
    show(golden, "rollback history", cli.run("rollback", "history"), ExitCode.OK);
    Golden.assertMatches("terminal-text.txt", normalize(p, ids, golden.toString()));

    // JSON keeps the data as it is; JSON escapes it.
    var history = PlatformProject.json(cli.run("rollback", "history", "--json"));
    assertThat(history.at("/rollbacks/0/from/version").asText()).isEqualTo(label);
    assertThat(history.at("/rollbacks/0/reason").asText()).isEqualTo("why" + HOSTILE);
  }

  private static void show(StringBuilder golden, String command, Cli.Result r, ExitCode code) {
    assertPrintable(command, r);
    assertThat(r.exitCode()).as(command + ": " + r.all()).isEqualTo(code.code());
    record(
        "control sequences in API text and .devops files: " + command,
        r,
        java.util.Set.of(code.code()));
    golden.append("$ devops ").append(command).append('\n').append(r.screen()).append('\n');
  }

  /** Nothing on the screen acts on a terminal: every line is already printable. */
  private static void assertPrintable(String command, Cli.Result r) {
    for (String line : r.screen().split("\n", -1)) {
      assertThat(Printable.clean(line))
          .as(command + " prints a raw control character")
          .isEqualTo(line);
    }
  }

  private static String normalize(PlatformProject p, List<String> ids, String text) {
    return p.normalize(text, ids)
        .replace(p.siteName, "SITE")
        .replaceAll("rb-\\d{8}-\\d{6}-[0-9a-f]{4}", "ROLLBACK_ID")
        .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d{6}Z(-\\d+)?", "TIMESTAMP")
        .replaceAll("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC", "TIME")
        .replaceAll("(?m)^Steps: .*$", "Steps: ...");
  }
}
