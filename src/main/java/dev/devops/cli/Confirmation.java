package dev.devops.cli;

import dev.devops.engine.RollbackPlanner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The go-ahead for a rollback: {@code --yes} or {@code --confirm ROLLBACK} with {@code --reason},
 * or, on a terminal, the word ROLLBACK typed at the prompt and a reason. Never prompts without a
 * terminal.
 */
final class Confirmation {
  static final String WORD = "ROLLBACK";

  private final BaseCommand command;
  private final boolean byFlag;
  private final String reason;

  private Confirmation(BaseCommand command, boolean byFlag, String reason) {
    this.command = command;
    this.byFlag = byFlag;
    this.reason = reason;
  }

  /** Checks the flags before anything is read or changed. */
  static Confirmation of(
      BaseCommand command, boolean yes, String confirm, String reason, boolean dryRun) {
    boolean byFlag = yes || confirm != null;
    if (confirm != null && !WORD.equals(confirm)) {
      throw new CliException(
          ExitCode.NOT_CONFIRMED,
          "--confirm must be exactly ROLLBACK, not '"
              + Text.clean(confirm)
              + "': nothing was changed.");
    }
    boolean interactive = command.ctx().interactive();
    if (!dryRun && byFlag && blank(reason) && !interactive) {
      throw new CliException(
          ExitCode.USAGE,
          "--reason is required with --yes or --confirm: say why, e.g. --reason \"checkout broken\".");
    }
    if (!dryRun && !byFlag && !interactive) {
      throw new CliException(
          ExitCode.NOT_CONFIRMED,
          "No terminal to confirm on: pass --yes --reason R (or --confirm ROLLBACK --reason R), or --dry-run to look first.");
    }
    return new Confirmation(command, byFlag, blank(reason) ? null : reason.trim());
  }

  /** Asks when it must, on stderr; returns the reason to record. */
  /** The go-ahead came with the command ({@code --yes} or {@code --confirm ROLLBACK}). */
  boolean byFlag() {
    return byFlag;
  }

  String ask(RollbackPlanner.Impact impact, boolean lock) {
    if (byFlag && reason != null) {
      return reason;
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(command.ctx().in(), StandardCharsets.UTF_8));
    try {
      if (!byFlag) {
        command.say(RollbackView.confirm(impact, lock));
        String typed = in.readLine();
        if (typed == null || !WORD.equals(typed)) {
          throw new CliException(
              ExitCode.NOT_CONFIRMED,
              "Rollback cancelled: you did not type ROLLBACK. Nothing was changed.");
        }
      }
      String why = reason;
      if (why == null) {
        command.say("Reason (recorded in the rollback history):");
        why = in.readLine();
      }
      if (blank(why)) {
        throw new CliException(
            ExitCode.NOT_CONFIRMED,
            "Rollback cancelled: a reason is required. Nothing was changed.");
      }
      command.say("");
      return why.trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
