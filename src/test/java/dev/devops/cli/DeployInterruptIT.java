package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.local.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                System.getProperty("devops.jar"),
                "deploy",
                "--dir",
                "out",
                "--prod")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("output.txt").toFile());
    builder.environment().put("NETLIFY_AUTH_TOKEN", platform.token());
    builder.environment().put("NETLIFY_API_URL", platform.apiUrl());
    builder.environment().put("HOME", dir.toString());
    Process process = builder.start();
    awaitUploads();
    process.destroy(); // SIGTERM: the JVM runs its shutdown hooks
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    faults().clear();

    String output = Files.readString(dir.resolve("output.txt"));
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
