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

  private Path manifest(String name, String json) throws Exception {
    Path dir = project.resolve(".devops/backups/" + name);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("manifest.json"), json);
    return dir;
  }

  private static byte[] bytes(Path backup) throws Exception {
    return Files.readAllBytes(backup.resolve("manifest.json"));
  }

  private static String manifestOf(String deployId, String sha, Boolean complete) {
    return """
        {"format":2,"reason":"r","deploy":{"id":"%s"},"files":[{"path":"/index.html","sha":"%s","size":1}]%s}
        """
        .formatted(deployId, sha, complete == null ? "" : ",\"complete\":" + complete);
  }

  @Test
  void aManifestsHeadIsReadWithoutItsFileList() throws Exception {
    // Torn inside its file list: the head before it is still whole.
    Path torn =
        manifest("2026-01-03T000000Z", "{\"format\":2,\"deploy\":{\"id\":\"d2\"},\"files\":[{\"pa");
    assertThat(BackupStore.readHead(bytes(torn), false))
        .isEqualTo(new BackupStore.Head("d2", null));
    assertThat(BackupStore.readHead(bytes(torn), true)).isEqualTo(BackupStore.Head.UNKNOWN);
    Path whole = manifest("2026-01-02T000000Z", manifestOf("d1", "a".repeat(40), false));
    assertThat(BackupStore.readHead(bytes(whole), true))
        .isEqualTo(new BackupStore.Head("d1", false));
    Path notJson = manifest("2026-01-01T000000Z", "[1, 2]");
    assertThat(BackupStore.readHead(bytes(notJson), true)).isEqualTo(BackupStore.Head.UNKNOWN);
  }

  @Test
  void aDeploysFilesComeFromTheNewestManifestThatNamesIt() throws Exception {
    BackupStore store = new BackupStore(project.resolve(".devops"), Clock.systemUTC());
    manifest("2026-01-01T000000Z", manifestOf("d1", "1".repeat(40), true));
    manifest("2026-01-02T000000Z", manifestOf("d1", "2".repeat(40), true));
    manifest("2026-01-03T000000Z", manifestOf("d2", "3".repeat(40), true));
    manifest("2026-01-04T000000Z", "{\"format\":2,\"deploy\":{\"id\":\"d3\"},\"files\":[{\"pa");

    assertThat(store.filesOf("d1").orElseThrow().files().get(0).sha()).isEqualTo("2".repeat(40));
    assertThat(store.filesOf("d2").orElseThrow().files().get(0).sha()).isEqualTo("3".repeat(40));
    assertThat(store.filesOf("d3")).isEmpty(); // torn: passed over, as before
    assertThat(store.filesOf("d4")).isEmpty();
  }

  @Test
  void incompleteBackupsAreFoundByTheirHeadNewestFirst() throws Exception {
    BackupStore store = new BackupStore(project.resolve(".devops"), Clock.systemUTC());
    manifest("2026-01-01T000000Z", manifestOf("d1", "1".repeat(40), false));
    manifest("2026-01-02T000000Z", manifestOf("d2", "2".repeat(40), true));
    manifest("2026-01-03T000000Z", manifestOf("d3", "3".repeat(40), null)); // older format
    manifest("2026-01-04T000000Z", manifestOf("d4", "4".repeat(40), false));

    assertThat(store.incomplete())
        .extracting(b -> b.manifest().deploy().id())
        .containsExactly("d4", "d1");
    assertThat(store.list()).hasSize(4);
  }

  @Test
  void aBlobIsNeverReadThroughALink(@TempDir Path elsewhere) throws Exception {
    // .devops/ can come with a repository: a blob that links to a file outside the project is
    // refused, even when that file holds the right bytes (a recovery would upload it).
    BackupStore store = new BackupStore(project.resolve(".devops"), Clock.systemUTC());
    byte[] bytes = "hello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String sha = dev.devops.netlify.Sha1.hex(bytes);
    Path outside = Files.write(elsewhere.resolve("secret.txt"), bytes);
    Path dir = manifest("2026-01-01T000000Z", manifestOf("d1", sha, true));
    Path blob = store.blobPath(sha);
    Files.createDirectories(blob.getParent());
    Files.createSymbolicLink(blob, outside);

    assertThat(store.verify(dir).corrupt()).containsExactly("/index.html");
    assertThatThrownBy(() -> store.siteFiles(store.readManifest(dir)))
        .hasRootCauseInstanceOf(dev.devops.util.UnsafeFileException.class)
        .hasMessageContaining("it is a symbolic link");
    assertThat(Files.isSymbolicLink(blob)).as("refused, not changed").isTrue();
    assertThat(outside).hasBinaryContent(bytes);

    Files.delete(blob);
    Files.write(blob, bytes); // the bytes themselves, stored
    BackupStore fresh = new BackupStore(project.resolve(".devops"), Clock.systemUTC());
    assertThat(fresh.verify(dir).ok()).isTrue();
    assertThat(fresh.siteFiles(fresh.readManifest(dir)).digest()).containsEntry("index.html", sha);
  }

  @Test
  void aDanglingLinkIsAMissingBlobNotADamagedOne(@TempDir Path elsewhere) throws Exception {
    BackupStore store = new BackupStore(project.resolve(".devops"), Clock.systemUTC());
    byte[] bytes = "hello\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String sha = dev.devops.netlify.Sha1.hex(bytes);
    Path dir = manifest("2026-01-01T000000Z", manifestOf("d1", sha, true));
    Path blob = store.blobPath(sha);
    Files.createDirectories(blob.getParent());
    Path pointedAt = elsewhere.resolve("not-there");
    Files.createSymbolicLink(blob, pointedAt);

    BackupStore.Verification verification = store.verify(dir);
    assertThat(verification.missing()).containsExactly("/index.html");
    assertThat(verification.corrupt()).isEmpty();
    assertThat(pointedAt).doesNotExist();
  }
}
