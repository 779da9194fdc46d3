package dev.devops.testing;

import dev.devops.cli.App;
import dev.devops.cli.CliContext;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs the real CLI in-process, through the same {@link App} entry point as {@code main}, with a
 * project directory, environment and stdin of the test's choosing.
 */
public final class Cli {
  /**
   * What one run printed and returned; {@code screen} is stdout and stderr interleaved as a
   * terminal would show them.
   */
  public record Result(int exitCode, String out, String err, String screen) {
    /** stdout and stderr together, for assertions that something appears nowhere. */
    public String all() {
      return out + "\n" + err;
    }
  }

  /** Writes to its own buffer and to a buffer it shares with the other stream. */
  private static final class Tee extends java.io.Writer {
    private final StringBuilder own = new StringBuilder();
    private final StringBuilder shared;

    Tee(StringBuilder shared) {
      this.shared = shared;
    }

    @Override
    public void write(char[] buf, int off, int len) {
      synchronized (shared) {
        own.append(buf, off, len);
        shared.append(buf, off, len);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      synchronized (shared) {
        return own.toString();
      }
    }
  }

  private final Path cwd;
  private final Map<String, String> env = new HashMap<>();
  private Clock clock = Clock.systemUTC();

  public Cli(Path cwd) {
    this.cwd = cwd;
    // Never read the developer's own netlify-cli login.
    env.put("XDG_CONFIG_HOME", cwd.resolve(".xdg").toString());
    env.put("HOME", cwd.toString());
  }

  public Cli env(String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return this;
  }

  public Cli clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  public Path cwd() {
    return cwd;
  }

  /** Runs without a terminal and with empty stdin, as CI and agents do. */
  public Result run(String... args) {
    return run("", false, args);
  }

  /** Runs as if a person were at a terminal typing {@code input}. */
  public Result runInteractive(String input, String... args) {
    return run(input, true, args);
  }

  public Result run(String input, boolean interactive, String... args) {
    StringBuilder screen = new StringBuilder();
    Tee out = new Tee(screen);
    Tee err = new Tee(screen);
    CliContext ctx =
        new CliContext(
            Map.copyOf(env),
            cwd,
            new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            interactive,
            false,
            clock);
    int code = App.run(ctx, args);
    String all;
    synchronized (screen) {
      all = screen.toString();
    }
    return new Result(code, out.toString(), err.toString(), all);
  }
}
