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

  private void write(String text) throws IOException {
    Files.createDirectories(dir.resolve(".devops"));
    Files.writeString(dir.resolve(".devops/config.json"), text);
  }
}
