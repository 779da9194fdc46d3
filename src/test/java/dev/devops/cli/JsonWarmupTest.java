package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devops.testing.Cli;
import dev.devops.util.Json;
import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The warm-up builds every reader of the mapper an incident's command uses, so that the command
 * builds none itself on its own thread; deployments list and status use none (they read through
 * jackson-jr). What a command built is read from the shared mapper's cache of root readers: Jackson
 * has no public view of it, hence the reflection (test only).
 */
class JsonWarmupTest extends PlatformTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "deployments list --json",
        "deployments list",
        "status --json",
        "rollback --dry-run --json",
        "rollback --dry-run",
        "rollback --yes --reason warm-up --json"
      })
  void theCommandReadsNothingTheWarmUpDidNotPrepare(String line) throws Exception {
    PlatformProject p = project("warm-" + Math.abs(line.hashCode()));
    p.deploy("Release v1.0.0");
    p.deploy("Release v1.0.1");
    String[] args = line.split(" ");
    Map<JavaType, ?> readers = rootReaders();
    readers.clear();

    assertThat(JsonWarmup.run(JsonWarmup.tasks(args))).isEmpty();
    Set<JavaType> prepared = new HashSet<>(readers.keySet());
    Cli.Result r = p.cli.run(args);

    assertThat(r.exitCode()).as(r.err()).isZero();
    Set<String> builtByTheCommand =
        readers.keySet().stream()
            .filter(type -> !prepared.contains(type))
            .map(JavaType::toString)
            .collect(Collectors.toSet());
    assertThat(builtByTheCommand).as("readers '" + line + "' built itself").isEmpty();
  }

  @Test
  void deploymentsListAndStatusBuildNoReaderOfTheMapper() throws Exception {
    PlatformProject p = project("warm-none");
    p.deploy("Release v1.0.0");
    p.deploy("Release v1.0.1");
    for (String line : List.of("deployments list --json", "deployments list", "status --json")) {
      String[] args = line.split(" ");
      assertThat(JsonWarmup.tasks(args)).as(line).isEmpty();
      Map<JavaType, ?> readers = rootReaders();
      readers.clear();
      assertThat(p.cli.run(args).exitCode()).as(line).isZero();
      assertThat(readers).as("readers '" + line + "' built").isEmpty();
    }
  }

  @Test
  void otherCommandsHelpAndArgumentFilesStartAsBefore() {
    for (String line :
        List.of(
            "deploy --dir site",
            "deployments list --help",
            "status -h",
            "rollback @args.txt",
            "rollback history --json",
            "--version",
            "")) {
      String[] args = line.isEmpty() ? new String[0] : line.split(" ");
      assertThat(JsonWarmup.tasks(args)).as(line).isEmpty();
    }
    assertThat(JsonWarmup.tasks(new String[] {"rollback", "v1.0.1", "--yes"})).isNotEmpty();
    assertThat(JsonWarmup.command(new String[] {"rollback", "v1.0.1"})).isEqualTo("rollback");
    assertThat(JsonWarmup.command(new String[] {"deployments", "list", "--json"}))
        .isEqualTo("deployments list");
  }

  @Test
  void theWordsThatNameRollbackStepsAreItsSubcommands() {
    CommandLine rollback = RootCommand.commandLine().getSubcommands().get("rollback");
    assertThat(rollback.getSubcommands().keySet())
        .containsExactlyInAnyOrderElementsOf(JsonWarmup.ROLLBACK_STEPS);
  }

  @SuppressWarnings("unchecked")
  private static Map<JavaType, ?> rootReaders() throws ReflectiveOperationException {
    Field field = ObjectMapper.class.getDeclaredField("_rootDeserializers");
    field.setAccessible(true);
    return (Map<JavaType, ?>) field.get(Json.mapper());
  }
}
