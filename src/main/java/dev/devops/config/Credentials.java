package dev.devops.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.util.Json;
import dev.devops.util.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the Netlify token the way netlify-cli does, so that an existing Netlify user needs no new
 * login: {@code NETLIFY_AUTH_TOKEN}, else the token netlify-cli's {@code login} stored. The token
 * is registered with {@link Secrets} at once and never written anywhere by us.
 */
public final class Credentials {
  public static final String TOKEN_ENV = "NETLIFY_AUTH_TOKEN";

  private Credentials() {}

  /** The token; {@link ConfigException.Kind#NO_TOKEN} when there is none. */
  public static String token(Map<String, String> env) {
    String fromEnv = env.get(TOKEN_ENV);
    if (usable(fromEnv)) {
      return registered(fromEnv.trim());
    }
    for (Path file : netlifyConfigFiles(env)) {
      String token = tokenIn(file);
      if (token != null) {
        return registered(token);
      }
    }
    throw new ConfigException(
        ConfigException.Kind.NO_TOKEN,
        "No Netlify token: set "
            + TOKEN_ENV
            + " to a personal access token, or run 'netlify login'.");
  }

  /**
   * netlify-cli's global config files, most specific first: {@code $XDG_CONFIG_HOME/netlify/
   * config.json} (default {@code ~/.config/netlify/config.json}), then the legacy {@code
   * ~/.netlify/config.json}.
   */
  static List<Path> netlifyConfigFiles(Map<String, String> env) {
    List<Path> files = new ArrayList<>();
    String home = env.get("HOME");
    String xdg = env.get("XDG_CONFIG_HOME");
    if (xdg != null && !xdg.isBlank()) {
      files.add(Path.of(xdg, "netlify", "config.json"));
    } else if (home != null && !home.isBlank()) {
      files.add(Path.of(home, ".config", "netlify", "config.json"));
    }
    if (home != null && !home.isBlank()) {
      files.add(Path.of(home, ".netlify", "config.json"));
    }
    return files;
  }

  /** {@code users.<userId>.auth.token}, where {@code userId} is the file's top-level key. */
  private static String tokenIn(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    JsonNode root;
    try {
      root = Json.mapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException(
          ConfigException.Kind.NO_TOKEN,
          "Cannot read netlify-cli's login in "
              + file
              + " (not valid JSON): set "
              + TOKEN_ENV
              + " or run 'netlify login' again.",
          null,
          null);
    }
    if (root == null) {
      return null;
    }
    String userId = root.path("userId").asText(null);
    if (userId == null) {
      return null;
    }
    String token = root.path("users").path(userId).path("auth").path("token").asText(null);
    return usable(token) ? token.trim() : null;
  }

  private static boolean usable(String token) {
    return token != null && !token.isBlank() && !token.trim().equals("null");
  }

  private static String registered(String token) {
    Secrets.register(token);
    return token;
  }
}
