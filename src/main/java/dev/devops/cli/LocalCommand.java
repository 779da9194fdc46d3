package dev.devops.cli;

import picocli.CommandLine.Command;

/** {@code devops local}: the local Netlify-compatible platform. */
@Command(name = "local", description = "Run the local Netlify-compatible platform.")
public final class LocalCommand {}
