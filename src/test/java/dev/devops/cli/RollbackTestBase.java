package dev.devops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Rollback tests: several projects per test, each on its own site, and what the site serves. */
abstract class RollbackTestBase extends PlatformTest {
  private static int projects;

  /** A new project directory linked to a new site named {@code prefix-N}. */
  PlatformProject newProject(String prefix) {
    int n = ++projects;
    return new PlatformProject(platform, dir.resolve("p" + n), prefix + "-" + n);
  }

  /** What the site serves at {@code path}. */
  static String served(PlatformProject p, String path) {
    return platform.get(platform.platform().siteUrl(p.siteName) + path);
  }

  /** The site as the API returns it. */
  static JsonNode siteJson(PlatformProject p) {
    return platform.call("GET", "/sites/" + p.siteId, null);
  }

  static String publishedId(PlatformProject p) {
    return siteJson(p).at("/published_deploy/id").asText();
  }

  /** {@code .devops/rollback-history.json}, oldest first; null when absent. */
  static JsonNode rollbackHistory(PlatformProject p) {
    Path file = p.dir.resolve(".devops/rollback-history.json");
    try {
      return Files.exists(file) ? Json.mapper().readTree(Files.readString(file)) : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
