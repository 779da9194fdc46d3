package dev.devops.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devops.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentRecordsTest {
  @TempDir Path stateDir;

  @Test
  void recordsSurviveAReload() {
    DeploymentRecords records = DeploymentRecords.load(stateDir);
    records.recordDeploy(
        new DeployRecord("d1", "s1", "v1.0.0", "v1.0.0", null, true, "ready", Instant.EPOCH));
    records.markBad("d1", "broken checkout", "rb1");
    records.recordRollback("rb1", "d1", "d0", Instant.parse("2024-01-01T00:00:00Z"));

    DeploymentRecords again = DeploymentRecords.load(stateDir);
    assertThat(again.versionOf("d1")).contains("v1.0.0");
    assertThat(again.versionOf("d0")).isEmpty();
    assertThat(again.isBad("d1")).isTrue();
    assertThat(again.badMark("d1").orElseThrow().rollbackId()).isEqualTo("rb1");
    assertThat(again.lastRollback().orElseThrow().to()).isEqualTo("d0");
    again.clearBad("d1");
    assertThat(DeploymentRecords.load(stateDir).isBad("d1")).isFalse();
  }

  @Test
  void concurrentWritersLoseNothing() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> writes = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      int n = i;
      // Each writer holds its own, soon stale, copy: the update must re-read under the lock.
      DeploymentRecords own = DeploymentRecords.load(stateDir);
      writes.add(
          pool.submit(
              () ->
                  own.recordDeploy(
                      new DeployRecord(
                          "d" + n, "s", null, null, null, false, "ready", Instant.EPOCH))));
    }
    for (Future<?> w : writes) {
      w.get();
    }
    pool.shutdown();
    assertThat(DeploymentRecords.load(stateDir).deploys()).hasSize(64);
    try (var files = Files.list(stateDir)) {
      assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.contains(".tmp-")))
          .isEmpty();
    }
  }

  @Test
  void aDamagedFileIsReportedAndNeverOverwritten() throws IOException {
    Files.writeString(stateDir.resolve("deployments.json"), "{\"deploys\": [");
    assertThatThrownBy(() -> DeploymentRecords.load(stateDir))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(".devops/deployments.json:1:");
    assertThat(Files.readString(stateDir.resolve("deployments.json"))).isEqualTo("{\"deploys\": [");
  }
}
