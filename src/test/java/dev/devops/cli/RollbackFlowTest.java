package dev.devops.cli;

import static dev.devops.cli.PlatformProject.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.state.DeploymentRecords;
import dev.devops.testing.Cli;
import dev.devops.testing.PlatformFixture;
import dev.devops.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole {@code devops rollback} flow, end to end against the local platform. */
class RollbackFlowTest {
  @TempDir static Path platformDir;
  static PlatformFixture platform;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    platform = PlatformFixture.start(platformDir);
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  static int sites;

  private PlatformProject project() {
    return new PlatformProject(platform, dir, "flow-" + (++sites));
  }

  private String served(PlatformProject p, String path) {
    return platform.get(platform.platform().siteUrl(p.siteName) + path);
  }

  private JsonNode site(PlatformProject p) {
    return platform.call("GET", "/sites/" + p.siteId, null);
  }

  private JsonNode history(PlatformProject p) throws Exception {
    return Json.mapper().readTree(Files.readString(p.dir.resolve(".devops/rollback-history.json")));
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
    assertThat(r.err()).contains("Skipped v1.1.5").contains("failed");
    assertThat(r.err()).contains("Skipped v1.1.0 (" + v110 + "): marked bad by an earlier rollback");
    assertThat(r.err()).contains("🎯 Target: v1.0.0 (" + v100 + ")");
    assertThat(r.err()).contains("✓ Rollback successful!");
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
    System.out.println(r.err());
  }
}
