package dev.devops.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Everything a command may take from its process: environment, working directory, streams and
 * whether a person is at a terminal. Tests build one to run the CLI in-process.
 *
 * @param env environment variables
 * @param cwd the project directory; {@code .devops/} lives here
 * @param in standard input (prompts read from it)
 * @param out standard output: data only
 * @param err standard error: messages for people
 * @param interactive a person can answer prompts (stdin is a terminal)
 * @param color ANSI colours may be used on stderr
 * @param clock the time source
 */
public record CliContext(
    Map<String, String> env,
    Path cwd,
    InputStream in,
    PrintWriter out,
    PrintWriter err,
    boolean interactive,
    boolean color,
    Clock clock) {

  /** The context of a real process. */
  public static CliContext system() {
    Map<String, String> env = System.getenv();
    boolean stdinTty = isTerminal(0);
    boolean stderrTty = isTerminal(2);
    return new CliContext(
        env,
        Path.of("").toAbsolutePath(),
        System.in,
        writer(System.out),
        writer(System.err),
        stdinTty,
        stderrTty && !env.containsKey("NO_COLOR") && !"dumb".equals(env.get("TERM")),
        Clock.systemUTC());
  }

  public static PrintWriter writer(OutputStream stream) {
    return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
  }

  public String env(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  /** True when file descriptor {@code fd} of this process is a terminal (Linux; else console). */
  static boolean isTerminal(int fd) {
    try {
      Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
      String name = target.toString();
      return name.startsWith("/dev/pts/") || name.startsWith("/dev/tty");
    } catch (Exception e) {
      return System.console() != null;
    }
  }
}
