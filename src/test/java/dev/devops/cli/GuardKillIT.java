package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.Fault;
import dev.devops.testing.Cli;
import dev.devops.testing.DevopsProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real guard process killed with SIGKILL (no shutdown hook, no cleanup). In the window: nothing
 * was changed, and the next guard says the deploy was never judged. During its rollback: the
 * rollback's history entry stays in progress, the next commands warn and name the recovery, and the
 * recovery then a new guard finish the job.
 */
class GuardKillIT extends GuardTestBase {
  @Test
  void aGuardKilledInItsWindowChangedNothingAndIsNamedByTheNextCommand() throws Exception {
    PlatformProject p = project("killwin");
    GuardTest.good(p);
    String v2 = p.deploy("v2.0.0", GuardTest.fine());
    Process guard = startGuard(p, "--guard-window", "10m", "--guard-interval", "200ms", "--json");
    DevopsProcess.await(
        () -> DevopsProcess.outputText(p.dir).contains("\"event\":\"probe\""),
        "the guard never probed",
        p.dir);
    guard.destroyForcibly(); // SIGKILL
    assertThat(guard.waitFor(20, TimeUnit.SECONDS)).isTrue();

    assertThat(publishedId(p)).isEqualTo(v2);
    assertThat(locked(p)).isFalse();
    assertThat(rollbacks(p)).isEmpty();
    assertThat(p.dir.resolve(".devops/guards").toFile().list()).hasSize(1);
    assertThat(DevopsProcess.outputText(p.dir)).doesNotContain(platform.token());

    Cli.Result next = p.cli.run("guard");
    assertExit(next, ExitCode.OK);
    assertThat(next.err())
        .contains("⚠️ The guard of v2.0.0 (" + v2 + ")")
        .contains("stopped before its verdict: its process ended. Nothing was changed")
        .contains("To watch the live deploy again: devops guard");
    assertThat(p.dir.resolve(".devops/guards").toFile().list()).isEmpty();
  }

  @Test
  void aGuardKilledDuringItsRollbackIsWarnedAboutAndRecovered() throws Exception {
    PlatformProject p = project("killrb");
    String v1 = GuardTest.good(p);
    healthChecks(p, "[\"/healthz\"]");
    String v2 = p.deploy("v2.0.0", GuardTest.healthz500());
    platform.platform().faults().resetCalls();
    platform
        .platform()
        .faults()
        .inject(Fault.on("restoreSiteDeploy").delay(Duration.ofSeconds(2)).times(1));
    Process guard = startGuard(p, "--guard-interval", "200ms", "--failure-limit", "1", "--json");
    DevopsProcess.await(
        () -> platform.platform().faults().calls("restoreSiteDeploy") > 0,
        "the guard's rollback never reached restoreSiteDeploy",
        p.dir);
    guard.destroyForcibly(); // SIGKILL mid-rollback
    assertThat(guard.waitFor(20, TimeUnit.SECONDS)).isTrue();
    // The platform still carries out the restore it had accepted; the lock never came.
    DevopsProcess.await(
        () -> publishedId(p).equals(v1), "the accepted restore never happened", p.dir);
    platform.platform().faults().clear();

    List<JsonNode> history = rollbacks(p);
    assertThat(history).hasSize(1);
    JsonNode entry = history.get(0);
    String id = entry.get("id").asText();
    assertThat(entry.get("outcome").asText()).isEqualTo("in_progress");
    assertThat(entry.get("trigger").asText()).isEqualTo("guard");
    assertThat(entry.get("reason").asText()).startsWith("guard: health /healthz failed 1 time");

    Cli.Result dry = p.cli.env("DEVOPS_LOCK_WAIT_SECONDS", "0.5").run("rollback", "--dry-run");
    assertThat(dry.err())
        .contains("never finished")
        .contains("emergency-recover --rollback-id " + id);

    Cli.Result recover = p.cli.run("emergency-recover", "--rollback-id", id);
    assertExit(recover, ExitCode.OK);
    assertThat(publishedId(p)).as("back where it was before the rollback").isEqualTo(v2);

    Cli.Result again = p.cli.run("guard");
    assertThat(again.err())
        .contains("⚠️ The guard of v2.0.0 (" + v2 + ")")
        .contains("found it unhealthy (guard: health /healthz failed 1 time")
        .contains("its process ended during the rollback")
        .contains("devops guard");
    assertExit(again, ExitCode.GUARD_ROLLED_BACK);
    assertThat(publishedId(p)).isEqualTo(v1);
    assertThat(locked(p)).isTrue();
    assertThat(served(p, "/")).isEqualTo(GuardTest.GOOD_INDEX);
    assertThat(rollbacks(p).get(1).get("outcome").asText()).isEqualTo("verified");
    assertThat(p.dir.resolve(".devops/guards").toFile().list()).isEmpty();
  }

  /** {@code devops guard ARGS} as its own process in {@code p}'s folder. */
  private Process startGuard(PlatformProject p, String... args) throws java.io.IOException {
    String[] all = new String[args.length + 1];
    all[0] = "guard";
    System.arraycopy(args, 0, all, 1, args.length);
    return DevopsProcess.start(p.dir, platform.apiUrl(), platform.token(), Map.of(), all);
  }
}
