package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher's class-data archive is trained on an incident's commands: the training must still
 * run them, as people and scripts do, and every one must succeed, or the archive misses what those
 * commands load.
 */
final class StartupTrainingIT {
  private static final Path JAR = Path.of(System.getProperty("devops.jar", "target/devops.jar"));

  @Test
  void runsEveryCommandOfAnIncidentSuccessfully() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(java.toString(), "-cp", JAR.toString(), StartupTraining.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<String> ran = out.lines().toList();

    assertThat(ran)
        .contains(
            "0 --version",
            "0 deployments list --json",
            "0 deployments list",
            "0 status --json",
            "0 status",
            "0 rollback --dry-run --json",
            "0 rollback --dry-run",
            "0 rollback --yes --reason training");
    assertThat(ran)
        .anyMatch(line -> line.matches("0 rollback \\S+ --yes --reason training --json"));
    assertThat(ran).anyMatch(line -> line.matches("0 verify-deployment --id \\S+ --json"));
    assertThat(ran).allMatch(line -> line.startsWith("0 "));
  }
}
