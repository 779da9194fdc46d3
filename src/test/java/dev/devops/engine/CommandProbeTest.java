package dev.devops.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe command: split as a shell splits words, run without one, bounded in time and output.
 */
class CommandProbeTest {
  @TempDir Path dir;

  @Test
  void wordsAreSplitAsAShellWouldWithoutExpandingAnything() {
    assertThat(CommandProbe.words("./smoke.sh --url  $URL 'a b' \"c \\\" d\" e\\ f *"))
        .containsExactly("./smoke.sh", "--url", "$URL", "a b", "c \" d", "e f", "*");
    assertThat(CommandProbe.words("sh -c 'curl -f \"$DEVOPS_GUARD_URL\" | grep ok'"))
        .containsExactly("sh", "-c", "curl -f \"$DEVOPS_GUARD_URL\" | grep ok");
    assertThat(CommandProbe.words("x ''")).containsExactly("x", "");
    assertThatThrownBy(() -> CommandProbe.words("  ")).hasMessageContaining("empty");
    assertThatThrownBy(() -> CommandProbe.words("x 'open")).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> CommandProbe.words("x".repeat(5000))).hasMessageContaining("4096");
  }

  @Test
  void theProgramMustBeAnExecutableFile() throws Exception {
    Path script = script("ok.sh", "exit 0");
    assertThat(CommandProbe.resolve(List.of("./ok.sh", "a"), Map.of(), dir))
        .containsExactly(script.toString(), "a");
    assertThat(
            CommandProbe.resolve(List.of("sh"), Map.of("PATH", "/nowhere:/bin:/usr/bin"), dir)
                .get(0))
        .endsWith("/sh");
    Files.writeString(dir.resolve("plain.txt"), "not a program");
    assertThatThrownBy(() -> CommandProbe.resolve(List.of("./plain.txt"), Map.of(), dir))
        .hasMessageContaining("is not an executable file");
    assertThatThrownBy(
            () -> CommandProbe.resolve(List.of("no-such-tool"), Map.of("PATH", "/nowhere"), dir))
        .hasMessageContaining("'no-such-tool' is not an executable file on PATH");
  }

  @Test
  void onlyTheLastOutputIsKeptAndTheTokenIsNotPassedOn() throws Exception {
    Path loud =
        script(
            "loud.sh",
            "i=0; while [ $i -lt 20000 ]; do echo \"line $i of a long story\"; i=$((i+1)); done\n"
                + "echo \"token=${NETLIFY_AUTH_TOKEN:-absent} url=$DEVOPS_GUARD_URL\"\nexit 3");
    CommandProbe probe =
        new CommandProbe(
            List.of(loud.toString()),
            Map.of("NETLIFY_AUTH_TOKEN", "secret-token"),
            Map.of("DEVOPS_GUARD_URL", "http://site"),
            dir,
            Duration.ofSeconds(30));
    Probe.Outcome outcome = probe.run();
    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.detail()).isEqualTo("exit 3: token=absent url=http://site");
  }

  @Test
  void aProbeOverItsTimeIsKilledWithItsChildren() throws Exception {
    Path slow = script("slow.sh", "sleep 30 & sleep 30; echo never");
    CommandProbe probe =
        new CommandProbe(List.of(slow.toString()), Map.of(), Map.of(), dir, Duration.ofMillis(300));
    Probe.Outcome outcome = probe.run();
    assertThat(outcome.ok()).isFalse();
    assertThat(outcome.detail()).isEqualTo("timed out after 300 ms");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (ProcessHandle.current().descendants().anyMatch(ProcessHandle::isAlive)
        && System.nanoTime() < deadline) {
      Thread.sleep(20); // a killed process is gone once it is reaped
    }
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count())
        .as("no probe process left")
        .isZero();
  }

  private Path script(String name, String body) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, "#!/bin/sh\n" + body + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }
}
