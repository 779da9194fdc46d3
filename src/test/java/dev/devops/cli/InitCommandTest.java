package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.testing.Cli;
import dev.devops.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitCommandTest extends PlatformTest {

  private Cli cli() {
    return new Cli(dir).env("NETLIFY_AUTH_TOKEN", platform.token());
  }

  private JsonNode config() throws IOException {
    return Json.mapper().readTree(dir.resolve(".devops/config.json").toFile());
  }

  @Test
  void writesTheConfigForASiteFoundByName() throws IOException {
    String id = platform.createSite("init-by-name");
    Cli.Result r =
        cli().run("init", "--site", "init-by-name", "--api-url", platform.apiUrl(), "--json");

    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode config = config();
    assertThat(config.get("platform").asText()).isEqualTo("netlify");
    assertThat(config.get("site_id").asText()).isEqualTo(id);
    assertThat(config.get("site_name").asText()).isEqualTo("init-by-name");
    assertThat(config.get("api_url").asText()).isEqualTo(platform.apiUrl());
    assertThat(config.get("health_checks").get("paths").toString()).isEqualTo("[\"/\"]");
    assertThat(config.get("rollback").toString())
        .isEqualTo("{\"lock\":true,\"publish_timeout_seconds\":60,\"verify_sample\":20}");
    assertThat(PlatformProject.json(r)).isEqualTo(config);
    assertThat(r.err())
        .contains("✓ Linked to Netlify site init-by-name (" + id + ")")
        .contains("Wrote .devops/config.json");
    assertThat(dir.resolve(".devops").toFile().list()).containsExactly("config.json");
  }

  @Test
  void findsTheSiteByIdFromTheEnvironmentOrNetlifyLink() throws IOException {
    String id = platform.createSite("init-by-id");
    Cli.Result fromEnv =
        cli().env("NETLIFY_SITE_ID", id).env("NETLIFY_API_URL", platform.apiUrl()).run("init");
    assertThat(fromEnv.exitCode()).as(fromEnv.err()).isZero();
    assertThat(config().get("site_id").asText()).isEqualTo(id);
    assertThat(config().has("api_url")).isFalse();

    Files.createDirectories(dir.resolve(".netlify"));
    Files.writeString(dir.resolve(".netlify/state.json"), "{\"siteId\":\"" + id + "\"}");
    Path sub = Files.createDirectories(dir.resolve("app"));
    Cli.Result fromLink =
        new Cli(sub)
            .env("NETLIFY_AUTH_TOKEN", platform.token())
            .run("init", "--api-url", platform.apiUrl());
    assertThat(fromLink.exitCode()).as(fromLink.err()).isZero();
    assertThat(Files.readString(sub.resolve(".devops/config.json"))).contains(id);
  }

  @Test
  void refusesToOverwriteWithoutForceAndKeepsSettingsWithForce() throws IOException {
    platform.createSite("init-first");
    platform.createSite("init-second");
    assertThat(cli().run("init", "--site", "init-first", "--api-url", platform.apiUrl()).exitCode())
        .isZero();
    String custom =
        Files.readString(dir.resolve(".devops/config.json"))
            .replace("\"verify_sample\" : 20", "\"verify_sample\" : 5");
    Files.writeString(dir.resolve(".devops/config.json"), custom);

    Cli.Result refused = cli().run("init", "--site", "init-second", "--api-url", platform.apiUrl());
    PlatformProject.assertOneLineError(
        refused, ExitCode.CONFIG.code(), ".devops/config.json already exists: pass --force");
    assertThat(Files.readString(dir.resolve(".devops/config.json"))).isEqualTo(custom);

    Cli.Result forced =
        cli().run("init", "--site", "init-second", "--api-url", platform.apiUrl(), "--force");
    assertThat(forced.exitCode()).as(forced.err()).isZero();
    assertThat(config().get("site_name").asText()).isEqualTo("init-second");
    assertThat(config().get("rollback").get("verify_sample").asInt()).isEqualTo(5);
  }

  @Test
  void badInputsGiveOneLineAndTheirExitCode() {
    PlatformProject.assertOneLineError(
        cli().run("init", "--api-url", platform.apiUrl()),
        2,
        "No site given: pass --site NAME_OR_ID");
    PlatformProject.assertOneLineError(
        cli().run("init", "--site", "no-such-site", "--api-url", platform.apiUrl()),
        6,
        "Site 'no-such-site' not found");
    PlatformProject.assertOneLineError(
        cli().run("init", "--site", "x", "--api-url", "http://example.com"),
        2,
        "--api-url: Refusing plain HTTP");
    PlatformProject.assertOneLineError(
        new Cli(dir).run("init", "--site", "x", "--api-url", platform.apiUrl()),
        5,
        "No Netlify token");
    PlatformProject.assertOneLineError(
        cli()
            .env("NETLIFY_AUTH_TOKEN", "wrong-token")
            .run("init", "--site", "x", "--api-url", platform.apiUrl()),
        5,
        "Netlify refused the token (401)");
    assertThat(dir.resolve(".devops")).doesNotExist();
  }

  @Test
  void theNetlifyCliLoginIsSentToNetlifysApiOnly() throws IOException {
    platform.createSite("init-login");
    Path xdg = dir.resolve("xdg");
    Files.createDirectories(xdg.resolve("netlify"));
    Files.writeString(
        xdg.resolve("netlify/config.json"),
        "{\"userId\":\"u1\",\"users\":{\"u1\":{\"id\":\"u1\",\"auth\":{\"token\":\""
            + platform.token()
            + "\"}}}}");
    platform.platform().faults().resetCalls();
    Cli login = new Cli(dir).env("XDG_CONFIG_HOME", xdg.toString());
    for (Cli cli : List.of(login, login.env("NETLIFY_API_URL", platform.apiUrl()))) {
      Cli.Result r = cli.run("init", "--site", "init-login", "--api-url", platform.apiUrl());
      PlatformProject.assertOneLineError(
          r,
          ExitCode.AUTH.code(),
          "The token of 'netlify login' is sent to Netlify's API only, not to "
              + platform.apiUrl());
      assertThat(r.all()).doesNotContain(platform.token());
    }
    assertThat(platform.platform().faults().allCalls()).as("requests sent").isEmpty();
    assertThat(dir.resolve(".devops")).doesNotExist();
  }
}
