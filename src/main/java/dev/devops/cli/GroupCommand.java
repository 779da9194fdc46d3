package dev.devops.cli;

import picocli.CommandLine.Model.CommandSpec;

/**
 * A group of subcommands that does not run by itself: named alone, it prints its usage or says
 * which subcommand to try, from the model {@link RootCommand#register} hands it.
 */
abstract class GroupCommand implements Runnable, CommandGroup, SpecAware, Model.Described {
  protected CommandSpec spec;

  @Override
  public final void spec(CommandSpec spec) {
    this.spec = spec;
  }
}
