package dev.devops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * This machine's name, as the team's shared record shows it, comes from the environment, the kernel
 * or the {@code hostname} command: never from a name server, which can take seconds.
 */
class LocalHostTest {
  @TempDir Path dir;

  @Test
  void hostnameInTheEnvironmentWins() throws Exception {
    Path kernel = Files.writeString(dir.resolve("hostname"), "kernel-name\n");
    assertThat(SharedRecord.localHost("  laptop-1 ", kernel)).isEqualTo("laptop-1");
  }

  @Test
  void withoutItTheKernelsNameIsUsed() throws Exception {
    Path kernel = Files.writeString(dir.resolve("hostname"), "build-42\n");
    assertThat(SharedRecord.localHost(null, kernel)).isEqualTo("build-42");
    assertThat(SharedRecord.localHost(" ", kernel)).isEqualTo("build-42");
  }

  @Test
  void withoutTheKernelsFileTheCommandAnswers() {
    String name = SharedRecord.localHost(null, dir.resolve("no-such-file"));
    assertThat(name).isNotBlank().doesNotContain("\n");
  }
}
