package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.testing.Cli;
import org.junit.jupiter.api.Test;

class LogsCommandTest extends PlatformTest {

  @Test
  void showsTheLogOfThePublishedDeployWithTimestamps() {
    PlatformProject p = project("logs-live");
    p.deploy("Release v1.0.0");
    String live = p.deploy("Release v1.0.1");
    Cli.Result r = p.cli.run("logs");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("📜 Deploy log of v1.0.1 (" + live + "), state ready");
    assertThat(r.out().lines().toList())
        .isNotEmpty()
        .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d  .+"), "timestamped");
    assertThat(r.out()).contains("Deploy " + live + " created");
  }

  @Test
  void jsonIsAnArrayOfLines() {
    PlatformProject p = project("logs-json");
    String first = p.deploy("Release v1.0.0");
    p.deploy("Release v1.0.1");
    Cli.Result r = p.cli.run("logs", "--deployment", first, "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode lines = PlatformProject.json(r);
    assertThat(lines.isArray()).isTrue();
    assertThat(lines.size()).isGreaterThan(1);
    assertThat(DeploymentsListTest.fieldNames(lines.get(0)))
        .containsExactly("ts", "level", "section", "message");
    assertThat(lines.get(0).get("message").asText()).isEqualTo("Deploy " + first + " created");
  }

  @Test
  void unknownDeployExits6() {
    PlatformProject p = project("logs-missing");
    p.deploy("x");
    Cli.Result r = p.cli.run("logs", "--deployment", "0000000000000000000000aa");
    PlatformProject.assertOneLineError(
        r, ExitCode.NOT_FOUND.code(), "No deploy with version or id '0000000000000000000000aa'");
  }

  @Test
  void siteWithoutPublishedDeployExits6() {
    PlatformProject p = project("logs-empty");
    PlatformProject.assertOneLineError(
        p.cli.run("logs"), 6, "has no published deploy: pass --deployment ID");
  }

  @Test
  void linesAreRenderedOnOneLineWithoutControlSequences() {
    dev.devops.netlify.LogLine line =
        new dev.devops.netlify.LogLine(
            "2024-01-15T10:04:05.123Z",
            "error",
            "building",
            "\u001b[31mbuild\u001b[0m failed\r\nat step 2");
    assertThat(LogsCommand.render(line))
        .isEqualTo("2024-01-15 10:04:05  [building] ❌ build failed at step 2");
  }
}
