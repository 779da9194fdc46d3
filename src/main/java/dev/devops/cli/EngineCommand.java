package dev.devops.cli;

import dev.devops.engine.DeployEntry;
import dev.devops.engine.DeployHistory;
import dev.devops.engine.DeployStatus;
import dev.devops.engine.EngineContext;
import dev.devops.engine.RollbackSettings;
import dev.devops.engine.SharedRecord;
import dev.devops.netlify.Deploy;
import java.time.Duration;

/** Base of the commands that drive the engine: its context, settings and who is acting. */
abstract class EngineCommand extends ProjectCommand {
  static final String LOCK_WAIT_ENV = "DEVOPS_LOCK_WAIT_SECONDS";
  static final String LEASE_WAIT_ENV = "DEVOPS_LEASE_WAIT_SECONDS";
  static final String LEASE_TTL_ENV = "DEVOPS_LEASE_SECONDS";

  private EngineContext engine;

  /** The engine's context for this run: client, project, site, clock, settings, who. */
  protected EngineContext engine() {
    if (engine == null) {
      engine =
          new EngineContext(
              client(),
              ctx().cwd(),
              stateDir(),
              config().siteId(),
              ctx().clock(),
              settings(),
              who(),
              new SharedRecord(client(), config().siteId(), ctx().clock(), who(), sharedOptions()));
    }
    return engine;
  }

  /**
   * How this run uses the site's shared record: the lease's wait and lifetime (from the
   * environment, for tests and impatient teams), this machine's name, and warnings on stderr.
   */
  private SharedRecord.Options sharedOptions() {
    Duration wait = seconds(LEASE_WAIT_ENV, SharedRecord.DEFAULT_LEASE_WAIT, 0, 86_400, "0");
    Duration ttl = seconds(LEASE_TTL_ENV, SharedRecord.DEFAULT_LEASE_TTL, 0, 86_400, "0");
    if (ttl.toMillis() < 1000) {
      throw new CliException(ExitCode.USAGE, LEASE_TTL_ENV + " must be at least 1 second.");
    }
    String host = ctx().env("HOSTNAME");
    return new SharedRecord.Options(
        wait,
        ttl,
        host == null || host.isBlank() ? SharedRecord.localHost() : host.trim(),
        spec.qualifiedName(),
        this::sharedWarning);
  }

  /** A warning about the site's shared record: on stderr (commands with JSON lines add one). */
  protected void sharedWarning(String warning) {
    say("⚠️ " + Text.clean(warning));
  }

  /** The engine settings from the config, with the lock wait from the environment. */
  protected RollbackSettings settings() {
    var defaults = config().rollback();
    return new RollbackSettings(
        Duration.ofSeconds(Math.max(1, defaults.publishTimeoutSeconds())),
        Math.max(0, defaults.verifySample()),
        config().healthPaths(),
        seconds(LOCK_WAIT_ENV, Duration.ofSeconds(5), 0, 86_400, "0"));
  }

  /** Who runs this: USER, else LOGNAME, else the JVM's user name. */
  protected String who() {
    String user = ctx().env("USER");
    if (user == null) {
      user = ctx().env("LOGNAME");
    }
    return user != null ? user : System.getProperty("user.name", "unknown");
  }

  /** A DEPLOY object of the JSON outputs for a deploy that may lie outside the history page. */
  static DeployJson deployJson(DeployHistory history, Deploy deploy, String version) {
    if (deploy == null) {
      return null;
    }
    for (DeployEntry e : history.entries()) {
      if (e.id().equals(deploy.id())) {
        return DeployJson.of(e, history.now());
      }
    }
    boolean current = history.current().map(c -> c.id().equals(deploy.id())).orElse(false);
    return DeployJson.of(
        new DeployEntry(deploy, version, DeployStatus.of(deploy, current, false), null, false),
        history.now());
  }
}
