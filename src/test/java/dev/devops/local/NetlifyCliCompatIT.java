package dev.devops.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.testing.PlatformFixture;
import dev.devops.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netlify's own CLI (netlify-cli, pinned in compat/package.json) deploys, lists, restores and locks
 * against the local platform, unchanged, and the served site follows.
 *
 * <p>The platform runs with Netlify's defaults: its limits (three deploys here, the most a minute
 * allows) and ids where Netlify wants ids. NETLIFY_SITE_ID carries the site's name, as netlify-cli
 * allows for {@code deploy --site}: its getSite with the name answers 404, and netlify-cli then
 * falls back to listSites(name=...) (its utils/get-site.js), as it would on Netlify.
 */
class NetlifyCliCompatIT {
  private static final long TIMEOUT_SECONDS = 180;

  @TempDir Path tmp;
  PlatformFixture fx;
  String siteId;
  Path netlify;

  @BeforeEach
  void start() {
    netlify = Path.of(System.getProperty("user.dir"), "compat", "node_modules", ".bin", "netlify");
    assertThat(Files.isExecutable(netlify))
        .as(
            "netlify-cli is not installed at "
                + netlify
                + ": run `npm ci --prefix compat`"
                + " (or `npm install --prefix compat`) first")
        .isTrue();
    fx = PlatformFixture.start(LocalPlatform.Options.inTempDir(tmp.resolve("data"))); // Netlify's
    siteId = fx.createSite("compat");
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  record Run(int exit, String out, String err) {}

  private Run netlify(String... args) throws IOException, InterruptedException {
    Path home = tmp.resolve("home");
    Files.createDirectories(home);
    List<String> command = new ArrayList<>();
    command.add(netlify.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(tmp.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("NETLIFY_"));
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    env.put("XDG_CACHE_HOME", home.resolve(".cache").toString());
    env.put("NETLIFY_API_URL", fx.apiUrl());
    env.put("NETLIFY_AUTH_TOKEN", fx.token());
    env.put("NETLIFY_SITE_ID", "compat");
    env.put("NETLIFY_TELEMETRY_DISABLED", "1");
    env.put("CI", "1");
    env.put("NO_COLOR", "1");
    builder.redirectOutput(tmp.resolve("out.txt").toFile());
    builder.redirectError(tmp.resolve("err.txt").toFile());
    Process process = builder.start();
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError(
          "netlify " + String.join(" ", args) + " hung for " + TIMEOUT_SECONDS + " s");
    }
    return new Run(
        process.exitValue(),
        Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  private JsonNode json(Run run, String what) throws IOException {
    assertThat(run.exit()).as(what + " failed:\n" + run.out() + run.err()).isZero();
    return Json.mapper().readTree(run.out().substring(Math.max(0, firstJson(run.out()))));
  }

  private static int firstJson(String out) {
    int brace = out.indexOf('{');
    int bracket = out.indexOf('[');
    if (brace < 0) {
      return bracket;
    }
    return bracket < 0 ? brace : Math.min(brace, bracket);
  }

  private Path site(String name, String html) throws IOException {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir.resolve("css"));
    Files.writeString(dir.resolve("index.html"), html);
    Files.writeString(dir.resolve("css/site.css"), "body{color:" + name + "}");
    return dir;
  }

  private String served() {
    return fx.get(fx.platform().siteUrl("compat") + "/");
  }

  @Test
  void netlifyCliDeploysListsRestoresAndLocks() throws Exception {
    JsonNode prod1 =
        json(
            netlify(
                "deploy",
                "--dir",
                site("v1", "<h1>one</h1>").toString(),
                "--prod",
                "--no-build",
                "--json"),
            "prod deploy");
    String v1 = prod1.get("deploy_id").asText();
    assertThat(served()).isEqualTo("<h1>one</h1>");
    assertThat(fx.get(fx.platform().siteUrl("compat") + "/css/site.css"))
        .isEqualTo("body{color:v1}");

    JsonNode draft =
        json(
            netlify(
                "deploy", "--dir", site("v2", "<h1>draft</h1>").toString(), "--no-build", "--json"),
            "draft deploy");
    assertThat(served()).isEqualTo("<h1>one</h1>");
    assertThat(fx.get(draft.get("deploy_url").asText() + "/")).isEqualTo("<h1>draft</h1>");

    String v3 =
        json(
                netlify(
                    "deploy",
                    "--dir",
                    site("v3", "<h1>three</h1>").toString(),
                    "--prod",
                    "--no-build",
                    "--json"),
                "second prod deploy")
            .get("deploy_id")
            .asText();
    assertThat(served()).isEqualTo("<h1>three</h1>");

    JsonNode deploys =
        json(
            netlify("api", "listSiteDeploys", "--data", "{\"site_id\":\"" + siteId + "\"}"),
            "listSiteDeploys");
    List<String> ids = new ArrayList<>();
    deploys.forEach(d -> ids.add(d.get("id").asText()));
    assertThat(ids).containsExactly(v3, draft.get("deploy_id").asText(), v1);

    JsonNode restored =
        json(
            netlify(
                "api",
                "restoreSiteDeploy",
                "--data",
                "{\"site_id\":\"" + siteId + "\",\"deploy_id\":\"" + v1 + "\"}"),
            "restoreSiteDeploy");
    assertThat(restored.get("id").asText()).isEqualTo(v1);
    assertThat(served()).isEqualTo("<h1>one</h1>");

    JsonNode locked =
        json(
            netlify("api", "lockDeploy", "--data", "{\"deploy_id\":\"" + v1 + "\"}"), "lockDeploy");
    assertThat(locked.get("locked").asBoolean()).isTrue();
    Run refused =
        netlify("deploy", "--dir", site("v4", "<h1>four</h1>").toString(), "--prod", "--no-build");
    assertThat(refused.exit()).as(refused.out() + refused.err()).isNotZero();
    assertThat(refused.out() + refused.err()).contains("locked");
    assertThat(served()).isEqualTo("<h1>one</h1>");
    assertThat(fx.call("GET", "/sites/" + siteId, null).at("/published_deploy/locked").asBoolean())
        .isTrue();
  }
}
