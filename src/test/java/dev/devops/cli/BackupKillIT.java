package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.LocalPlatform;
import dev.devops.testing.Cli;
import dev.devops.testing.DevopsProcess;
import dev.devops.testing.PlatformFixture;
import dev.devops.testing.PlatformFixture.DeployOptions;
import dev.devops.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real rollback process killed (SIGKILL) while it stores the backup's bytes after the verified
 * switch: the record says verified, the backup says incomplete, every file under {@code .devops}
 * still parses, and {@code backup create --resume} finishes the backup. The platform adds 100 ms to
 * every answer, so that the download lasts long enough to be interrupted.
 */
class BackupKillIT {
  private static final String TOKEN = "backup-kill-token";
  private static final int FILES = 400;

  @TempDir Path tmp;

  @Test
  void killedWhileStoringTheBackupLeavesARecordAndABackupThatResumeFinishes() throws Exception {
    Path data = tmp.resolve("platform");
    String siteId;
    String v1;
    try (PlatformFixture seeding = PlatformFixture.start(options(data))) {
      siteId = seeding.createSite("killed");
      v1 = seeding.deploy(siteId, site("v1"), DeployOptions.prod("v1.0.0"));
      seeding.deploy(siteId, site("v2"), DeployOptions.prod("v2.0.0"));
    }
    Path project = Files.createDirectories(tmp.resolve("project"));
    try (PlatformFixture platform =
        PlatformFixture.start(options(data).latency(Duration.ofMillis(100)))) {
      Cli cli =
          new Cli(project)
              .env("NETLIFY_AUTH_TOKEN", TOKEN)
              .env("NETLIFY_API_URL", platform.apiUrl());
      assertThat(cli.run("init", "--site", "killed", "--api-url", platform.apiUrl()).exitCode())
          .isZero();

      Path output = project.resolve("output.txt");
      Process process =
          DevopsProcess.start(
              project,
              platform.apiUrl(),
              TOKEN,
              Map.of(),
              "rollback",
              "--yes",
              "--reason",
              "killed while storing");
      DevopsProcess.await(
          () -> Files.readString(output).contains("Storing the backup's files"),
          "the rollback never started storing the backup's files",
          project);
      process.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();

      String published =
          platform.call("GET", "/sites/" + siteId, null).at("/published_deploy/id").asText();
      assertThat(published).isEqualTo(v1);
      JsonNode history = PlatformProject.json(cli.run("rollback", "history", "--json"));
      JsonNode entry = history.at("/rollbacks/0");
      assertThat(entry.get("outcome").asText()).as(Files.readString(output)).isEqualTo("verified");
      assertThat(entry.path("backup_complete").asBoolean(false)).isFalse();
      assertEveryFileParses(project.resolve(".devops"));

      String dir = entry.get("backup").asText();
      Cli.Result verify = cli.run("backup", "verify", dir, "--json");
      assertThat(verify.exitCode()).as(verify.all()).isEqualTo(ExitCode.UNVERIFIED.code());
      assertThat(PlatformProject.json(verify).at("/backups/0/complete").asBoolean()).isFalse();

      Cli.Result resumed = cli.run("backup", "create", "--resume", dir, "--json");
      assertThat(resumed.exitCode()).as(resumed.all()).isZero();
      assertThat(PlatformProject.json(resumed).get("complete").asBoolean()).isTrue();
      assertThat(PlatformProject.json(resumed).get("files").asInt()).isEqualTo(FILES);
      assertThat(cli.run("backup", "verify", dir).exitCode()).isZero();
    }
  }

  private static LocalPlatform.Options options(Path data) {
    return new LocalPlatform.Options(data, 0, TOKEN);
  }

  private static Map<String, String> site(String version) {
    Map<String, String> site = new LinkedHashMap<>();
    site.put("index.html", "<h1>" + version + "</h1>");
    for (int i = 1; i < FILES; i++) {
      site.put("pages/page-" + i + ".html", "<p>" + version + " page " + i + "</p>");
    }
    return site;
  }

  private static void assertEveryFileParses(Path devops) throws IOException {
    List<Path> json;
    try (Stream<Path> files = Files.walk(devops)) {
      json = files.filter(f -> f.toString().endsWith(".json")).toList();
    }
    assertThat(json).isNotEmpty();
    for (Path f : json) {
      Json.mapper().readTree(f.toFile());
    }
  }
}
