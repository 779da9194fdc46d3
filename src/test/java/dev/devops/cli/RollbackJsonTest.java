package dev.devops.cli;

import static dev.devops.cli.JsonDocs.assertDocumented;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.Fault;
import dev.devops.testing.Cli;
import dev.devops.util.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every --json output of the rollback commands has exactly the fields docs/json documents. */
class RollbackJsonTest extends RollbackTestBase {
  private record Site(PlatformProject p, String v1, String v2) {}

  private Site site() {
    PlatformProject p = newProject("json");
    return new Site(
        p,
        p.deploy("v1.0.0", Map.of("index.html", "<h1>one</h1>", "a.css", "a")),
        p.deploy("v1.1.0", Map.of("index.html", "<h1>two</h1>", "b.css", "b")));
  }

  static List<JsonNode> lines(Cli.Result r) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : r.out().lines().filter(l -> !l.isBlank()).toList()) {
      nodes.add(Json.mapper().readTree(line));
    }
    return nodes;
  }

  private static void assertEvents(List<JsonNode> events, String doc) {
    for (JsonNode e : events) {
      String type = e.get("event").asText();
      assertDocumented(e, type.equals("result") ? doc : "rollback.md", type);
    }
    assertThat(events.get(events.size() - 1).get("event").asText()).isEqualTo("result");
  }

  @Test
  void rollbackEventsAndResult() throws Exception {
    Site s = site();
    Cli.Result r = s.p().cli.run("rollback", "--yes", "--reason", "json", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<JsonNode> events = lines(r);
    assertEvents(events, "rollback.md");
    JsonNode result = events.get(events.size() - 1);
    assertThat(result.get("outcome").asText()).isEqualTo("verified");
    assertDocumented(result.get("from"), "deployments-list.md", "DEPLOY");
    assertDocumented(result.get("verification"), "verify-deployment.md", "VERIFICATION");
    assertDocumented(result.get("site_state"), "rollback-history.md", "SITE_STATE");
    JsonNode impact =
        events.stream()
            .filter(e -> e.get("event").asText().equals("impact"))
            .findFirst()
            .orElseThrow();
    assertDocumented(impact.get("impact"), "rollback-analyze.md", "IMPACT");
  }

  @Test
  void rollbackDryRunResult() throws Exception {
    Site s = site();
    Cli.Result r = s.p().cli.run("rollback", "--dry-run", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<JsonNode> events = lines(r);
    assertEvents(events, "rollback.md");
    assertThat(events.get(events.size() - 1).get("outcome").asText()).isEqualTo("dry_run");
  }

  @Test
  void rollbackFailureEventAndRecoveredResult() throws Exception {
    Site s = site();
    platform.platform().faults().inject(Fault.on("lockDeploy").status(500).times(3));
    Cli.Result r = s.p().cli.run("rollback", "--yes", "--reason", "json", "--json");
    platform.platform().faults().clear();
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.RECOVERED.code());
    List<JsonNode> events = lines(r);
    assertEvents(events, "rollback.md");
    assertThat(events.stream().anyMatch(e -> e.get("event").asText().equals("failure"))).isTrue();
    assertThat(events.get(events.size() - 1).get("outcome").asText()).isEqualTo("recovered");
  }

  @Test
  void rollbackRefusalIsTheStandardErrorObject() throws Exception {
    Site s = site();
    Cli.Result r = s.p().cli.run("rollback", s.v2(), "--yes", "--reason", "x", "--json");
    assertThat(r.exitCode()).isEqualTo(ExitCode.INVALID_TARGET.code());
    List<JsonNode> events = lines(r);
    JsonNode error = events.get(events.size() - 1).get("error");
    assertDocumented(events.get(0), "rollback.md", "step");
    assertThat(error.get("exit_code").asInt()).isEqualTo(ExitCode.INVALID_TARGET.code());
    assertThat(error.get("error").asText()).isEqualTo("invalid_target");
  }

  @Test
  void analyzeImpact() throws Exception {
    Site s = site();
    Cli.Result unlisted =
        s.p().cli.run("rollback", "analyze", "--from", s.v2(), "--to", s.v1(), "--json");
    assertThat(unlisted.exitCode()).as(unlisted.err()).isZero();
    JsonNode unknown = Json.mapper().readTree(unlisted.out()).get("comparison");
    assertThat(unknown.get("files").isNull()).as("Netlify does not list v1's files").isTrue();
    assertThat(unknown.get("files_listed").asBoolean()).isFalse();
    assertThat(unknown.at("/served/~1").asText()).isEqualTo("changed");
    assertDocumented(unknown.at("/rules/redirects"), "rollback-analyze.md", "RULE_COUNT");

    // A backup taken while v1 was live keeps its file list: the comparison is then complete.
    PlatformProject p = newProject("json-listed");
    String v1 = p.deploy("v1.0.0", Map.of("index.html", "<h1>one</h1>", "a.css", "a"));
    assertThat(p.cli.run("backup", "create", "--deployment", v1, "--reason", "v1 live").exitCode())
        .isZero();
    String v2 = p.deploy("v1.1.0", Map.of("index.html", "<h1>two</h1>", "b.css", "b"));
    Cli.Result r = p.cli.run("rollback", "analyze", "--from", v2, "--to", v1, "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode impact = Json.mapper().readTree(r.out());
    assertDocumented(impact, "rollback-analyze.md", "IMPACT");
    assertDocumented(impact.get("from"), "rollback-analyze.md", "SIDE");
    assertDocumented(impact.get("deploys").get(0), "rollback-analyze.md", "DEPLOY_CHANGE");
    assertDocumented(impact.get("comparison"), "rollback-analyze.md", "COMPARISON");
    assertDocumented(impact.at("/comparison/files"), "rollback-analyze.md", "CHANGES");
    assertThat(impact.at("/comparison/files/added/0").asText()).isEqualTo("/a.css");
    assertThat(impact.at("/comparison/files/removed/0").asText()).isEqualTo("/b.css");
  }

  @Test
  void executeResultAndHistoryEntries() throws Exception {
    Site s = site();
    Cli.Result r =
        s.p()
            .cli
            .run(
                "rollback", "execute", "--to", s.v1(), "--from", s.v2(), "--reason", "j", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    List<JsonNode> events = lines(r);
    assertEvents(events, "rollback-execute.md");
    JsonNode result = events.get(events.size() - 1);
    assertDocumented(result.get("from"), "deployments-list.md", "DEPLOY");
    assertDocumented(result.get("to"), "deployments-list.md", "DEPLOY");

    Cli.Result h = s.p().cli.run("rollback", "history", "--json");
    JsonNode entry = Json.mapper().readTree(h.out()).get("rollbacks").get(0);
    assertDocumented(entry, "rollback-history.md", "ENTRY", "SHARED");
    assertDocumented(entry.get("steps").get(0), "rollback-history.md", "STEP");
    assertDocumented(entry.get("site_state"), "rollback-history.md", "SITE_STATE");
    assertDocumented(
        entry.get("verification").get("checks").get(0), "verify-deployment.md", "CHECK");

    Cli.Result rec =
        s.p().cli.run("emergency-recover", "--rollback-id", entry.get("id").asText(), "--json");
    assertThat(rec.exitCode()).as(rec.err()).isZero();
    List<JsonNode> recEvents = lines(rec);
    assertEvents(recEvents, "emergency-recover.md");
    assertDocumented(
        recEvents.get(recEvents.size() - 1).get("recovery"), "rollback-history.md", "RECOVERY");
  }

  @Test
  void validateResult() throws Exception {
    Site s = site();
    Cli.Result ok = s.p().cli.run("deployments", "validate", "--id", "v1.0.0", "--json");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    JsonNode body = Json.mapper().readTree(ok.out());
    assertDocumented(body, "deployments-validate.md", null);
    assertDocumented(body.get("target"), "deployments-list.md", "DEPLOY");
    Cli.Result bad = s.p().cli.run("deployments", "validate", "--id", s.v2(), "--json");
    JsonNode refused = Json.mapper().readTree(bad.out());
    assertDocumented(refused.get("findings").get(0), "deployments-validate.md", "FINDING");
  }

  @Test
  void backupOutputs() throws Exception {
    Site s = site();
    Cli.Result create =
        s.p().cli.run("backup", "create", "--deployment", s.v2(), "--reason", "j", "--json");
    assertThat(create.exitCode()).as(create.err()).isZero();
    assertDocumented(Json.mapper().readTree(create.out()), "backup.md", "create: BACKUP");
    JsonNode list = Json.mapper().readTree(s.p().cli.run("backup", "list", "--json").out());
    assertDocumented(list.get("backups").get(0), "backup.md", "create: BACKUP");
    JsonNode verify = Json.mapper().readTree(s.p().cli.run("backup", "verify", "--json").out());
    assertThat(verify.get("ok").asBoolean()).isTrue();
    assertDocumented(verify, "backup.md", "verify");
    assertDocumented(verify.get("backups").get(0), "backup.md", "VERIFY");
  }

  @Test
  void verifyDeploymentResult() throws Exception {
    Site s = site();
    Cli.Result r = s.p().cli.run("verify-deployment", "--id", s.v2(), "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode v = Json.mapper().readTree(r.out());
    assertDocumented(v, "verify-deployment.md", "VERIFICATION");
    assertDocumented(v.get("checks").get(0), "verify-deployment.md", "CHECK");
  }
}
