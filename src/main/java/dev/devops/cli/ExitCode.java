package dev.devops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.devops.config.ConfigException;
import dev.devops.engine.BackupStore;
import dev.devops.engine.Guard;
import dev.devops.engine.GuardException;
import dev.devops.engine.RollbackException;
import dev.devops.engine.RollbackOutcome;
import dev.devops.engine.RollbackPlanner;
import dev.devops.engine.VerificationResult;
import dev.devops.netlify.InvalidInputException;
import dev.devops.netlify.NetlifyException;
import dev.devops.netlify.SiteFiles;
import dev.devops.util.UnsafeFileException;
import java.io.IOException;
import picocli.CommandLine;

/**
 * The one map from outcomes and failures to process exit codes. The README's exit-code table must
 * say the same (ExitCodeDocsTest compares them); numbers never change meaning once released.
 */
public enum ExitCode {
  OK(0, "success"),
  FAILURE(1, "unexpected internal error (rerun with --debug)"),
  USAGE(2, "bad command-line usage or invalid option value"),
  CONFIG(3, "no .devops/config.json, or it or another .devops file is malformed or invalid"),
  UNSUPPORTED_PLATFORM(4, "the config names a platform other than netlify"),
  AUTH(5, "no Netlify token found, or the API refused it (401/403)"),
  NOT_FOUND(6, "the site, deploy, rollback or backup named does not exist"),
  API(7, "the Netlify API or the network failed after retries"),
  INVALID_TARGET(8, "the rollback target failed validation, or a version label is ambiguous"),
  NOT_CONFIRMED(9, "the confirmation was not given (no terminal and no --yes, or not ROLLBACK)"),
  CONFLICT(
      10, "the site changed during the rollback or the guard, or another rollback holds the lock"),
  RECOVERED(11, "the rollback failed; the site was recovered to the pre-rollback deploy"),
  UNVERIFIED(12, "switched but not verified: the served bytes or health checks did not match"),
  RECOVERY_FAILED(
      13, "the rollback and the automatic recovery both failed: run devops emergency-recover"),
  NO_TARGET(14, "there is no previous deploy to roll back to"),
  GUARD_ROLLED_BACK(
      15,
      "deployed, then rolled back by the guard: the deploy failed its checks and the one live"
          + " before it serves again"),
  NOTHING_TO_GUARD(
      16,
      "nothing to guard: no deploy is published, or (guard --next) auto publishing is locked or"
          + " nothing was published within --timeout"),
  LOCAL_IO(
      17,
      "a local file or folder cannot be read or written (permissions, full disk, read-only file"
          + " system)"),
  INTERRUPTED(130, "interrupted (Ctrl-C)");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }

  /** The exit code with number {@code code}, or {@link #FAILURE} for a number we never use. */
  public static ExitCode ofCode(int code) {
    for (ExitCode candidate : values()) {
      if (candidate.code == code) {
        return candidate;
      }
    }
    return FAILURE;
  }

  /** Maps any failure to its exit code: the only place where that decision is made. */
  public static ExitCode of(Throwable error) {
    if (error instanceof CliException e) {
      return e.exitCode();
    }
    if (error instanceof CommandLine.ParameterException
        || error instanceof InvalidInputException
        || error instanceof SiteFiles.LinksOutsideException) {
      return USAGE;
    }
    if (error instanceof ConfigException e) {
      switch (e.kind()) {
        case UNSUPPORTED_PLATFORM:
          return UNSUPPORTED_PLATFORM;
        case NO_TOKEN:
          return AUTH;
        default:
          return CONFIG;
      }
    }
    if (error instanceof NetlifyException e) {
      if (e.isAuth()) {
        return AUTH;
      }
      return e.isNotFound() ? NOT_FOUND : API;
    }
    if (error instanceof RollbackException e) {
      switch (e.kind()) {
        case NOT_FOUND:
          return NOT_FOUND;
        case NO_TARGET:
          return NO_TARGET;
        case INVALID_TARGET:
        case AMBIGUOUS_TARGET:
          return INVALID_TARGET;
        case CONFLICT:
          return CONFLICT;
        case FAILED_RECOVERED:
          return RECOVERED;
        case UNVERIFIED:
          return UNVERIFIED;
        default:
          return RECOVERY_FAILED;
      }
    }
    if (error instanceof GuardException) {
      return NOTHING_TO_GUARD;
    }
    if (error instanceof InterruptedException) {
      return INTERRUPTED;
    }
    if (cause(error, UnsafeFileException.class) != null) {
      return CONFIG;
    }
    return localFailure(error) != null ? LOCAL_IO : FAILURE;
  }

  /**
   * The failure of the machine's files behind {@code error} (a full disk, a read-only file system,
   * a permission, an unreadable file), or null when there is none: an {@link IOException} in its
   * causes that is neither a JSON mapping error nor the network's (those are mapped above).
   */
  static IOException localFailure(Throwable error) {
    IOException found = null;
    int depth = 0;
    for (Throwable t = error; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof JsonProcessingException) {
        return null;
      }
      if (t instanceof IOException io) {
        found = io; // the deepest one says what the file system said
      }
    }
    return found;
  }

  /** The first exception of type {@code type} in {@code error}'s causes, or null. */
  static <T extends Throwable> T cause(Throwable error, Class<T> type) {
    int depth = 0;
    for (Throwable t = error; t != null && depth < 20; t = t.getCause(), depth++) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /**
   * The code of a rollback whose outcome could not be written to its local records ({@code
   * recordError} not null): the outcome's own code when it is a failure, else {@link #LOCAL_IO}.
   */
  public static ExitCode of(RollbackOutcome outcome, String recordError) {
    ExitCode code = of(outcome);
    return recordError != null && code == OK ? LOCAL_IO : code;
  }

  /** The code of a rollback's outcome. */
  public static ExitCode of(RollbackOutcome outcome) {
    return switch (outcome) {
      case VERIFIED, DRY_RUN -> OK;
      case UNVERIFIED -> UNVERIFIED;
      case SUPERSEDED -> CONFLICT;
      case RECOVERED -> RECOVERED;
      case FAILED -> RECOVERY_FAILED;
    };
  }

  /**
   * How a guard ended: healthy is a success, a verified rollback has its own code, a rollback that
   * went wrong has the rollback's, a rollback that was refused has the refusal's.
   */
  public static ExitCode of(Guard.Result result) {
    return switch (result.outcome()) {
      case HEALTHY -> OK;
      case ROLLED_BACK -> GUARD_ROLLED_BACK;
      case ROLLBACK_UNVERIFIED -> UNVERIFIED;
      case ROLLBACK_RECOVERED -> RECOVERED;
      case ROLLBACK_FAILED -> RECOVERY_FAILED;
      case SITE_CHANGED -> CONFLICT;
      case NOT_ROLLED_BACK -> of(result.refusal());
    };
  }

  /** An emergency recovery that put the site back is a success. */
  public static ExitCode of(RollbackOutcome.Recovery outcome) {
    return outcome == RollbackOutcome.Recovery.RECOVERED ? OK : RECOVERY_FAILED;
  }

  /** A target that fails validation is {@link #INVALID_TARGET}. */
  public static ExitCode of(RollbackPlanner.Validation validation) {
    return validation.ok() ? OK : INVALID_TARGET;
  }

  /** A verification whose checks did not all pass is {@link #UNVERIFIED}. */
  public static ExitCode of(VerificationResult verification) {
    return verification.ok() ? OK : UNVERIFIED;
  }

  /** A backup whose blobs are missing or damaged is {@link #UNVERIFIED}. */
  public static ExitCode of(BackupStore.Verification verification) {
    return verification.ok() ? OK : UNVERIFIED;
  }
}
