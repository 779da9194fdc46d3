package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The launcher's class-data archives are trained on an incident's commands, and on the list and
 * status alone: each training must still run them, as people and scripts do, and every one must
 * succeed, or the archive misses what those commands load.
 */
final class StartupTrainingIT {
  private static final Path JAR = Path.of(System.getProperty("devops.jar", "target/devops.jar"));

  @Test
  void runsEveryCommandOfAnIncidentSuccessfully() throws Exception {
    List<String> ran = train("-cp", JAR.toString(), StartupTraining.class.getName());

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

  @Test
  void theReadTrainingRunsListAndStatusAndLoadsNoClassOfADeployOrARollback() throws Exception {
    Path classes = Files.createTempFile("training", ".classes");
    try {
      List<String> ran =
          train(
              "-XX:DumpLoadedClassList=" + classes,
              "-cp",
              JAR.toString(),
              StartupTraining.class.getName(),
              "read");

      // The site's deploys come from a second JVM, whose lines reach this one's stdout.
      assertThat(ran).anyMatch(line -> line.startsWith("0 init --site training"));
      assertThat(ran).filteredOn(line -> line.startsWith("0 deploy ")).hasSize(3);
      assertThat(ran)
          .contains(
              "0 deployments list --json", "0 deployments list", "0 status --json", "0 status")
          .noneMatch(line -> line.contains("rollback") || line.equals("0 --version"))
          .allMatch(line -> line.startsWith("0 "));
      List<String> loaded = Files.readAllLines(classes, StandardCharsets.UTF_8);
      assertThat(loaded)
          .contains("dev/devops/cli/DeploymentsList", "dev/devops/cli/StatusCommand")
          .doesNotContain(
              "dev/devops/engine/DeployAction",
              "dev/devops/engine/RollbackExecutor",
              "com/fasterxml/jackson/databind/ObjectMapper");
    } finally {
      Files.deleteIfExists(classes);
    }
  }

  /** Runs a training with these JVM arguments; returns the lines it printed. */
  private static List<String> train(String... jvmArguments) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmArguments));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return out.lines().toList();
  }
}
