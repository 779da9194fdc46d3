package dev.devops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigStoreTest {
  @TempDir Path dir;

  @Test
  void savesSnakeCaseAndLoadsItBack() throws IOException {
    ProjectConfig config =
        new ProjectConfig(
            "netlify",
            "site-1",
            "shop",
            "http://127.0.0.1:8080",
            List.of("/", "/health"),
            new ProjectConfig.RollbackDefaults(false, 30, 7));
    ConfigStore.save(dir, config);

    String text = Files.readString(dir.resolve(".devops/config.json"));
    assertThat(text)
        .contains(
            "\"site_id\" : \"site-1\"",
            "\"site_name\" : \"shop\"",
            "\"api_url\"",
            "\"health_checks\"",
            "\"publish_timeout_seconds\" : 30",
            "\"verify_sample\" : 7",
            "\"lock\" : false");
    assertThat(ConfigStore.load(dir)).isEqualTo(config);
    assertThat(dir.resolve(".devops").toFile().list()).containsExactly("config.json");
  }

  @Test
  void fillsDefaultsAndIgnoresUnknownFields() throws IOException {
    write("{\"platform\":\"Netlify\",\"site_id\":\"abc\",\"future\":{\"x\":1}}");
    ProjectConfig config = ConfigStore.load(dir);
    assertThat(config.platform()).isEqualTo("netlify");
    assertThat(config.apiUrl()).isNull();
    assertThat(config.healthPaths()).containsExactly("/");
    assertThat(config.rollback()).isEqualTo(new ProjectConfig.RollbackDefaults(true, 60, 20));
  }

  @Test
  void kindsOfFailure() throws IOException {
    assertThatThrownBy(() -> ConfigStore.load(dir))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.kind()).isEqualTo(ConfigException.Kind.MISSING));
    write("{\"platform\": \"netlify\",");
    assertThatThrownBy(() -> ConfigStore.load(dir))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ConfigException.Kind.MALFORMED);
              assertThat(e.getMessage()).startsWith(".devops/config.json:1:").doesNotContain("\n");
            });
    write("");
    assertThatThrownBy(() -> ConfigStore.load(dir))
        .hasMessageStartingWith(".devops/config.json:1:1: ");
    write("{} {}");
    assertThatThrownBy(() -> ConfigStore.load(dir))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.kind()).isEqualTo(ConfigException.Kind.MALFORMED));
    write("{\"platform\":\"heroku\",\"site_id\":\"abc\"}");
    assertThatThrownBy(() -> ConfigStore.load(dir))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ConfigException.Kind.UNSUPPORTED_PLATFORM);
              assertThat(e.platform()).isEqualTo("heroku");
            });
    write("{\"platform\":\"netlify\",\"site_id\":\"../etc\"}");
    assertThatThrownBy(() -> ConfigStore.load(dir))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.kind()).isEqualTo(ConfigException.Kind.INVALID));
  }

  @Test
  void healthChecksAreAListOfChecksOrTheShortFormOfPaths() throws IOException {
    write(
        "{\"platform\":\"netlify\",\"site_id\":\"abc\",\"health_checks\":[\"/\","
            + "{\"path\":\"/healthz\",\"status\":200,\"contains\":\"ok\",\"max_ms\":1500}]}");
    ProjectConfig config = ConfigStore.load(dir);
    assertThat(config.healthChecks())
        .containsExactly(
            ProjectConfig.HealthCheck.path("/"),
            new ProjectConfig.HealthCheck("/healthz", 200, "ok", 1500));
    assertThat(config.healthPaths()).containsExactly("/", "/healthz");
    ConfigStore.save(dir, config);
    assertThat(Files.readString(dir.resolve(".devops/config.json")))
        .contains("\"max_ms\" : 1500")
        .doesNotContain("\"paths\"");
    assertThat(ConfigStore.load(dir)).isEqualTo(config);

    write("{\"platform\":\"netlify\",\"site_id\":\"abc\",\"health_checks\":{\"paths\":[\"/a\"]}}");
    ProjectConfig short1 = ConfigStore.load(dir);
    assertThat(short1.healthChecks()).containsExactly(ProjectConfig.HealthCheck.path("/a"));
    ConfigStore.save(dir, short1);
    assertThat(Files.readString(dir.resolve(".devops/config.json")))
        .contains("\"paths\" : [ \"/a\" ]");

    write("{\"platform\":\"netlify\",\"site_id\":\"abc\",\"health_checks\":{}}");
    assertThat(ConfigStore.load(dir).healthChecks()).isEqualTo(ProjectConfig.DEFAULT_HEALTH_CHECKS);
  }

  @Test
  void badHealthChecksAreNamedWithTheirPlace() throws IOException {
    String[][] cases = {
      {"[]", "'health_checks' is empty"},
      {"{\"paths\":[]}", "'health_checks.paths' is empty"},
      {"[{\"path\":\"x\"}]", "health check path 'x' must start with '/'"},
      {"[{\"status\":200}]", "health check path 'null' must start with '/'"},
      {"[\"/\",{\"path\":\"/h\",\"status\":99}]", "'health_checks[1].status' must be 100..599"},
      {"[{\"path\":\"/\",\"max_ms\":0}]", "'health_checks[0].max_ms' must be 1..600000"},
      {"[{\"path\":\"/\",\"contains\":\"\"}]", "'health_checks[0].contains' must be 1..1000"},
      {"[" + "\"/\",".repeat(50) + "\"/\"]", "more than 50 health checks"},
    };
    for (String[] c : cases) {
      write("{\"platform\":\"netlify\",\"site_id\":\"abc\",\"health_checks\":" + c[0] + "}");
      assertThatThrownBy(() -> ConfigStore.load(dir))
          .as(c[0])
          .isInstanceOfSatisfying(
              ConfigException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ConfigException.Kind.INVALID);
                assertThat(e.getMessage()).contains(c[1]).doesNotContain("\n");
              });
    }
    write("{\"platform\":\"netlify\",\"site_id\":\"abc\",\"health_checks\":[{\"path\":7}]}");
    assertThatThrownBy(() -> ConfigStore.load(dir)).isInstanceOf(ConfigException.class);
  }

  @Test
  void theDeploymentSectionTurnsTheGuardOnAndTheHealthChecksOff() throws IOException {
    write("{\"platform\":\"netlify\",\"site_id\":\"abc\"}");
    assertThat(ConfigStore.load(dir).deployment())
        .isEqualTo(new ProjectConfig.DeploymentDefaults(false, true));
    write(
        "{\"platform\":\"netlify\",\"site_id\":\"abc\",\"health_checks\":[\"/h\"],"
            + "\"deployment\":{\"rollback_on_failure\":true,\"health_check_enabled\":false}}");
    ProjectConfig config = ConfigStore.load(dir);
    assertThat(config.deployment()).isEqualTo(new ProjectConfig.DeploymentDefaults(true, false));
    assertThat(config.healthChecks()).containsExactly(ProjectConfig.HealthCheck.path("/h"));
    assertThat(config.healthPaths()).as("verifications skip them too").isEmpty();
    ConfigStore.save(dir, config);
    assertThat(ConfigStore.load(dir)).isEqualTo(config);
    assertThat(config.relinked("other", "shop", null).deployment()).isEqualTo(config.deployment());
  }

  private void write(String text) throws IOException {
    Files.createDirectories(dir.resolve(".devops"));
    Files.writeString(dir.resolve(".devops/config.json"), text);
  }
}
