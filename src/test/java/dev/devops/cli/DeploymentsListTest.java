package dev.devops.cli;

import static dev.devops.cli.PlatformProject.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.state.DeploymentRecords;
import dev.devops.testing.Cli;
import dev.devops.testing.PlatformFixture;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class DeploymentsListTest extends PlatformTest {

  /** Four production deploys, oldest first; returns their ids. */
  private List<String> fourReleases(PlatformProject p) {
    List<String> ids = new ArrayList<>();
    for (String v : List.of("v1.2.0", "v1.2.1", "v1.2.2", "v1.2.3")) {
      ids.add(p.deploy("Release " + v));
    }
    return ids;
  }

  /** A clock two hours after the newest deploy, so every age reads "2h ago" on every run. */
  private Clock twoHoursAfter(PlatformProject p, String newest) {
    return Clock.fixed(p.createdAt(newest).plus(Duration.ofHours(2)), ZoneOffset.UTC);
  }

  @Test
  void humanViewIsTheSpecsRecentDeploymentsBlock() {
    PlatformProject p = project("shop-list");
    List<String> ids = fourReleases(p);
    Cli.Result r = p.cli.clock(twoHoursAfter(p, ids.get(3))).run("deployments", "list");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    List<String> newestFirst = new ArrayList<>(ids);
    java.util.Collections.reverse(newestFirst);
    Golden.assertMatches("deployments-list.txt", p.normalize(r.out(), newestFirst));
  }

  @Test
  void jsonGivesCurrentTargetsAndStableFieldNames() {
    PlatformProject p = project("shop-json");
    List<String> ids = fourReleases(p);
    Instant published = Instant.parse(p.deployJson(ids.get(3)).get("published_at").asText());
    Instant now = published.plus(Duration.ofHours(2));
    Cli.Result r =
        p.cli.clock(Clock.fixed(now, ZoneOffset.UTC)).run("deployments", "list", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode body = json(r);
    assertThat(fieldNames(body)).containsExactly("site", "current", "targets", "has_more");
    assertThat(body.get("site").get("id").asText()).isEqualTo(p.siteId);
    assertThat(body.get("site").get("name").asText()).isEqualTo("shop-json");
    assertThat(body.get("site").get("url").asText())
        .isEqualTo(platform.platform().siteUrl("shop-json"));
    JsonNode current = body.get("current");
    assertThat(fieldNames(current))
        .containsExactly(
            "id",
            "version",
            "title",
            "commit_ref",
            "branch",
            "context",
            "state",
            "status",
            "created_at",
            "published_at",
            "age",
            "live_seconds",
            "duration",
            "deploy_url",
            "locked",
            "bad",
            "mark");
    assertThat(current.get("id").asText()).isEqualTo(ids.get(3));
    assertThat(current.get("version").asText()).isEqualTo("v1.2.3");
    assertThat(current.get("status").asText()).isEqualTo("live");
    assertThat(current.get("age").asText()).isEqualTo("2h ago");
    assertThat(current.get("live_seconds").asLong()).isEqualTo(7200L);
    assertThat(current.get("duration").asText()).isEqualTo("2h active");
    assertThat(body.get("targets")).hasSize(3);
    assertThat(versions(body.get("targets"))).containsExactly("v1.2.2", "v1.2.1", "v1.2.0");
    JsonNode first = body.get("targets").get(0);
    assertThat(first.get("status").asText()).isEqualTo("stable");
    assertThat(first.get("context").asText()).isEqualTo("production");
    assertThat(first.get("state").asText()).isEqualTo("ready");
    assertThat(first.get("deploy_url").asText()).contains(ids.get(2));
    assertThat(first.get("live_seconds").asLong()).isLessThan(60);
    assertThat(first.get("duration").asText()).isEqualTo("<1m active");
    assertThat(first.get("bad").asBoolean()).isFalse();
    assertThat(body.get("has_more").asBoolean()).isFalse();
  }

  @Test
  void readsOneApiPageSizedForTheLimit() {
    PlatformProject p = project("shop-limit");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      ids.add(p.deploy("Release v2.0." + i));
    }
    platform.platform().faults().resetCalls();
    Cli.Result r = p.cli.run("deployments", "list", "--limit", "3", "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode body = json(r);
    assertThat(versions(body.get("targets"))).containsExactly("v2.0.7", "v2.0.6", "v2.0.5");
    assertThat(body.get("has_more").asBoolean()).isTrue();
    assertThat(platform.platform().faults().calls("listSiteDeploys")).isEqualTo(1);
    assertThat(platform.platform().faults().calls("getSite")).isEqualTo(1);

    Cli.Result all = p.cli.run("deployments", "list", "--all", "--json");
    assertThat(json(all).get("targets")).hasSize(8);
    assertThat(json(all).get("has_more").asBoolean()).isFalse();

    Cli.Result human = p.cli.run("deployments", "list", "--limit", "2");
    assertThat(human.out()).contains("More deploys: devops deployments list --limit 4 (or --all)");
  }

  @Test
  void nothingToRollBackTo() {
    PlatformProject p = project("shop-single");
    String only = p.deploy("First release v0.1.0");
    Cli.Result human = p.cli.clock(twoHoursAfter(p, only)).run("deployments", "list");
    assertThat(human.exitCode()).isZero();
    Golden.assertMatches("deployments-list-nothing.txt", p.normalize(human.out(), List.of(only)));

    Cli.Result r = p.cli.run("deployments", "list", "--json");
    assertThat(r.exitCode()).isZero();
    assertThat(json(r).get("targets")).isEmpty();
    assertThat(json(r).get("current").get("id").asText()).isEqualTo(only);
  }

  @Test
  void siteWithoutDeploysHasNoCurrentAndNoTargets() {
    PlatformProject p = project("shop-empty");
    Cli.Result r = p.cli.run("deployments", "list", "--json");
    assertThat(r.exitCode()).isZero();
    assertThat(json(r).get("current").isNull()).isTrue();
    assertThat(json(r).get("targets")).isEmpty();

    Cli.Result human = p.cli.run("deployments", "list");
    assertThat(human.out())
        .contains("Current: none")
        .contains("❌ No previous deployments found\n💡 Nothing to rollback to");
  }

  @Test
  void failedDeploysAreNotTargetsAndBadOnesAreMarked() {
    PlatformProject p = project("shop-bad");
    String good = p.deploy("Release v3.0.0");
    String bad = p.deploy("Release v3.0.1");
    platform.failDeploy(p.siteId, "Release v3.0.2 (broken build)");
    p.deploy("Release v3.0.3");
    DeploymentRecords.load(p.dir.resolve(".devops")).markBad(bad, "checkout broken", "rb_1");

    JsonNode body = json(p.cli.run("deployments", "list", "--json"));
    assertThat(versions(body.get("targets"))).containsExactly("v3.0.1", "v3.0.0");
    JsonNode first = body.get("targets").get(0);
    assertThat(first.get("status").asText()).isEqualTo("bad");
    assertThat(first.get("bad").asBoolean()).isTrue();
    assertThat(first.at("/mark/reason").asText()).isEqualTo("checkout broken");
    assertThat(first.at("/mark/rollback_id").asText()).isEqualTo("rb_1");
    assertThat(body.get("targets").get(1).get("id").asText()).isEqualTo(good);
    assertThat(body.get("targets").get(1).get("mark").isNull()).isTrue();

    Cli.Result human = p.cli.run("deployments", "list");
    assertThat(human.out()).contains("1. v3.0.1").contains("Status: Bad");
  }

  @Test
  void versionLabelPrefersRecordedThenSemverThenCommitThenId() {
    PlatformProject p = project("shop-labels");
    String byCommit =
        platform.deploy(
            p.siteId,
            Map.of("index.html", "a"),
            new PlatformFixture.DeployOptions(
                "no tag here",
                false,
                null,
                "0123456789abcdef0123456789abcdef01234567",
                Map.of(),
                null));
    String byId = p.deploy("plain title");
    String bySemver = p.deploy("Release 2.4.0-rc.1");
    Path site = p.siteDir("public", Map.of("index.html", "recorded"));
    Cli.Result deploy =
        p.cli.run("deploy", "--dir", site.toString(), "--prod", "--version", "v9.9.9", "--json");
    assertThat(deploy.exitCode()).as(deploy.err()).isZero();
    String recorded = json(deploy).get("deploy_id").asText();

    JsonNode body = json(p.cli.run("deployments", "list", "--json"));
    assertThat(body.get("current").get("id").asText()).isEqualTo(recorded);
    assertThat(body.get("current").get("version").asText()).isEqualTo("v9.9.9");
    assertThat(body.get("current").get("title").asText()).isEqualTo("v9.9.9");
    assertThat(versions(body.get("targets"))).containsExactly("2.4.0-rc.1", byId, "0123456");
    assertThat(body.get("targets").get(0).get("id").asText()).isEqualTo(bySemver);
    assertThat(body.get("targets").get(2).get("id").asText()).isEqualTo(byCommit);
  }

  @Test
  void badLimitIsAUsageError() {
    PlatformProject p = project("shop-usage");
    Cli.Result r = p.cli.run("deployments", "list", "--limit", "0");
    assertThat(r.exitCode()).isEqualTo(ExitCode.USAGE.code());
    assertThat(r.err()).startsWith("❌ --limit must be between 1 and 100");
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static List<String> versions(JsonNode targets) {
    return StreamSupport.stream(targets.spliterator(), false)
        .map(t -> t.get("version").asText())
        .toList();
  }
}
