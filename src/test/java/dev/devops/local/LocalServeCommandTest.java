package dev.devops.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devops.cli.ExitCode;
import dev.devops.testing.Cli;
import dev.devops.testing.PlatformFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code devops local serve} refuses bad input with one line and exit code 2 (usage). */
class LocalServeCommandTest {
  @TempDir Path tmp;

  @Test
  void aPortInUseIsAUsageErrorThatSaysWhatToDo() {
    try (PlatformFixture fx = PlatformFixture.start(tmp.resolve("first"))) {
      Cli.Result result =
          new Cli(tmp)
              .run(
                  "local",
                  "serve",
                  "--port",
                  String.valueOf(fx.platform().port()),
                  "--data-dir",
                  tmp.resolve("second").toString());
      assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE.code());
      assertThat(result.err())
          .contains("port " + fx.platform().port() + " is in use")
          .contains("--port");
      assertThat(result.out()).isEmpty();
    }
  }

  @Test
  void anImpossiblePortIsAUsageError() {
    Cli.Result result = new Cli(tmp).run("local", "serve", "--port", "70000");
    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE.code());
    assertThat(result.err()).contains("--port must be between 0 and 65535");
  }

  @Test
  void anEmptyTokenIsAUsageError() {
    Cli.Result result = new Cli(tmp).run("local", "serve", "--token", " ");
    assertThat(result.exitCode()).isEqualTo(ExitCode.USAGE.code());
    assertThat(result.err()).contains("--token must not be empty");
  }
}
