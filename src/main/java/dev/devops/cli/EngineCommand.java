package dev.devops.cli;

import dev.devops.engine.DeployEntry;
import dev.devops.engine.DeployHistory;
import dev.devops.engine.DeployStatus;
import dev.devops.engine.ProgressListener;
import dev.devops.engine.RollbackFailure;
import dev.devops.engine.RollbackSettings;
import dev.devops.engine.StepEvent;
import dev.devops.netlify.Deploy;
import dev.devops.util.Json;
import dev.devops.util.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Base of the commands that drive the rollback engine: settings, progress rendering, views. */
abstract class EngineCommand extends ProjectCommand {
  static final String LOCK_WAIT_ENV = "DEVOPS_LOCK_WAIT_SECONDS";

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

  /**
   * Progress as it happens: "[mm:ss] ..." lines on stderr for people (when {@code human}), or one
   * JSON event per line on stdout with {@code --json}.
   */
  protected ProgressListener progress(boolean human) {
    return new ProgressListener() {
      @Override
      public void onEvent(StepEvent e) {
        if (json()) {
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("event", "step");
          line.put("step", e.step());
          line.put("status", e.status().label());
          line.put("elapsed_ms", e.elapsedMs());
          line.put("message", e.message());
          jsonLine(line);
        } else if (human) {
          String text = RollbackView.progress(e);
          if (text != null) {
            say(text);
            err().flush();
          }
        }
      }

      @Override
      public void onFailure(RollbackFailure failure) {
        if (json()) {
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("event", "failure");
          line.put("rollback_id", failure.rollbackId());
          line.put("error", failure.error());
          line.put("failed_step", failure.failedStep());
          line.put("backup", failure.backup());
          line.put("current_state", failure.currentState());
          jsonLine(line);
        } else {
          say("");
          say(style().red(RollbackView.failed(failure)));
          say("");
        }
      }
    };
  }

  /**
   * Runs {@code request} with a shutdown hook: stopping the process (Ctrl-C, SIGTERM) mid-switch
   * records where the site is and says how to put it back.
   */
  protected dev.devops.engine.RollbackExecutor.Result executeRollback(
      dev.devops.engine.RollbackExecutor executor,
      dev.devops.engine.RollbackExecutor.Request request,
      ProgressListener listener) {
    Thread onStop =
        new Thread(
            () -> {
              dev.devops.engine.RollbackRecord r = executor.interrupted();
              if (r != null) {
                say(
                    "🛑 Interrupted: rollback "
                        + r.id()
                        + " stopped; the site's "
                        + r.siteState().summary()
                        + ". To put it back as before: devops emergency-recover --rollback-id "
                        + r.id());
                err().flush();
              }
            },
            "devops-rollback-interrupt");
    Runtime.getRuntime().addShutdownHook(onStop);
    try {
      return executor.execute(request, listener);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onStop);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it records the interruption.
      }
    }
  }

  /** The exit code of a finished rollback's history outcome. */
  static ExitCode exitCodeOf(String outcome) {
    return switch (outcome) {
      case dev.devops.engine.RollbackRecord.VERIFIED -> ExitCode.OK;
      case dev.devops.engine.RollbackRecord.UNVERIFIED -> ExitCode.UNVERIFIED;
      case dev.devops.engine.RollbackRecord.RECOVERED -> ExitCode.RECOVERED;
      default -> ExitCode.RECOVERY_FAILED;
    };
  }

  /** The {@code outcome} of a JSON result event for an exit code. */
  static String jsonOutcome(ExitCode code) {
    return switch (code) {
      case OK -> "verified";
      case UNVERIFIED -> "unverified";
      case RECOVERED -> "recovered";
      default -> "failed";
    };
  }

  protected void jsonLine(Object value) {
    try {
      printJsonLine(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A DEPLOY object of the JSON outputs for a deploy that may lie outside the history page. */
  protected static DeployView view(DeployHistory history, Deploy deploy, String version) {
    if (deploy == null) {
      return null;
    }
    for (DeployEntry e : history.entries()) {
      if (e.id().equals(deploy.id())) {
        return DeployView.of(e, history.now());
      }
    }
    boolean current = history.current().map(c -> c.id().equals(deploy.id())).orElse(false);
    return DeployView.of(
        new DeployEntry(deploy, version, DeployStatus.of(deploy, current, false), null, false),
        history.now());
  }

  /** A path under the project as people see it: relative, with a trailing slash for directories. */
  protected String display(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Path base = ctx().cwd().toAbsolutePath().normalize();
    String text = abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
    return java.nio.file.Files.isDirectory(abs) && !text.endsWith("/") ? text + "/" : text;
  }

  /** Writes a human block on stderr, redacted. */
  protected void block(String text) {
    say(Secrets.redact(text));
  }

  static String json(Object value) {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
