package dev.devops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devops.util.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
  @TempDir Path home;

  @Test
  void environmentWinsAndIsRegisteredAsASecret() {
    String token =
        Credentials.token(Map.of("NETLIFY_AUTH_TOKEN", "env-token-123", "HOME", home.toString()));
    assertThat(token).isEqualTo("env-token-123");
    assertThat(Secrets.redact("Bearer env-token-123")).isEqualTo("Bearer " + Secrets.MASK);
  }

  @Test
  void literalNullIsIgnoredAndTheNetlifyCliLoginIsUsed() throws IOException {
    login(home.resolve(".config/netlify/config.json"), "u2", "login-token-456");
    Map<String, String> env = Map.of("NETLIFY_AUTH_TOKEN", "null", "HOME", home.toString());
    assertThat(Credentials.token(env)).isEqualTo("login-token-456");
  }

  @Test
  void xdgConfigHomeAndTheLegacyFileAreRead() throws IOException {
    Path xdg = home.resolve("xdg");
    login(xdg.resolve("netlify/config.json"), "a", "xdg-token-789");
    assertThat(
            Credentials.token(Map.of("XDG_CONFIG_HOME", xdg.toString(), "HOME", home.toString())))
        .isEqualTo("xdg-token-789");
    login(home.resolve(".netlify/config.json"), "b", "legacy-token-000");
    assertThat(Credentials.token(Map.of("HOME", home.toString()))).isEqualTo("legacy-token-000");
  }

  @Test
  void noTokenAnywhere() throws IOException {
    Files.createDirectories(home.resolve(".config/netlify"));
    Files.writeString(
        home.resolve(".config/netlify/config.json"),
        "{\"telemetryDisabled\":false,\"cliId\":\"x\"}");
    assertThatThrownBy(() -> Credentials.token(Map.of("HOME", home.toString())))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e -> assertThat(e.kind()).isEqualTo(ConfigException.Kind.NO_TOKEN))
        .hasMessageContaining("run 'netlify login'");
  }

  @Test
  void theSourceIsKnownSoThatTheLoginGoesToNetlifyOnly() throws IOException {
    login(home.resolve(".config/netlify/config.json"), "u", "login-token-111");
    Map<String, String> env = Map.of("HOME", home.toString());
    assertThat(Credentials.find(env).source()).isEqualTo(Credentials.Source.NETLIFY_LOGIN);
    assertThat(Credentials.find(env).toString()).doesNotContain("login-token-111");
    Map<String, String> explicit = Map.of("HOME", home.toString(), "NETLIFY_AUTH_TOKEN", "e-222");
    assertThat(Credentials.find(explicit).source()).isEqualTo(Credentials.Source.ENV);
  }

  @Test
  void aTokenThatCannotGoIntoAHeaderIsRefusedWithoutShowingIt() throws IOException {
    for (String bad : new String[] {"abc\ndef-333", "ab\u00e7def-333", "abc def-333"}) {
      assertThatThrownBy(
              () -> Credentials.token(Map.of("NETLIFY_AUTH_TOKEN", bad, "HOME", home.toString())))
          .isInstanceOfSatisfying(
              ConfigException.class,
              e -> assertThat(e.kind()).isEqualTo(ConfigException.Kind.NO_TOKEN))
          .hasMessageStartingWith("NETLIFY_AUTH_TOKEN holds a line break")
          .hasMessageNotContaining("def-333");
    }
    login(home.resolve(".config/netlify/config.json"), "u", "login\\r\\nX-Evil: 1");
    assertThatThrownBy(() -> Credentials.token(Map.of("HOME", home.toString())))
        .hasMessageStartingWith("The token of 'netlify login' holds a line break")
        .hasMessageNotContaining("X-Evil");
  }

  private static void login(Path file, String userId, String token) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "{\"userId\":\""
            + userId
            + "\",\"users\":{\""
            + userId
            + "\":{\"id\":\""
            + userId
            + "\",\"auth\":{\"token\":\""
            + token
            + "\",\"github\":{\"user\":null,\"token\":null}}}}}");
  }
}
