package dev.devops.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.util.Json;
import dev.devops.util.SafeFiles;
import dev.devops.util.Secrets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the Netlify token the way netlify-cli does, so that an existing Netlify user needs no new
 * login: {@code NETLIFY_AUTH_TOKEN}, else the token netlify-cli's {@code login} stored. The token
 * is registered with {@link Secrets} at once and never written anywhere by us. Where it came from
 * decides where it may be sent: netlify-cli's login goes to Netlify's API only.
 */
public final class Credentials {
  public static final String TOKEN_ENV = "NETLIFY_AUTH_TOKEN";

  /** netlify-cli's config file holds a few small objects; anything larger is not it. */
  private static final long MAX_LOGIN_FILE_BYTES = 4L << 20;

  private Credentials() {}

  /** Where a token came from. */
  public enum Source {
    /** {@code NETLIFY_AUTH_TOKEN}: given explicitly for this run. */
    ENV,
    /** netlify-cli's {@code login}: for Netlify's own API only. */
    NETLIFY_LOGIN
  }

  /**
   * A token and where it came from.
   *
   * @param value the token (never printed: {@link #toString} hides it)
   * @param source where it came from
   */
  public record Token(String value, Source source) {
    @Override
    public String toString() {
      return "Token[" + source + ", " + Secrets.MASK + "]";
    }
  }

  /** The token; {@link ConfigException.Kind#NO_TOKEN} when there is none. */
  public static String token(Map<String, String> env) {
    return find(env).value();
  }

  /**
   * The token and its source; {@link ConfigException.Kind#NO_TOKEN} when there is none or it cannot
   * be sent (a line break, a space or a non-ASCII character in it), before any request.
   */
  public static Token find(Map<String, String> env) {
    String fromEnv = env.get(TOKEN_ENV);
    if (usable(fromEnv)) {
      return new Token(checked(fromEnv.trim(), TOKEN_ENV), Source.ENV);
    }
    for (Path file : netlifyConfigFiles(env)) {
      String token = tokenIn(file);
      if (token != null) {
        return new Token(checked(token, "The token of 'netlify login'"), Source.NETLIFY_LOGIN);
      }
    }
    throw new ConfigException(
        ConfigException.Kind.NO_TOKEN,
        "No Netlify token: set "
            + TOKEN_ENV
            + " to a personal access token, or run 'netlify login'.");
  }

  /**
   * {@code token}, registered as a secret, when it can go into an HTTP header; else a refusal that
   * does not show it.
   */
  public static String checked(String token, String what) {
    Secrets.register(token);
    if (!Secrets.isHeaderSafe(token)) {
      throw new ConfigException(
          ConfigException.Kind.NO_TOKEN,
          what
              + " holds a line break, a space or a non-ASCII character: set it to the token alone"
              + " (nothing was sent; the value is not shown).");
    }
    return token;
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
    JsonNode root;
    try {
      Optional<byte[]> bytes = SafeFiles.readBounded(file, MAX_LOGIN_FILE_BYTES);
      if (bytes.isEmpty()) {
        return null;
      }
      root = Json.mapper().readTree(bytes.get());
    } catch (IOException e) {
      throw new ConfigException(
          ConfigException.Kind.NO_TOKEN,
          "Cannot read netlify-cli's login in "
              + file
              + " (not a readable JSON file): set "
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
}
