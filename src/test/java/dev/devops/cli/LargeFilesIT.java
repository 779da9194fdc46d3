package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 300 MB of large files through a deploy, a backup and its check, with every process (the local
 * platform and each CLI run) on a 256 MB heap: uploads, upload bodies, downloads and blobs are
 * streamed in bounded memory, whatever the file sizes.
 */
class LargeFilesIT {
  private static final String TOKEN = "large-files-token";
  private static final int FILES = 3;
  private static final int FILE_BYTES = 100 * 1024 * 1024;
  private static final String HEAP = "-Xmx256m";

  @TempDir Path tmp;
  private Process server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.destroyForcibly();
    }
  }

  @Test
  void threeHundredMegabytesDeployAndBackUpOnA256MegabyteHeap() throws Exception {
    String api = startServer();
    Path site = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(site.resolve("index.html"), "<h1>large</h1>");
    Random random = new Random(7);
    byte[] chunk = new byte[1 << 20];
    for (int f = 0; f < FILES; f++) {
      try (OutputStream out = Files.newOutputStream(site.resolve("video-" + f + ".bin"))) {
        for (int written = 0; written < FILE_BYTES; written += chunk.length) {
          random.nextBytes(chunk);
          out.write(chunk);
        }
      }
    }
    curlCreateSite(api);

    Path deployer = Files.createDirectories(tmp.resolve("deployer"));
    assertThat(run(deployer, api, "init", "--site", "large", "--api-url", api).code).isZero();
    Run deploy = run(deployer, api, "deploy", "--dir", site.toString(), "--prod", "--json");
    assertThat(deploy.code).as(deploy.output).isZero();
    String deployId = Json.mapper().readTree(deploy.stdout()).get("deploy_id").asText();

    // Another machine: none of the bytes are here, so the backup downloads all 300 MB.
    Path other = Files.createDirectories(tmp.resolve("other"));
    assertThat(run(other, api, "init", "--site", "large", "--api-url", api).code).isZero();
    Run backup =
        run(other, api, "backup", "create", "--deployment", deployId, "--reason", "big", "--json");
    assertThat(backup.code).as(backup.output).isZero();
    JsonNode made = Json.mapper().readTree(backup.stdout());
    assertThat(made.get("complete").asBoolean()).as(backup.output).isTrue();
    assertThat(made.get("total_bytes").asLong()).isGreaterThan((long) FILES * FILE_BYTES);
    assertThat(made.get("new_blobs").asInt()).isEqualTo(FILES + 1);

    Run verify = run(other, api, "backup", "verify", made.get("dir").asText());
    assertThat(verify.code).as(verify.output).isZero();
  }

  /** `devops local serve` on a 256 MB heap, on Netlify's terms. */
  private String startServer() throws IOException {
    server =
        new ProcessBuilder(
                java(),
                HEAP,
                "-jar",
                jar(),
                "local",
                "serve",
                "--port",
                "0",
                "--json",
                "--data-dir",
                tmp.resolve("platform").toString(),
                "--token",
                TOKEN)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("serve printed its address").isNotNull();
    String url = Json.mapper().readTree(line).get("api_url").asText();
    return url.endsWith("/api/v1") ? url.substring(0, url.length() - "/api/v1".length()) : url;
  }

  private static void curlCreateSite(String api) throws IOException, InterruptedException {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> created =
        client.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(api + "/api/v1/sites"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"large\"}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
  }

  private record Run(int code, String output, Path stdoutFile) {
    String stdout() throws IOException {
      return Files.readString(stdoutFile);
    }
  }

  /** One CLI run in its own JVM on a 256 MB heap. */
  private Run run(Path project, String api, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(java(), HEAP, "-jar", jar()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(tmp, "out", ".txt");
    Path err = Files.createTempFile(tmp, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(project.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("NETLIFY_") || k.startsWith("DEVOPS_"));
    builder.environment().put("NETLIFY_AUTH_TOKEN", TOKEN);
    builder.environment().put("NETLIFY_API_URL", api);
    builder.environment().put("HOME", project.toString());
    Process process = builder.start();
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
    return new Run(process.exitValue(), Files.readString(out) + "\n" + Files.readString(err), out);
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static String jar() {
    return System.getProperty("devops.jar", "target/devops.jar");
  }
}
