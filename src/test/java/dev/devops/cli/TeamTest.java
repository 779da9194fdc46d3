package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.Fault;
import dev.devops.testing.Cli;
import dev.devops.util.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two project folders linked to one site: two machines of one team. What one does (a rollback, a
 * mark, a label) the other sees through the site's shared record; two rollbacks at once are
 * serialised by its lease; a metadata failure falls back to local state.
 */
class TeamTest extends RollbackTestBase {
  /** A site on v3 (v1, v2 and v3 published in turn), and two machines linked to it. */
  private record Team(PlatformProject a, PlatformProject b, String v1, String v2, String v3) {}

  private Team team() {
    PlatformProject a = newProject("team");
    String v1 = a.deploy("v1.0.0", Map.of("index.html", "one"));
    String v2 = a.deploy("v2.0.0", Map.of("index.html", "two"));
    String v3 = a.deploy("v3.0.0", Map.of("index.html", "three"));
    PlatformProject b =
        PlatformProject.sameSite(a, a.dir.resolveSibling(a.dir.getFileName() + "b"));
    a.cli.env("HOSTNAME", "machine-a");
    b.cli.env("HOSTNAME", "machine-b");
    return new Team(a, b, v1, v2, v3);
  }

  static JsonNode metadata(PlatformProject p) {
    return platform.call("GET", "/sites/" + p.siteId + "/metadata", null);
  }

  static JsonNode target(JsonNode list, String id) {
    for (JsonNode t : list.get("targets")) {
      if (t.get("id").asText().equals(id)) {
        return t;
      }
    }
    throw new AssertionError(id + " is not a target: " + list);
  }

  @Test
  void aRollbackOnOneMachineIsSeenOnTheOther() {
    Team t = team();
    Cli.Result rolled = t.a().cli.run("rollback", "--yes", "--reason", "checkout broken");
    assertThat(rolled.exitCode()).as(rolled.err()).isZero();
    assertThat(publishedId(t.a())).isEqualTo(t.v2());

    Cli.Result status = t.b().cli.run("status");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out())
        .contains("Last rollback: v3.0.0 (" + t.v3() + ") → v2.0.0 (" + t.v2() + ")")
        .contains("By: local@localhost on machine-a")
        .contains("Reason: checkout broken");
    JsonNode statusJson = PlatformProject.json(t.b().cli.run("status", "--json"));
    assertThat(statusJson.at("/last_rollback/host").asText()).isEqualTo("machine-a");
    assertThat(statusJson.at("/last_rollback/source").asText()).isEqualTo("shared");
    JsonDocs.assertDocumented(statusJson.get("last_rollback"), "status.md", "LAST_ROLLBACK");
    JsonDocs.assertDocumented(statusJson, "status.md", null);

    JsonNode list = PlatformProject.json(t.b().cli.run("deployments", "list", "--json"));
    JsonNode bad = target(list, t.v3());
    assertThat(bad.get("bad").asBoolean()).isTrue();
    assertThat(bad.at("/mark/who").asText()).isEqualTo("local@localhost");
    assertThat(bad.at("/mark/host").asText()).isEqualTo("machine-a");
    assertThat(bad.at("/mark/reason").asText()).isEqualTo("checkout broken");
    JsonDocs.assertDocumented(bad.get("mark"), "deployments-list.md", "MARK");
    assertThat(t.b().cli.run("deployments", "list").out())
        .contains("Marked bad: by local@localhost on machine-a");

    JsonNode history = PlatformProject.json(t.b().cli.run("rollback", "history", "--json"));
    assertThat(history.get("rollbacks")).hasSize(1);
    JsonNode entry = history.get("rollbacks").get(0);
    assertThat(entry.get("source").asText()).isEqualTo("shared");
    assertThat(entry.get("host").asText()).isEqualTo("machine-a");
    assertThat(entry.get("reason").asText()).isEqualTo("checkout broken");
    assertThat(entry.get("outcome").asText()).isEqualTo("verified");
    JsonDocs.assertDocumented(entry, "rollback-history.md", "ENTRY", "SHARED");
    assertThat(t.b().cli.run("rollback", "history").out())
        .contains("By: local@localhost on machine-a (from the site's shared record)");

    // A hotfix is published by hand; B's default target skips the deploy A marked bad.
    String v4 = t.a().deploy("v4.0.0", Map.of("index.html", "four"));
    publish(t.a(), v4);
    Cli.Result dry = t.b().cli.run("rollback", "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.all())
        .contains(
            "Skipped v3.0.0 ("
                + t.v3()
                + "): marked bad by local@localhost on machine-a (checkout broken)")
        .contains("Target: v2.0.0 (" + t.v2() + ")");
    assertThat(publishedId(t.b())).isEqualTo(v4);
  }

  @Test
  void twoRollbacksAtOnceOneProceedsTheOtherRefusesNamingTheHolder() throws Exception {
    Team t = team();
    Overlap o = whileARollsBack(t, "rollback", "--yes", "--reason", "second");
    Cli.Result second = o.b();
    Cli.Result done = o.a();

    PlatformProject.assertOneLineError(
        second, ExitCode.CONFLICT.code(), "Another rollback of this site is running");
    assertThat(second.err()).contains("local@localhost on machine-a").contains("rollback");
    // The wait was announced as it started, once, before the refusal.
    assertThat(second.err()).contains("Waiting up to 0.5 s for it to end.");
    assertThat(second.err().split("Waiting up to", -1)).hasSize(2);
    assertThat(done.exitCode()).as(done.err()).isZero();
    // The refused one changed nothing: one restore in all, and no rollback recorded on B.
    assertThat(faults().calls("restoreSiteDeploy")).isEqualTo(1);
    assertThat(rollbackHistory(t.b())).isNull();
    assertThat(publishedId(t.a())).isEqualTo(t.v2());
    // The lease is released at the end.
    assertThat(metadata(t.a()).at("/devops/lease").isMissingNode()).isTrue();
  }

  @Test
  void emergencyRecoverTakesTheLeaseTooAndNamesATeammatesRunningRollback() throws Exception {
    Team t = team();
    Cli.Result own = t.b().cli.run("rollback", "--yes", "--reason", "b's own");
    assertThat(own.exitCode()).as(own.err()).isZero();
    String rollbackId = rollbackHistory(t.b()).get(0).get("id").asText();
    publish(t.a(), t.v3());
    Overlap o = whileARollsBack(t, "emergency-recover", "--rollback-id", rollbackId, "--force");
    Cli.Result recover = o.b();
    Cli.Result done = o.a();

    PlatformProject.assertOneLineError(
        recover, ExitCode.CONFLICT.code(), "Another rollback of this site is running");
    assertThat(recover.err()).contains("on machine-a");
    assertThat(done.exitCode()).as(done.err()).isZero();
    assertThat(faults().calls("restoreSiteDeploy"))
        .as("the recovery restored nothing")
        .isEqualTo(1);
    assertThat(publishedId(t.a())).isEqualTo(t.v2());
  }

  @Test
  void whileALeaseIsHeldStatusNamesItsHolder() throws Exception {
    Team t = team();
    faults().resetCalls();
    faults().inject(Fault.on("restoreSiteDeploy").delay(Duration.ofSeconds(2)).times(1));
    CompletableFuture<Cli.Result> first =
        CompletableFuture.supplyAsync(() -> t.a().cli.run("rollback", "--yes", "--reason", "held"));
    awaitCall("restoreSiteDeploy");
    Cli.Result status = t.b().cli.run("status");
    JsonNode json = PlatformProject.json(t.b().cli.run("status", "--json"));
    first.join();
    faults().clear();
    assertThat(status.out()).contains("⏳ Rollback running: local@localhost on machine-a");
    assertThat(json.at("/lease/host").asText()).isEqualTo("machine-a");
    assertThat(json.at("/lease/command").asText()).isEqualTo("devops rollback");
    JsonDocs.assertDocumented(json.get("lease"), "status.md", "LEASE");
  }

  @Test
  void otherMetadataKeysSurviveEveryWrite() {
    Team t = team();
    JsonNode foreign =
        Json.mapper().createObjectNode().put("snippet_color", "teal").put("build_owner", "ops");
    ((com.fasterxml.jackson.databind.node.ObjectNode) foreign)
        .putObject("nested")
        .putArray("list")
        .add(1)
        .add("two");
    platform.call("PUT", "/sites/" + t.a().siteId + "/metadata", foreign);
    List<Cli.Result> runs = new ArrayList<>();
    runs.add(t.a().cli.run("rollback", "--yes", "--reason", "keys"));
    runs.add(t.b().cli.run("deployments", "mark", t.v1(), "--bad", "--reason", "old"));
    runs.add(t.b().cli.run("deployments", "mark", t.v1(), "--good"));
    t.a().siteDir("public", Map.of("index.html", "<p>labelled</p>"));
    runs.add(t.a().cli.run("deploy", "--dir", "public", "--prod", "--version", "v9.0.0"));
    for (Cli.Result r : runs) {
      assertThat(r.exitCode()).as(r.err()).isZero();
    }
    JsonNode after = metadata(t.a());
    assertThat(after.get("snippet_color").asText()).isEqualTo("teal");
    assertThat(after.get("build_owner").asText()).isEqualTo("ops");
    assertThat(after.get("nested")).isEqualTo(foreign.get("nested"));
    assertThat(after.at("/devops/rollbacks")).hasSize(1);
    assertThat(after.at("/devops/marks/" + t.v1() + "/bad").asBoolean()).isFalse();
    assertThat(after.at("/devops/labels").toString()).contains("v9.0.0");
    assertThat(faults().calls("updateSiteMetadata")).isPositive();
  }

  @ParameterizedTest(name = "{0} answering {1}")
  @CsvSource({
    "getSiteMetadata, 500",
    "getSiteMetadata, 403",
    "updateSiteMetadata, 500",
    "updateSiteMetadata, 403"
  })
  void metadataFailuresFallBackToLocalStateAndTheRollbackEndsVerified(String op, int status) {
    Team t = team();
    faults().inject(Fault.on(op).status(status).times(Integer.MAX_VALUE));
    Cli.Result r = t.a().cli.run("rollback", "--yes", "--reason", "metadata down");
    faults().clear();
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.err()).contains("shared record is unavailable").contains("without the team lease");
    assertThat(r.err().split("shared record is unavailable", -1)).hasSize(2); // warned once
    assertThat(r.all()).doesNotContain("Exception");
    JsonNode entry = rollbackHistory(t.a()).get(0);
    assertThat(entry.get("outcome").asText()).isEqualTo("verified");
    // The same with --json: one warning event among the lines, and a verified result.
    PlatformProject c = newProject("team-json");
    c.deploy("v1.0.0", Map.of("index.html", "one"));
    c.deploy("v2.0.0", Map.of("index.html", "two"));
    faults().inject(Fault.on(op).status(status).times(Integer.MAX_VALUE));
    Cli.Result json = c.cli.run("rollback", "--yes", "--reason", "metadata down", "--json");
    faults().clear();
    assertThat(json.exitCode()).as(json.err()).isZero();
    List<JsonNode> warnings = new ArrayList<>();
    JsonNode last = null;
    for (String line : json.out().lines().toList()) {
      last = PlatformProject.json(new Cli.Result(0, line, "", line));
      if (last.get("event").asText().equals("warning")) {
        warnings.add(last);
      }
    }
    assertThat(warnings).hasSize(1);
    JsonDocs.assertDocumented(warnings.get(0), "rollback.md", "warning");
    assertThat(warnings.get(0).get("message").asText()).contains("shared record is unavailable");
    assertThat(last.get("outcome").asText()).isEqualTo("verified");
    assertThat(entry.get("outcome").asText()).isEqualTo("verified");
    assertThat(publishedId(t.a())).isEqualTo(t.v2());
    // The local record still marks what was left.
    JsonNode list = PlatformProject.json(t.a().cli.run("deployments", "list", "--json"));
    assertThat(target(list, t.v3()).get("bad").asBoolean()).isTrue();
  }

  @Test
  void aListAsksForTheSharedRecordBesideTheSiteNotAfterIt() throws Exception {
    Team t = team();
    int before = faults().calls("getSiteMetadata");
    faults().inject(Fault.on("getSite").delay(Duration.ofSeconds(5)));
    CompletableFuture<Cli.Result> list =
        CompletableFuture.supplyAsync(() -> t.b().cli.run("deployments", "list", "--json"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
    while (faults().calls("getSiteMetadata") == before) {
      assertThat(System.nanoTime())
          .as("metadata asked for while the site answers")
          .isLessThan(deadline);
      Thread.sleep(20);
    }
    assertThat(list).isNotDone(); // the site's answer is still on its way
    Cli.Result r = list.get(60, TimeUnit.SECONDS);
    faults().clear();
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(PlatformProject.json(r).get("current").get("version").asText()).isEqualTo("v3.0.0");
  }

  @Test
  void aRunThatStopsBeforeReadingTheSharedRecordDoesNotWarnAboutIt() {
    Team t = team();
    faults().inject(Fault.on("getSite").status(404).times(Integer.MAX_VALUE));
    faults().inject(Fault.on("getSiteMetadata").status(403).times(Integer.MAX_VALUE));
    Cli.Result r = t.b().cli.run("deployments", "list");
    faults().clear();
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCode.NOT_FOUND.code());
    assertThat(r.err()).doesNotContain("shared record");
  }

  @Test
  void markGoodMakesADeployACandidateAgainOnEveryMachine() {
    Team t = team();
    Cli.Result rolled = t.a().cli.run("rollback", "--yes", "--reason", "looked broken");
    assertThat(rolled.exitCode()).as(rolled.err()).isZero();
    publish(t.a(), t.a().deploy("v4.0.0", Map.of("index.html", "four")));
    Cli.Result before = t.a().cli.run("rollback", "--dry-run");
    assertThat(before.all()).contains("Target: v2.0.0 (" + t.v2() + ")");

    Cli.Result good = t.b().cli.run("deployments", "mark", "v3.0.0", "--good", "--json");
    assertThat(good.exitCode()).as(good.err()).isZero();
    JsonNode json = PlatformProject.json(good);
    JsonDocs.assertDocumented(json, "deployments-mark.md", null);
    assertThat(json.get("id").asText()).isEqualTo(t.v3());
    assertThat(json.get("bad").asBoolean()).isFalse();
    assertThat(json.get("shared").asBoolean()).isTrue();

    // On A, whose own record still says bad, the newer shared clearing wins.
    Cli.Result after = t.a().cli.run("rollback", "--dry-run");
    assertThat(after.exitCode()).as(after.err()).isZero();
    assertThat(after.all()).contains("Target: v3.0.0 (" + t.v3() + ")").doesNotContain("Skipped");
  }

  @Test
  void whenEveryCandidateIsMarkedTheRefusalNamesThemAndHowToClear() {
    Team t = team();
    for (String v : List.of("v1.0.0", "v2.0.0")) {
      Cli.Result r = t.b().cli.run("deployments", "mark", v, "--bad", "--reason", "bad build");
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains("🚩 Marked " + v).contains("Shared with the team");
    }
    Cli.Result dry = t.a().cli.run("rollback", "--dry-run");
    assertThat(dry.exitCode()).isEqualTo(ExitCode.NO_TARGET.code());
    assertThat(dry.err())
        .contains("💡 Marked bad: v2.0.0 (" + t.v2() + "), v1.0.0 (" + t.v1() + ")")
        .contains("devops deployments mark ID --good");
    Cli.Result json = t.a().cli.run("rollback", "--dry-run", "--json");
    assertThat(json.out()).contains("deployments mark ID --good").contains(t.v1());
  }

  @Test
  void aRollForwardMarksNothingBad() {
    Team t = team();
    publish(t.a(), t.v1());
    Cli.Result forward = t.a().cli.run("rollback", "v3.0.0", "--yes", "--reason", "forward");
    assertThat(forward.exitCode()).as(forward.err()).isZero();
    assertThat(publishedId(t.a())).isEqualTo(t.v3());
    for (PlatformProject p : List.of(t.a(), t.b())) {
      JsonNode list = PlatformProject.json(p.cli.run("deployments", "list", "--json"));
      assertThat(target(list, t.v1()).get("bad").asBoolean()).as(p.dir.toString()).isFalse();
      assertThat(target(list, t.v1()).get("mark").isNull()).isTrue();
    }
    assertThat(metadata(t.a()).at("/devops/rollbacks/0/direction").asText()).isEqualTo("forward");
    assertThat(metadata(t.a()).at("/devops/marks").toString()).doesNotContain("\"bad\":true");
  }

  @Test
  void aHostileSharedRecordIsIgnoredWithAWarning() {
    Team t = team();
    platform.call(
        "PUT",
        "/sites/" + t.a().siteId + "/metadata",
        Json.mapper().createObjectNode().put("devops", "x".repeat(70_000)).put("keep", 1));
    Cli.Result list = t.a().cli.run("deployments", "list");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(list.err()).contains("is malformed: ignored");
    Cli.Result rolled = t.a().cli.run("rollback", "--yes", "--reason", "hostile");
    assertThat(rolled.exitCode()).as(rolled.err()).isZero();
    JsonNode after = metadata(t.a());
    assertThat(after.get("keep").asInt()).isEqualTo(1);
    assertThat(after.at("/devops/rollbacks")).hasSize(1);

    ObjectNodeBuilder big = new ObjectNodeBuilder();
    platform.call("PUT", "/sites/" + t.a().siteId + "/metadata", big.oversized());
    Cli.Result status = t.b().cli.run("status");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.err()).contains("larger than 64 KB: ignored");
  }

  /** A {@code devops} value that is an object, but past the 64 KB bound. */
  private static final class ObjectNodeBuilder {
    JsonNode oversized() {
      var root = Json.mapper().createObjectNode();
      var marks = root.putObject("devops").put("schema", 1).putObject("marks");
      for (int i = 0; i < 2000; i++) {
        marks.putObject("d" + i).put("bad", true).put("reason", "r".repeat(40));
      }
      return root;
    }
  }

  /** Publishes a deploy by hand, as from Netlify's UI (a rollback left auto publishing locked). */
  private static void publish(PlatformProject p, String deployId) {
    platform.call("POST", "/sites/" + p.siteId + "/deploys/" + deployId + "/restore", null);
  }

  /** What B's command said while A's rollback held the lease, and how A's ended. */
  private record Overlap(Cli.Result b, Cli.Result a) {}

  /**
   * Runs {@code args} on B (waiting at most 0.5 s for a lease) while A's rollback holds the lease,
   * its restore held back 3 s by the platform.
   */
  private static Overlap whileARollsBack(Team t, String... args) throws Exception {
    faults().resetCalls();
    faults().inject(Fault.on("restoreSiteDeploy").delay(Duration.ofSeconds(3)).times(1));
    CompletableFuture<Cli.Result> running =
        CompletableFuture.supplyAsync(
            () -> t.a().cli.run("rollback", "--yes", "--reason", "a's, now"));
    awaitCall("restoreSiteDeploy");
    Cli.Result b = t.b().cli.env("DEVOPS_LEASE_WAIT_SECONDS", "0.5").run(args);
    Cli.Result a = running.get(60, TimeUnit.SECONDS);
    faults().clear();
    return new Overlap(b, a);
  }

  private static void awaitCall(String operation) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (faults().calls(operation) == 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(operation + " was never called");
      }
      Thread.sleep(20);
    }
  }
}
