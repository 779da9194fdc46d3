package dev.devops.cli;

/**
 * A command with {@code --json}: its result as machine-readable JSON on stdout, documented in the
 * README. {@link RootCommand#register} adds the option to the command's model; {@link
 * BaseCommand#json()} reads it.
 */
interface JsonOutput {}
