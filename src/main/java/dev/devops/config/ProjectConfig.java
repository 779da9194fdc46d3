package dev.devops.config;

import java.util.List;

/**
 * The project's {@code .devops/config.json}, as the program sees it (defaults filled in).
 *
 * @param platform always {@code netlify} once loaded
 * @param siteId the Netlify site id
 * @param siteName the site's name when {@code devops init} ran (for display only)
 * @param apiUrl an API root other than Netlify's (the local platform), or null
 * @param healthPaths site paths a verification fetches, each starting with '/'
 * @param rollback rollback defaults
 */
public record ProjectConfig(
    String platform,
    String siteId,
    String siteName,
    String apiUrl,
    List<String> healthPaths,
    RollbackDefaults rollback) {

  public static final String NETLIFY = "netlify";
  public static final List<String> DEFAULT_HEALTH_PATHS = List.of("/");

  public ProjectConfig {
    healthPaths = healthPaths == null ? DEFAULT_HEALTH_PATHS : List.copyOf(healthPaths);
    rollback = rollback == null ? RollbackDefaults.DEFAULTS : rollback;
  }

  /** A fresh Netlify config with default health checks and rollback settings. */
  public static ProjectConfig netlify(String siteId, String siteName, String apiUrl) {
    return new ProjectConfig(
        NETLIFY, siteId, siteName, apiUrl, DEFAULT_HEALTH_PATHS, RollbackDefaults.DEFAULTS);
  }

  /**
   * How rollbacks behave unless a flag says otherwise.
   *
   * @param lock lock auto publishing after a rollback, so the next git deploy does not undo it
   * @param publishTimeoutSeconds how long to wait for the platform to serve the target
   * @param verifySample how many files a verification compares byte for byte
   */
  public record RollbackDefaults(boolean lock, int publishTimeoutSeconds, int verifySample) {
    public static final RollbackDefaults DEFAULTS = new RollbackDefaults(true, 60, 20);
  }
}
