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
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The training run behind the launcher's class-data archive: it runs the commands of an incident
 * (list, status, logs, validate, analyze, a dry run, two real rollbacks), each as people read it
 * and as scripts do ({@code --json}), in this JVM, against a local platform on loopback that runs
 * in a JVM of its own (its server classes stay out of the archive), in a throw-away folder, so that
 * the archive holds the classes those commands load. Not a user command; every failure is ignored,
 * since a partial archive is still an archive. Each command's exit code and arguments go to stdout,
 * one line each, which StartupTrainingIT checks.
 */
public final class StartupTraining {
  private static final String TOKEN = "startup-training";
  private static final long TIME_LIMIT_MS = 30_000;

  private StartupTraining() {}

  public static void main(String[] args) throws Exception {
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
    Path home = Files.createTempDirectory("devops-training");
    try {
      train(home);
    } catch (Exception | LinkageError ignored) {
      // Best effort: whatever ran so far is in the archive.
    } finally {
      deleteTree(home);
    }
    System.exit(0); // the JVM writes the archive on exit; the platform's threads must not wait
  }

  private static void train(Path home) throws Exception {
    // Every run starts in Main, which the training cannot call: it ends the JVM.
    Class.forName(Main.class.getName());
    Path project = Files.createDirectories(home.resolve("project"));
    Map<String, String> env =
        Map.of(
            "NETLIFY_AUTH_TOKEN", TOKEN,
            "HOME", home.toString(),
            "XDG_CONFIG_HOME", home.resolve("config").toString(),
            "XDG_DATA_HOME", home.resolve("data").toString(),
            "NO_COLOR", "1");
    run(env, project, "--version");
    run(env, project, "--help");

    // The platform runs in a JVM of its own: its server classes are not the client's, and every
    // class in the archive costs every run a little (the JVM relocates the whole archive).
    int port = freePort();
    Process platform =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "local",
                "serve",
                "--port",
                Integer.toString(port),
                "--data-dir",
                home.resolve("platform").toString(),
                "--token",
                TOKEN)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    platform.getOutputStream().close();
    Runtime.getRuntime().addShutdownHook(new Thread(platform::destroyForcibly));
    try {
      trainAgainst(env, home, project, port, platform);
    } finally {
      platform.destroyForcibly();
      platform.waitFor();
    }
  }

  private static void trainAgainst(
      Map<String, String> env, Path home, Path project, int port, Process platform)
      throws Exception {
    if (!awaitPort(port, platform)) {
      return;
    }
    String api = "http://127.0.0.1:" + port;
    // As a user of the local platform does: the API named in the environment, not only in the
    // project's config (which the repository could have written).
    Map<String, String> linked = new java.util.HashMap<>(env);
    linked.put("NETLIFY_API_URL", api);
    post(api + "/api/v1/sites", "{\"name\":\"training\"}");

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
    String list = run(linked, project, "deployments", "list", "--json");
    run(linked, project, "deployments", "list");
    JsonNode deploys = Json.mapper().readTree(list);
    String current = deploys.path("current").path("id").asText("");
    String target = deploys.path("targets").path(0).path("id").asText("");
    run(linked, project, "status", "--json");
    run(linked, project, "status");
    run(linked, project, "logs", "--json");
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
