package dev.devops.cli;

import picocli.CommandLine.Model.CommandSpec;

/**
 * A command that reads its own model (to print its usage, or to ask which options were given).
 * {@link RootCommand#register} hands it over, as picocli's {@code @Spec} would by reflection.
 */
interface SpecAware {
  void spec(CommandSpec spec);
}
