package dev.devops.cli;

import static dev.devops.cli.PlatformProject.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.Fault;
import dev.devops.state.DeploymentRecords;
import dev.devops.testing.Cli;
import dev.devops.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeployCommandTest extends PlatformTest {

  @BeforeEach
  void clearFaults() {
    faults().clear();
    faults().resetCalls(); // the platform is shared by the class: count each test's own calls
  }

  @Test
  void productionDeployIsPublishedServedAndRecorded() throws IOException {
    PlatformProject p = project("deploy-prod");
    Path site =
        p.siteDir(
            "public",
            Map.of(
                "index.html", "<h1>v1</h1>",
                "css/site.css", "body{}",
                ".env", "SECRET=1",
                ".git/HEAD", "ref",
                ".well-known/security.txt", "Contact: x"));
    Cli.Result r =
        p.cli.run(
            "deploy",
            "--dir",
            "public",
            "--prod",
            "--message",
            "First cut",
            "--version",
            "v1.0.0",
            "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode body = json(r);
    assertThat(DeploymentsListTest.fieldNames(body))
        .containsExactly(
            "deploy_id",
            "site_id",
            "state",
            "version",
            "deploy_url",
            "url",
            "uploaded_files",
            "total_files",
            "published");
    String id = body.get("deploy_id").asText();
    assertThat(body.get("site_id").asText()).isEqualTo(p.siteId);
    assertThat(body.get("state").asText()).isEqualTo("ready");
    assertThat(body.get("version").asText()).isEqualTo("v1.0.0");
    assertThat(body.get("total_files").asInt()).isEqualTo(3);
    assertThat(body.get("uploaded_files").asInt()).isEqualTo(3);
    assertThat(body.get("published").asBoolean()).isTrue();
    assertThat(body.get("url").asText()).isEqualTo(platform.platform().siteUrl("deploy-prod"));

    assertThat(platform.get(platform.platform().siteUrl("deploy-prod") + "/"))
        .contains("<h1>v1</h1>");
    assertThat(platform.get(body.get("deploy_url").asText() + "/.well-known/security.txt"))
        .isEqualTo("Contact: x");
    JsonNode deploy = p.deployJson(id);
    assertThat(deploy.get("title").asText()).isEqualTo("v1.0.0 · First cut");
    assertThat(deploy.get("deploy_source").asText()).isEqualTo("cli");
    // The documented listing: the published deploy's files, through the site.
    JsonNode files = platform.call("GET", "/sites/" + p.siteId + "/files", null);
    List<String> paths = new ArrayList<>();
    files.forEach(f -> paths.add(f.get("path").asText()));
    assertThat(paths)
        .containsExactlyInAnyOrder("/index.html", "/css/site.css", "/.well-known/security.txt");

    DeploymentRecords records = DeploymentRecords.load(dir.resolve(".devops"));
    assertThat(records.versionOf(id)).contains("v1.0.0");
    assertThat(records.deploy(id).orElseThrow().production()).isTrue();
    assertThat(Files.readString(dir.resolve(".devops/deployments.json"))).contains(id);
    assertThat(r.err()).contains("Hashing files").contains("created (production)");
  }

  @Test
  void draftIsNotPublished() {
    PlatformProject p = project("deploy-draft");
    String live = p.deploy("live one");
    p.siteDir("out", Map.of("index.html", "draft"));
    Cli.Result r = p.cli.run("deploy", "--dir", "out");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("✓ Deploy ready")
        .contains("Live: unchanged (draft deploy; use --prod to publish)");
    JsonNode site = platform.call("GET", "/sites/" + p.siteId, null);
    assertThat(site.get("published_deploy").get("id").asText()).isEqualTo(live);
  }

  @Test
  void lockedSiteBuildsTheDeployButDoesNotPublishIt() {
    PlatformProject p = project("deploy-locked");
    String pinned = p.deploy("pinned v1.0.0");
    platform.call("POST", "/deploys/" + pinned + "/lock", null);
    p.siteDir("out", Map.of("index.html", "new"));
    Cli.Result r = p.cli.run("deploy", "--dir", "out", "--prod");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err())
        .contains(
            "🔒 Auto publishing is locked on deploy-locked: this deploy will be built but NOT published.");
    assertThat(r.out())
        .contains(
            "Live: NOT published: auto publishing is locked (a rollback pinned deploy "
                + pinned
                + ")");
    JsonNode site = platform.call("GET", "/sites/" + p.siteId, null);
    assertThat(site.get("published_deploy").get("id").asText()).isEqualTo(pinned);

    Cli.Result asJson = p.cli.run("deploy", "--dir", "out", "--prod", "--json");
    assertThat(json(asJson).get("published").asBoolean()).isFalse();
    assertThat(json(asJson).get("url").isNull()).isTrue();
    assertThat(json(asJson).get("state").asText()).isEqualTo("ready");
  }

  @Test
  void tenThousandFileSiteWithOneChangedFileUploadsExactlyOneFile() throws IOException {
    PlatformProject p = project("deploy-big");
    Path site = dir.resolve("big");
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < 10_000; i++) {
      files.put("pages/" + (i % 100) + "/page-" + i + ".html", "<p>page " + i + "</p>");
    }
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path file = site.resolve(f.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, f.getValue());
    }
    // Seeding: 10,000 uploads take 20 minutes within Netlify's 500 requests a minute, so the
    // first deploy runs with the limits lifted. The deploy under test runs with them on.
    Cli.Result first =
        platform
            .platform()
            .withoutLimits(() -> p.cli.run("deploy", "--dir", "big", "--prod", "--json"));
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(json(first).get("uploaded_files").asInt()).isEqualTo(10_000);

    Files.writeString(site.resolve("pages/42/page-42.html"), "<p>changed</p>");
    faults().resetCalls();
    Cli.Result second = p.cli.run("deploy", "--dir", "big", "--prod", "--json");

    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(json(second).get("uploaded_files").asInt()).isEqualTo(1);
    assertThat(json(second).get("total_files").asInt()).isEqualTo(10_000);
    assertThat(faults().calls("uploadDeployFile")).isEqualTo(1);
    assertThat(platform.get(platform.platform().siteUrl("deploy-big") + "/pages/42/page-42.html"))
        .isEqualTo("<p>changed</p>");
  }

  @Test
  void failedUploadsAreRetried() {
    PlatformProject p = project("deploy-retry");
    p.siteDir("out", Map.of("a.html", "a", "b.html", "b", "c.html", "c"));
    faults().inject(Fault.on("uploadDeployFile").status(503).times(2));
    faults().inject(Fault.on("uploadDeployFile").dropConnection());
    Cli.Result r = p.cli.run("deploy", "--dir", "out", "--prod", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(json(r).get("published").asBoolean()).isTrue();
    assertThat(faults().calls("uploadDeployFile")).isEqualTo(6);
  }

  @Test
  void persistentUploadFailureCancelsTheDeployAndExits7() {
    PlatformProject p = project("deploy-fail");
    String live = p.deploy("live");
    p.siteDir("out", Map.of("index.html", "never"));
    faults().inject(Fault.on("uploadDeployFile").status(500).times(Integer.MAX_VALUE));
    Cli.Result r = p.cli.run("deploy", "--dir", "out", "--prod");

    assertThat(r.exitCode()).isEqualTo(ExitCode.API.code());
    assertThat(r.err().lines().filter(l -> l.startsWith("❌"))).hasSize(1);
    assertThat(r.err())
        .contains("❌ Netlify API uploadDeployFile failed: 500")
        .doesNotContain("\tat ");
    assertThat(faults().calls("cancelSiteDeploy")).isEqualTo(1);
    JsonNode site = platform.call("GET", "/sites/" + p.siteId, null);
    assertThat(site.get("published_deploy").get("id").asText()).isEqualTo(live);
  }

  @Test
  void aDeployNotReadyInTimeIsCanceledAndExits7() {
    PlatformProject p = project("deploy-timeout");
    String live = p.deploy("live");
    p.siteDir("out", Map.of("index.html", "slow"));
    // A deploy that waits for a file nobody uploads stays 'uploading'; the digest answer points
    // the command at it, so the wait for "ready" can only end at the timeout.
    String stuck =
        platform
            .call(
                "POST",
                "/sites/" + p.siteId + "/deploys",
                Json.mapper()
                    .createObjectNode()
                    .set(
                        "files",
                        Json.mapper()
                            .createObjectNode()
                            .put("/never.html", "0123456789abcdef0123456789abcdef01234567")))
            .get("id")
            .asText();
    faults()
        .inject(
            Fault.on("updateSiteDeploy")
                .replyWith("{\"id\":\"" + stuck + "\",\"state\":\"uploading\",\"required\":[]}"));
    Cli.Result r = p.cli.run("deploy", "--dir", "out", "--prod", "--timeout", "1");

    PlatformProject.assertOneLineError(
        r, ExitCode.API.code(), "is still 'uploading' after 1 s: canceled it");
    assertThat(faults().calls("cancelSiteDeploy")).isEqualTo(1);
    JsonNode site = platform.call("GET", "/sites/" + p.siteId, null);
    assertThat(site.get("published_deploy").get("id").asText()).isEqualTo(live);
    PlatformProject.assertOneLineError(
        p.cli.run("deploy", "--dir", "out", "--timeout", "0"), 2, "--timeout 0 is too short");
  }

  @Test
  void recordsTheGitCommitOfTheProject() throws Exception {
    PlatformProject p = project("deploy-git");
    p.siteDir("out", Map.of("index.html", "git"));
    git("init", "-q");
    git(
        "-c",
        "user.email=t@example.com",
        "-c",
        "user.name=t",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "x");
    String head = new String(git("rev-parse", "HEAD").getInputStream().readAllBytes()).trim();
    Cli.Result r = p.cli.run("deploy", "--dir", "out", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    String id = json(r).get("deploy_id").asText();
    assertThat(p.deployJson(id).get("commit_ref").asText()).isEqualTo(head);
  }

  @Test
  void badDirectoryAndVersionAreUsageErrors() {
    PlatformProject p = project("deploy-usage");
    PlatformProject.assertOneLineError(
        p.cli.run("deploy", "--dir", "missing"), 2, "--dir missing is not a directory");
    p.siteDir("empty", Map.of(".hidden", "x"));
    PlatformProject.assertOneLineError(
        p.cli.run("deploy", "--dir", "empty"), 2, "has no files to deploy");
    p.siteDir("ok", Map.of("index.html", "x"));
    PlatformProject.assertOneLineError(
        p.cli.run("deploy", "--dir", "ok", "--version", "v1 beta"),
        2,
        "--version 'v1 beta' is not a label");
  }

  @Test
  void aDamagedRecordFileDoesNotHideASuccessfulDeploy() throws IOException {
    PlatformProject p = project("deploy-records");
    p.siteDir("out", Map.of("index.html", "x"));
    Files.writeString(dir.resolve(".devops/deployments.json"), "{broken");
    Cli.Result r = p.cli.run("deploy", "--dir", "out", "--prod", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(json(r).get("published").asBoolean()).isTrue();
    assertThat(r.err())
        .contains(
            "⚠️ Deploy "
                + json(r).get("deploy_id").asText()
                + " is not recorded in .devops/deployments.json");
    assertThat(Files.readString(dir.resolve(".devops/deployments.json"))).isEqualTo("{broken");
  }

  private Process git(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    process.waitFor();
    return process;
  }
}
