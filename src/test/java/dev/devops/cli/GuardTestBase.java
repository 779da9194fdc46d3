package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devops.local.LocalPlatform;
import dev.devops.testing.Cli;
import dev.devops.testing.FakeTime;
import dev.devops.testing.PlatformFixture;
import dev.devops.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guard tests: a local platform per test on Netlify's terms (request limit, upload bound, only the
 * documented endpoints), except the three-deploys-a-minute limit, which would make each test wait a
 * minute for its second deploy. The CLI runs on {@link FakeTime}: a two-minute window takes the
 * time its real requests take.
 */
abstract class GuardTestBase {
  @TempDir Path dir;
  PlatformFixture platform;
  FakeTime time;
  private int projects;

  /** The platform's options; a test class may add latency. */
  LocalPlatform.Options options(Path dataDir) {
    return LocalPlatform.Options.inTempDir(dataDir).deployRateLimit(LocalPlatform.Options.OFF);
  }

  @BeforeEach
  void startPlatform() {
    platform = PlatformFixture.start(options(dir.resolve("platform")));
    time = new FakeTime();
  }

  @AfterEach
  void stopPlatform() {
    platform.close();
  }

  /** A project linked to a new site, its CLI on this test's fake time. */
  PlatformProject project(String prefix) {
    int n = ++projects;
    PlatformProject p = new PlatformProject(platform, dir.resolve("p" + n), prefix + "-" + n);
    p.cli.clock(time);
    return p;
  }

  /** Changes {@code .devops/config.json}. */
  static void config(PlatformProject p, Consumer<ObjectNode> change) {
    Path file = p.dir.resolve(".devops/config.json");
    try {
      ObjectNode config = (ObjectNode) Json.mapper().readTree(Files.readString(file));
      change.accept(config);
      Files.writeString(
          file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sets the health checks to {@code checks} (JSON text of the list form). */
  static void healthChecks(PlatformProject p, String checks) {
    config(
        p,
        c -> {
          try {
            c.set("health_checks", Json.mapper().readTree(checks));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  String served(PlatformProject p, String path) {
    return platform.get(platform.platform().siteUrl(p.siteName) + path);
  }

  JsonNode site(PlatformProject p) {
    return platform.call("GET", "/sites/" + p.siteId, null);
  }

  String publishedId(PlatformProject p) {
    return site(p).at("/published_deploy/id").asText();
  }

  boolean locked(PlatformProject p) {
    return site(p).at("/published_deploy/locked").asBoolean();
  }

  /** {@code .devops/rollback-history.json}, oldest first; empty when absent. */
  static List<JsonNode> rollbacks(PlatformProject p) {
    Path file = p.dir.resolve(".devops/rollback-history.json");
    List<JsonNode> all = new ArrayList<>();
    try {
      if (Files.exists(file)) {
        Json.mapper().readTree(Files.readString(file)).forEach(all::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }

  /** {@code .devops/deployments.json} as JSON. */
  static JsonNode records(PlatformProject p) {
    try {
      return Json.mapper().readTree(Files.readString(p.dir.resolve(".devops/deployments.json")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON lines of stdout. */
  static List<JsonNode> lines(Cli.Result r) {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : r.out().lines().filter(l -> !l.isBlank()).toList()) {
      try {
        lines.add(Json.mapper().readTree(line));
      } catch (IOException e) {
        throw new AssertionError("not a JSON line: " + line + "\nstderr: " + r.err(), e);
      }
    }
    return lines;
  }

  /** The lines whose {@code event} is {@code event}. */
  static List<JsonNode> events(List<JsonNode> lines, String event) {
    return lines.stream().filter(l -> event.equals(l.path("event").asText())).toList();
  }

  /** An executable shell script in the project. */
  static Path script(PlatformProject p, String name, String body) {
    Path file = p.dir.resolve(name);
    try {
      Files.writeString(file, "#!/bin/sh\n" + body + "\n");
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  static void assertExit(Cli.Result r, ExitCode code) {
    assertThat(r.exitCode())
        .as("exit code\nstdout: %s\nstderr: %s", r.out(), r.err())
        .isEqualTo(code.code());
  }
}
