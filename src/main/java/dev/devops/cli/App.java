package dev.devops.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.devops.netlify.NetlifyException;
import dev.devops.util.Json;
import dev.devops.util.SafeFiles;
import dev.devops.util.Secrets;
import dev.devops.util.UnsafeFileException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParseResult;

/** Builds the command line and runs it; the single entry point for {@code main} and for tests. */
public final class App {
  static {
    // Picocli looks for Groovy, and for converters of java.sql and java.time types, each time it
    // builds a command line (class lookups and reflection): devops uses none of them (its
    // durations have their own converter).
    System.setProperty("picocli.disable.closures", "true");
    if (System.getProperty("picocli.converters.excludes") == null) {
      System.setProperty("picocli.converters.excludes", "java\\.(sql|time)\\..*");
    }
  }

  private App() {}

  /** Runs the CLI with {@code args} in {@code ctx} and returns the exit code. */
  public static int run(CliContext ctx, String... args) {
    SafeFiles.forgetSweeps();
    try {
      if (RootCommand.asksOnlyForVersion(args)) {
        // The line picocli prints for --version, without building the command model first.
        ctx.out().println(VersionProvider.line());
        return ExitCode.OK.code();
      }
      JsonWarmup.start(args);
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
      // Exception messages may quote API answers or file contents: each line made printable.
      for (String line : trace.toString().split("\\R")) {
        String indent = line.startsWith("\t") ? "\t" : "";
        err.println(Secrets.redact(indent + Text.clean(line.substring(indent.length()))));
      }
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
    UnsafeFileException unsafe = ExitCode.cause(error, UnsafeFileException.class);
    if (unsafe != null) {
      return unsafe.getMessage();
    }
    if (code == ExitCode.LOCAL_IO) {
      return localFailure(error, ExitCode.localFailure(error));
    }
    if (code == ExitCode.FAILURE) {
      return "Internal error: " + message + " (rerun with --debug for details)";
    }
    return message;
  }

  /**
   * "What could not be done: what the file system said", then what to do: {@code error}'s own
   * message names the file when it wraps {@code io}; else the file system's exception does.
   */
  static String localFailure(Throwable error, IOException io) {
    String reason = reason(io);
    String what = null;
    for (Throwable t = error; t != null && t != io && what == null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && (t.getCause() == null || !m.equals(t.getCause().toString()))) {
        what = m; // the first message of ours, not a wrapper repeating its cause
      }
    }
    if (what == null) {
      what =
          io instanceof FileSystemException f && f.getFile() != null
              ? "Cannot use " + f.getFile()
              : "A local file operation failed";
    }
    String line = what.contains(reason) ? what : what + ": " + reason;
    String lower = reason.toLowerCase(Locale.ROOT);
    if (lower.contains("no space left")) {
      return line + " (the disk is full: free some space, then run the command again).";
    }
    if (lower.contains("read-only file system")) {
      return line + " (the file system is read-only: run devops from a writable folder).";
    }
    if (io instanceof AccessDeniedException || lower.contains("permission denied")) {
      return line + " (check the permissions of that file or folder).";
    }
    return line + " (a local file or folder could not be used; rerun with --debug for details).";
  }

  /** The file system's words, never empty. */
  private static String reason(IOException io) {
    if (io instanceof FileSystemException f) {
      if (f.getReason() != null) {
        return f.getReason();
      }
      if (f instanceof AccessDeniedException) {
        return "Permission denied";
      }
      if (f instanceof NoSuchFileException) {
        return "No such file or folder";
      }
      if (f instanceof FileAlreadyExistsException) {
        return "Already exists";
      }
      if (f instanceof NotDirectoryException) {
        return "Not a folder";
      }
      return f.getClass().getSimpleName();
    }
    return io.getMessage() == null ? io.getClass().getSimpleName() : io.getMessage();
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
