package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.Fault;
import dev.devops.testing.Cli;
import dev.devops.testing.DevopsProcess;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real process stopped in the middle of a rollback. SIGKILL: its site lock dies with it, its
 * history entry still says the rollback is in progress, and emergency-recover puts the site back.
 * SIGTERM: the entry records where the site was left.
 */
class RollbackKillIT extends RollbackTestBase {
  @Test
  void aRollbackKilledMidwayBlocksNobodyAndIsRecovered() throws Exception {
    PlatformProject p = newProject("kill");
    String v1 = p.deploy("v1.0.0", Map.of("index.html", "one"));
    String v2 = p.deploy("v2.0.0", Map.of("index.html", "two"));
    faults().resetCalls();
    faults().inject(Fault.on("restoreSiteDeploy").delay(Duration.ofSeconds(2)).times(1));

    Process process = startDevops(p.dir, "rollback", "--yes", "--reason", "stopped");
    DevopsProcess.await(
        () -> faults().calls("restoreSiteDeploy") > 0,
        "the rollback never reached restoreSiteDeploy",
        p.dir);
    process.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    // The platform still carries out the restore it had accepted.
    DevopsProcess.await(
        () -> publishedId(p).equals(v1), "the accepted restore never happened", p.dir);
    faults().clear();

    JsonNode entry = rollbackHistory(p).get(0);
    assertThat(entry.get("outcome").asText()).isEqualTo("in_progress");
    assertThat(Files.readString(p.dir.resolve("output.txt"))).doesNotContain(platform.token());

    Cli.Result dry = p.cli.env("DEVOPS_LOCK_WAIT_SECONDS", "0.5").run("rollback", "--dry-run");
    assertThat(dry.err())
        .contains("never finished")
        .contains("emergency-recover --rollback-id " + entry.get("id").asText());
    Cli.Result recover =
        p.cli
            .env("DEVOPS_LOCK_WAIT_SECONDS", "0.5")
            .run("emergency-recover", "--rollback-id", entry.get("id").asText());
    assertThat(recover.exitCode()).as(recover.err()).isZero();
    assertThat(publishedId(p)).isEqualTo(v2);
    assertThat(served(p, "/")).isEqualTo("two");
    assertThat(rollbackHistory(p).get(0).get("outcome").asText()).isEqualTo("recovered");
  }

  @Test
  void aStoppedRollbackRecordsWhereItLeftTheSite() throws Exception {
    PlatformProject p = newProject("sigterm");
    String v1 = p.deploy("v1.0.0", Map.of("index.html", "one"));
    p.deploy("v2.0.0", Map.of("index.html", "two"));
    faults().resetCalls();
    faults().inject(Fault.on("restoreSiteDeploy").delay(Duration.ofSeconds(2)).times(1));
    Process process = startDevops(p.dir, "rollback", "--yes", "--reason", "stopped");
    DevopsProcess.await(
        () -> faults().calls("restoreSiteDeploy") > 0,
        "the rollback never reached restoreSiteDeploy",
        p.dir);
    process.destroy(); // SIGTERM: shutdown hooks run
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    faults().clear();
    String output = Files.readString(p.dir.resolve("output.txt"));
    assertThat(output)
        .contains("🛑 Interrupted: rollback")
        .contains("devops emergency-recover --rollback-id");
    JsonNode entry = rollbackHistory(p).get(0);
    assertThat(entry.get("outcome").asText()).isEqualTo("interrupted");
    // The restore was in flight when the signal came: the record waits for it to settle, so it
    // names the deploy the site really ended on, not the one it served a moment before.
    assertThat(entry.at("/site_state/published_deploy_id").asText()).isEqualTo(v1);
    assertThat(publishedId(p)).isEqualTo(v1);
  }
}
