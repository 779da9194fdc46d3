package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.Fault;
import dev.devops.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    Process guard = start(p, "guard", "--guard-window", "10m", "--guard-interval", "200ms");
    await(() -> output(p).contains("\"event\":\"probe\""), "the guard never probed");
    guard.destroyForcibly(); // SIGKILL
    assertThat(guard.waitFor(20, TimeUnit.SECONDS)).isTrue();

    assertThat(publishedId(p)).isEqualTo(v2);
    assertThat(locked(p)).isFalse();
    assertThat(rollbacks(p)).isEmpty();
    assertThat(p.dir.resolve(".devops/guards").toFile().list()).hasSize(1);
    assertThat(output(p)).doesNotContain(platform.token());

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
    Process guard = start(p, "guard", "--guard-interval", "200ms", "--failure-limit", "1");
    await(
        () -> platform.platform().faults().calls("restoreSiteDeploy") > 0,
        "the guard's rollback never reached restoreSiteDeploy");
    guard.destroyForcibly(); // SIGKILL mid-rollback
    assertThat(guard.waitFor(20, TimeUnit.SECONDS)).isTrue();
    // The platform still carries out the restore it had accepted; the lock never came.
    await(() -> publishedId(p).equals(v1), "the accepted restore never happened");
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

  private Process start(PlatformProject p, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(System.getProperty("devops.jar"));
    command.addAll(List.of(args));
    command.add("--json");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(p.dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(p.dir.resolve("output.txt").toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("NETLIFY_") || k.startsWith("DEVOPS_"));
    env.put("NETLIFY_AUTH_TOKEN", platform.token());
    env.put("NETLIFY_API_URL", platform.apiUrl());
    env.put("HOME", p.dir.toString());
    return builder.start();
  }

  private static String output(PlatformProject p) throws IOException {
    Path file = p.dir.resolve("output.txt");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void await(Condition condition, String failure) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new IOException(failure);
      }
      Thread.sleep(20);
    }
  }
}
