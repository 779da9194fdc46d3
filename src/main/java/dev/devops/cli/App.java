package dev.devops.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.devops.netlify.NetlifyException;
import dev.devops.util.Json;
import dev.devops.util.Secrets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParseResult;

/** Builds the command line and runs it; the single entry point for {@code main} and for tests. */
public final class App {
  private App() {}

  /** Runs the CLI with {@code args} in {@code ctx} and returns the exit code. */
  public static int run(CliContext ctx, String... args) {
    try {
      if (RootCommand.asksOnlyForVersion(args)) {
        // The line picocli prints for --version, without building the command model first.
        ctx.out().println(VersionProvider.line());
        return ExitCode.OK.code();
      }
      return commandLine(ctx, args).execute(args);
    } finally {
      ctx.out().flush();
      ctx.err().flush();
    }
  }

  /** The command line for one run: only the commands {@code args} can reach are modelled. */
  static CommandLine commandLine(CliContext ctx, String... argv) {
    CommandLine cl = RootCommand.create(new ContextFactory(ctx), argv);
    cl.setOut(ctx.out());
    cl.setErr(ctx.err());
    cl.setColorScheme(Help.defaultColorScheme(ctx.color() ? Help.Ansi.ON : Help.Ansi.OFF));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler(
        (error, commandLine, parseResult) -> report(ctx, error, commandLine, parseResult));
    boolean json = Arrays.asList(argv).contains("--json");
    cl.setParameterExceptionHandler(
        (error, args) -> {
          ExitCode code = ExitCode.of(error);
          String message = Secrets.redact(Text.clean(error.getMessage()));
          PrintWriter err = ctx.err();
          err.println(new Style(ctx.color()).red("❌ " + message));
          err.println(
              "💡 Run '"
                  + error.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help' for usage.");
          if (json) {
            printError(ctx, code, message);
          }
          return code.code();
        });
    return cl;
  }

  /** The {@code --json} error object (README, "Any error with --json"). */
  record ErrorReport(Error error) {
    record Error(@JsonProperty("exit_code") int exitCode, String error, String message) {}
  }

  private static void printError(CliContext ctx, ExitCode code, String message) {
    try {
      ctx.out()
          .println(
              Secrets.redact(
                  Json.mapper()
                      .writeValueAsString(
                          new ErrorReport(
                              new ErrorReport.Error(
                                  code.code(), code.name().toLowerCase(Locale.ROOT), message)))));
    } catch (Exception ignored) {
      // The stderr line already told the user.
    }
  }

  /** Reports a failure in one line (or the command's spec block) and maps its code. */
  private static int report(
      CliContext ctx, Exception error, CommandLine commandLine, ParseResult parseResult) {
    ExitCode code = ExitCode.of(error);
    Object command = commandLine.getCommand();
    BaseCommand base = command instanceof BaseCommand b ? b : null;
    PrintWriter err = ctx.err();
    String message = Secrets.redact(Text.clean(describe(error, code)));
    String block = base == null ? null : base.errorBlock(error);
    if (block != null) {
      err.println(Secrets.redact(block));
    } else {
      err.println(new Style(ctx.color()).red("❌ " + message));
    }
    if (base != null && base.debug()) {
      StringWriter trace = new StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      err.println(Secrets.redact(trace.toString()));
    }
    if (base != null && base.json()) {
      printError(ctx, code, message);
    }
    return code.code();
  }

  /** One line that says what went wrong and what to do. */
  static String describe(Throwable error, ExitCode code) {
    String message =
        error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    if (error instanceof NetlifyException n) {
      if (n.isAuth()) {
        return "Netlify refused the token ("
            + n.status()
            + "): set NETLIFY_AUTH_TOKEN to a valid personal access token, or run 'netlify login'.";
      }
      if (n.isNotFound()) {
        return message;
      }
      return message.toLowerCase(Locale.ROOT).contains("retry")
          ? message
          : message + " Retry shortly; rerun with --debug for the request trace.";
    }
    if (code == ExitCode.FAILURE) {
      return "Internal error: " + message + " (rerun with --debug for details)";
    }
    return message;
  }

  /** Creates commands and hands each {@link BaseCommand} the process context. */
  private static final class ContextFactory implements IFactory {
    private final CliContext ctx;
    private final IFactory fallback = CommandLine.defaultFactory();

    ContextFactory(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
      K instance = fallback.create(type);
      if (instance instanceof BaseCommand command) {
        command.ctx = ctx;
      }
      return instance;
    }
  }
}
