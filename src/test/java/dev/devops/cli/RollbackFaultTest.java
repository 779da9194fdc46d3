package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.Fault;
import dev.devops.testing.Cli;
import dev.devops.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fault at every API call a rollback makes: each run ends either completed and verified, or with
 * the site on the pre-rollback deploy (recovered, or never changed), and never unknown.
 */
class RollbackFaultTest extends RollbackTestBase {
  /** Every operation a rollback of a locked site calls; checked against a clean run below. */
  static final List<String> FLOW_OPERATIONS =
      List.of(
          "getSite",
          "listSiteDeploys",
          "getDeploy",
          "listSiteFiles",
          "getEnvVars",
          "getSiteFileByPathName",
          "unlockDeploy",
          "restoreSiteDeploy",
          "lockDeploy",
          "getSiteMetadata",
          "updateSiteMetadata",
          "getCurrentUser");

  private static final String RULES = "/old /index.html 301\n";

  /** A site on v2 (locked), with v1 to roll back to. */
  private record Scenario(PlatformProject project, String v1, String v2) {}

  private Scenario scenario() {
    PlatformProject p = newProject("faults");
    // The rule file is read through the API before the switch: the CDN does not serve it.
    String v1 =
        p.deploy(
            "v1.0.0",
            Map.of("index.html", "<h1>one</h1>", "a.js", "a1", "b.js", "b", "_redirects", RULES));
    String v2 =
        p.deploy(
            "v2.0.0",
            Map.of("index.html", "<h1>two</h1>", "a.js", "a2", "b.js", "b", "_redirects", RULES));
    platform.call("POST", "/deploys/" + v2 + "/lock", null);
    return new Scenario(p, v1, v2);
  }

  @Test
  void theMatrixCoversEveryOperationOfACleanRollback() {
    Scenario s = scenario();
    platform.platform().faults().resetCalls();
    Cli.Result r = s.project().cli.run("rollback", "--yes", "--reason", "clean");
    assertThat(r.exitCode()).as(r.err()).isZero();
    Set<String> called = new TreeSet<>(platform.platform().faults().allCalls().keySet());
    assertThat(called).containsExactlyInAnyOrderElementsOf(FLOW_OPERATIONS);
  }

  static Stream<Arguments> faultCases() {
    List<Arguments> all = new ArrayList<>();
    for (String op : FLOW_OPERATIONS) {
      all.add(
          Arguments.of(op, "500 once", (Supplier<Fault>) () -> Fault.on(op).status(500).times(1)));
      all.add(
          Arguments.of(
              op,
              "dropped connection",
              (Supplier<Fault>) () -> Fault.on(op).dropConnection().times(1)));
      all.add(
          Arguments.of(
              op,
              "timeout",
              (Supplier<Fault>) () -> Fault.on(op).delay(Duration.ofMillis(1500)).times(1)));
      all.add(
          Arguments.of(
              op, "500 on every retry", (Supplier<Fault>) () -> Fault.on(op).status(500).times(3)));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("faultCases")
  void aFaultAtAnyCallEndsVerifiedOrBackOnThePreRollbackDeploy(
      String op, String kind, Supplier<Fault> fault) throws Exception {
    Scenario s = scenario();
    PlatformProject p = s.project();
    platform.platform().faults().inject(fault.get());
    Cli.Result r =
        p.cli
            .env("DEVOPS_TIMEOUT_SECONDS", "1")
            .run("rollback", "--yes", "--reason", "fault " + op);
    platform.platform().faults().clear();
    System.out.println(op + " / " + kind + " -> exit " + r.exitCode());
    assertEndState(s, r);
  }

  @Test
  void rateLimitingWithResetIsWaitedOut() throws Exception {
    Scenario s = scenario();
    platform.platform().faults().rateLimit(5, Duration.ofSeconds(1));
    try {
      Cli.Result r = s.project().cli.run("rollback", "--yes", "--reason", "rate limited");
      platform.platform().faults().clear();
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertEndState(s, r);
    } finally {
      platform.platform().faults().clear();
    }
  }

  @Test
  void aLostLockAfterTheSwitchIsRecoveredToThePreRollbackDeployAndItsLock() throws Exception {
    Scenario s = scenario();
    platform.platform().faults().inject(Fault.on("lockDeploy").status(500).times(3));
    Cli.Result r = s.project().cli.run("rollback", "--yes", "--reason", "lock fails");
    platform.platform().faults().clear();
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.RECOVERED.code());
    assertThat(r.screen())
        .contains("❌ Rollback failed!")
        .contains("Failed step: lock")
        .contains("✓ Recovered");
    assertEndState(s, r);
    assertThat(entry(s).get("outcome").asText()).isEqualTo("recovered");
    assertThat(entry(s).at("/recoveries/0/method").asText()).isEqualTo("republished");
  }

  @Test
  void aPublishThatNeverHappensIsRecovered() throws Exception {
    Scenario s = scenario();
    // The restore is accepted but the site keeps answering with the old deploy: the wait times out.
    platform.platform().faults().inject(Fault.on("restoreSiteDeploy").status(502).times(3));
    Cli.Result r = s.project().cli.run("rollback", "--yes", "--reason", "restore fails");
    platform.platform().faults().clear();
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.RECOVERED.code());
    assertThat(r.screen())
        .contains("Failed step: restore")
        .contains("Current state: still on v2.0.0");
    assertEndState(s, r);
    assertThat(entry(s).at("/recoveries/0/method").asText()).isEqualTo("lock_restored");
  }

  @Test
  void whenRecoveryFailsTooTheHistorySaysWhereTheSiteIsAndEmergencyRecoverFinishesTheJob()
      throws Exception {
    Scenario s = scenario();
    platform
        .platform()
        .faults()
        .inject(Fault.on("lockDeploy").status(500).times(Integer.MAX_VALUE));
    platform
        .platform()
        .faults()
        .inject(Fault.on("restoreSiteDeploy").status(500).afterCalls(1).times(Integer.MAX_VALUE));
    Cli.Result r = s.project().cli.run("rollback", "--yes", "--reason", "everything fails");
    platform.platform().faults().clear();
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.RECOVERY_FAILED.code());
    assertThat(r.screen())
        .contains("❌ Rollback failed!")
        .contains("❌ Recovery failed")
        .contains("Manual intervention required");
    JsonNode failed = entry(s);
    assertThat(failed.get("outcome").asText()).isEqualTo("recovery_failed");
    String where = failed.at("/site_state/published_deploy_id").asText();
    assertThat(where)
        .isEqualTo(
            platform
                .call("GET", "/sites/" + s.project().siteId, null)
                .at("/published_deploy/id")
                .asText());

    Cli.Result recover =
        s.project().cli.run("emergency-recover", "--rollback-id", failed.get("id").asText());
    assertThat(recover.exitCode()).as(recover.err()).isZero();
    JsonNode site = platform.call("GET", "/sites/" + s.project().siteId, null);
    assertThat(site.at("/published_deploy/id").asText()).isEqualTo(s.v2());
    assertThat(site.at("/published_deploy/locked").asBoolean()).isTrue();
    assertThat(entry(s).get("outcome").asText()).isEqualTo("recovered");
  }

  private JsonNode entry(Scenario s) throws Exception {
    Path file = s.project().dir.resolve(".devops/rollback-history.json");
    if (!Files.exists(file)) {
      return null;
    }
    JsonNode all = Json.mapper().readTree(Files.readString(file));
    return all.size() == 0 ? null : all.get(all.size() - 1);
  }

  /** Verified on v1, or on v2 with its lock as before; the history entry says which. */
  private void assertEndState(Scenario s, Cli.Result r) throws Exception {
    PlatformProject p = s.project();
    JsonNode site = platform.call("GET", "/sites/" + p.siteId, null);
    String published = site.at("/published_deploy/id").asText();
    String servedIndex = platform.get(platform.platform().siteUrl(p.siteName) + "/");
    JsonNode entry = entry(s);
    assertThat(r.all()).doesNotContain("\tat ");
    if (r.exitCode() == 0) {
      assertThat(published).isEqualTo(s.v1());
      assertThat(servedIndex).isEqualTo("<h1>one</h1>");
      assertThat(site.at("/published_deploy/locked").asBoolean()).isTrue();
      assertThat(entry.get("outcome").asText()).isEqualTo("verified");
      assertThat(entry.at("/site_state/published_deploy_id").asText()).isEqualTo(s.v1());
    } else {
      assertThat(r.exitCode()).as(r.err()).isIn(7, 11);
      assertThat(published).as(r.err()).isEqualTo(s.v2());
      assertThat(servedIndex).isEqualTo("<h1>two</h1>");
      assertThat(site.at("/published_deploy/locked").asBoolean())
          .as("lock state as before")
          .isTrue();
      if (r.exitCode() == 11) {
        assertThat(entry.get("outcome").asText()).isEqualTo("recovered");
        assertThat(entry.at("/site_state/published_deploy_id").asText()).isEqualTo(s.v2());
      } else {
        assertThat(entry == null || entry.get("outcome").asText().equals("recovered"))
            .as(r.err())
            .isTrue();
      }
    }
  }
}
