package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devops.local.Fault;
import dev.devops.testing.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every command, happy and failing, with --debug, and looks for the token everywhere. */
class TokenLeakTest extends PlatformTest {
  @TempDir Path xdg;

  @Test
  void theTokenAppearsInNoOutputAndNoFileWeWrite() throws IOException {
    String token = platform.token();
    PlatformProject p = project("leak-check");
    p.deploy("Release v1.0.0");
    p.siteDir("public", Map.of("index.html", "<p>token-free</p>"));
    // The netlify-cli login file lives outside the project; it is the user's, not ours.
    Files.createDirectories(xdg.resolve("netlify"));
    Files.writeString(
        xdg.resolve("netlify/config.json"),
        "{\"userId\":\"u\",\"users\":{\"u\":{\"auth\":{\"token\":\"" + token + "\"}}}}");
    Cli fromLogin =
        new Cli(dir)
            .env("XDG_CONFIG_HOME", xdg.toString())
            .env("DEVOPS_RETRIES", "1")
            .env("DEVOPS_RETRY_BASE_MS", "1");

    List<Cli.Result> results = new ArrayList<>();
    for (Cli cli : List.of(p.cli, fromLogin)) {
      results.add(
          cli.run(
              "init",
              "--site",
              "leak-check",
              "--api-url",
              platform.apiUrl(),
              "--force",
              "--debug",
              "--json"));
      results.add(cli.run("deployments", "list", "--debug"));
      results.add(cli.run("deployments", "list", "--json", "--debug"));
      results.add(cli.run("status", "--debug", "--json"));
      results.add(cli.run("logs", "--debug"));
      results.add(
          cli.run(
              "deploy", "--dir", "public", "--prod", "--version", "v1.0.1", "--debug", "--json"));
      platform.platform().faults().inject(Fault.on("getSite").status(500).times(Integer.MAX_VALUE));
      results.add(cli.run("status", "--debug", "--json"));
      platform.platform().faults().clear();
      platform
          .platform()
          .faults()
          .inject(Fault.on("listSiteDeploys").malformedBody().times(Integer.MAX_VALUE));
      results.add(cli.run("deployments", "list", "--debug", "--json"));
      platform.platform().faults().clear();
    }
    String wrong = "wrong-token-" + token.substring(0, 6) + "-xyz";
    results.add(p.cli.env("NETLIFY_AUTH_TOKEN", wrong).run("status", "--debug", "--json"));

    assertThat(results).extracting(Cli.Result::exitCode).contains(0, 5, 7);
    for (Cli.Result r : results) {
      assertThat(r.all()).doesNotContain(token).doesNotContain(wrong);
    }
    assertThat(results.get(1).err()).contains("--> GET");
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(content).as(file.toString()).doesNotContain(token).doesNotContain(wrong);
      }
    }
  }
}
