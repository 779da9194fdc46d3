package dev.devops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.util.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training runs behind the launcher's class-data archives. Each runs a set of commands, each as
 * people read it and as scripts do ({@code --json}), in this JVM, against a local platform on
 * loopback that runs in a JVM of its own (its server classes stay out of the archive), in a
 * throw-away folder, so that the archive holds the classes those commands load:
 *
 * <ul>
 *   <li>{@code incident} (the default): the commands of an incident (list, status, logs, validate,
 *       analyze, a dry run, two real rollbacks), after the deploys they work on;
 *   <li>{@code read}: only {@code deployments list} and {@code status}, the commands people and
 *       agents run first and most often. Their deploys are made by a second JVM ({@code seed}), so
 *       that no deploy class enters this archive: an archive that holds only what a command loads
 *       starts it faster (README, Benchmarks).
 * </ul>
 *
 * <p>Not a user command; every failure is ignored, since a partial archive is still an archive.
 * Each command's exit code and arguments go to stdout, one line each, which StartupTrainingIT
 * checks.
 */
public final class StartupTraining {
  private static final String TOKEN = "startup-training";
  private static final long TIME_LIMIT_MS = 30_000;

  /** The sets of commands a training runs (the launcher names one). */
  enum CommandSet {
    INCIDENT,
    READ
  }

  private StartupTraining() {}

  /**
   * {@code [incident|read]}, or {@code seed HOME API}: the init and deploys of a {@code read}
   * training, run in the JVM it starts for them.
   */
  public static void main(String[] args) throws Exception {
    CommandSet set =
        args.length > 0 && args[0].equals("read") ? CommandSet.READ : CommandSet.INCIDENT;
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(TIME_LIMIT_MS);
                System.exit(0); // a command that hangs must not hang the launcher's first run
              } catch (InterruptedException done) {
                Thread.currentThread().interrupt();
              }
            },
            "training-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    if (args.length == 3 && args[0].equals("seed")) {
      Path home = Path.of(args[1]);
      seed(linkedEnv(home, args[2]), home, home.resolve("project"));
      System.exit(0);
    }
    Path home = Files.createTempDirectory("devops-training");
    try {
      train(home, set);
    } catch (Exception | LinkageError ignored) {
      // Best effort: whatever ran so far is in the archive.
    } finally {
      deleteTree(home);
    }
    System.exit(0); // the JVM writes the archive on exit; the platform's threads must not wait
  }

  private static void train(Path home, CommandSet set) throws Exception {
    // Every run starts in Main, which the training cannot call: it ends the JVM.
    Class.forName(Main.class.getName());
    Path project = Files.createDirectories(home.resolve("project"));
    Map<String, String> env = env(home);
    if (set == CommandSet.INCIDENT) {
      run(env, project, "--version");
      run(env, project, "--help");
    }

    // The platform runs in a JVM of its own: its server classes are not the client's, and every
    // class in the archive costs every run a little (README, Benchmarks).
    int port = freePort();
    Process platform =
        anotherJvm(
                Main.class,
                "local",
                "serve",
                "--port",
                Integer.toString(port),
                "--data-dir",
                home.resolve("platform").toString(),
                "--token",
                TOKEN)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    platform.getOutputStream().close();
    Runtime.getRuntime().addShutdownHook(new Thread(platform::destroyForcibly));
    try {
      trainAgainst(set, home, project, port, platform);
    } finally {
      platform.destroyForcibly();
      platform.waitFor();
    }
  }

  private static void trainAgainst(
      CommandSet set, Path home, Path project, int port, Process platform) throws Exception {
    if (!awaitPort(port, platform)) {
      return;
    }
    String api = "http://127.0.0.1:" + port;
    Map<String, String> linked = linkedEnv(home, api);
    post(api + "/api/v1/sites", "{\"name\":\"training\"}");
    if (set == CommandSet.READ) {
      seedInAnotherJvm(home, api);
    } else {
      seed(linked, home, project);
    }
    String list = run(linked, project, "deployments", "list", "--json");
    run(linked, project, "deployments", "list");
    run(linked, project, "status", "--json");
    run(linked, project, "status");
    if (set == CommandSet.READ) {
      return;
    }
    run(linked, project, "logs", "--json");
    JsonNode deploys = Json.mapper().readTree(list);
    String current = deploys.path("current").path("id").asText("");
    String target = deploys.path("targets").path(0).path("id").asText("");
    if (current.isEmpty() || target.isEmpty()) {
      return;
    }
    run(linked, project, "deployments", "validate", "--id", target, "--json");
    run(linked, project, "rollback", "analyze", "--from", current, "--to", target, "--json");
    run(linked, project, "rollback", "--dry-run", "--json");
    run(linked, project, "rollback", "--dry-run");
    run(linked, project, "rollback", target, "--yes", "--reason", "training", "--json");
    run(linked, project, "verify-deployment", "--id", target, "--json");
    run(linked, project, "rollback", "--yes", "--reason", "training");
    run(linked, project, "rollback", "history", "--json");
    run(linked, project, "backup", "list", "--json");
  }

  /** The project linked to the training site, and three production deploys of it. */
  private static void seed(Map<String, String> linked, Path home, Path project) throws Exception {
    Files.createDirectories(project);
    String api = linked.get("NETLIFY_API_URL");
    run(linked, project, "init", "--site", "training", "--api-url", api, "--json");
    for (int version = 0; version < 3; version++) {
      Path dir = Files.createDirectories(home.resolve("site-" + version));
      for (int file = 0; file < 8; file++) {
        Files.writeString(dir.resolve("page-" + file + ".html"), "<p>v" + version + " " + file);
      }
      Files.writeString(dir.resolve("index.html"), "<h1>v1.0." + version + "</h1>");
      run(
          linked,
          project,
          "deploy",
          "--dir",
          dir.toString(),
          "--prod",
          "--version",
          "v1.0." + version,
          "--json");
    }
  }

  /** {@link #seed} in a JVM of its own, whose lines go to this one's stdout. */
  private static void seedInAnotherJvm(Path home, String api) throws Exception {
    Process seeding =
        anotherJvm(StartupTraining.class, "seed", home.toString(), api)
            .redirectOutput(ProcessBuilder.Redirect.INHERIT)
            .start();
    seeding.getOutputStream().close();
    seeding.waitFor();
  }

  /** {@code main} of {@code type} in a JVM of its own, on this class path, its stderr dropped. */
  private static ProcessBuilder anotherJvm(Class<?> type, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                type.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
  }

  /** The environment of every command: the throw-away home, the token, no colours. */
  private static Map<String, String> env(Path home) {
    return Map.of(
        "NETLIFY_AUTH_TOKEN", TOKEN,
        "HOME", home.toString(),
        "XDG_CONFIG_HOME", home.resolve("config").toString(),
        "XDG_DATA_HOME", home.resolve("data").toString(),
        "NO_COLOR", "1");
  }

  /**
   * As a user of the local platform does: the API named in the environment, not only in the
   * project's config (which the repository could have written).
   */
  private static Map<String, String> linkedEnv(Path home, String api) {
    Map<String, String> linked = new java.util.HashMap<>(env(home));
    linked.put("NETLIFY_API_URL", api);
    return linked;
  }

  /** Runs one command of the training in-process, reports its exit code, returns its stdout. */
  private static String run(Map<String, String> env, Path cwd, String... args) {
    StringWriter out = new StringWriter();
    int code = execute(env, cwd, new PrintWriter(out), args);
    System.out.println(code + " " + String.join(" ", args));
    return out.toString();
  }

  /** Runs one command in-process and returns its exit code (-1 when it threw). */
  private static int execute(Map<String, String> env, Path cwd, PrintWriter out, String... args) {
    CliContext ctx =
        new CliContext(
            env,
            cwd,
            new ByteArrayInputStream(new byte[0]),
            out,
            new PrintWriter(Writer.nullWriter()),
            false,
            false,
            Clock.systemUTC());
    try {
      return App.run(ctx, args);
    } catch (RuntimeException e) {
      // A command that is not there yet, or fails, still trained the classes it loaded.
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static boolean awaitPort(int port, Process platform) throws InterruptedException {
    for (int attempt = 0; attempt < 100 && platform.isAlive(); attempt++) {
      try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return true;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    return false;
  }

  private static void post(String url, String json) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) new URL(url).openConnection();
    connection.setRequestMethod("POST");
    connection.setDoOutput(true);
    connection.setRequestProperty("Authorization", "Bearer " + TOKEN);
    connection.setRequestProperty("Content-Type", "application/json");
    try (OutputStream body = connection.getOutputStream()) {
      body.write(json.getBytes(StandardCharsets.UTF_8));
    }
    connection.getResponseCode();
    connection.disconnect();
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
