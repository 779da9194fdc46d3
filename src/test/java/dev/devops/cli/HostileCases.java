package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devops.testing.Cli;
import dev.devops.testing.ReliabilityReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the hostile-input suites: every case ends in a defined exit code with one clear line (no
 * stack trace), nothing is written outside {@code .devops} and the test's fixtures, and the token
 * appears in no output and no file. Their cases share one table of the reliability report.
 */
abstract class HostileCases extends RollbackTestBase {
  private static final Map<String, String> ROWS = new LinkedHashMap<>();
  private static final List<String> OUTPUTS = new ArrayList<>();
  private static int scanned;
  private Set<String> around;

  /** Every path under the test's directory (the projects and their surroundings). */
  private Set<String> tree() throws IOException {
    Set<String> paths = new TreeSet<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.map(p -> dir.relativize(p).toString()).forEach(paths::add);
    }
    return paths;
  }

  @BeforeEach
  void snapshot() throws IOException {
    faults().clear();
    around = tree();
  }

  /** The test's own fixtures are in place: from now on, nothing new may appear outside. */
  void fixturesReady() throws IOException {
    around = tree();
  }

  @AfterEach
  void nothingOutsideDevopsAndNoToken() throws IOException {
    faults().clear();
    Set<String> added = tree();
    added.removeAll(around);
    // New projects (p1/...) write their .devops, their site dirs and command output only.
    added.removeIf(
        path ->
            path.matches("p\\d+") || path.matches("p\\d+/(\\.devops|public|output[^/]*)(/.*)?"));
    assertThat(added).as("written outside .devops").isEmpty();
    scanned += ReliabilityReport.assertNoSecret(platform.token(), OUTPUTS, dir);
    OUTPUTS.clear();
  }

  @AfterAll
  static void summary() {
    StringBuilder md = new StringBuilder("## Hostile input, races and secrets\n\n");
    md.append("| case | outcome |\n|---|---|\n");
    ROWS.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" ✓ |\n"));
    md.append("\n")
        .append(ROWS.size())
        .append(" cases, all passed; token absent from ")
        .append(scanned)
        .append(" outputs and files; nothing written outside .devops.\n");
    ReliabilityReport.section("30-hostile-input", md.toString());
  }

  /** Checks one case's exit code and output shape, and adds it to the table as {@code name}. */
  static Cli.Result record(String name, Cli.Result r, Set<Integer> allowed) {
    OUTPUTS.add(r.all());
    assertThat(allowed).as(name + " exit " + r.exitCode() + ": " + r.all()).contains(r.exitCode());
    assertThat(r.all()).as(name).doesNotContain("\tat ").doesNotContain("Exception");
    if (r.exitCode() == 12) {
      // Switched but not verified: the spec's warning block, with the way back.
      assertThat(r.out()).as(name).contains("⚠️ Rollback switched, but not verified");
      assertThat(r.out()).as(name).contains("devops emergency-recover --rollback-id");
    } else if (r.exitCode() == 17
        && (r.all().contains("its record could not be written")
            || r.out().contains("\"record_error\":\""))) {
      // Switched and checked, then the record's write failed: said apart, no recovery advised.
      assertThat(r.err().lines().filter(l -> l.startsWith("❌"))).as(name).isEmpty();
      assertThat(r.all()).as(name).doesNotContain("emergency-recover --rollback-id");
    } else if (r.exitCode() == 10 && r.out().contains("⚠️ Rollback overtaken")) {
      // Switched, then replaced by a publish from elsewhere: the block says what serves now.
      assertThat(r.out()).as(name).contains("Site now: ").contains("devops status");
      assertThat(r.err().lines().filter(l -> l.startsWith("❌"))).as(name).isEmpty();
    } else if (r.exitCode() != 0) {
      assertThat(r.err().lines().filter(l -> l.startsWith("❌")))
          .as(name + ": " + r.all())
          .hasSize(1);
    }
    ROWS.put(name, r.exitCode() == 0 ? "ok" : "exit " + r.exitCode());
    return r;
  }

  /**
   * {@link #record} of a case with one allowed exit code, whose one error line names {@code what}.
   */
  static Cli.Result record(String name, Cli.Result r, ExitCode code, String what) {
    record(name, r, Set.of(code.code()));
    if (code != ExitCode.OK) {
      PlatformProject.assertOneLineError(r, code.code(), what);
    }
    return r;
  }

  /** An output to scan for the token, without a row. */
  static void scan(Cli.Result r) {
    OUTPUTS.add(r.all());
  }

  /** Adds a row for a check that is not one CLI run. */
  static void row(String name, String outcome) {
    ROWS.put(name, outcome);
  }

  PlatformProject twoDeploys(String name) {
    PlatformProject p = newProject(name);
    p.deploy("v1.0.0", Map.of("index.html", "one"));
    p.deploy("v2.0.0", Map.of("index.html", "two"));
    return p;
  }
}
