package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The README's command reference and exit-code table say what the program does: every command of
 * the picocli model with every option and parameter, and every {@link ExitCode} with its meaning.
 */
class DocsTest {
  /** Options every command has; the README documents them once, below the reference. */
  private static boolean standard(OptionSpec o) {
    return o.usageHelp() || o.versionHelp() || List.of(o.names()).contains("--debug");
  }

  private static String readme() throws IOException {
    return Files.readString(Path.of("README.md"));
  }

  /**
   * The fenced block under "## Command reference", one entry per command (continuations joined).
   */
  static Map<String, String> reference(String readme) {
    int section = readme.indexOf("## Command reference");
    assertThat(section).as("README has a Command reference").isNotNegative();
    int open = readme.indexOf("```", section);
    int close = readme.indexOf("```", open + 3);
    String block = readme.substring(readme.indexOf('\n', open) + 1, close);
    Map<String, String> entries = new LinkedHashMap<>();
    String current = null;
    for (String line : block.lines().toList()) {
      if (line.startsWith("devops ")) {
        // A command may have several lines (its forms): they are read as one.
        current = line.trim();
        entries.merge(commandPath(current), current, (a, b) -> a + " " + b);
      } else if (!line.isBlank() && current != null) {
        entries.merge(commandPath(current), line.trim(), (a, b) -> a + " " + b);
      }
    }
    return entries;
  }

  /** "devops rollback analyze --from ..." → "rollback analyze". */
  private static String commandPath(String line) {
    List<String> words = new ArrayList<>();
    for (String token : line.substring("devops ".length()).split("\\s+")) {
      if (!token.matches("[a-z][a-z-]*")) {
        break;
      }
      words.add(token);
    }
    return String.join(" ", words);
  }

  /** Every leaf command of the model, by path ("rollback analyze"). */
  private static Map<String, CommandSpec> leaves() {
    Map<String, CommandSpec> leaves = new LinkedHashMap<>();
    collect(RootCommand.commandLine(), leaves);
    return leaves;
  }

  private static void collect(CommandLine cl, Map<String, CommandSpec> into) {
    CommandSpec spec = cl.getCommandSpec();
    boolean runs = cl.getSubcommands().isEmpty() || spec.userObject() instanceof BaseCommand;
    if (runs && spec.parent() != null) {
      into.put(spec.qualifiedName(" ").substring("devops ".length()), spec);
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      collect(sub, into);
    }
  }

  @Test
  void theCommandReferenceListsEveryCommandWithEveryOption() throws IOException {
    Map<String, String> documented = reference(readme());
    Map<String, CommandSpec> model = leaves();
    assertThat(documented.keySet())
        .as("commands in the README reference")
        .containsExactlyInAnyOrderElementsOf(model.keySet());
    for (Map.Entry<String, CommandSpec> e : model.entrySet()) {
      assertOptions("README: devops " + e.getKey(), documented.get(e.getKey()), e.getValue());
    }
  }

  /** {@code line} names exactly the options and parameters of {@code spec}. */
  private static void assertOptions(String where, String line, CommandSpec spec) {
    Set<String> expected = new TreeSet<>();
    for (OptionSpec o : spec.options()) {
      if (!o.hidden() && !standard(o)) {
        expected.add(o.longestName());
      }
    }
    Set<String> written = new TreeSet<>();
    Matcher m = Pattern.compile("(?<![\\w-])--?[a-zA-Z][\\w-]*").matcher(line);
    while (m.find()) {
      written.add(m.group());
    }
    Set<String> writtenLong = new LinkedHashSet<>();
    for (String w : written) {
      OptionSpec o = spec.findOption(w);
      assertThat(o).as("%s: %s is not an option of the command", where, w).isNotNull();
      writtenLong.add(o.longestName());
    }
    assertThat(writtenLong)
        .as("options of %s", where)
        .containsExactlyInAnyOrderElementsOf(expected);
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (!p.hidden()) {
        assertThat(line).as("%s shows %s", where, p.paramLabel()).contains(p.paramLabel());
      }
    }
  }

  @Test
  void theUsageLinesOfDocsJsonMatchTheModel() throws IOException {
    Map<String, CommandSpec> model = leaves();
    try (var files = Files.list(Path.of("docs/json"))) {
      for (Path doc : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
        String text = Files.readString(doc);
        if (!text.contains("```\ndevops ")) {
          continue;
        }
        int open = text.indexOf("```\ndevops ");
        int close = text.indexOf("```", open + 3);
        String block = "## Command reference\n" + text.substring(open, close + 3);
        for (Map.Entry<String, String> e : reference(block).entrySet()) {
          CommandSpec spec = model.get(e.getKey());
          assertThat(spec).as("%s: 'devops %s' is a command", doc, e.getKey()).isNotNull();
          assertOptions(doc + ": devops " + e.getKey(), e.getValue(), spec);
        }
      }
    }
  }

  @Test
  void theExitCodeTableIsExitCode() throws IOException {
    String readme = readme();
    int section = readme.indexOf("## Exit codes");
    assertThat(section).isPositive();
    int end = readme.indexOf("\n## ", section + 3);
    Map<Integer, String> table = new LinkedHashMap<>();
    Matcher row =
        Pattern.compile("(?m)^\\| (\\d+) \\| (.+?) \\|$")
            .matcher(readme.substring(section, end < 0 ? readme.length() : end));
    while (row.find()) {
      table.put(Integer.parseInt(row.group(1)), row.group(2).trim());
    }
    Map<Integer, String> codes = new LinkedHashMap<>();
    for (ExitCode code : ExitCode.values()) {
      codes.put(code.code(), code.meaning());
    }
    assertThat(table).containsExactlyEntriesOf(codes);
  }
}
