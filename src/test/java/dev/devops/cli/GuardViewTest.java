package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devops.testing.Cli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What people see of a guard, pinned as golden files (src/test/resources/golden/guard/): the
 * rounds, the verdict, and on a rollback the rollback's own blocks. Ids, ports, paths and times are
 * replaced by stable names. On a colour terminal healthy rounds rewrite one line in place.
 */
class GuardViewTest extends GuardTestBase {
  private String normalize(PlatformProject p, String text, List<String> ids) {
    String result =
        p.normalize(text, ids).replace(p.siteName, "SITE").replace(p.dir.toString(), "PROJECT");
    return result
        .replaceAll("\\[\\d\\d:\\d\\d\\]", "[mm:ss]")
        .replaceAll("rb-\\d{8}-\\d{6}-[0-9a-f]{4}", "ROLLBACK_ID")
        .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d{6}Z(-\\d+)?", "TIMESTAMP")
        .replaceAll("[0-9a-f]{24}", "DEPLOY_NEW");
  }

  /** stderr from the guard's first line on (the deploy's own progress comes before). */
  private static String guardPart(String err) {
    int at = err.indexOf("🛡️");
    return at < 0 ? err : err.substring(at);
  }

  @Test
  void aRollbackByTheGuardShowsTheRoundsTheRollbackAndTheVerdict() {
    PlatformProject p = project("golden");
    p.cli.env("USER", "alice");
    String v1 = GuardTest.good(p);
    healthChecks(p, "[\"/healthz\"]");
    Path v2 = p.siteDir("v2", GuardTest.healthz500());
    Cli.Result r =
        p.cli.run("deploy", "--dir", v2.toString(), "--prod", "--version", "v2.0.0", "--guard");
    assertExit(r, ExitCode.GUARD_ROLLED_BACK);
    List<String> ids = new ArrayList<>(List.of(v1));
    ids.add(rollbacks(p).get(0).at("/from/id").asText());
    Golden.assertMatches("guard/rolled-back.out.txt", normalize(p, r.out(), ids));
    Golden.assertMatches("guard/rolled-back.err.txt", normalize(p, guardPart(r.err()), ids));
  }

  @Test
  void aHealthyGuardShowsItsRoundsAndItsVerdict() {
    PlatformProject p = project("golden");
    String v1 = GuardTest.good(p);
    Cli.Result r = p.cli.run("guard", "--guard-window", "30s");
    assertExit(r, ExitCode.OK);
    List<String> ids = List.of(v1);
    Golden.assertMatches("guard/healthy.out.txt", normalize(p, r.out(), ids));
    Golden.assertMatches("guard/healthy.err.txt", normalize(p, r.err(), ids));
  }

  @Test
  void onAColourTerminalHealthyRoundsRewriteOneLineAndFailingOnesStay() {
    PlatformProject p = project("tty");
    GuardTest.good(p);
    Path flaky = script(p, "flaky.sh", "[ \"$DEVOPS_GUARD_ROUND\" = 2 ] && exit 1; exit 0");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> env = new HashMap<>();
    env.put("NETLIFY_AUTH_TOKEN", platform.token());
    env.put("NETLIFY_API_URL", platform.apiUrl());
    env.put("HOME", p.dir.toString());
    CliContext terminal =
        new CliContext(
            env,
            p.dir,
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            true,
            true,
            time);
    int code = App.run(terminal, "guard", "--guard-window", "30s", "--probe", flaky.toString());
    assertThat(code).as(err.toString()).isZero();
    String screen = err.toString();
    assertThat(screen).contains("\r[00:00] round 1:").contains("\u001b[K");
    // Round 2 failed: its line stays (a newline); healthy rounds are rewritten in place.
    assertThat(screen)
        .contains("\u001b[K\r[00:10] round 2:")
        .contains("probe (exit 1; 1 of 3)\u001b[K\n")
        .contains("\u001b[K\r[00:30] round 4:")
        .doesNotContain("\u001b[K\n\r[00:30] round 4:");
    assertThat(out.toString()).contains("✓ Guard passed");
  }
}
