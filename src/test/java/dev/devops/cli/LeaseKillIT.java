package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.Fault;
import dev.devops.testing.Cli;
import dev.devops.testing.DevopsProcess;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real rollback process on machine A killed with SIGKILL while it holds the site's lease: no
 * shutdown hook releases it, so machine B is refused while the lease lasts, and proceeds once it
 * has expired.
 */
class LeaseKillIT extends RollbackTestBase {
  /**
   * The lease's lifetime for this test: short, so that the test does not wait the default two
   * minutes, and long enough that B's first attempt certainly meets it unexpired.
   */
  private static final String LEASE_SECONDS = "8";

  @Test
  void aLeaseLeftByAKilledRollbackExpiresAndTheNextRollbackProceeds() throws Exception {
    PlatformProject a = newProject("lease-kill");
    String v1 = a.deploy("v1.0.0", Map.of("index.html", "one"));
    String v2 = a.deploy("v2.0.0", Map.of("index.html", "two"));
    PlatformProject b =
        PlatformProject.sameSite(a, a.dir.resolveSibling(a.dir.getFileName() + "b"));
    b.cli.env("HOSTNAME", "machine-b");
    faults().resetCalls();
    faults().inject(Fault.on("restoreSiteDeploy").delay(Duration.ofSeconds(2)).times(1));

    Process process =
        DevopsProcess.start(
            a.dir,
            platform.apiUrl(),
            platform.token(),
            Map.of("HOSTNAME", "machine-a", "DEVOPS_LEASE_SECONDS", LEASE_SECONDS),
            "rollback",
            "--yes",
            "--reason",
            "killed");
    DevopsProcess.await(
        () -> faults().calls("restoreSiteDeploy") > 0, "A never reached restoreSiteDeploy", a.dir);
    process.destroyForcibly(); // SIGKILL: no shutdown hook, the lease stays in the metadata
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    DevopsProcess.await(
        () -> publishedId(a).equals(v1), "the accepted restore never happened", a.dir);
    faults().clear();
    JsonNode lease =
        platform.call("GET", "/sites/" + a.siteId + "/metadata", null).at("/devops/lease");
    assertThat(lease.at("/holder/host").asText()).isEqualTo("machine-a");
    assertThat(lease.at("/holder/pid").asLong()).isEqualTo(process.pid());

    // While it lasts, B is refused, and told who holds it.
    Cli.Result refused =
        b.cli
            .env("DEVOPS_LEASE_WAIT_SECONDS", "0")
            .run("rollback", "v2.0.0", "--yes", "--reason", "too early");
    PlatformProject.assertOneLineError(
        refused, ExitCode.CONFLICT.code(), "Another rollback of this site is running");
    assertThat(refused.err()).contains("on machine-a (pid " + process.pid());
    assertThat(publishedId(a)).isEqualTo(v1);

    // Once it expires, B proceeds (it waits for the expiry rather than failing).
    Cli.Result proceeds =
        b.cli
            .env("DEVOPS_LEASE_WAIT_SECONDS", "60")
            .run("rollback", "v2.0.0", "--yes", "--reason", "after the expiry");
    assertThat(proceeds.exitCode()).as(proceeds.err()).isZero();
    assertThat(publishedId(a)).isEqualTo(v2);
    assertThat(served(a, "/")).isEqualTo("two");
    JsonNode after = platform.call("GET", "/sites/" + a.siteId + "/metadata", null);
    assertThat(after.at("/devops/lease").isMissingNode()).as(after.toString()).isTrue();
  }
}
