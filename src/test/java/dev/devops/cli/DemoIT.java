package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code devops demo} as a user would: from the built jar, with and without a terminal. */
class DemoIT {
  private static final Path JAR = Path.of(System.getProperty("devops.jar", "target/devops.jar"));

  @Test
  void withoutTerminalRollsBackWithYesAndVerifies(@TempDir Path dir) throws Exception {
    Process process =
        new ProcessBuilder("java", "-jar", JAR.toString(), "demo", "--data-dir", dir.toString())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("📋 Recent Deployments")
        .contains("✓ Rollback successful!")
        .contains("now serves v1.2.2")
        .doesNotContain("Type 'ROLLBACK' to confirm");
    assertThat(dir.resolve("project/.devops/rollback-history.json")).exists();
  }

  @Test
  void onTerminalWaitsForTypedRollback(@TempDir Path dir) throws Exception {
    String session = "devops-demo-" + ProcessHandle.current().pid();
    Path log = dir.resolve("exit-code");
    String command =
        "java -jar "
            + JAR.toAbsolutePath()
            + " demo --data-dir "
            + dir.resolve("data")
            + "; echo $? > "
            + log;
    tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", command);
    try {
      String screen = waitForScreen(session, "Type 'ROLLBACK' to confirm", Duration.ofSeconds(90));
      assertThat(screen).contains("⚠️ Confirm Rollback").contains("FROM: v1.2.3");
      assertThat(log).doesNotExist();
      tmux("send-keys", "-t", session, "ROLLBACK", "Enter");
      Instant deadline = Instant.now().plusSeconds(60);
      while (!Files.exists(log) && Instant.now().isBefore(deadline)) {
        Thread.sleep(200);
      }
      String finalScreen = capture(session);
      assertThat(log).as(finalScreen).exists();
      assertThat(Files.readString(log).trim()).as(finalScreen).isEqualTo("0");
    } finally {
      new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor();
    }
    Path history = dir.resolve("data/project/.devops/rollback-history.json");
    assertThat(Files.readString(history)).contains("Checkout broken in v1.2.3");
  }

  private static String waitForScreen(String session, String text, Duration timeout)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    String screen = "";
    while (Instant.now().isBefore(deadline)) {
      screen = capture(session);
      if (screen.contains(text)) {
        return screen;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("'" + text + "' never appeared; screen was:\n" + screen);
  }

  private static String capture(String session) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("tmux", "capture-pane", "-p", "-J", "-S", "-200", "-t", session)
            .redirectErrorStream(true)
            .start();
    String screen = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return screen;
  }

  private static void tmux(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("tmux"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("TERM", "xterm-256color");
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isZero();
  }
}
