package dev.devops.cli;

import dev.devops.config.ConfigException;
import dev.devops.config.ConfigStore;
import dev.devops.config.Credentials;
import dev.devops.config.ProjectConfig;
import dev.devops.netlify.NetlifyClient;
import dev.devops.state.DeploymentRecords;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Base of every command that works on the project in the current directory: loads and checks {@code
 * .devops/config.json} once, and builds the Netlify client once.
 */
public abstract class ProjectCommand extends BaseCommand {
  public static final String API_URL_ENV = "NETLIFY_API_URL";
  public static final String TIMEOUT_ENV = "DEVOPS_TIMEOUT_SECONDS";
  public static final String RETRIES_ENV = "DEVOPS_RETRIES";
  public static final String RETRY_BASE_ENV = "DEVOPS_RETRY_BASE_MS";
  public static final String CA_CERTS_ENV = "DEVOPS_CA_CERTS";

  private ProjectConfig config;
  private NetlifyClient client;

  /** The project's config, loaded once and checked (the platform must be netlify). */
  protected ProjectConfig config() {
    if (config == null) {
      config = ConfigStore.load(ctx().cwd());
    }
    return config;
  }

  /** The Netlify client for this project, built once. */
  protected NetlifyClient client() {
    if (client == null) {
      client = newClient(null, config().apiUrl());
    }
    return client;
  }

  /** What this run's client sent so far (null when it made none). */
  NetlifyClient.Stats clientStats() {
    return client == null ? null : client.stats();
  }

  /** The project's records of deploys and rollbacks. */
  protected DeploymentRecords records() {
    return DeploymentRecords.load(stateDir());
  }

  /** {@code cwd/.devops}. */
  protected Path stateDir() {
    return ConfigStore.stateDir(ctx().cwd());
  }

  /**
   * The API root of this run: {@code flag} ({@code init --api-url}), else {@code NETLIFY_API_URL},
   * else the project's {@code api_url}, else Netlify's. The project's file comes with the
   * repository, so its {@code api_url} alone never decides where the token goes: one that is not
   * Netlify's API is refused unless the user names it too ({@code NETLIFY_API_URL}, which then
   * decides).
   */
  protected String apiUrl(String flag, String configured) {
    if (flag != null) {
      return flag;
    }
    String fromEnv = ctx().env(API_URL_ENV);
    if (fromEnv != null) {
      return fromEnv.trim();
    }
    if (configured == null) {
      return NetlifyClient.DEFAULT_BASE_URL;
    }
    if (!isNetlifyApi(parsed(configured, ConfigStore.STATE_DIR + "/" + ConfigStore.FILE_NAME))) {
      throw new ConfigException(
          ConfigException.Kind.INVALID,
          ".devops/config.json sends API requests to "
              + configured
              + ", which is not Netlify's API, and the file comes with the repository: to trust"
              + " it, set "
              + API_URL_ENV
              + " to that URL (and "
              + Credentials.TOKEN_ENV
              + " to its token).");
    }
    return configured;
  }

  /** Netlify's own API ({@code https://api.netlify.com}): where any token may go. */
  static boolean isNetlifyApi(URI base) {
    return "https".equals(base.getScheme())
        && "api.netlify.com".equalsIgnoreCase(base.getHost())
        && (base.getPort() == -1 || base.getPort() == 443);
  }

  private static URI parsed(String url, String where) {
    try {
      return NetlifyClient.parseBaseUrl(url);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigException.Kind.INVALID, where + ": " + e.getMessage());
    }
  }

  /**
   * A client for the API root {@link #apiUrl(String, String)} picks, with the token, timeouts and
   * retries this process is given. The token of netlify-cli's login goes to Netlify's API only;
   * another API needs {@code NETLIFY_AUTH_TOKEN}. Checked in this order, before any request: the
   * settings (exit 2), the token (5), the API root (3), the token for that root (5).
   */
  protected NetlifyClient newClient(String flag, String configured) {
    NetlifyClient.Options defaults =
        NetlifyClient.Options.defaults(
            NetlifyClient.DEFAULT_BASE_URL, null, "devops/" + VersionProvider.version());
    Duration timeout = seconds(TIMEOUT_ENV, defaults.readTimeout());
    int retries = intEnv(RETRIES_ENV, defaults.maxRetries(), 0, 20);
    int retryBaseMs = intEnv(RETRY_BASE_ENV, (int) defaults.retryBase().toMillis(), 0, 60_000);
    Credentials.Token found = Credentials.find(ctx().env());
    String baseUrl = apiUrl(flag, configured);
    URI base = parsed(baseUrl, flag != null ? "--api-url" : API_URL_ENV);
    if (found.source() != Credentials.Source.ENV && !isNetlifyApi(base)) {
      throw new ConfigException(
          ConfigException.Kind.NO_TOKEN,
          "The token of 'netlify login' is sent to Netlify's API only, not to "
              + base
              + ": set "
              + Credentials.TOKEN_ENV
              + " to a token for that API.");
    }
    String token = found.value();
    Duration connect =
        timeout.compareTo(defaults.connectTimeout()) < 0 ? timeout : defaults.connectTimeout();
    NetlifyClient.Options options =
        new NetlifyClient.Options(
            baseUrl,
            token,
            defaults.userAgent(),
            connect,
            timeout,
            retries,
            Duration.ofMillis(retryBaseMs),
            defaults.maxRateLimitWait(),
            debug() ? line -> say(Text.clean(line)) : null);
    String caFile = ctx().env(CA_CERTS_ENV);
    if (caFile != null) {
      try {
        options = options.withTls(dev.devops.http.ExtraTrust.socketFactory(Path.of(caFile)));
      } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
        throw new ConfigException(
            ConfigException.Kind.INVALID,
            CA_CERTS_ENV + ": cannot read certificates from '" + caFile + "': " + e.getMessage());
      }
    }
    return new NetlifyClient(options);
  }

  private Duration seconds(String name, Duration fallback) {
    return seconds(name, fallback, 0.001, 3600, "0.001 (1 ms)");
  }

  /**
   * A number of seconds in {@code min..max} from the environment variable {@code name}, else {@code
   * fallback}; anything else is a usage error naming the range ({@code minText} says min).
   */
  protected Duration seconds(
      String name, Duration fallback, double min, double max, String minText) {
    String raw = ctx().env(name);
    if (raw == null) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(raw.trim());
      if (value >= min && value <= max) {
        return Duration.ofMillis(Math.round(value * 1000));
      }
    } catch (NumberFormatException ignored) {
      // Reported below.
    }
    throw new CliException(
        ExitCode.USAGE,
        name
            + "='"
            + Text.clean(raw)
            + "' is not a number of seconds from "
            + minText
            + " to "
            + (long) max
            + ".");
  }

  private int intEnv(String name, int fallback, int min, int max) {
    String raw = ctx().env(name);
    if (raw == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // Reported below.
    }
    throw new CliException(
        ExitCode.USAGE,
        name + "='" + Text.clean(raw) + "' must be a whole number in " + min + ".." + max + ".");
  }
}
