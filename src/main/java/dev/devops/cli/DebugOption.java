package dev.devops.cli;

import picocli.CommandLine.Option;

/** {@code --debug}: full error causes and request traces on stderr, secrets redacted. */
public final class DebugOption {
  @Option(
      names = "--debug",
      description =
          "Print request traces and full error details on stderr (the token is redacted).")
  boolean debug;
}
