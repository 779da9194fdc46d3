package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.testing.Cli;
import dev.devops.testing.PlatformFixture;
import dev.devops.testing.PlatformFixture.DeployOptions;
import dev.devops.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A project directory linked (by {@code devops init}) to a fresh site on a running local platform,
 * with a CLI whose retries and timeouts are small so fault tests run fast.
 */
final class PlatformProject {
  final PlatformFixture platform;
  final Path dir;
  final String siteName;
  final String siteId;
  final Cli cli;

  PlatformProject(PlatformFixture platform, Path dir, String siteName) {
    this(platform, dir, siteName, platform.createSite(siteName));
  }

  /** A project in {@code dir} linked to the site of {@code other}: a teammate's machine. */
  static PlatformProject sameSite(PlatformProject other, Path dir) {
    return new PlatformProject(other.platform, dir, other.siteName, other.siteId);
  }

  private PlatformProject(PlatformFixture platform, Path dir, String siteName, String siteId) {
    this.platform = platform;
    this.dir = dir;
    this.siteName = siteName;
    this.siteId = siteId;
    this.cli =
        new Cli(dir)
            .env("NETLIFY_AUTH_TOKEN", platform.token())
            // The project's api_url is trusted only when the user names it too.
            .env("NETLIFY_API_URL", platform.apiUrl())
            .env("DEVOPS_RETRIES", "2")
            .env("DEVOPS_RETRY_BASE_MS", "5")
            .env("DEVOPS_TIMEOUT_SECONDS", "5");
    Cli.Result init = cli.run("init", "--site", siteName, "--api-url", platform.apiUrl());
    assertThat(init.exitCode()).as(init.err()).isZero();
  }

  /** A production deploy through the platform's API (not through the CLI under test). */
  String deploy(String title, Map<String, String> files) {
    return platform.deploy(siteId, files, DeployOptions.prod(title));
  }

  String deploy(String title) {
    return deploy(title, Map.of("index.html", "<h1>" + title + "</h1>"));
  }

  JsonNode deployJson(String id) {
    return platform.call("GET", "/deploys/" + id, null);
  }

  Instant createdAt(String deployId) {
    return Instant.parse(deployJson(deployId).get("created_at").asText());
  }

  /** Writes a site directory with {@code files} (relative path to text). */
  Path siteDir(String name, Map<String, String> files) {
    Path root = dir.resolve(name);
    try {
      for (Map.Entry<String, String> f : files.entrySet()) {
        Path file = root.resolve(f.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, f.getValue());
      }
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return root;
  }

  /** Parses stdout as JSON. */
  static JsonNode json(Cli.Result result) {
    try {
      return Json.mapper().readTree(result.out());
    } catch (IOException e) {
      throw new AssertionError(
          "stdout is not JSON: " + result.out() + "\nstderr: " + result.err(), e);
    }
  }

  /** Parses stdout as JSON lines (a streaming command's events). */
  static List<JsonNode> jsonLines(Cli.Result result) {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : result.out().split("\n")) {
      if (!line.isBlank()) {
        try {
          lines.add(Json.mapper().readTree(line));
        } catch (IOException e) {
          throw new AssertionError("not a JSON line: " + line + "\nstderr: " + result.err(), e);
        }
      }
    }
    return lines;
  }

  /** Replaces the given deploy ids and the site id by stable names, the platform's port by PORT. */
  String normalize(String text, List<String> deployIds) {
    String result = text.replace(siteId, "SITE_ID");
    for (int i = 0; i < deployIds.size(); i++) {
      result = result.replace(deployIds.get(i), "DEPLOY_" + (i + 1));
    }
    return result.replace(":" + platform.platform().port(), ":PORT");
  }

  /**
   * Asserts one clear error line on stderr (the last one, after any progress lines): starts with ❌,
   * names the problem, and no stack trace anywhere.
   */
  static void assertOneLineError(Cli.Result result, int exitCode, String contains) {
    assertThat(result.exitCode()).as("exit code; stderr: %s", result.err()).isEqualTo(exitCode);
    List<String> lines = new ArrayList<>(result.err().lines().filter(l -> !l.isBlank()).toList());
    assertThat(lines).as("stderr lines").isNotEmpty();
    assertThat(lines.stream().filter(l -> l.startsWith("❌"))).as("error lines").hasSize(1);
    assertThat(lines.get(lines.size() - 1)).startsWith("❌ ").contains(contains);
    assertThat(result.all()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  static List<String> ids(Pattern pattern, String text) {
    List<String> ids = new ArrayList<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }
}
