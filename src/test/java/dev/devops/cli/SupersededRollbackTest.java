package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.Fault;
import dev.devops.testing.Cli;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A deploy that goes live while a rollback runs: the rollback re-reads the site around its lock,
 * locks nothing that does not serve, undoes nothing, and reports one truth (exit 10, outcome {@code
 * superseded}) in text, JSON and its record.
 */
class SupersededRollbackTest extends RollbackTestBase {
  @Test
  void aDeployPublishedWhileTheLockIsTakenIsNeitherPinnedNorUndone() throws Exception {
    PlatformProject p = newProject("overtaken");
    String v1 = p.deploy("v1.0.0", Map.of("index.html", "one"));
    p.deploy("v2.0.0", Map.of("index.html", "two"));
    Overtaken o = overtake(p, v1, "--json");
    Cli.Result r = o.result();
    String fix = o.fix();

    assertThat(r.exitCode()).as(r.all()).isEqualTo(ExitCode.CONFLICT.code());
    List<JsonNode> lines = PlatformProject.jsonLines(r);
    JsonNode result = lines.get(lines.size() - 1);
    assertThat(result.get("outcome").asText()).isEqualTo("superseded");
    assertThat(result.at("/site_state/published_deploy_id").asText()).isEqualTo(fix);
    assertThat(result.at("/site_state/locked").asBoolean()).isFalse();
    assertThat(publishedId(p)).isEqualTo(fix);
    assertThat(served(p, "/")).isEqualTo("fixed");
    assertThat(p.deployJson(v1).get("locked").asBoolean()).as("no lock left on v1").isFalse();
    JsonNode entry = rollbackHistory(p).get(rollbackHistory(p).size() - 1);
    assertThat(entry.get("outcome").asText()).isEqualTo("superseded");
    assertThat(entry.get("error").asText()).contains(fix);
    assertThat(entry.path("recoveries").size()).as("nothing undone").isZero();
  }

  @Test
  void theTextViewSaysTheSameInOneBlock() throws Exception {
    PlatformProject p = newProject("overtaken-text");
    String v1 = p.deploy("v1.0.0", Map.of("index.html", "one"));
    p.deploy("v2.0.0", Map.of("index.html", "two"));
    Overtaken o = overtake(p, v1);
    Cli.Result r = o.result();
    String fix = o.fix();

    assertThat(r.exitCode()).isEqualTo(ExitCode.CONFLICT.code());
    assertThat(r.out())
        .contains("⚠️ Rollback overtaken: the site moved on while it ran")
        .contains(fix + " was published while auto publishing was being locked")
        .contains("Site now: published deploy is " + fix + ", auto publishing on")
        .doesNotContain("Rollback complete")
        .doesNotContain("emergency-recover");
  }

  private record Overtaken(Cli.Result result, String fix) {}

  /**
   * Rolls back to {@code target} while its lock call is held for 1.5 s, and publishes v3.0.0 from
   * elsewhere meanwhile.
   */
  private Overtaken overtake(PlatformProject p, String target, String... more) throws Exception {
    faults().resetCalls();
    faults().inject(Fault.on("lockDeploy").delay(Duration.ofMillis(1500)).times(1));
    List<String> args = new java.util.ArrayList<>(List.of("rollback", target, "--yes"));
    args.addAll(List.of("--reason", "bad"));
    args.addAll(List.of(more));
    CompletableFuture<Cli.Result> running =
        CompletableFuture.supplyAsync(() -> p.cli.run(args.toArray(String[]::new)));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (faults().calls("lockDeploy") == 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(faults().calls("lockDeploy")).as("the rollback reached its lock").isPositive();
    String fix = p.deploy("v3.0.0", Map.of("index.html", "fixed"));
    Cli.Result r = running.get(60, TimeUnit.SECONDS);
    faults().clear();
    return new Overtaken(r, fix);
  }
}
