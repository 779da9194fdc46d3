package dev.devops.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.devops.cli.ExitCode;
import dev.devops.cli.RootCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Reads every CLI call written in the plugin's command prompts and checks it against the real
 * picocli model: the command exists, every flag exists and takes a value exactly when the prompt
 * gives one, the whole call parses, and the prompt's use fits (JSON is asked for wherever the
 * prompt reads JSON; nothing runs with {@code --yes} before the typed ROLLBACK).
 */
final class PluginCommandsTest {
  private static final Path COMMANDS = Path.of("plugin", "commands");
  private static final String LAUNCHER = "${CLAUDE_PLUGIN_ROOT}/bin/devops";
  private static final String ALLOWED_TOOLS = "Bash(" + LAUNCHER + ":*)";
  private static final Pattern FENCE = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_-]+)}");
  private static final Pattern TOKEN = Pattern.compile("\"([^\"]*)\"|(\\S+)");

  /** Plausible values for the prompts' placeholders, so that whole calls can be parsed. */
  private static final Map<String, String> SAMPLES =
      Map.of(
          "TARGET", "v1.2.1",
          "REASON", "checkout broken",
          "MESSAGE", "fix the checkout",
          "DIR", "dist",
          "V", "v1.2.4",
          "url", "http://127.0.0.1:8888/api/v1",
          "site", "my-site");

  private static final String SAMPLE_ID = "5f1e2d3c4b5a69788796a5b4";

  private static Map<String, CommandFile> files;

  /** One prompt file: its frontmatter, its body and the CLI calls written in it. */
  record CommandFile(String name, Map<String, String> frontmatter, String body, List<Call> calls) {}

  /** One call: the arguments after the launcher, and where in the body it is written. */
  record Call(String file, int offset, List<String> args) {
    @Override
    public String toString() {
      return file + ": devops " + String.join(" ", args);
    }
  }

  @BeforeAll
  static void readPrompts() throws IOException {
    files = new LinkedHashMap<>();
    try (Stream<Path> paths = Files.list(COMMANDS)) {
      for (Path path : paths.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        CommandFile file = parse(path);
        files.put(file.name(), file);
      }
    }
  }

  @Test
  void thePluginShipsTheCommandsTheRollbackPromptRefersTo() {
    assertThat(files.keySet()).contains("rollback", "init", "status", "logs", "deploy");
    Matcher refs = Pattern.compile("/devops:([a-z-]+)").matcher(files.get("rollback").body());
    Set<String> referred = new TreeSet<>();
    while (refs.find()) {
      referred.add(refs.group(1));
    }
    assertThat(referred).isNotEmpty();
    assertThat(files.keySet()).containsAll(referred);
  }

  @Test
  void everyCommandHasFrontmatterAndMayRunOnlyTheLauncher() {
    assertThat(files).isNotEmpty();
    files
        .values()
        .forEach(
            file -> {
              assertThat(file.frontmatter())
                  .as(file.name())
                  .containsKeys("description", "argument-hint", "allowed-tools");
              assertThat(file.frontmatter().get("description")).as(file.name()).isNotBlank();
              assertThat(file.frontmatter().get("allowed-tools"))
                  .as(file.name())
                  .isEqualTo(ALLOWED_TOOLS);
              assertThat(file.calls()).as(file.name() + " calls the CLI").isNotEmpty();
            });
  }

  @Test
  void everyBashBlockIsExactlyOneLauncherCall() {
    files
        .values()
        .forEach(
            file -> {
              Matcher fence = FENCE.matcher(file.body());
              while (fence.find()) {
                List<String> lines =
                    fence.group(1).lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
                assertThat(lines).as(file.name() + " block " + fence.group(1)).hasSize(1);
                String line = lines.get(0);
                assertThat(line).as(file.name()).startsWith(LAUNCHER + " ");
                // A compound command would not match the allowed-tools rule.
                assertThat(line).as(file.name()).doesNotContain("&&", "|", ";", ">", "$(", "`");
              }
            });
  }

  @TestFactory
  Stream<DynamicTest> everyCallNamesARealCommandWithRealFlags() {
    return allCalls().map(call -> DynamicTest.dynamicTest(call.toString(), () -> checkModel(call)));
  }

  @TestFactory
  Stream<DynamicTest> everyCallParsesWithSampleValues() {
    return allCalls()
        .map(
            call ->
                DynamicTest.dynamicTest(
                    call.toString(),
                    () -> {
                      String[] args =
                          call.args().stream()
                              .map(PluginCommandsTest::sample)
                              .toArray(String[]::new);
                      assertThatCode(() -> RootCommand.commandLine().parseArgs(args))
                          .as(call.toString())
                          .doesNotThrowAnyException();
                    }));
  }

  @Test
  void everyCallAsksForJsonBecauseEveryPromptReadsJson() {
    assertThat(allCalls())
        .allSatisfy(call -> assertThat(call.args()).as(call.toString()).contains("--json"));
  }

  @Test
  void theRollbackRunsWithYesOnlyAfterTheTypedConfirmationAndWithAReason() {
    CommandFile rollback = files.get("rollback");
    int confirmation = rollback.body().indexOf("Type 'ROLLBACK' to confirm:");
    assertThat(confirmation).as("the spec's confirmation block").isPositive();
    assertThat(rollback.body()).contains("exactly `ROLLBACK`");
    List<Call> withYes =
        allCalls().filter(call -> call.args().contains("--yes")).collect(Collectors.toList());
    assertThat(withYes).as("exactly one call runs the rollback for real").hasSize(1);
    Call run = withYes.get(0);
    assertThat(run.file()).isEqualTo("rollback");
    assertThat(run.offset()).as("--yes comes after the confirmation").isGreaterThan(confirmation);
    assertThat(run.args()).contains("--reason").doesNotContain("--dry-run");
    // Every call before the confirmation changes nothing.
    rollback.calls().stream()
        .filter(call -> call.offset() < confirmation)
        .forEach(
            call ->
                assertThat(isReadOnly(call)).as(call + " runs before the confirmation").isTrue());
  }

  @Test
  void theRollbackPromptPreviewsTargetValidationAndImpactAndHandlesFailure() {
    List<String> used =
        files.get("rollback").calls().stream()
            .map(call -> commandPath(call.args()))
            .distinct()
            .collect(Collectors.toList());
    assertThat(used)
        .containsExactly(
            "deployments list",
            "rollback",
            "deployments validate",
            "rollback analyze",
            "verify-deployment",
            "emergency-recover");
    assertThat(files.get("rollback").body()).contains("$ARGUMENTS");
  }

  @Test
  void theExitCodesThePromptExplainsAreTheCliExitCodes() {
    String body = files.get("rollback").body();
    int start = body.indexOf("- Exit codes:");
    assertThat(start).isPositive();
    String list = body.substring(start, body.indexOf("\n\n", start));
    Set<Integer> listed = new TreeSet<>();
    Matcher numbers = Pattern.compile("(\\d+) [A-Za-z]").matcher(list);
    while (numbers.find()) {
      listed.add(Integer.parseInt(numbers.group(1)));
    }
    Set<Integer> real =
        Arrays.stream(ExitCode.values())
            .map(ExitCode::code)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(listed).isEqualTo(real);
  }

  private static void checkModel(Call call) {
    CommandLine command = RootCommand.commandLine();
    List<String> args = call.args();
    int i = 0;
    boolean positionalSeen = false;
    while (i < args.size()) {
      String arg = args.get(i);
      CommandSpec spec = command.getCommandSpec();
      if (arg.startsWith("--")) {
        OptionSpec option = spec.findOption(arg);
        assertThat(option).as(call + ": '" + spec.qualifiedName() + "' has " + arg).isNotNull();
        if (option.arity().max() > 0) {
          assertThat(i + 1 < args.size() && !args.get(i + 1).startsWith("--"))
              .as(call + ": " + arg + " needs a value")
              .isTrue();
          i += 2;
        } else {
          i += 1;
        }
      } else if (!positionalSeen && command.getSubcommands().containsKey(arg)) {
        command = command.getSubcommands().get(arg);
        i += 1;
      } else {
        assertThat(spec.positionalParameters())
            .as(call + ": '" + spec.qualifiedName() + "' takes a positional argument " + arg)
            .isNotEmpty();
        positionalSeen = true;
        i += 1;
      }
    }
    assertThat(command.getCommandSpec().userObject())
        .as(call + ": names a command that runs, not only a group")
        .isInstanceOf(java.util.concurrent.Callable.class);
  }

  /** The subcommand words of a call, e.g. "rollback analyze". */
  private static String commandPath(List<String> args) {
    CommandLine command = RootCommand.commandLine();
    List<String> path = new ArrayList<>();
    for (String arg : args) {
      CommandLine sub = command.getSubcommands().get(arg);
      if (sub == null) {
        break;
      }
      path.add(arg);
      command = sub;
    }
    return String.join(" ", path);
  }

  private static boolean isReadOnly(Call call) {
    String path = commandPath(call.args());
    return path.equals("deployments list")
        || path.equals("deployments validate")
        || path.equals("rollback analyze")
        || (path.equals("rollback") && call.args().contains("--dry-run"));
  }

  private static String sample(String arg) {
    Matcher m = PLACEHOLDER.matcher(arg);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value =
          name.endsWith("_ID") || name.endsWith("-id") || name.endsWith("_id")
              ? SAMPLE_ID
              : SAMPLES.getOrDefault(name, "sample");
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Stream<Call> allCalls() {
    return files.values().stream().flatMap(file -> file.calls().stream());
  }

  private static CommandFile parse(Path path) throws IOException {
    String text = Files.readString(path, StandardCharsets.UTF_8);
    String name = path.getFileName().toString().replaceFirst("\\.md$", "");
    assertThat(text).as(name + " starts with YAML frontmatter").startsWith("---\n");
    int end = text.indexOf("\n---\n", 4);
    Map<String, String> frontmatter = new LinkedHashMap<>();
    for (String line : text.substring(4, end).split("\n")) {
      int colon = line.indexOf(':');
      String value = line.substring(colon + 1).trim();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      frontmatter.put(line.substring(0, colon).trim(), value);
    }
    String body = text.substring(end + 5);
    List<Call> calls = new ArrayList<>();
    Matcher fence = FENCE.matcher(body);
    while (fence.find()) {
      for (String line : fence.group(1).split("\n")) {
        String trimmed = line.trim();
        if (trimmed.startsWith(LAUNCHER + " ")) {
          calls.add(new Call(name, fence.start(), tokens(trimmed.substring(LAUNCHER.length()))));
        }
      }
    }
    return new CommandFile(name, frontmatter, body, calls);
  }

  private static List<String> tokens(String line) {
    List<String> tokens = new ArrayList<>();
    Matcher m = TOKEN.matcher(line);
    while (m.find()) {
      tokens.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return tokens;
  }
}
