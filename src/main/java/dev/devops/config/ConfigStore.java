package dev.devops.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.devops.util.Json;
import dev.devops.util.SafeFiles;
import dev.devops.util.UnsafeFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads and writes {@code .devops/config.json}. The file is snake_case JSON; a malformed file is
 * reported with its line and column and never overwritten.
 */
public final class ConfigStore {
  public static final String STATE_DIR = SafeFiles.STATE_DIR;
  public static final String FILE_NAME = "config.json";

  private static final Pattern SITE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
  private static final ObjectReader READER =
      Json.mapper()
          .readerFor(OnDisk.class)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .without(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

  private ConfigStore() {}

  /** {@code cwd/.devops}: where every piece of project state lives. */
  public static Path stateDir(Path cwd) {
    return cwd.resolve(STATE_DIR);
  }

  public static Path file(Path cwd) {
    return stateDir(cwd).resolve(FILE_NAME);
  }

  /** True when the project in {@code cwd} has a config file (checked like every .devops file). */
  public static boolean exists(Path cwd) {
    try {
      return SafeFiles.exists(file(cwd));
    } catch (UnsafeFileException e) {
      throw new ConfigException(ConfigException.Kind.INVALID, e.getMessage(), null, e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + STATE_DIR + "/" + FILE_NAME, e);
    }
  }

  /**
   * Loads and checks the config of the project in {@code cwd}: a regular file of this user, at most
   * {@link SafeFiles#SMALL_FILE_BYTES}, never read through a link.
   */
  public static ProjectConfig load(Path cwd) {
    Path file = file(cwd);
    String display = STATE_DIR + "/" + FILE_NAME;
    byte[] bytes;
    try {
      bytes =
          SafeFiles.readBounded(file, SafeFiles.SMALL_FILE_BYTES)
              .orElseThrow(
                  () ->
                      new ConfigException(
                          ConfigException.Kind.MISSING,
                          "No "
                              + display
                              + " in "
                              + cwd
                              + ": run 'devops init' to link this project to a Netlify site."));
    } catch (UnsafeFileException e) {
      throw new ConfigException(ConfigException.Kind.INVALID, e.getMessage(), null, e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + display, e);
    }
    if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
      throw new ConfigException(
          ConfigException.Kind.MALFORMED, display + ":1:1: empty file; run 'devops init --force'.");
    }
    OnDisk raw;
    try {
      raw = READER.readValue(bytes);
    } catch (JsonProcessingException e) {
      throw new ConfigException(ConfigException.Kind.MALFORMED, located(display, e), null, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (raw == null) {
      throw new ConfigException(
          ConfigException.Kind.MALFORMED, display + ":1:1: empty file; run 'devops init --force'.");
    }
    return check(display, raw);
  }

  /** Writes {@code config} atomically (temp file, fsync, rename), owner-only. */
  public static void save(Path cwd, ProjectConfig config) {
    String text;
    try {
      text = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(OnDisk.of(config));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    try {
      SafeFiles.write(file(cwd), (text + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (UnsafeFileException e) {
      throw new ConfigException(ConfigException.Kind.INVALID, e.getMessage(), null, e);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + STATE_DIR + "/" + FILE_NAME, e);
    }
  }

  /** The on-disk form of {@code config}, as {@code init --json} prints it. */
  public static Object toJson(ProjectConfig config) {
    return OnDisk.of(config);
  }

  /** "file:line:column: message", one line, from a Jackson parse or mapping error. */
  static String located(String display, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where =
        at == null
            ? display
            : display + ":" + Math.max(1, at.getLineNr()) + ":" + Math.max(1, at.getColumnNr());
    String message = e.getOriginalMessage() == null ? "invalid JSON" : e.getOriginalMessage();
    message = message.replaceAll("\\s+", " ").trim();
    int detail = message.indexOf(" (for ");
    if (detail > 0) {
      message = message.substring(0, detail);
    }
    if (message.length() > 160) {
      message = message.substring(0, 160) + "...";
    }
    return where + ": " + message;
  }

  private static ProjectConfig check(String display, OnDisk raw) {
    if (raw.platform == null || raw.platform.isBlank()) {
      throw invalid(
          display, "'platform' is missing; set it to \"netlify\" or run 'devops init --force'.");
    }
    if (!ProjectConfig.NETLIFY.equals(raw.platform.trim().toLowerCase(Locale.ROOT))) {
      throw ConfigException.unsupportedPlatform(raw.platform);
    }
    if (raw.siteId == null || !SITE_ID.matcher(raw.siteId).matches()) {
      throw invalid(display, "'site_id' is missing or not a site id; run 'devops init --force'.");
    }
    List<String> paths = raw.healthChecks == null ? null : raw.healthChecks.paths;
    if (paths != null) {
      if (paths.isEmpty()) {
        throw invalid(display, "'health_checks.paths' is empty; list at least \"/\".");
      }
      for (String path : paths) {
        if (path == null || !path.startsWith("/") || path.contains("..") || path.length() > 2048) {
          throw invalid(
              display,
              "health check path '" + path + "' must start with '/' and not contain '..'.");
        }
      }
    }
    ProjectConfig.RollbackDefaults defaults = ProjectConfig.RollbackDefaults.DEFAULTS;
    ProjectConfig.RollbackDefaults rollback = defaults;
    if (raw.rollback != null) {
      int timeout = orDefault(raw.rollback.publishTimeoutSeconds, defaults.publishTimeoutSeconds());
      int sample = orDefault(raw.rollback.verifySample, defaults.verifySample());
      if (timeout < 1 || timeout > 3600) {
        throw invalid(
            display, "'rollback.publish_timeout_seconds' must be 1..3600, not " + timeout + ".");
      }
      if (sample < 0 || sample > 100_000) {
        throw invalid(display, "'rollback.verify_sample' must be 0..100000, not " + sample + ".");
      }
      boolean lock = raw.rollback.lock == null ? defaults.lock() : raw.rollback.lock;
      rollback = new ProjectConfig.RollbackDefaults(lock, timeout, sample);
    }
    String apiUrl = raw.apiUrl == null || raw.apiUrl.isBlank() ? null : raw.apiUrl.trim();
    return new ProjectConfig(
        ProjectConfig.NETLIFY, raw.siteId, raw.siteName, apiUrl, paths, rollback);
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static ConfigException invalid(String display, String message) {
    return new ConfigException(ConfigException.Kind.INVALID, display + ": " + message);
  }

  /** The file's shape: snake_case, nested sections, unknown fields ignored. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  static final class OnDisk {
    public String platform;

    @JsonProperty("site_id")
    public String siteId;

    @JsonProperty("site_name")
    public String siteName;

    @JsonProperty("api_url")
    public String apiUrl;

    @JsonProperty("health_checks")
    public HealthChecks healthChecks;

    public Rollback rollback;

    static OnDisk of(ProjectConfig config) {
      OnDisk d = new OnDisk();
      d.platform = config.platform();
      d.siteId = config.siteId();
      d.siteName = config.siteName();
      d.apiUrl = config.apiUrl();
      d.healthChecks = new HealthChecks();
      d.healthChecks.paths = config.healthPaths();
      d.rollback = new Rollback();
      d.rollback.lock = config.rollback().lock();
      d.rollback.publishTimeoutSeconds = config.rollback().publishTimeoutSeconds();
      d.rollback.verifySample = config.rollback().verifySample();
      return d;
    }
  }

  static final class HealthChecks {
    public List<String> paths;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  static final class Rollback {
    public Boolean lock;

    @JsonProperty("publish_timeout_seconds")
    public Integer publishTimeoutSeconds;

    @JsonProperty("verify_sample")
    public Integer verifySample;
  }
}
