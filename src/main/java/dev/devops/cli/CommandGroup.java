package dev.devops.cli;

import java.util.List;

/**
 * A command with subcommands. They are listed here, not in the command's model, so that a run
 * models only those it can reach (see {@link RootCommand#register}).
 */
interface CommandGroup {
  /** The subcommands, in the order help lists them. */
  List<Sub> subcommands();

  /** A subcommand: the word that names it, and the class of the command. */
  record Sub(String name, Class<?> type) {}

  static Sub sub(String name, Class<?> type) {
    return new Sub(name, type);
  }
}
