package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devops.local.LocalPlatform;
import dev.devops.testing.Cli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A response slower than a health check's {@code max_ms} fails it: the platform adds 150 ms to
 * every answer, as a slow network or edge would, and the check allows 100.
 */
class GuardLatencyTest extends GuardTestBase {
  @Override
  LocalPlatform.Options options(Path dataDir) {
    return super.options(dataDir).latency(Duration.ofMillis(150));
  }

  @Test
  void aResponseSlowerThanMaxMsIsRolledBack() {
    PlatformProject p = project("slow");
    String v1 = GuardTest.good(p);
    healthChecks(p, "[{\"path\":\"/\",\"max_ms\":100}]");
    Path v2 = p.siteDir("v2", GuardTest.fine());
    Cli.Result r = p.cli.run("deploy", "--dir", v2.toString(), "--prod", "--guard");
    assertExit(r, ExitCode.GUARD_ROLLED_BACK);
    assertThat(r.err()).containsPattern("✗ health / \\(answered 200 in \\d+ ms, over max_ms 100;");
    assertThat(publishedId(p)).isEqualTo(v1);
    assertThat(locked(p)).isTrue();
    assertThat(served(p, "/")).isEqualTo(GuardTest.GOOD_INDEX);
    List<com.fasterxml.jackson.databind.JsonNode> history = rollbacks(p);
    assertThat(history).hasSize(1);
    assertThat(history.get(0).get("reason").asText())
        .startsWith("guard: health / failed 3 times in a row: answered 200 in ");
    assertThat(history.get(0).get("outcome").asText()).isEqualTo("verified");
  }
}
