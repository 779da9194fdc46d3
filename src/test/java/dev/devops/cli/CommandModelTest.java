package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devops.testing.Cli;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A run models only the command it invokes, yet help and completion still see every command. */
class CommandModelTest {
  private static final List<String> ALL =
      RootCommand.SUBCOMMANDS.stream()
          .map(type -> type.getAnnotation(Command.class).name())
          .toList();

  private static List<String> modelled(String... args) {
    CommandLine root = new CommandLine(new RootCommand());
    RootCommand.register(root, args);
    return List.copyOf(root.getSubcommands().keySet());
  }

  @Test
  void anInvokedCommandIsTheOnlyOneModelled() {
    assertThat(modelled("deployments", "list", "--json")).containsExactly("deployments");
    assertThat(modelled("rollback", "analyze", "--from", "a", "--to", "b"))
        .containsExactly("rollback");
  }

  @Test
  void onlyABareVersionSkipsTheModel(@TempDir Path dir) {
    assertThat(RootCommand.asksOnlyForVersion(new String[] {"--version"})).isTrue();
    assertThat(RootCommand.asksOnlyForVersion(new String[] {"-V"})).isTrue();
    assertThat(RootCommand.asksOnlyForVersion(new String[] {"--version", "--version"})).isFalse();
    Cli.Result version = new Cli(dir).run("--version");
    assertThat(version.exitCode()).isEqualTo(ExitCode.OK.code());
    assertThat(version.out()).isEqualTo("devops " + VersionProvider.version() + "\n");
    Cli.Result twice = new Cli(dir).run("--version", "--version");
    assertThat(twice.exitCode()).isEqualTo(ExitCode.USAGE.code());
  }

  @Test
  void versionModelsNoCommand() {
    assertThat(modelled("--version")).isEmpty();
    assertThat(modelled("-V")).isEmpty();
  }

  @Test
  void helpCompletionAndUnknownWordsSeeEveryCommand() {
    assertThat(ALL).hasSize(12).contains("generate-completion", "deployments");
    assertThat(modelled()).containsExactlyElementsOf(ALL);
    assertThat(modelled("--help")).containsExactlyElementsOf(ALL);
    assertThat(modelled("generate-completion")).containsExactlyElementsOf(ALL);
    assertThat(modelled("deploymnts")).containsExactlyElementsOf(ALL);
    assertThat(modelled("@args.txt")).containsExactlyElementsOf(ALL);
    assertThat(RootCommand.commandLine().getSubcommands().keySet()).containsExactlyElementsOf(ALL);
  }

  @Test
  void helpListsEveryCommandAndCompletionCoversThem(@TempDir Path dir) {
    Cli.Result help = new Cli(dir).run("--help");
    assertThat(help.exitCode()).isZero();
    for (String name : ALL) {
      assertThat(help.all()).contains("  " + name + " ");
    }
    Cli.Result completion = new Cli(dir).run("generate-completion");
    assertThat(completion.exitCode()).isZero();
    assertThat(completion.out()).contains("deployments", "emergency-recover", "verify-deployment");
  }
}
