package dev.devops.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.devops.testing.PlatformFixture;
import dev.devops.testing.PlatformFixture.DeployOptions;
import dev.devops.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy's file map is written once, beside its record ({@code deploys/ID.files-N.json}):
 * locking, unlocking or publishing a deploy of 50,000 files rewrites a small record, not 7 MB of
 * paths. Data folders written before keep working.
 */
class DeployFilesOnDiskTest {
  @TempDir Path dataDir;

  private static Map<String, String> site() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("index.html", "<h1>home</h1>");
    for (int i = 0; i < 50; i++) {
      files.put("pages/page-" + i + ".html", "<p>page " + i + "</p>");
    }
    return files;
  }

  /** A site with one deploy of {@link #site()}, and where that deploy lies on disk. */
  private record Seeded(String siteId, String deployId, Path record, Path fileMap) {}

  private Seeded seed(PlatformFixture fx, String name) throws IOException {
    String siteId = fx.createSite(name);
    String deployId = fx.deploy(siteId, site(), DeployOptions.prod("v1"));
    Path record = dataDir.resolve("deploys").resolve(deployId + ".json");
    return new Seeded(siteId, deployId, record, fileMap(record));
  }

  /** The file map {@code record} names. */
  private static Path fileMap(Path record) throws IOException {
    return record.resolveSibling(
        Json.mapper().readTree(record.toFile()).path("filesFile").asText());
  }

  @Test
  void aLockRewritesTheRecordButNotTheFileMap() throws IOException {
    Seeded s;
    try (PlatformFixture fx = PlatformFixture.start(LocalPlatform.Options.inTempDir(dataDir))) {
      s = seed(fx, "files-apart");
      assertThat(Json.mapper().readTree(s.fileMap().toFile())).hasSize(51);
      assertThat(Json.mapper().readTree(s.record().toFile()).has("files")).isFalse();
      Object recordBefore = fileKey(s.record());
      Object mapBefore = fileKey(s.fileMap());

      fx.call("POST", "/deploys/" + s.deployId() + "/lock", null);

      // Every write is a new file renamed into place: a rewritten file is another inode.
      assertThat(fileKey(s.record())).isNotEqualTo(recordBefore);
      assertThat(fileKey(s.fileMap())).isEqualTo(mapBefore);
    }
    try (PlatformFixture fx = PlatformFixture.start(LocalPlatform.Options.inTempDir(dataDir))) {
      JsonNode listed = fx.call("GET", "/sites/" + s.siteId() + "/files", null);
      assertThat(listed).hasSize(51);
      assertThat(fx.call("GET", "/deploys/" + s.deployId(), null).get("locked").asBoolean())
          .isTrue();
    }
  }

  @Test
  void aRecordThatHoldsItsFilesStillLoadsAndIsSplitAtItsNextChange() throws IOException {
    Seeded s;
    try (PlatformFixture fx = PlatformFixture.start(LocalPlatform.Options.inTempDir(dataDir))) {
      s = seed(fx, "older-data");
    }
    Path record = s.record();
    Path fileMap = s.fileMap();
    String siteId = s.siteId();
    // The layout of earlier data folders: the map inside the record, no file of its own.
    ObjectNode old = (ObjectNode) Json.mapper().readTree(record.toFile());
    old.set("files", Json.mapper().readTree(fileMap.toFile()));
    old.remove("filesFile");
    Files.write(record, Json.mapper().writeValueAsBytes(old));
    Files.delete(fileMap);

    try (PlatformFixture fx = PlatformFixture.start(LocalPlatform.Options.inTempDir(dataDir))) {
      assertThat(fx.call("GET", "/sites/" + siteId + "/files", null)).hasSize(51);
      fx.call("POST", "/deploys/" + s.deployId() + "/lock", null);
      assertThat(Json.mapper().readTree(fileMap(record).toFile())).hasSize(51);
      assertThat(Json.mapper().readTree(record.toFile()).has("files")).isFalse();
    }
    try (PlatformFixture fx = PlatformFixture.start(LocalPlatform.Options.inTempDir(dataDir))) {
      assertThat(fx.call("GET", "/sites/" + siteId + "/files", null)).hasSize(51);
    }
  }

  /** A map written by a save that crashed before its record is deleted at the next start. */
  @Test
  void aFileMapNoRecordNamesIsSweptAtStart() throws IOException {
    Path orphan;
    Seeded s;
    try (PlatformFixture fx = PlatformFixture.start(LocalPlatform.Options.inTempDir(dataDir))) {
      s = seed(fx, "swept");
      orphan = s.record().resolveSibling(s.deployId() + ".files-1234abcd.json");
      Files.copy(s.fileMap(), orphan);
    }
    try (PlatformFixture fx = PlatformFixture.start(LocalPlatform.Options.inTempDir(dataDir))) {
      assertThat(orphan).doesNotExist();
      assertThat(s.fileMap()).exists();
      assertThat(fx.call("GET", "/sites/" + s.siteId() + "/files", null)).hasSize(51);
    }
  }

  @Test
  void deletingADeployDeletesItsFileMap() throws IOException {
    try (PlatformFixture fx = PlatformFixture.start(LocalPlatform.Options.inTempDir(dataDir))) {
      String siteId = fx.createSite("deleted");
      String first = fx.deploy(siteId, site(), DeployOptions.prod("v1"));
      fx.deploy(siteId, Map.of("index.html", "v2"), DeployOptions.prod("v2"));
      Path fileMap = fileMap(dataDir.resolve("deploys").resolve(first + ".json"));
      assertThat(fileMap).exists();

      fx.call("DELETE", "/deploys/" + first, null);

      assertThat(fileMap).doesNotExist();
      assertThat(dataDir.resolve("deploys").resolve(first + ".json")).doesNotExist();
    }
  }

  private static Object fileKey(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
  }
}
