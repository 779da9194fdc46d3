package dev.devops.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code --probe CMD}: the user's own check, run once per round with the deploy's URLs in its
 * environment; exit 0 means healthy. It runs without a shell (the words of CMD, with quotes as a
 * shell reads them, but no variables, globs or pipes: {@code sh -c '...'} asks for a shell
 * explicitly). Its run time is bounded (the process and its children are killed at the timeout) and
 * only the last 4 KiB of its output are kept. The Netlify token is not passed on.
 */
final class CommandProbe implements Probe {
  static final int KEPT_OUTPUT = 4096;
  static final String TOKEN_ENV = "NETLIFY_AUTH_TOKEN";

  private final List<String> argv;
  private final Map<String, String> env;
  private final Path dir;
  private final Duration timeout;
  private int round;

  /** The running process, so that a stop of the guard can end it too. */
  private volatile Process running;

  /**
   * @param command the parsed command, its program resolved ({@link #resolve})
   * @param baseEnv the environment it starts from (the token is removed)
   * @param guardEnv the guard's variables (URLs, deploy id)
   */
  CommandProbe(
      List<String> command,
      Map<String, String> baseEnv,
      Map<String, String> guardEnv,
      Path dir,
      Duration timeout) {
    this.argv = List.copyOf(command);
    Map<String, String> e = new HashMap<>(baseEnv);
    e.remove(TOKEN_ENV);
    e.putAll(guardEnv);
    this.env = Map.copyOf(e);
    this.dir = dir;
    this.timeout = timeout;
  }

  @Override
  public String name() {
    return "probe";
  }

  @Override
  public String describe() {
    return "probe: " + String.join(" ", argv) + " exits 0 within " + timeout.toSeconds() + " s";
  }

  @Override
  public Outcome run() {
    round++;
    ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    builder.environment().put("DEVOPS_GUARD_ROUND", Integer.toString(round));
    builder.redirectErrorStream(true);
    builder.redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    long start = System.nanoTime();
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return Outcome.fail("cannot run " + argv.get(0) + ": " + e.getMessage());
    }
    running = process;
    Tail tail = new Tail(process.getInputStream());
    tail.start();
    try {
      boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!ended) {
        stop(process);
        tail.finish();
        return Outcome.fail(
            "timed out after " + timeout.toMillis() + " ms" + lastLine(tail.text(), ": "));
      }
      tail.finish();
      long ms = (System.nanoTime() - start) / 1_000_000;
      int code = process.exitValue();
      return code == 0
          ? Outcome.pass("exit 0 in " + ms + " ms")
          : Outcome.fail("exit " + code + lastLine(tail.text(), ": "));
    } catch (InterruptedException e) {
      stop(process);
      Thread.currentThread().interrupt();
      return Outcome.fail("interrupted");
    } finally {
      running = null;
    }
  }

  /** Ends the probe that is running now, if any (the guard is being stopped). */
  void stopRunning() {
    Process p = running;
    if (p != null) {
      stop(p);
    }
  }

  /** Kills the probe first (so it cannot react), then the children it had then. */
  private static void stop(Process process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
  }

  private static java.io.File nullDevice() {
    return new java.io.File(
        System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }

  private static String lastLine(String text, String prefix) {
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    if (lines.isEmpty()) {
      return "";
    }
    String line = lines.get(lines.size() - 1).strip();
    return prefix + (line.length() > 200 ? line.substring(0, 200) + "…" : line);
  }

  /**
   * The words of {@code command}: split at blanks; '...' keeps everything literally, "..." keeps
   * blanks and takes \" and \\; a backslash outside quotes keeps the next character.
   *
   * @throws IllegalArgumentException for an empty command or an unterminated quote
   */
  static List<String> words(String command) {
    if (command == null || command.isBlank()) {
      throw new IllegalArgumentException("the probe command is empty");
    }
    if (command.length() > 4096) {
      throw new IllegalArgumentException("the probe command is longer than 4096 characters");
    }
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\'
            && i + 1 < command.length()
            && (command.charAt(i + 1) == '"' || command.charAt(i + 1) == '\\')) {
          word.append(command.charAt(++i));
        } else {
          word.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < command.length()) {
        word.append(command.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException(
          "the probe command has an unterminated " + quote + " quote");
    }
    if (inWord) {
      words.add(word.toString());
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException("the probe command is empty");
    }
    return List.copyOf(words);
  }

  /**
   * {@code words} with its program as an executable file: a path (relative to {@code dir}) when it
   * has a '/', else the first match on {@code PATH} (of {@code env}, else of this process).
   *
   * @throws IllegalArgumentException when there is no such executable
   */
  static List<String> resolve(List<String> words, Map<String, String> env, Path dir) {
    String program = words.get(0);
    Path found = null;
    try {
      if (program.contains("/")) {
        Path p = dir.resolve(program).normalize();
        found = Files.isRegularFile(p) && Files.isExecutable(p) ? p : null;
      } else {
        String path = env.getOrDefault("PATH", System.getenv("PATH"));
        for (String entry : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
          if (entry.isEmpty()) {
            continue;
          }
          Path p = Path.of(entry).resolve(program);
          if (Files.isRegularFile(p) && Files.isExecutable(p)) {
            found = p.toAbsolutePath();
            break;
          }
        }
      }
    } catch (InvalidPathException e) {
      found = null;
    }
    if (found == null) {
      throw new IllegalArgumentException(
          "'"
              + program
              + "' is not an executable file"
              + (program.contains("/") ? "" : " on PATH")
              + " (the probe runs without a shell: for shell syntax use sh -c '...')");
    }
    List<String> resolved = new ArrayList<>(words);
    resolved.set(0, found.toString());
    return List.copyOf(resolved);
  }

  /** Reads a process's output to its end, keeping only the last {@link #KEPT_OUTPUT} bytes. */
  private static final class Tail extends Thread {
    private final InputStream in;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

    Tail(InputStream in) {
      super("devops-probe-output");
      this.in = in;
      setDaemon(true);
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      try (in) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          synchronized (kept) {
            kept.write(buffer, 0, n);
            if (kept.size() > 2 * KEPT_OUTPUT) {
              byte[] all = kept.toByteArray();
              kept.reset();
              kept.write(all, all.length - KEPT_OUTPUT, KEPT_OUTPUT);
            }
          }
        }
      } catch (IOException ignored) {
        // The process ended or was killed: what was read is what there is.
      }
    }

    /**
     * Waits briefly for the rest of the output. A child the probe left running may hold the pipe
     * open: this daemon reader is then left to end with it.
     */
    void finish() {
      try {
        join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    String text() {
      synchronized (kept) {
        byte[] all = kept.toByteArray();
        int from = Math.max(0, all.length - KEPT_OUTPUT);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
      }
    }
  }
}
