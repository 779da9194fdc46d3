package dev.devops.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup manifest can never make the store read or write outside {@code .devops/}. */
class BackupStoreTest {
  @TempDir Path project;

  private Path backupWith(String path, String sha) throws Exception {
    Path dir = project.resolve(".devops/backups/2026-01-01T000000Z");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("manifest.json"),
        """
        {"format":1,"reason":"r","deploy":{"id":"d1"},"files":[{"path":"%s","sha":"%s","size":1}]}
        """
            .formatted(path, sha));
    return dir;
  }

  @Test
  void manifestPathsThatClimbOutAreRefused() throws Exception {
    BackupStore store = new BackupStore(project.resolve(".devops"), Clock.systemUTC());
    Path dir = backupWith("/../../outside.txt", "a".repeat(40));
    assertThatThrownBy(() -> store.verify(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid file path");
    assertThatThrownBy(() -> store.siteFiles(store.readManifest(dir)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(project.resolve("outside.txt")).doesNotExist();
  }

  @Test
  void shasThatAreNotDigestsAreRefused() throws Exception {
    BackupStore store = new BackupStore(project.resolve(".devops"), Clock.systemUTC());
    Path dir = backupWith("/index.html", "../../../../etc/passwd");
    assertThatThrownBy(() -> store.verify(dir)).hasMessageContaining("invalid SHA1");
  }

  @Test
  void backupDirectoriesOutsideTheStoreAreRefused() throws Exception {
    BackupStore store = new BackupStore(project.resolve(".devops"), Clock.systemUTC());
    backupWith("/index.html", "a".repeat(40));
    Files.createDirectories(project.resolve("elsewhere"));
    Files.writeString(project.resolve("elsewhere/manifest.json"), "{}");
    assertThatThrownBy(() -> store.resolve("elsewhere", project))
        .hasMessageContaining("No backup at");
    assertThatThrownBy(() -> store.resolve(".devops/backups/blobs", project))
        .hasMessageContaining("No backup at");
    assertThat(store.resolve(".devops/backups/2026-01-01T000000Z", project).getFileName())
        .hasToString("2026-01-01T000000Z");
    assertThat(store.resolve("2026-01-01T000000Z", project).getFileName())
        .hasToString("2026-01-01T000000Z");
  }
}
