package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.Fault;
import dev.devops.testing.DevopsProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real process: stopping {@code devops deploy} mid-upload cancels the deploy on the platform. */
class DeployInterruptIT extends PlatformTest {
  @Test
  void terminatingTheProcessCancelsTheDeploy() throws Exception {
    PlatformProject p = project("interrupt");
    String live = p.deploy("live v1");
    p.siteDir("out", Map.of("a.html", "a", "b.html", "b"));
    faults().resetCalls();
    faults()
        .inject(
            Fault.on("uploadDeployFile").delay(Duration.ofSeconds(30)).times(Integer.MAX_VALUE));

    Process process = startDevops(dir, "deploy", "--dir", "out", "--prod");
    awaitUploads();
    process.destroy(); // SIGTERM: the JVM runs its shutdown hooks
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    faults().clear();

    String output = DevopsProcess.outputText(dir);
    assertThat(output)
        .contains("🛑 Interrupted: deploy")
        .contains("canceled.")
        .doesNotContain(platform.token());
    assertThat(faults().calls("cancelSiteDeploy")).isEqualTo(1);
    JsonNode deploys = platform.call("GET", "/sites/" + p.siteId + "/deploys", null);
    assertThat(deploys.get(0).get("state").asText()).isEqualTo("error");
    JsonNode site = platform.call("GET", "/sites/" + p.siteId, null);
    assertThat(site.get("published_deploy").get("id").asText()).isEqualTo(live);
  }

  private static void awaitUploads() throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (faults().calls("uploadDeployFile") == 0) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the deploy never started uploading");
      }
      Thread.sleep(20);
    }
  }
}
