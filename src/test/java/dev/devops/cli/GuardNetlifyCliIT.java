package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.testing.Cli;
import dev.devops.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code devops guard --next} picks up a deploy that Netlify's own CLI (netlify-cli, pinned in
 * compat/package.json) publishes, as a CI job does after a push, and rolls it back when it is
 * broken. Real time and real concurrency: the guard waits while netlify-cli deploys. netlify-cli
 * folds {@code _redirects} into the netlify.toml it uploads, and the platform applies it.
 */
class GuardNetlifyCliIT extends GuardTestBase {
  private static final long TIMEOUT_SECONDS = 180;

  private String netlify(PlatformProject p, Path site) throws IOException, InterruptedException {
    Path netlify =
        Path.of(System.getProperty("user.dir"), "compat", "node_modules", ".bin", "netlify");
    assertThat(Files.isExecutable(netlify))
        .as("netlify-cli is not installed at " + netlify + ": run `npm ci --prefix compat` first")
        .isTrue();
    Path home = dir.resolve("home");
    Files.createDirectories(home);
    List<String> command =
        new ArrayList<>(
            List.of(netlify.toString(), "deploy", "--prod", "--no-build", "--json", "--dir"));
    command.add(site.toString());
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("NETLIFY_"));
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
    env.put("NETLIFY_API_URL", platform.apiUrl());
    env.put("NETLIFY_AUTH_TOKEN", platform.token());
    env.put("NETLIFY_SITE_ID", p.siteName);
    env.put("NETLIFY_TELEMETRY_DISABLED", "1");
    env.put("CI", "1");
    env.put("NO_COLOR", "1");
    builder.redirectOutput(dir.resolve("netlify.out").toFile());
    builder.redirectError(dir.resolve("netlify.err").toFile());
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("netlify deploy hung for " + TIMEOUT_SECONDS + " s");
    }
    String out = Files.readString(dir.resolve("netlify.out"), StandardCharsets.UTF_8);
    assertThat(process.exitValue())
        .as(out + Files.readString(dir.resolve("netlify.err"), StandardCharsets.UTF_8))
        .isZero();
    return Json.mapper().readTree(out.substring(out.indexOf('{'))).get("deploy_id").asText();
  }

  @Test
  void guardNextPicksUpANetlifyCliDeployAndRollsItBackWhenBroken() throws Exception {
    PlatformProject p = project("cli");
    p.cli.clock(Clock.systemUTC()); // real time: the guard and netlify-cli run side by side
    healthChecks(p, "[\"/healthz\"]");
    String v1 =
        netlify(
            p, p.siteDir("v1", Map.of("index.html", GuardTest.GOOD_INDEX, "healthz.html", "ok")));

    platform.platform().faults().resetCalls();
    CompletableFuture<Cli.Result> guard =
        CompletableFuture.supplyAsync(
            () ->
                p.cli.run(
                    "guard",
                    "--next",
                    "--timeout",
                    "3m",
                    "--guard-window",
                    "30s",
                    "--guard-interval",
                    "1s",
                    "--json"));
    // Deploy once the guard has read what is live (its first getSite), as a push after CI starts.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (platform.platform().faults().calls("getSite") == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(guard).as("the guard is waiting").isNotDone();
    String v2 =
        netlify(
            p,
            p.siteDir(
                "v2",
                Map.of(
                    "index.html",
                    "<h1>v2</h1>",
                    "500.html",
                    "down",
                    "_redirects",
                    "/healthz /500.html 500\n")));

    Cli.Result r = guard.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertExit(r, ExitCode.GUARD_ROLLED_BACK);
    List<JsonNode> lines = lines(r);
    assertThat(lines.get(0).at("/published/id").asText()).isEqualTo(v1);
    JsonNode result = lines.get(lines.size() - 1);
    assertThat(result.get("outcome").asText()).isEqualTo("rolled_back");
    assertThat(result.at("/deploy/id").asText()).isEqualTo(v2);
    assertThat(result.at("/previous/id").asText()).isEqualTo(v1);
    assertThat(result.at("/failed_check/name").asText()).isEqualTo("health /healthz");
    assertThat(result.at("/rollback/trigger").asText()).isEqualTo("guard");
    assertThat(publishedId(p)).isEqualTo(v1);
    assertThat(locked(p)).isTrue();
    assertThat(served(p, "/")).isEqualTo(GuardTest.GOOD_INDEX);
    assertThat(served(p, "/healthz")).isEqualTo("ok");
  }
}
