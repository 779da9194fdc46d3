package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCommandTest extends PlatformTest {

  @Test
  void showsTheLiveDeployAndAnUnlockedSite() {
    PlatformProject p = project("status-open");
    String live = p.deploy("Release v2.1.0");
    Instant published = Instant.parse(p.deployJson(live).get("published_at").asText());
    Cli.Result r =
        p.cli.clock(Clock.fixed(published.plus(Duration.ofHours(3)), ZoneOffset.UTC)).run("status");

    assertThat(r.exitCode()).as(r.err()).isZero();
    Golden.assertMatches("status-unlocked.txt", p.normalize(r.out(), List.of(live)));
  }

  @Test
  void aLockPinnedByARollbackIsExplained() throws IOException {
    PlatformProject p = project("status-pinned");
    String bad = p.deploy("Release v2.2.0");
    String good = p.deploy("Release v2.1.9");
    platform.call("POST", "/deploys/" + good + "/lock", null);
    Instant published = Instant.parse(p.deployJson(good).get("published_at").asText());
    Instant finished = published.plus(Duration.ofMinutes(1));
    Files.writeString(
        dir.resolve(".devops/rollback-history.json"),
        "[{\"id\":\"rb_20240101_1\",\"site_id\":\""
            + p.siteId
            + "\",\"from\":{\"id\":\""
            + bad
            + "\",\"version\":\"v2.2.0\"},\"to\":{\"id\":\""
            + good
            + "\",\"version\":\"v2.1.9\"},\"reason\":\"checkout broken\",\"finished_at\":\""
            + finished
            + "\",\"outcome\":\"verified\",\"unknown_field\":1}]");
    Cli.Result r =
        p.cli
            .clock(Clock.fixed(finished.plus(Duration.ofMinutes(30)), ZoneOffset.UTC))
            .run("status");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains(StatusCommand.LOCKED_BY_ROLLBACK);
    Golden.assertMatches("status-pinned.txt", p.normalize(r.out(), List.of(bad, good)));

    JsonNode json = PlatformProject.json(p.cli.run("status", "--json"));
    assertThat(DeploymentsListTest.fieldNames(json))
        .containsExactly(
            "site",
            "admin_url",
            "published",
            "auto_publish_locked",
            "locked_by_rollback",
            "last_rollback",
            "lease",
            "warnings");
    assertThat(json.get("auto_publish_locked").asBoolean()).isTrue();
    assertThat(json.get("locked_by_rollback").asBoolean()).isTrue();
    assertThat(json.get("published").get("id").asText()).isEqualTo(good);
    assertThat(json.get("published").get("locked").asBoolean()).isTrue();
    JsonNode last = json.get("last_rollback");
    assertThat(last.get("id").asText()).isEqualTo("rb_20240101_1");
    assertThat(last.get("from").asText()).isEqualTo(bad);
    assertThat(last.get("to").asText()).isEqualTo(good);
    assertThat(last.get("reason").asText()).isEqualTo("checkout broken");
    assertThat(last.get("outcome").asText()).isEqualTo("verified");
  }

  @Test
  void aLockSetByHandIsNotBlamedOnARollback() throws IOException {
    PlatformProject p = project("status-hand");
    String live = p.deploy("Release v1");
    platform.call("POST", "/deploys/" + live + "/lock", null);
    Files.writeString(dir.resolve(".devops/rollback-history.json"), "not json at all");
    Cli.Result r = p.cli.run("status");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).contains(StatusCommand.LOCKED).contains("Last rollback: unknown");
    assertThat(r.err()).contains(".devops/rollback-history.json is unreadable");
  }

  @Test
  void afterARealRollbackStatusAndListShowThePinAndTheBadDeploy() {
    PlatformProject p = project("status-after-rollback");
    String good = p.deploy("Release v3.0.0");
    String bad = p.deploy("Release v3.0.1");
    Cli.Result rollback = p.cli.run("rollback", "--yes", "--reason", "checkout broken");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();

    Cli.Result status = p.cli.run("status");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("Published: v3.0.0")
        .contains(StatusCommand.LOCKED_BY_ROLLBACK)
        .contains("Last rollback: v3.0.1 (" + bad + ") → v3.0.0 (" + good + ")")
        .contains("Reason: checkout broken");
    JsonNode json = PlatformProject.json(p.cli.run("status", "--json"));
    assertThat(json.get("locked_by_rollback").asBoolean()).isTrue();
    assertThat(json.get("last_rollback").get("outcome").asText()).isEqualTo("verified");

    JsonNode list = PlatformProject.json(p.cli.run("deployments", "list", "--json"));
    assertThat(list.get("current").get("id").asText()).isEqualTo(good);
    assertThat(list.get("current").get("locked").asBoolean()).isTrue();
    assertThat(list.get("targets").get(0).get("id").asText()).isEqualTo(bad);
    assertThat(list.get("targets").get(0).get("status").asText()).isEqualTo("bad");
  }
}
