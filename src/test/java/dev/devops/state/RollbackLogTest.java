package dev.devops.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollbackLogTest {
  @TempDir Path stateDir;

  @Test
  void picksTheLatestFinishedEntryAndAcceptsIdsOrDeployObjects() throws IOException {
    Files.writeString(
        stateDir.resolve("rollback-history.json"),
        "{\"rollbacks\":[{\"rollback_id\":\"rb2\",\"from\":\"a\",\"to\":\"b\",\"finished_at\":\"2024-01-02T00:00:00Z\"},"
            + "{\"id\":\"rb1\",\"from\":{\"id\":\"x\",\"version\":\"v2\"},\"to\":{\"id\":\"y\"},\"finished_at\":\"2024-01-01T00:00:00Z\"}]}");
    RollbackLog.Entry last = RollbackLog.last(stateDir).orElseThrow();
    assertThat(last.id()).isEqualTo("rb2");
    assertThat(last.from()).isEqualTo("a");

    Files.writeString(
        stateDir.resolve("rollback-history.json"),
        "[{\"id\":\"rb1\",\"from\":{\"id\":\"x\",\"version\":\"v2\"},\"to\":{\"id\":\"y\"},\"outcome\":\"verified\"}]");
    last = RollbackLog.last(stateDir).orElseThrow();
    assertThat(last.from()).isEqualTo("x");
    assertThat(last.fromVersion()).isEqualTo("v2");
    assertThat(last.to()).isEqualTo("y");
    assertThat(last.outcome()).isEqualTo("verified");
  }

  @Test
  void absentOrUnreadableMeansNone() throws IOException {
    assertThat(RollbackLog.last(stateDir)).isEmpty();
    Files.writeString(stateDir.resolve("rollback-history.json"), "{oops");
    assertThat(RollbackLog.last(stateDir)).isEmpty();
  }
}
