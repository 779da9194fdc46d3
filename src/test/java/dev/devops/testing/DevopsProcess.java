package dev.devops.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The devops jar run as a real process, for the tests that stop or kill it: {@code java -jar
 * devops.jar ARGS} in a project folder (also its HOME), against the local platform, stdout and
 * stderr together in {@code output.txt} there. The test JVM's own NETLIFY_ and DEVOPS_ variables
 * are not passed on.
 */
public final class DevopsProcess {
  private DevopsProcess() {}

  /** Starts {@code args} in {@code dir}, with {@code env} added to the environment. */
  public static Process start(
      Path dir, String apiUrl, String token, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(System.getProperty("devops.jar", "target/devops.jar"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output(dir).toFile());
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(k -> k.startsWith("NETLIFY_") || k.startsWith("DEVOPS_"));
    environment.put("NETLIFY_AUTH_TOKEN", token);
    environment.put("NETLIFY_API_URL", apiUrl);
    environment.put("HOME", dir.toString());
    environment.putAll(env);
    return builder.start();
  }

  /** Where the process started in {@code dir} writes. */
  public static Path output(Path dir) {
    return dir.resolve("output.txt");
  }

  /** What it wrote so far ("" before it wrote anything). */
  public static String outputText(Path dir) throws IOException {
    Path file = output(dir);
    return Files.exists(file) ? Files.readString(file) : "";
  }

  /** Something the test waits for. */
  public interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Waits up to 60 s for {@code condition}, polling; fails with {@code failure} and what the
   * process in {@code dir} wrote.
   */
  public static void await(Condition condition, String failure, Path dir) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(failure + ":\n" + outputText(dir));
      }
      Thread.sleep(5);
    }
  }
}
