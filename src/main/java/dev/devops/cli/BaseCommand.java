package dev.devops.cli;

import dev.devops.config.ConfigException;
import dev.devops.util.JrJson;
import dev.devops.util.Json;
import dev.devops.util.Secrets;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Base of every leaf command: gives it the process context and its two streams. stdout carries the
 * command's result (its JSON with {@code --json}, else its report for people); stderr carries
 * progress, prompts, warnings and errors. Failures are thrown, never printed here: {@link App}
 * reports them and {@link ExitCode#of} picks the code.
 */
public abstract class BaseCommand implements Callable<Integer>, SpecAware, Model.Described {
  CliContext ctx;

  protected CommandSpec spec;

  @Override
  public final void spec(CommandSpec spec) {
    this.spec = spec;
  }

  @Override
  public final Integer call() throws Exception {
    return execute();
  }

  /** Runs the command and returns its exit code. */
  protected abstract int execute() throws Exception;

  protected CliContext ctx() {
    return ctx;
  }

  /** Whether this command was asked for {@code --debug} (every command has it). */
  protected boolean debug() {
    return given("--debug");
  }

  /** Whether this command was asked for {@code --json}. */
  protected boolean json() {
    return given("--json");
  }

  private boolean given(String flag) {
    OptionSpec option = spec == null ? null : spec.findOption(flag);
    return option != null && Boolean.TRUE.equals(option.getValue());
  }

  /**
   * The human block for {@code error} when this command has one (the spec's refusal blocks), or
   * null for the standard one-line message.
   */
  protected String errorBlock(Throwable error) {
    if (error instanceof ConfigException c
        && c.kind() == ConfigException.Kind.UNSUPPORTED_PLATFORM) {
      return Messages.platformNotSupported(c.platform());
    }
    return null;
  }

  /** Standard output: the result. */
  protected PrintWriter out() {
    return ctx.out();
  }

  /** Standard error: messages for people. */
  protected PrintWriter err() {
    return ctx.err();
  }

  protected Style style() {
    return new Style(ctx.color());
  }

  /** Writes one human line (or block) on stderr, with any known secret redacted. */
  protected void say(String line) {
    ctx.err().println(Secrets.redact(line));
  }

  /** Writes the command's human report (or a part of it) on stdout, redacted. */
  protected void report(String text) {
    ctx.out().println(Secrets.redact(text));
    ctx.out().flush();
  }

  /** Writes {@code value} as pretty JSON on stdout: the one JSON writer of whole results. */
  protected void printJson(Object value) {
    String text;
    try {
      text =
          value instanceof JrJson.Output
              ? JrJson.pretty(value)
              : Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.out().println(Secrets.redact(text));
    ctx.out().flush();
  }

  /** Writes {@code value} as one compact JSON line on stdout: the writer of event streams. */
  protected void printJsonLine(Object value) {
    try {
      ctx.out().println(Secrets.redact(Json.mapper().writeValueAsString(value)));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    ctx.out().flush();
  }

  /** A path under the project as people see it: relative, with a trailing slash for folders. */
  protected String display(Path path) {
    Path abs = path.toAbsolutePath().normalize();
    Path base = ctx().cwd().toAbsolutePath().normalize();
    String text = abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
    return Files.isDirectory(abs) && !text.endsWith("/") ? text + "/" : text;
  }
}
