package dev.devops.cli;

import picocli.CommandLine.Option;

/** {@code --json}: machine-readable output on stdout, documented in the README. */
public final class JsonOption {
  @Option(names = "--json", description = "Write machine-readable JSON to stdout.")
  boolean json;
}
