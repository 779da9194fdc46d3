package dev.devops.testing;

import dev.devops.cli.App;
import dev.devops.cli.CliContext;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
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
  /** What one run printed and returned. */
  public record Result(int exitCode, String out, String err) {
    /** stdout and stderr together, for assertions that something appears nowhere. */
    public String all() {
      return out + "\n" + err;
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
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
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
    return new Result(code, out.toString(), err.toString());
  }
}
