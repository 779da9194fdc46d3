package dev.devops.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code devops local serve} as a process: what it tells people, and a clean stop on SIGTERM. */
class LocalServeIT {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/local-serve.txt");

  @TempDir Path tmp;

  @Test
  void printsHowToConnectAndStopsCleanly() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path data = tmp.resolve("data");
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-jar",
            System.getProperty("devops.jar", "target/devops.jar"),
            "local",
            "serve",
            "--port",
            "0",
            "--data-dir",
            data.toString(),
            "--token-file",
            Files.writeString(tmp.resolve("token"), "tok-123\n").toString());
    builder.environment().put("NO_COLOR", "1");
    Process process = builder.start();
    try {
      BufferedReader err =
          new BufferedReader(
              new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
      List<String> banner = new ArrayList<>();
      for (String line = err.readLine(); line != null; line = err.readLine()) {
        banner.add(line);
        if (line.startsWith("Press Ctrl-C")) {
          break;
        }
      }
      Matcher port = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(String.join("\n", banner));
      assertThat(port.find()).as("banner names the port: " + banner).isTrue();
      String normalized =
          String.join("\n", banner)
                  .replace(port.group(1), "PORT")
                  .replace(data.toAbsolutePath().toString(), "DATA_DIR")
              + "\n";
      assertThat(normalized).isEqualTo(Files.readString(GOLDEN, StandardCharsets.UTF_8));

      // SIGTERM, as Ctrl-C (SIGINT) does: the shutdown hook stops the platform. Through the
      // handle, so that our end of its stderr stays open.
      process.toHandle().destroy();
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(err.readLine()).isEqualTo("Local platform stopped.");
      try (ServerSocket again =
          new ServerSocket(Integer.parseInt(port.group(1)), 1, InetAddress.getLoopbackAddress())) {
        assertThat(again.isBound()).as("the port is free again").isTrue();
      }
    } finally {
      process.destroyForcibly();
    }
  }

  /** The limit and latency flags reach the platform: a lower rate limit, and a slower answer. */
  @Test
  void flagsChangeTheLimitsAndAddLatency() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process =
        new ProcessBuilder(
                java,
                "-jar",
                System.getProperty("devops.jar", "target/devops.jar"),
                "local",
                "serve",
                "--port",
                "0",
                "--json",
                "--data-dir",
                tmp.resolve("data").toString(),
                "--token",
                "tok-flags",
                "--rate-limit",
                "2",
                "--deploy-rate-limit",
                "off",
                "--latency",
                "300")
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      String line =
          new BufferedReader(
                  new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      String api = dev.devops.util.Json.mapper().readTree(line).get("api_url").asText();
      okhttp3.OkHttpClient http = new okhttp3.OkHttpClient();
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        long start = System.nanoTime();
        try (okhttp3.Response response =
            http.newCall(
                    new okhttp3.Request.Builder()
                        .url(api + "/api/v1/user")
                        .header("Authorization", "Bearer tok-flags")
                        .build())
                .execute()) {
          statuses.add(response.code());
          assertThat(response.header("X-RateLimit-Limit")).isEqualTo("2");
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
            .as("an answer takes at least the latency")
            .isGreaterThanOrEqualTo(300);
      }
      assertThat(statuses).containsExactly(200, 200, 429);
    } finally {
      process.destroyForcibly();
    }
  }
}
