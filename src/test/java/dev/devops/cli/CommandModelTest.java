package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devops.testing.Cli;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A run models only the command it invokes, yet help and completion still see every command. */
class CommandModelTest {
  private static final List<String> ALL =
      RootCommand.SUBCOMMANDS.stream().map(CommandGroup.Sub::name).toList();

  private static List<String> modelled(String... args) {
    CommandLine root = RootCommand.root(CommandLine.defaultFactory());
    RootCommand.register(root, args);
    return List.copyOf(root.getSubcommands().keySet());
  }

  /** Every command line of the whole tree, the root first. */
  private static List<CommandLine> wholeTree() {
    List<CommandLine> all = new java.util.ArrayList<>(List.of(RootCommand.commandLine()));
    for (int i = 0; i < all.size(); i++) {
      all.addAll(all.get(i).getSubcommands().values());
    }
    return all;
  }

  @Test
  void jsonAndDebugAreOptionsOfTheCommandsThatTakeThemAndEachCommandHasItsModel() {
    int json = 0;
    for (CommandLine command : wholeTree()) {
      CommandLine.Model.CommandSpec spec = command.getCommandSpec();
      Object user = spec.userObject();
      if (!user.getClass().getName().startsWith("dev.devops.")) {
        continue;
      }
      String name = spec.qualifiedName();
      assertThat(spec.findOption("--json") != null).as(name).isEqualTo(user instanceof JsonOutput);
      assertThat(spec.findOption("--debug") != null)
          .as(name)
          .isEqualTo(user instanceof BaseCommand);
      if (user instanceof BaseCommand base) {
        assertThat(base.spec).as(name).isSameAs(spec);
      }
      json += user instanceof JsonOutput ? 1 : 0;
    }
    assertThat(json).isGreaterThan(15);
  }

  @Test
  void noCommandOfOursIsModelledWithAMixin() {
    // A mixin is a model of its own; shared options (GuardOptions) are added from code instead.
    for (CommandLine command : wholeTree()) {
      if (!command.getCommand().getClass().getName().startsWith("dev.devops.")) {
        continue; // picocli's completion command keeps its own
      }
      assertThat(command.getCommandSpec().mixins())
          .as(command.getCommandSpec().qualifiedName())
          .isEmpty();
    }
  }

  /** The command {@code args} reach, parsed on the whole tree. */
  private static <T> T parsed(Class<T> type, String... args) {
    CommandLine root = RootCommand.commandLine();
    List<CommandLine> path = root.parseArgs(args).asCommandLineList();
    return type.cast(path.get(path.size() - 1).getCommand());
  }

  @Test
  void optionsFromCodeReachTheirFieldsWithTheirDefaults() {
    LocalServe serve = parsed(LocalServe.class, "local", "serve");
    assertThat(serve.port).isEqualTo(LocalServe.DEFAULT_PORT);
    assertThat(serve.headerTimeoutSeconds).isEqualTo(10);
    assertThat(serve.publishedAtOnRestore).isEqualTo("restamp");
    assertThat(serve.dataDir).isNull();
    serve =
        parsed(
            LocalServe.class, "local", "serve", "--port", "0", "--data-dir", "d", "--latency", "7");
    assertThat(serve.port).isZero();
    assertThat(serve.dataDir).isEqualTo(Path.of("d"));
    assertThat(serve.latencyMs).isEqualTo(7);

    assertThat(parsed(DeploymentsList.class, "deployments", "list").limit).isEqualTo(5);
    DeploymentsList list =
        parsed(DeploymentsList.class, "deployments", "list", "--limit", "9", "--all");
    assertThat(list.limit).isEqualTo(9);
    assertThat(list.all).isTrue();

    DeployCommand deploy = parsed(DeployCommand.class, "deploy", "--dir", "out", "--version", "v2");
    assertThat(deploy.timeoutSeconds).isEqualTo(1200);
    assertThat(deploy.version).isEqualTo("v2");
    assertThat(deploy.guardOptions.window).isEqualTo(java.time.Duration.ofMinutes(2));
    assertThat(deploy.guardOptions.failureLimit).isEqualTo(3);
    deploy =
        parsed(DeployCommand.class, "deploy", "--dir", "out", "--guard-window", "30s", "-m", "x");
    assertThat(deploy.guardOptions.window).isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(deploy.message).isEqualTo("x");

    assertThat(parsed(BackupCreate.class, "backup", "create", "--resume").resume).isEmpty();
    assertThat(parsed(BackupCreate.class, "backup", "create").resume).isNull();

    RollbackCommand rollback = parsed(RollbackCommand.class, "rollback", "v1", "--dry-run");
    assertThat(rollback.target).isEqualTo("v1");
    assertThat(rollback.dryRun).isTrue();
    assertThat(rollback.yes).isFalse();

    DeploymentsMark mark = parsed(DeploymentsMark.class, "deployments", "mark", "d1", "--bad");
    assertThat(mark.id).isEqualTo("d1");
    assertThat(mark.bad).isTrue();
    assertThat(parsed(DeploymentsMark.class, "deployments", "mark", "d1", "--good").bad).isFalse();
  }

  @Test
  void requiredPositionalsAndExclusiveGroupsAreRefused(@TempDir Path dir) {
    for (String[] args :
        List.of(
            new String[] {"deployments", "mark", "--bad"},
            new String[] {"deployments", "mark", "d1"},
            new String[] {"deployments", "mark", "d1", "--bad", "--good"},
            new String[] {"local", "sites", "create"},
            new String[] {"deploy"})) {
      Cli.Result run = new Cli(dir).run(args);
      assertThat(run.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCode.USAGE.code());
      assertThat(run.err()).as(String.join(" ", args)).startsWith("❌ ");
    }
  }

  @Test
  void everyCommandOfOursHasHelpAndVersionWithoutPicocliBuildingAMixin() {
    int ours = 0;
    for (CommandLine command : wholeTree()) {
      CommandLine.Model.CommandSpec spec = command.getCommandSpec();
      if (!spec.userObject().getClass().getName().startsWith("dev.devops.")) {
        continue; // picocli's completion command keeps its own
      }
      ours++;
      String name = spec.qualifiedName();
      assertThat(spec.mixins()).as(name).doesNotContainKey("mixinStandardHelpOptions");
      assertThat(spec.findOption("-h").usageHelp()).as(name).isTrue();
      assertThat(spec.findOption("--help")).as(name).isSameAs(spec.findOption("-h"));
      if (name.equals("devops deploy")) {
        assertThat(spec.findOption("--version").versionHelp()).as("its own --version").isFalse();
        assertThat(spec.findOption("-V")).isNull();
      } else {
        assertThat(spec.findOption("-V").versionHelp()).as(name).isTrue();
        assertThat(spec.findOption("--version")).as(name).isSameAs(spec.findOption("-V"));
      }
    }
    assertThat(ours).isGreaterThan(20);
  }

  @Test
  void anInvokedCommandIsTheOnlyOneModelled() {
    assertThat(modelled("deployments", "list", "--json")).containsExactly("deployments");
    assertThat(modelled("rollback", "analyze", "--from", "a", "--to", "b"))
        .containsExactly("rollback");
  }

  /** The subcommands modelled under the top-level command {@code group} for {@code args}. */
  private static List<String> modelledUnder(String group, String... args) {
    CommandLine root = RootCommand.root(CommandLine.defaultFactory());
    RootCommand.register(root, args);
    return List.copyOf(root.getSubcommands().get(group).getSubcommands().keySet());
  }

  @Test
  void belowAGroupOnlyTheNamedSubcommandsAreModelled() {
    assertThat(modelledUnder("deployments", "deployments", "list", "--json"))
        .containsExactly("list");
    assertThat(modelledUnder("rollback", "rollback", "--dry-run")).isEmpty();
    assertThat(modelledUnder("rollback", "rollback", "v1.2.1", "--yes", "--reason", "r")).isEmpty();
    assertThat(modelledUnder("rollback", "rollback", "--reason", "history", "--yes"))
        .containsExactly("history");
    assertThat(modelledUnder("local", "local", "sites", "create", "x")).containsExactly("sites");
  }

  @Test
  void helpAnArgumentFileOrAGroupAloneModelsTheWholeGroup() {
    List<String> rollback = List.of("analyze", "execute", "history");
    assertThat(modelledUnder("rollback", "rollback", "--help")).isEqualTo(rollback);
    assertThat(modelledUnder("rollback", "rollback", "--dry-run", "-h")).isEqualTo(rollback);
    assertThat(modelledUnder("rollback", "rollback", "@args.txt")).isEqualTo(rollback);
    assertThat(modelledUnder("rollback", "rollback", "--", "-h")).isEmpty();
    assertThat(modelledUnder("deployments", "deployments"))
        .containsExactly("list", "validate", "mark");
    assertThat(modelledUnder("deployments", "deployments", "lst"))
        .containsExactly("list", "validate", "mark");
    assertThat(modelledUnder("local", "local")).containsExactly("serve", "sites");
    CommandLine whole = RootCommand.commandLine();
    assertThat(whole.getSubcommands().get("local").getSubcommands().get("sites").getSubcommands())
        .containsOnlyKeys("create", "list");
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
  void everyCommandsVersionOptionPrintsTheVersion(@TempDir Path dir) {
    for (CommandLine command : wholeTree()) {
      CommandLine.Model.CommandSpec spec = command.getCommandSpec();
      if (spec.findOption("-V") == null || !spec.findOption("-V").versionHelp()) {
        continue; // deploy's --version is the version label of the deploy
      }
      List<String> args = new java.util.ArrayList<>(List.of(spec.qualifiedName().split(" ")));
      args.remove(0);
      args.add("-V");
      Cli.Result run = new Cli(dir).run(args.toArray(String[]::new));
      assertThat(run.exitCode()).as(spec.qualifiedName()).isEqualTo(ExitCode.OK.code());
      assertThat(run.out())
          .as(spec.qualifiedName())
          .isEqualTo("devops " + VersionProvider.version() + "\n");
    }
  }

  @Test
  void versionModelsNoCommand() {
    assertThat(modelled("--version")).isEmpty();
    assertThat(modelled("-V")).isEmpty();
  }

  @Test
  void helpCompletionAndUnknownWordsSeeEveryCommand() {
    assertThat(ALL).hasSize(13).contains("generate-completion", "deployments", "guard");
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
