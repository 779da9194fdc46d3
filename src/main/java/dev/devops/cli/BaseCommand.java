package dev.devops.cli;

import dev.devops.util.Json;
import dev.devops.util.Secrets;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every leaf command: gives it the process context, stdout for data and stderr for people.
 * Failures are thrown, never printed here; {@link App} reports them and picks the exit code.
 */
public abstract class BaseCommand implements Callable<Integer> {
  CliContext ctx;

  @Spec protected CommandSpec spec;

  @Mixin DebugOption debugOption;

  @Override
  public final Integer call() throws Exception {
    return execute();
  }

  /** Runs the command and returns its exit code. */
  protected abstract int execute() throws Exception;

  protected CliContext ctx() {
    return ctx;
  }

  protected boolean debug() {
    return debugOption != null && debugOption.debug;
  }

  /** Whether this command was asked for {@code --json}. */
  protected boolean json() {
    OptionSpec option = spec.findOption("--json");
    return option != null && Boolean.TRUE.equals(option.getValue());
  }

  /** Standard output: data only. */
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

  /** Writes one human line on stderr, with any known secret redacted. */
  protected void say(String line) {
    ctx.err().println(Secrets.redact(line));
  }

  /** Writes {@code value} as pretty JSON on stdout. */
  protected void printJson(Object value) throws Exception {
    ctx.out()
        .println(
            Secrets.redact(
                Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value)));
    ctx.out().flush();
  }

  /** Writes {@code value} as one compact JSON line on stdout (for event streams). */
  protected void printJsonLine(Object value) throws Exception {
    ctx.out().println(Secrets.redact(Json.mapper().writeValueAsString(value)));
    ctx.out().flush();
  }
}
