package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The config check every project command runs first; no platform needed, none is contacted. */
class ConfigCheckTest {
  @TempDir Path dir;

  private Cli cli() {
    return new Cli(dir).env("NETLIFY_AUTH_TOKEN", "tok-config-check");
  }

  private void writeConfig(String text) throws IOException {
    Files.createDirectories(dir.resolve(".devops"));
    Files.writeString(dir.resolve(".devops/config.json"), text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"deployments list", "status", "logs", "deploy --dir .", "deployments list --json"})
  void missingConfigPointsToInit(String command) {
    Cli.Result r = cli().run(command.split(" "));
    PlatformProject.assertOneLineError(r, ExitCode.CONFIG.code(), "No .devops/config.json in ");
    assertThat(r.err()).contains("run 'devops init'");
  }

  @Test
  void malformedJsonGivesFileLineAndColumnAndIsNeverOverwritten() throws IOException {
    String broken =
        "{\n  \"platform\": \"netlify\",\n  \"site_id\": \"abc\"\n  \"api_url\": \"x\"\n}\n";
    writeConfig(broken);
    Cli.Result r = cli().run("deployments", "list");
    PlatformProject.assertOneLineError(
        r, ExitCode.CONFIG.code(), ".devops/config.json:4:3: Unexpected character");
    assertThat(Files.readString(dir.resolve(".devops/config.json"))).isEqualTo(broken);

    Cli.Result init = cli().run("init", "--site", "abc");
    PlatformProject.assertOneLineError(
        init, ExitCode.CONFIG.code(), "already exists: pass --force");
    assertThat(Files.readString(dir.resolve(".devops/config.json"))).isEqualTo(broken);
  }

  @Test
  void wrongTypeIsReportedWithItsPosition() throws IOException {
    writeConfig("{\"platform\":\"netlify\",\"site_id\":\"abc\",\n\"health_checks\": \"/\"}");
    PlatformProject.assertOneLineError(cli().run("status"), 3, ".devops/config.json:2:18: ");
  }

  @Test
  void unsupportedPlatformPrintsTheSpecBlockAndExits4() throws IOException {
    writeConfig("{\"platform\":\"vercel\",\"site_id\":\"abc\"}");
    Cli.Result r = cli().run("deployments", "list");
    assertThat(r.exitCode()).isEqualTo(ExitCode.UNSUPPORTED_PLATFORM.code());
    assertThat(r.out()).isEmpty();
    Golden.assertMatches("platform-not-supported.txt", r.err());
  }

  @Test
  void errorsWithJsonAlsoPrintAnErrorObjectOnStdout() throws IOException {
    writeConfig("{\"platform\":\"aws\",\"site_id\":\"abc\"}");
    Cli.Result r = cli().run("deployments", "list", "--json");
    assertThat(r.exitCode()).isEqualTo(ExitCode.UNSUPPORTED_PLATFORM.code());
    JsonNode error = PlatformProject.json(r).get("error");
    assertThat(error.get("exit_code").asInt()).isEqualTo(ExitCode.UNSUPPORTED_PLATFORM.code());
    assertThat(error.get("error").asText()).isEqualTo("unsupported_platform");
    assertThat(error.get("message").asText()).isEqualTo("Platform Not Supported: aws");
  }

  @Test
  void invalidValuesAreNamed() throws IOException {
    writeConfig("{\"platform\":\"netlify\"}");
    PlatformProject.assertOneLineError(cli().run("status"), 3, "'site_id' is missing");
    writeConfig("{\"site_id\":\"abc\"}");
    PlatformProject.assertOneLineError(cli().run("status"), 3, "'platform' is missing");
    writeConfig(
        "{\"platform\":\"netlify\",\"site_id\":\"abc\",\"rollback\":{\"publish_timeout_seconds\":0}}");
    PlatformProject.assertOneLineError(
        cli().run("status"), 3, "'rollback.publish_timeout_seconds' must be 1..3600");
    writeConfig(
        "{\"platform\":\"netlify\",\"site_id\":\"abc\",\"health_checks\":{\"paths\":[\"health\"]}}");
    PlatformProject.assertOneLineError(cli().run("status"), 3, "must start with '/'");
  }

  @Test
  void plainHttpToAnotherHostIsRefusedBeforeAnyRequest() throws IOException {
    writeConfig(
        "{\"platform\":\"netlify\",\"site_id\":\"abc\",\"api_url\":\"http://api.example.com\"}");
    PlatformProject.assertOneLineError(
        cli().run("status"), 3, "Refusing plain HTTP to non-loopback host 'api.example.com'");
    Cli.Result viaEnv = cli().env("NETLIFY_API_URL", "http://10.0.0.1:8080").run("status");
    PlatformProject.assertOneLineError(
        viaEnv, ExitCode.CONFIG.code(), "Refusing plain HTTP to non-loopback host '10.0.0.1'");
  }

  @Test
  void noTokenExits5WithWhatToDo() throws IOException {
    writeConfig(
        "{\"platform\":\"netlify\",\"site_id\":\"abc\",\"api_url\":\"http://127.0.0.1:9\"}");
    Cli.Result r = new Cli(dir).env("NETLIFY_AUTH_TOKEN", "null").run("status");
    PlatformProject.assertOneLineError(
        r,
        ExitCode.AUTH.code(),
        "No Netlify token: set NETLIFY_AUTH_TOKEN to a personal access token, or run 'netlify login'.");
  }

  @Test
  void badClientSettingsAreUsageErrors() throws IOException {
    writeConfig(
        "{\"platform\":\"netlify\",\"site_id\":\"abc\",\"api_url\":\"http://127.0.0.1:9\"}");
    PlatformProject.assertOneLineError(
        cli().env("DEVOPS_RETRIES", "lots").run("status"),
        2,
        "DEVOPS_RETRIES='lots' must be a whole number");
    PlatformProject.assertOneLineError(
        cli().env("DEVOPS_TIMEOUT_SECONDS", "-1").run("status"), 2, "DEVOPS_TIMEOUT_SECONDS='-1'");
    // The engine's waits: the same range check, and the value shown without its control bytes.
    PlatformProject.assertOneLineError(
        cli()
            .env("NETLIFY_API_URL", "http://127.0.0.1:9")
            .env("DEVOPS_LOCK_WAIT_SECONDS", "-1")
            .run("status"),
        2,
        "DEVOPS_LOCK_WAIT_SECONDS='-1' is not a number of seconds from 0 to 86400.");
    Cli.Result hostile =
        cli()
            .env("NETLIFY_API_URL", "http://127.0.0.1:9")
            .env("DEVOPS_LEASE_WAIT_SECONDS", "\u001b[2Jsoon")
            .run("status");
    PlatformProject.assertOneLineError(hostile, 2, "DEVOPS_LEASE_WAIT_SECONDS='");
    assertThat(hostile.err()).doesNotContain("\u001b");
  }
}
