package dev.devops.cli;

import dev.devops.config.ConfigException;
import dev.devops.netlify.NetlifyException;
import dev.devops.util.Json;
import dev.devops.util.Secrets;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
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
    cl.setParameterExceptionHandler(
        (error, args) -> {
          PrintWriter err = ctx.err();
          err.println(new Style(ctx.color()).red("❌ " + Secrets.redact(error.getMessage())));
          err.println(
              "💡 Run '"
                  + error.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help' for usage.");
          return ExitCode.USAGE.code();
        });
    return cl;
  }

  /** Reports a failure in one line (plus the spec's block where one exists) and maps its code. */
  private static int report(
      CliContext ctx, Exception error, CommandLine commandLine, ParseResult parseResult) {
    ExitCode code = ExitCode.of(error);
    Object command = commandLine.getCommand();
    boolean debug = command instanceof BaseCommand b && b.debug();
    boolean json = command instanceof BaseCommand b && b.json();
    Style style = new Style(ctx.color());
    PrintWriter err = ctx.err();
    if (error instanceof ConfigException c
        && c.kind() == ConfigException.Kind.UNSUPPORTED_PLATFORM) {
      err.println(Messages.platformNotSupported(c.platform()));
    } else {
      err.println(style.red("❌ " + Secrets.redact(describe(error, code))));
    }
    if (debug) {
      java.io.StringWriter trace = new java.io.StringWriter();
      error.printStackTrace(new PrintWriter(trace));
      err.println(Secrets.redact(trace.toString()));
    }
    if (json) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("exit_code", code.code());
      body.put("error", code.name().toLowerCase(java.util.Locale.ROOT));
      body.put("message", describe(error, code));
      Map<String, Object> wrapper = new LinkedHashMap<>();
      wrapper.put("error", body);
      try {
        ctx.out().println(Secrets.redact(Json.mapper().writeValueAsString(wrapper)));
      } catch (Exception ignored) {
        // The stderr line above already told the user.
      }
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
      return message.toLowerCase(java.util.Locale.ROOT).contains("retry")
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

  static String json(Object value) {
    try {
      return Json.mapper().writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
