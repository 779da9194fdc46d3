package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.testing.Cli;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code emergency-recover} is a compare-and-swap: it never undoes work that came after the
 * rollback it is asked to undo. A stale recovery is refused with exit 10 and changes nothing;
 * {@code --force} goes ahead.
 */
class StaleRecoveryTest extends RollbackTestBase {
  @Test
  void aRecoveryOfARollbackThatALaterRollbackFollowedIsRefused() {
    PlatformProject p = newProject("stale");
    String v1 = p.deploy("v1.0.0", Map.of("index.html", "one"));
    p.deploy("v2.0.0", Map.of("index.html", "two"));
    String v3 = p.deploy("v3.0.0", Map.of("index.html", "three"));
    String first = rollback(p, "v2.0.0");
    rollback(p, "v1.0.0");

    Cli.Result stale = p.cli.run("emergency-recover", "--rollback-id", first);

    PlatformProject.assertOneLineError(
        stale, ExitCode.CONFLICT.code(), "The site has moved on since rollback " + first);
    assertThat(stale.err()).contains("serves v1.0.0").contains("--force");
    assertThat(publishedId(p)).isEqualTo(v1);
    assertThat(served(p, "/")).isEqualTo("one");
    assertThat(entry(p, first).path("recoveries").size()).isZero();

    Cli.Result json = p.cli.run("emergency-recover", "--rollback-id", first, "--json");
    assertThat(json.exitCode()).isEqualTo(ExitCode.CONFLICT.code());
    assertThat(PlatformProject.json(json).at("/error/exit_code").asInt())
        .isEqualTo(ExitCode.CONFLICT.code());

    Cli.Result forced = p.cli.run("emergency-recover", "--rollback-id", first, "--force");
    assertThat(forced.exitCode()).as(forced.all()).isZero();
    assertThat(publishedId(p)).isEqualTo(v3);
    assertThat(served(p, "/")).isEqualTo("three");
  }

  @Test
  void aRecoveryAfterALaterDeployWentLiveIsRefusedAndNamesIt() {
    PlatformProject p = newProject("moved");
    p.deploy("v1.0.0", Map.of("index.html", "one"));
    p.deploy("v2.0.0", Map.of("index.html", "two"));
    Cli.Result r = p.cli.run("rollback", "v1.0.0", "--yes", "--reason", "bad", "--no-lock");
    assertThat(r.exitCode()).as(r.all()).isZero();
    String rollbackId = entry(p, null).get("id").asText();
    String fix = p.deploy("v3.0.0", Map.of("index.html", "fixed"));

    Cli.Result stale = p.cli.run("emergency-recover", "--rollback-id", rollbackId);

    PlatformProject.assertOneLineError(stale, ExitCode.CONFLICT.code(), "published after it");
    assertThat(stale.err()).contains(fix);
    assertThat(publishedId(p)).isEqualTo(fix);
  }

  @Test
  void aRecoveryOfTheLastRollbackStillPutsTheSiteBack() {
    PlatformProject p = newProject("fresh");
    p.deploy("v1.0.0", Map.of("index.html", "one"));
    String v2 = p.deploy("v2.0.0", Map.of("index.html", "two"));
    String id = rollback(p, "v1.0.0");

    Cli.Result undo = p.cli.run("emergency-recover", "--rollback-id", id);

    assertThat(undo.exitCode()).as(undo.all()).isZero();
    assertThat(publishedId(p)).isEqualTo(v2);
    // Safe to run twice: the site is where the rollback started.
    assertThat(p.cli.run("emergency-recover", "--rollback-id", id).exitCode()).isZero();
  }

  private static String rollback(PlatformProject p, String target) {
    Cli.Result r = p.cli.run("rollback", target, "--yes", "--reason", "bad", "--json");
    assertThat(r.exitCode()).as(r.all()).isZero();
    return entry(p, null).get("id").asText();
  }

  /** The history entry {@code id}, or the newest one. */
  private static JsonNode entry(PlatformProject p, String id) {
    JsonNode history = rollbackHistory(p);
    if (id == null) {
      return history.get(history.size() - 1);
    }
    for (JsonNode e : history) {
      if (e.get("id").asText().equals(id)) {
        return e;
      }
    }
    throw new AssertionError("no rollback " + id);
  }
}
