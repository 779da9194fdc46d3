package dev.devops.cli;

import java.util.List;

/**
 * A command with subcommands. They are listed here, not in the {@code @Command} annotation, so that
 * a run models only those it can reach (see {@link RootCommand#register}).
 */
interface CommandGroup {
  /** The subcommands, in the order help lists them. */
  List<Class<?>> subcommands();
}
