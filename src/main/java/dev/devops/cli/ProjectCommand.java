package dev.devops.cli;

import dev.devops.config.ConfigException;
import dev.devops.config.ConfigStore;
import dev.devops.config.Credentials;
import dev.devops.config.ProjectConfig;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.NetlifyException;
import dev.devops.state.DeploymentRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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
      client = newClient(apiUrl(config().apiUrl()));
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

  /** Waits for {@code future}, rethrowing what it failed with as it was. */
  protected static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new NetlifyException("request", 0, String.valueOf(e.getCause()), e.getCause());
    }
  }

  /** {@code cwd/.devops}. */
  protected Path stateDir() {
    return ConfigStore.stateDir(ctx().cwd());
  }

  /** The API root: {@code NETLIFY_API_URL}, else the config's, else Netlify's. */
  protected String apiUrl(String configured) {
    String fromEnv = ctx().env(API_URL_ENV);
    if (fromEnv != null) {
      return fromEnv;
    }
    return configured != null ? configured : NetlifyClient.DEFAULT_BASE_URL;
  }

  /** A client for {@code baseUrl} with the token, timeouts and retries this process is given. */
  protected NetlifyClient newClient(String baseUrl) {
    try {
      NetlifyClient.parseBaseUrl(baseUrl);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(ConfigException.Kind.INVALID, e.getMessage());
    }
    String token = Credentials.token(ctx().env());
    NetlifyClient.Options defaults =
        NetlifyClient.Options.defaults(baseUrl, token, "devops/" + VersionProvider.version());
    Duration timeout = seconds(TIMEOUT_ENV, defaults.readTimeout());
    Duration connect =
        timeout.compareTo(defaults.connectTimeout()) < 0 ? timeout : defaults.connectTimeout();
    NetlifyClient.Options options =
        new NetlifyClient.Options(
            baseUrl,
            token,
            defaults.userAgent(),
            connect,
            timeout,
            intEnv(RETRIES_ENV, defaults.maxRetries(), 0, 20),
            Duration.ofMillis(
                intEnv(RETRY_BASE_ENV, (int) defaults.retryBase().toMillis(), 0, 60_000)),
            defaults.maxRateLimitWait(),
            debug() ? this::say : null);
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
    String raw = ctx().env(name);
    if (raw == null) {
      return fallback;
    }
    try {
      double value = Double.parseDouble(raw.trim());
      if (value > 0 && value <= 3600) {
        return Duration.ofMillis((long) (value * 1000));
      }
    } catch (NumberFormatException ignored) {
      // Reported below.
    }
    throw new CliException(
        ExitCode.USAGE, name + "='" + raw + "' is not a number of seconds in (0, 3600].");
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
        name + "='" + raw + "' must be a whole number in " + min + ".." + max + ".");
  }
}
