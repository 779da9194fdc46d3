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
  void aDataFileThePlatformDidNotWriteIsNamedNotACrash() throws Exception {
    Path data = tmp.resolve("data");
    java.nio.file.Files.createDirectories(data.resolve("deploys"));
    java.nio.file.Files.writeString(data.resolve("deploys/torn.json"), "{\"id\":");
    Cli.Result torn =
        new Cli(tmp).run("local", "serve", "--port", "0", "--data-dir", data.toString());
    assertThat(torn.exitCode()).isEqualTo(ExitCode.LOCAL_IO.code());
    assertThat(torn.err())
        .contains("deploys/torn.json is not valid JSON (line 1, column 7)")
        .doesNotContain("Internal error")
        .doesNotContain("\tat ");

    // Two records, one of them not a deploy: sorting them by creation time used to throw.
    java.nio.file.Files.writeString(data.resolve("deploys/torn.json"), "{\"id\":\"a\"}");
    java.nio.file.Files.writeString(
        data.resolve("deploys/other.json"),
        "{\"id\":\"b\",\"siteId\":\"s\",\"createdAt\":\"2026-01-01T00:00:00Z\"}");
    Cli.Result foreign =
        new Cli(tmp).run("local", "serve", "--port", "0", "--data-dir", data.toString());
    assertThat(foreign.exitCode()).isEqualTo(ExitCode.LOCAL_IO.code());
    assertThat(foreign.err()).contains("deploys/torn.json is not a deploy record");
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

  @Test
  void theTokenComesFromTheCommandLineOrAFileNotBoth() throws Exception {
    Path file = java.nio.file.Files.writeString(tmp.resolve("token"), "from-file\n");
    Cli.Result both =
        new Cli(tmp).run("local", "serve", "--token", "t", "--token-file", file.toString());
    assertThat(both.exitCode()).isEqualTo(2);
    assertThat(both.err()).contains("--token or --token-file, not both");
    Cli.Result missing =
        new Cli(tmp).run("local", "serve", "--token-file", tmp.resolve("nope").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("cannot read --token-file");
    Path empty = java.nio.file.Files.writeString(tmp.resolve("empty"), "\n");
    Cli.Result blank = new Cli(tmp).run("local", "serve", "--token-file", empty.toString());
    assertThat(blank.exitCode()).isEqualTo(2);
    assertThat(blank.err()).contains("holds no token");
  }

  @Test
  void limitsTakeANumberOrOff() {
    for (String flag :
        new String[] {"--rate-limit", "--deploy-rate-limit", "--upload-concurrency"}) {
      for (String value : new String[] {"0", "-3", "many"}) {
        Cli.Result result = new Cli(tmp).run("local", "serve", flag + "=" + value);
        assertThat(result.exitCode()).as(flag + " " + value).isEqualTo(2);
        assertThat(result.err()).contains(flag + " must be a number of at least 1, or off");
      }
    }
    Cli.Result restore =
        new Cli(tmp).run("local", "serve", "--published-at-on-restore", "sometimes");
    assertThat(restore.exitCode()).isEqualTo(2);
    assertThat(restore.err()).contains("--published-at-on-restore must be restamp or keep");
    Cli.Result latency = new Cli(tmp).run("local", "serve", "--latency=-1");
    assertThat(latency.exitCode()).isEqualTo(2);
    assertThat(latency.err()).contains("--latency must not be negative");
  }
}
