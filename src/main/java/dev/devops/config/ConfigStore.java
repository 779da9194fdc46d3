package dev.devops.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.devops.util.Json;
import dev.devops.util.SafeFiles;
import dev.devops.util.UnsafeFileException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
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

  /** Health checks a config may list; each runs on every probe of the guard. */
  static final int MAX_HEALTH_CHECKS = 50;

  /** The longest text a health check may look for in a body. */
  static final int MAX_CONTAINS = 1000;

  private static final Pattern SITE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

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
      raw = ConfigReader.read(display, bytes);
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
    List<ProjectConfig.HealthCheck> checks =
        raw.healthChecks == null ? null : healthChecks(display, raw.healthChecks);
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
    ProjectConfig.DeploymentDefaults deployment = ProjectConfig.DeploymentDefaults.DEFAULTS;
    if (raw.deployment != null) {
      deployment =
          new ProjectConfig.DeploymentDefaults(
              raw.deployment.rollbackOnFailure == null
                  ? deployment.rollbackOnFailure()
                  : raw.deployment.rollbackOnFailure,
              raw.deployment.healthCheckEnabled == null
                  ? deployment.healthCheckEnabled()
                  : raw.deployment.healthCheckEnabled);
    }
    String apiUrl = raw.apiUrl == null || raw.apiUrl.isBlank() ? null : raw.apiUrl.trim();
    return new ProjectConfig(
        ProjectConfig.NETLIFY, raw.siteId, raw.siteName, apiUrl, checks, rollback, deployment);
  }

  /** The health checks of either form, each checked: a bad one is named with its place. */
  private static List<ProjectConfig.HealthCheck> healthChecks(String display, HealthChecks raw) {
    if (raw.list == null && raw.paths == null) {
      return null; // {}: the defaults
    }
    boolean shortForm = raw.list == null;
    List<CheckOnDisk> entries = shortForm ? raw.paths : raw.list;
    String where = shortForm ? "health_checks.paths" : "health_checks";
    if (entries == null || entries.isEmpty()) {
      throw invalid(
          display,
          "'"
              + where
              + "' is empty; list at least \"/\" (set 'deployment.health_check_enabled' to false"
              + " to skip the checks).");
    }
    if (entries.size() > MAX_HEALTH_CHECKS) {
      throw invalid(
          display, "'" + where + "' lists more than " + MAX_HEALTH_CHECKS + " health checks.");
    }
    List<ProjectConfig.HealthCheck> checks = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      CheckOnDisk entry = entries.get(i);
      String at = where + "[" + i + "]";
      String path = entry == null ? null : entry.path;
      if (path == null || !path.startsWith("/") || path.contains("..") || path.length() > 2048) {
        throw invalid(
            display,
            "health check path '"
                + printable(path)
                + "' must start with '/' and not contain '..'.");
      }
      if (entry.status != null && (entry.status < 100 || entry.status > 599)) {
        throw invalid(display, "'" + at + ".status' must be 100..599, not " + entry.status + ".");
      }
      if (entry.contains != null
          && (entry.contains.isEmpty() || entry.contains.length() > MAX_CONTAINS)) {
        throw invalid(
            display, "'" + at + ".contains' must be 1.." + MAX_CONTAINS + " characters long.");
      }
      if (entry.maxMs != null && (entry.maxMs < 1 || entry.maxMs > 600_000)) {
        throw invalid(display, "'" + at + ".max_ms' must be 1..600000, not " + entry.maxMs + ".");
      }
      checks.add(new ProjectConfig.HealthCheck(path, entry.status, entry.contains, entry.maxMs));
    }
    return List.copyOf(checks);
  }

  private static String printable(String text) {
    if (text == null) {
      return "null";
    }
    String shown = text.replaceAll("\\p{Cntrl}", "?");
    return shown.length() > 80 ? shown.substring(0, 80) + "..." : shown;
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

    public Deployment deployment;

    static OnDisk of(ProjectConfig config) {
      OnDisk d = new OnDisk();
      d.platform = config.platform();
      d.siteId = config.siteId();
      d.siteName = config.siteName();
      d.apiUrl = config.apiUrl();
      d.healthChecks = HealthChecks.of(config.healthChecks());
      d.rollback = new Rollback();
      d.rollback.lock = config.rollback().lock();
      d.rollback.publishTimeoutSeconds = config.rollback().publishTimeoutSeconds();
      d.rollback.verifySample = config.rollback().verifySample();
      d.deployment = new Deployment();
      d.deployment.rollbackOnFailure = config.deployment().rollbackOnFailure();
      d.deployment.healthCheckEnabled = config.deployment().healthCheckEnabled();
      return d;
    }
  }

  /**
   * {@code health_checks}: a list of checks, or the short form {@code {"paths": [...]}} (written
   * when every check is a plain path, so older configs read the same).
   */
  static final class HealthChecks {
    /** The list form, or null for the short form. */
    List<CheckOnDisk> list;

    List<CheckOnDisk> paths;

    static HealthChecks of(List<ProjectConfig.HealthCheck> checks) {
      HealthChecks h = new HealthChecks();
      List<CheckOnDisk> entries = checks.stream().map(CheckOnDisk::of).toList();
      if (checks.stream().allMatch(ProjectConfig.HealthCheck::pathOnly)) {
        h.paths = entries;
      } else {
        h.list = entries;
      }
      return h;
    }

    @JsonValue
    Object written() {
      if (list != null) {
        return list;
      }
      return java.util.Map.of("paths", paths.stream().map(c -> c.path).toList());
    }
  }

  /** One health check on disk: an object, or a bare path string (a check of that path). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  static final class CheckOnDisk {
    public String path;
    public Integer status;
    public String contains;

    @JsonProperty("max_ms")
    public Integer maxMs;

    CheckOnDisk() {}

    static CheckOnDisk ofPath(String path) {
      CheckOnDisk c = new CheckOnDisk();
      c.path = path;
      return c;
    }

    static CheckOnDisk of(ProjectConfig.HealthCheck check) {
      CheckOnDisk c = ofPath(check.path());
      c.status = check.status();
      c.contains = check.contains();
      c.maxMs = check.maxMs();
      return c;
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  static final class Deployment {
    @JsonProperty("rollback_on_failure")
    public Boolean rollbackOnFailure;

    @JsonProperty("health_check_enabled")
    public Boolean healthCheckEnabled;
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
