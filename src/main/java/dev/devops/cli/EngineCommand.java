package dev.devops.cli;

import dev.devops.engine.DeployEntry;
import dev.devops.engine.DeployHistory;
import dev.devops.engine.DeployStatus;
import dev.devops.engine.EngineContext;
import dev.devops.engine.RollbackSettings;
import dev.devops.netlify.Deploy;
import java.time.Duration;

/** Base of the commands that drive the engine: its context, settings and who is acting. */
abstract class EngineCommand extends ProjectCommand {
  static final String LOCK_WAIT_ENV = "DEVOPS_LOCK_WAIT_SECONDS";

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
              who());
    }
    return engine;
  }

  /** The engine settings from the config, with the lock wait from the environment. */
  protected RollbackSettings settings() {
    var defaults = config().rollback();
    double lockWait = 5;
    String raw = ctx().env(LOCK_WAIT_ENV);
    if (raw != null) {
      try {
        lockWait = Double.parseDouble(raw.trim());
      } catch (NumberFormatException e) {
        throw new CliException(
            ExitCode.USAGE, LOCK_WAIT_ENV + "='" + raw + "' is not a number of seconds.");
      }
    }
    return new RollbackSettings(
        Duration.ofSeconds(Math.max(1, defaults.publishTimeoutSeconds())),
        Math.max(0, defaults.verifySample()),
        config().healthPaths(),
        Duration.ofMillis((long) (Math.max(0, lockWait) * 1000)));
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
