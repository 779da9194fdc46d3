package dev.devops.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The project's {@code .devops/config.json}, as the program sees it (defaults filled in).
 *
 * @param platform always {@code netlify} once loaded
 * @param siteId the Netlify site id
 * @param siteName the site's name when {@code devops init} ran (for display only)
 * @param apiUrl an API root other than Netlify's (the local platform), or null
 * @param healthChecks what a verification and the guard fetch, each path starting with '/'
 * @param rollback rollback defaults
 * @param deployment how deploys are watched
 */
public record ProjectConfig(
    String platform,
    String siteId,
    String siteName,
    String apiUrl,
    List<HealthCheck> healthChecks,
    RollbackDefaults rollback,
    DeploymentDefaults deployment) {

  public static final String NETLIFY = "netlify";
  public static final List<String> DEFAULT_HEALTH_PATHS = List.of("/");
  public static final List<HealthCheck> DEFAULT_HEALTH_CHECKS = List.of(HealthCheck.path("/"));

  public ProjectConfig {
    healthChecks = healthChecks == null ? DEFAULT_HEALTH_CHECKS : List.copyOf(healthChecks);
    rollback = rollback == null ? RollbackDefaults.DEFAULTS : rollback;
    deployment = deployment == null ? DeploymentDefaults.DEFAULTS : deployment;
  }

  /** A config whose health checks are plain paths (the short form), deploys unguarded. */
  public ProjectConfig(
      String platform,
      String siteId,
      String siteName,
      String apiUrl,
      List<String> healthPaths,
      RollbackDefaults rollback) {
    this(platform, siteId, siteName, apiUrl, checksOf(healthPaths), rollback, null);
  }

  /** A fresh Netlify config with default health checks and rollback settings. */
  public static ProjectConfig netlify(String siteId, String siteName, String apiUrl) {
    return new ProjectConfig(
        NETLIFY,
        siteId,
        siteName,
        apiUrl,
        DEFAULT_HEALTH_CHECKS,
        RollbackDefaults.DEFAULTS,
        DeploymentDefaults.DEFAULTS);
  }

  /** This config linked to another site (or API), every setting kept: {@code init --force}. */
  public ProjectConfig relinked(String siteId, String siteName, String apiUrl) {
    return new ProjectConfig(
        platform, siteId, siteName, apiUrl, healthChecks, rollback, deployment);
  }

  /**
   * The paths a verification fetches (each must answer 2xx): those of the health checks, none when
   * {@code deployment.health_check_enabled} is false.
   */
  public List<String> healthPaths() {
    if (!deployment.healthCheckEnabled()) {
      return List.of();
    }
    List<String> paths = new ArrayList<>();
    for (HealthCheck check : healthChecks) {
      if (!paths.contains(check.path())) {
        paths.add(check.path());
      }
    }
    return List.copyOf(paths);
  }

  private static List<HealthCheck> checksOf(List<String> paths) {
    return paths == null ? null : paths.stream().map(HealthCheck::path).toList();
  }

  /**
   * One health check: {@code path} must answer {@code status} (any 2xx when null), with a body that
   * contains {@code contains} (when set), within {@code maxMs} milliseconds (when set).
   */
  public record HealthCheck(String path, Integer status, String contains, Integer maxMs) {
    /** A check that only asks for a 2xx answer: what the short form {@code paths} means. */
    public static HealthCheck path(String path) {
      return new HealthCheck(path, null, null, null);
    }

    /** Whether the short form can say it. */
    public boolean pathOnly() {
      return status == null && contains == null && maxMs == null;
    }
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

  /**
   * How production deploys are watched.
   *
   * @param rollbackOnFailure {@code devops deploy --prod} guards the deploy unless {@code
   *     --no-guard}: it is rolled back when it fails its checks
   * @param healthCheckEnabled the guard and verifications run the health checks (the byte check
   *     runs either way)
   */
  public record DeploymentDefaults(boolean rollbackOnFailure, boolean healthCheckEnabled) {
    public static final DeploymentDefaults DEFAULTS = new DeploymentDefaults(false, true);
  }
}
