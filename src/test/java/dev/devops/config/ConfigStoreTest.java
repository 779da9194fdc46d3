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

  @Test
  void aValueOfTheWrongTypeIsNamedByItsPlaceAtItsLineAndColumn() throws IOException {
    String head = "{\"platform\":\"netlify\",\"site_id\":\"abc\",\n";
    String[][] cases = {
      {"\"site_name\": 7}", ":2:14: 'site_name' must be a string."},
      {"\"rollback\": []}", ":2:13: 'rollback' must be an object."},
      {"\"rollback\": {\"lock\": \"yes\"}}", ":2:22: 'rollback.lock' must be true or false."},
      {
        "\"rollback\": {\"verify_sample\": 2.5}}",
        "'rollback.verify_sample' must be a whole number."
      },
      {"\"rollback\": {\"verify_sample\": \"20\"}}", "'rollback.verify_sample' must be a whole"},
      {
        "\"rollback\": {\"verify_sample\": 99999999999}}",
        "'rollback.verify_sample' is out of range."
      },
      {"\"deployment\": {\"rollback_on_failure\": 1}}", "'deployment.rollback_on_failure' must be"},
      {"\"health_checks\": [\"/\", 5]}", ":2:24: 'health_checks[1]' must be a path or a check"},
      {"\"health_checks\": [{\"path\": \"/\", \"max_ms\": \"9\"}]}", "'health_checks[0].max_ms'"},
      {"\"health_checks\": {\"paths\": \"/\"}}", "'health_checks.paths' must be a list of paths."},
    };
    for (String[] c : cases) {
      write(head + c[0]);
      assertThatThrownBy(() -> ConfigStore.load(dir))
          .as(c[0])
          .isInstanceOfSatisfying(
              ConfigException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(ConfigException.Kind.MALFORMED);
                assertThat(e.getMessage()).startsWith(".devops/config.json:").contains(c[1]);
              });
    }
    write("[1]");
    assertThatThrownBy(() -> ConfigStore.load(dir))
        .hasMessage(".devops/config.json:1:1: the file must be a JSON object.");
    write("{\"platform\":\"netlify\",\"site_id\":\"abc\"}\n[]");
    assertThatThrownBy(() -> ConfigStore.load(dir))
        .hasMessage(
            ".devops/config.json:2:1: the file must be one JSON object, with nothing after it.");
    write("null");
    assertThatThrownBy(() -> ConfigStore.load(dir)).hasMessageContaining("empty file");
  }

  @Test
  void nullsMeanTheDefaultsAndTheLastOfTwoEqualFieldsWins() throws IOException {
    write(
        "{\"platform\":\"netlify\",\"site_id\":\"old\",\"site_id\":\"abc\","
            + "\"api_url\":null,\"health_checks\":null,\"deployment\":null,"
            + "\"rollback\":{\"lock\":null,\"verify_sample\":5,\"extra\":{\"a\":[1,{}]}},"
            + "\"later\":[{\"x\":[null]}],\"deployment.rollback_on_failure\":true}");
    ProjectConfig config = ConfigStore.load(dir);
    assertThat(config.siteId()).isEqualTo("abc");
    assertThat(config.apiUrl()).isNull();
    assertThat(config.healthChecks()).isEqualTo(ProjectConfig.DEFAULT_HEALTH_CHECKS);
    assertThat(config.rollback()).isEqualTo(new ProjectConfig.RollbackDefaults(true, 60, 5));
    assertThat(config.deployment()).isEqualTo(ProjectConfig.DeploymentDefaults.DEFAULTS);
  }

  @Test
  void aHugeListOfHealthChecksIsRefusedByItsCountWithoutHoldingIt() throws IOException {
    write(
        "{\"platform\":\"netlify\",\"site_id\":\"abc\",\"health_checks\":["
            + "{\"path\":\"/\"},".repeat(20_000)
            + "7]}");
    assertThatThrownBy(() -> ConfigStore.load(dir))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(ConfigException.Kind.INVALID);
              assertThat(e.getMessage()).contains("more than 50 health checks");
            });
  }

  private void write(String text) throws IOException {
    Files.createDirectories(dir.resolve(".devops"));
    Files.writeString(dir.resolve(".devops/config.json"), text);
  }
}
