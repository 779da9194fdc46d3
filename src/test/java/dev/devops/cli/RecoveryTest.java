package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.LocalPlatform;
import dev.devops.netlify.Sha1;
import dev.devops.testing.Cli;
import dev.devops.testing.PlatformFixture;
import dev.devops.testing.PlatformFixture.DeployOptions;
import dev.devops.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recovery on Netlify's terms: the local platform with its API limits on (500 requests and 3
 * deploys a minute, 5 uploads in flight) and only its documented endpoints. The switch waits for
 * the backup's manifest only; the bytes come after it, from the deploy's permalink, and those
 * already stored are never fetched.
 */
class RecoveryTest {
  private static final Duration LATENCY = Duration.ofMillis(100);
  private static final String TOKEN = "recovery-token";

  @TempDir Path tmp;

  /**
   * A rollback of a 1,000-file site with 100 ms added to every answer: few API calls, no 429, a
   * verified switch, and a complete backup when the command exits. The site's history is seeded on
   * a platform without latency (the fixture's own requests would otherwise take minutes), then the
   * same data is served again with it.
   */
  @Test
  void aThousandFileRollbackUnderNetlifyLimitsAndLatencyMakesFewCallsAndEndsComplete()
      throws IOException {
    Path data = tmp.resolve("platform");
    String siteId;
    try (PlatformFixture seeding = PlatformFixture.start(options(data))) {
      siteId = seeding.createSite("thousand");
      seeding.deploy(siteId, site(1000, "v1"), DeployOptions.prod("v1.0.0"));
      seeding.deploy(siteId, site(1000, "v2"), DeployOptions.prod("v2.0.0"));
    }
    try (PlatformFixture platform = PlatformFixture.start(options(data).latency(LATENCY))) {
      Cli cli = cli(platform, tmp.resolve("project"), "thousand");
      Cli.Result r = cli.run("rollback", "--yes", "--reason", "bad release", "--json");

      assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK.code());
      JsonNode result = last(r);
      assertThat(result.get("outcome").asText()).isEqualTo("verified");
      assertThat(result.get("backup_complete").asBoolean()).isTrue();
      assertThat(result.get("api_calls").asInt()).isBetween(1, 25);
      assertThat(result.get("rate_limited").asInt()).isZero();
      // The bytes came from the permalink: far more HTTP requests than API calls.
      assertThat(result.get("http_requests").asInt())
          .isGreaterThan(result.get("api_calls").asInt() + 1000);
      assertThat(platform.platform().faults().calls("getSiteFileByPathName")).isLessThan(5);
      assertThat(published(platform, siteId)).isEqualTo(result.at("/to/id").asText());

      Cli.Result verify = cli.run("backup", "verify", result.get("backup").asText(), "--json");
      assertThat(verify.exitCode()).as(verify.all()).isEqualTo(ExitCode.OK.code());
      JsonNode checked = PlatformProject.json(verify).at("/backups/0");
      assertThat(checked.get("complete").asBoolean()).isTrue();
      assertThat(checked.get("files").asInt()).isEqualTo(1000);
    }
  }

  /**
   * The permalink serves wrong bytes for one file of the deploy left behind: the switch is verified
   * all the same (recovery never waits on those bytes), the record and the backup say it is
   * incomplete, and once the file is served right again {@code backup create --resume} finishes it
   * and the record says so.
   */
  @Test
  void aFailedDownloadAfterTheSwitchEndsVerifiedWithAnIncompleteBackupThatResumeFinishes()
      throws IOException {
    Path data = tmp.resolve("platform");
    Path project = tmp.resolve("project");
    Map<String, String> v2 = v2WithAPageTheRollbackRemoves();
    Path blob;
    byte[] good;
    String dir;
    try (PlatformFixture platform = PlatformFixture.start(options(data))) {
      String siteId = platform.createSite("damaged");
      platform.deploy(siteId, site(20, "v1"), DeployOptions.prod("v1.0.0"));
      platform.deploy(siteId, v2, DeployOptions.prod("v2.0.0"));
      blob = platformBlob(data, v2.get("only-in-v2.html"));
      good = damage(blob);

      Cli cli = cli(platform, project, "damaged");
      Cli.Result r = cli.run("rollback", "--yes", "--reason", "bad release", "--json");

      assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK.code());
      JsonNode result = last(r);
      assertThat(result.get("outcome").asText()).isEqualTo("verified");
      assertThat(result.get("backup_complete").asBoolean()).isFalse();
      dir = result.get("backup").asText();
      JsonNode history = PlatformProject.json(cli.run("rollback", "history", "--json"));
      assertThat(history.at("/rollbacks/0/outcome").asText()).isEqualTo("verified");
      assertThat(history.at("/rollbacks/0/backup_complete").asBoolean()).isFalse();

      Cli.Result incomplete = cli.run("backup", "verify", dir, "--json");
      assertThat(incomplete.exitCode()).isEqualTo(ExitCode.UNVERIFIED.code());
      assertThat(PlatformProject.json(incomplete).at("/backups/0/complete").asBoolean()).isFalse();
      assertThat(cli.run("backup", "verify", dir).all()).contains("incomplete");
    }
    Files.write(blob, good);
    // Served again from the repaired store (the platform keeps served bytes in memory).
    try (PlatformFixture platform = PlatformFixture.start(options(data))) {
      Cli cli = cli(platform, project, "damaged");
      Cli.Result resumed = cli.run("backup", "create", "--resume", dir, "--json");
      assertThat(resumed.exitCode()).as(resumed.all()).isEqualTo(ExitCode.OK.code());
      JsonNode backup = PlatformProject.json(resumed);
      assertThat(backup.get("complete").asBoolean()).as(resumed.all()).isTrue();
      assertThat(backup.get("completed_at").isNull()).isFalse();
      assertThat(cli.run("backup", "verify", dir).exitCode()).isEqualTo(ExitCode.OK.code());
      // The rollback's record no longer says its backup is incomplete.
      JsonNode history = PlatformProject.json(cli.run("rollback", "history", "--json"));
      assertThat(history.at("/rollbacks/0/backup_complete").asBoolean()).isTrue();
      assertThat(history.at("/rollbacks/0/backup_completed_at").asText())
          .isEqualTo(backup.get("completed_at").asText());
    }
  }

  /**
   * The live deploy's permalink refuses its files (Basic-Auth in its _headers, as on a
   * password-protected site): every byte of the backup comes through the documented site-files API
   * while that deploy is still published, before the switch (after it, that API would serve the
   * target's files), and the backup is complete.
   */
  @Test
  void aDeployWhosePermalinkRefusesItsFilesIsBackedUpThroughTheApiBeforeTheSwitch()
      throws IOException {
    Path data = tmp.resolve("platform");
    Map<String, String> v2 = site(20, "v2");
    v2.put("_headers", "/*\n  Basic-Auth: someone:secret\n");
    try (PlatformFixture platform = PlatformFixture.start(options(data))) {
      String siteId = platform.createSite("protected");
      platform.deploy(siteId, site(20, "v1"), DeployOptions.prod("v1.0.0"));
      platform.deploy(siteId, v2, DeployOptions.prod("v2.0.0"));
      Cli cli = cli(platform, tmp.resolve("project"), "protected");
      platform.platform().faults().resetCalls();

      Cli.Result r =
          cli.run("rollback", "--yes", "--accept-breaking", "--reason", "bad release", "--json");

      assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCode.OK.code());
      JsonNode result = last(r);
      assertThat(result.get("outcome").asText()).isEqualTo("verified");
      assertThat(result.get("backup_complete").asBoolean()).as(r.all()).isTrue();
      assertThat(platform.platform().faults().calls("getSiteFileByPathName")).isEqualTo(21);
      Cli.Result verify = cli.run("backup", "verify", result.get("backup").asText(), "--json");
      assertThat(verify.exitCode()).as(verify.all()).isEqualTo(ExitCode.OK.code());
      assertThat(PlatformProject.json(verify).at("/backups/0/files").asInt()).isEqualTo(21);
    }
  }

  /** The next rollback finishes an earlier one's incomplete backup, and that record says so. */
  @Test
  void theNextRollbackFinishesAnEarlierIncompleteBackupAndItsRecordSaysSo() throws IOException {
    Path data = tmp.resolve("platform");
    Path project = tmp.resolve("project");
    Map<String, String> v2 = v2WithAPageTheRollbackRemoves();
    Path blob;
    byte[] good;
    try (PlatformFixture platform = PlatformFixture.start(options(data))) {
      String siteId = platform.createSite("twice");
      platform.deploy(siteId, site(20, "v0"), DeployOptions.prod("v0.9.0"));
      platform.deploy(siteId, site(20, "v1"), DeployOptions.prod("v1.0.0"));
      platform.deploy(siteId, v2, DeployOptions.prod("v2.0.0"));
      blob = platformBlob(data, v2.get("only-in-v2.html"));
      good = damage(blob);
      Cli.Result first =
          cli(platform, project, "twice").run("rollback", "--yes", "--reason", "bad", "--json");
      assertThat(last(first).get("backup_complete").asBoolean()).as(first.all()).isFalse();
    }
    Files.write(blob, good);
    try (PlatformFixture platform = PlatformFixture.start(options(data))) {
      Cli cli = cli(platform, project, "twice");
      Cli.Result second = cli.run("rollback", "--yes", "--reason", "worse", "--json");
      assertThat(second.exitCode()).as(second.all()).isEqualTo(ExitCode.OK.code());
      JsonNode history = PlatformProject.json(cli.run("rollback", "history", "--json"));
      // Newest first: the second rollback, then the first, whose backup is now complete.
      assertThat(history.at("/rollbacks/0/reason").asText()).isEqualTo("worse");
      assertThat(history.at("/rollbacks/1/reason").asText()).isEqualTo("bad");
      assertThat(history.at("/rollbacks/1/backup_complete").asBoolean()).isTrue();
      assertThat(history.at("/rollbacks/1/backup_completed_at").isNull()).isFalse();
    }
  }

  /** Deploys made with {@code devops deploy} left their bytes here: the backup fetches none. */
  @Test
  void aRollbackOfDeploysMadeWithDevopsDeployDownloadsNothing() throws IOException {
    Path data = tmp.resolve("platform");
    try (PlatformFixture platform = PlatformFixture.start(options(data))) {
      platform.createSite("local");
      Path project = tmp.resolve("project");
      Cli cli = cli(platform, project, "local");
      for (String version : List.of("v1.0.0", "v2.0.0")) {
        Path dir = write(tmp.resolve(version), site(30, version));
        Cli.Result d =
            cli.run("deploy", "--dir", dir.toString(), "--prod", "--version", version, "--json");
        assertThat(d.exitCode()).as(d.all()).isZero();
      }
      platform.platform().faults().resetCalls();

      Cli.Result r = cli.run("rollback", "--yes", "--reason", "bad release", "--json");

      assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.OK.code());
      JsonNode result = last(r);
      assertThat(result.get("backup_complete").asBoolean()).as(r.all()).isTrue();
      JsonNode stats = manifest(project, result.get("backup").asText()).get("stats");
      assertThat(stats.get("files").asInt()).isEqualTo(30);
      assertThat(stats.get("new_blobs").asInt()).isZero();
      assertThat(stats.get("reused_blobs").asInt()).isEqualTo(30);
      assertThat(platform.platform().faults().calls("getSiteFileByPathName")).isZero();
      // Only the verification's pages were fetched from the site, never the backup's files.
      assertThat(result.get("http_requests").asInt() - result.get("api_calls").asInt())
          .isLessThan(30);
    }
  }

  /** {@code --backup-first}: every byte is stored before the switch, as rollbacks used to. */
  @Test
  void backupFirstStoresEveryByteBeforeTheSwitch() throws IOException {
    Path data = tmp.resolve("platform");
    try (PlatformFixture platform = PlatformFixture.start(options(data))) {
      String siteId = platform.createSite("first");
      platform.deploy(siteId, site(20, "v1"), DeployOptions.prod("v1.0.0"));
      platform.deploy(siteId, site(20, "v2"), DeployOptions.prod("v2.0.0"));
      Path project = tmp.resolve("project");
      Cli cli = cli(platform, project, "first");

      Cli.Result first = cli.run("rollback", "--yes", "--reason", "r", "--backup-first", "--json");
      assertThat(steps(first)).doesNotContain("backup_bytes");
      assertThat(completedAt(project, first)).isBefore(stepStarted(cli, first, "restore"));

      Cli.Result after = cli.run("rollback", "v2.0.0", "--yes", "--reason", "r", "--json");
      List<String> steps = steps(after);
      assertThat(steps.indexOf("backup_bytes")).isGreaterThan(steps.indexOf("verify"));
      assertThat(completedAt(project, after)).isAfter(stepStarted(cli, after, "verify"));
    }
  }

  /** When the run's backup became complete, by its manifest. */
  private static Instant completedAt(Path project, Cli.Result run) {
    JsonNode manifest = manifest(project, last(run).get("backup").asText());
    return Instant.parse(manifest.get("completed_at").asText());
  }

  /** When the run's step {@code name} started, by the rollback's record. */
  private static Instant stepStarted(Cli cli, Cli.Result run, String name) {
    String id = last(run).get("rollback_id").asText();
    JsonNode history = PlatformProject.json(cli.run("rollback", "history", "--json"));
    for (JsonNode entry : history.get("rollbacks")) {
      if (entry.get("id").asText().equals(id)) {
        for (JsonNode step : entry.get("steps")) {
          if (step.get("name").asText().equals(name)) {
            return Instant.parse(step.get("started_at").asText());
          }
        }
      }
    }
    throw new AssertionError("no step " + name + " in rollback " + id);
  }

  private LocalPlatform.Options options(Path data) {
    return new LocalPlatform.Options(data, 0, TOKEN);
  }

  private static Cli cli(PlatformFixture platform, Path project, String site) throws IOException {
    Files.createDirectories(project);
    Cli cli =
        new Cli(project)
            .env("NETLIFY_AUTH_TOKEN", platform.token())
            .env("NETLIFY_API_URL", platform.apiUrl());
    Cli.Result init = cli.run("init", "--site", site, "--api-url", platform.apiUrl(), "--force");
    assertThat(init.exitCode()).as(init.err()).isZero();
    return cli;
  }

  /** {@code files} pages (index.html among them), each with content of its own per version. */
  private static Map<String, String> site(int files, String version) {
    Map<String, String> site = new LinkedHashMap<>();
    site.put("index.html", "<h1>" + version + "</h1>");
    for (int i = 1; i < files; i++) {
      site.put("pages/page-" + i + ".html", "<p>" + version + " page " + i + "</p>");
    }
    return site;
  }

  private static Path write(Path root, Map<String, String> files) throws IOException {
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path file = root.resolve(f.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, f.getValue());
    }
    return root;
  }

  /** Where the platform keeps the bytes of {@code content} (its content-addressed store). */
  private static Map<String, String> v2WithAPageTheRollbackRemoves() {
    Map<String, String> v2 = site(20, "v2");
    v2.put("only-in-v2.html", "<p>a page the rollback removes</p>");
    return v2;
  }

  /**
   * Rewrites {@code blob} with the same length and other bytes (what a CDN serving a damaged copy
   * would send); returns the good bytes.
   */
  private static byte[] damage(Path blob) throws IOException {
    byte[] good = Files.readAllBytes(blob);
    Files.write(
        blob,
        new String(good, StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8));
    return good;
  }

  private static Path platformBlob(Path data, String content) {
    String sha = Sha1.hex(content.getBytes(StandardCharsets.UTF_8));
    Path blob = data.resolve("blobs").resolve(sha.substring(0, 2)).resolve(sha);
    assertThat(blob).isRegularFile();
    return blob;
  }

  private static String published(PlatformFixture platform, String siteId) {
    return platform.call("GET", "/sites/" + siteId, null).at("/published_deploy/id").asText();
  }

  private static JsonNode manifest(Path project, String backupDir) {
    try {
      return Json.mapper().readTree(project.resolve(backupDir).resolve("manifest.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<JsonNode> lines(Cli.Result r) {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.out().split("\n")) {
      if (!line.isBlank()) {
        try {
          lines.add(Json.mapper().readTree(line));
        } catch (IOException e) {
          throw new AssertionError("not a JSON line: " + line + "\n" + r.all(), e);
        }
      }
    }
    return lines;
  }

  private static JsonNode last(Cli.Result r) {
    List<JsonNode> lines = lines(r);
    return lines.get(lines.size() - 1);
  }

  /** The run's steps in order. */
  private static List<String> steps(Cli.Result r) {
    assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCode.OK.code());
    List<String> steps = new ArrayList<>();
    for (JsonNode line : lines(r)) {
      if (line.hasNonNull("step")) {
        String step = line.get("step").asText();
        if (steps.isEmpty() || !steps.get(steps.size() - 1).equals(step)) {
          steps.add(step);
        }
      }
    }
    return steps;
  }
}
