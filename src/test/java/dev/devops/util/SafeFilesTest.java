package dev.devops.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeFilesTest {
  @TempDir Path dir;

  private Path devops() throws IOException {
    return Files.createDirectories(dir.resolve("project/.devops"));
  }

  @Test
  void aLinkAnywhereUnderDevopsIsRefusedAndNothingIsWrittenThroughIt() throws IOException {
    Path devops = devops();
    Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
    Files.createSymbolicLink(devops.resolve("backups"), elsewhere);

    assertThatThrownBy(() -> SafeFiles.write(devops.resolve("backups/blobs/ab/x"), new byte[] {1}))
        .isInstanceOf(UnsafeFileException.class)
        .hasMessageStartingWith("Refusing .devops/backups: it is a symbolic link");
    assertThatThrownBy(() -> SafeFiles.readBounded(devops.resolve("backups/m.json"), 10))
        .isInstanceOf(UnsafeFileException.class);
    try (var entries = Files.list(elsewhere)) {
      assertThat(entries).isEmpty();
    }
  }

  @Test
  void readsAreBoundedAndAbsentFilesAreEmpty() throws IOException {
    Path file = devops().resolve("deployments.json");
    assertThat(SafeFiles.readBounded(file, 4)).isEmpty();
    Files.writeString(file, "12345");
    assertThatThrownBy(() -> SafeFiles.readBounded(file, 4))
        .isInstanceOf(UnsafeFileException.class)
        .hasMessageContaining("Refusing .devops/deployments.json: it is larger than");
    assertThat(SafeFiles.readBounded(file, 5)).get().isEqualTo("12345".getBytes());
  }

  @Test
  void writesAreOwnerOnlyAndCreateOwnerOnlyFolders() throws IOException {
    Path file = devops().resolve("locks/deep/x.json");
    SafeFiles.write(file, "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
        .isEqualTo("rwx------");
  }

  @Test
  void aFolderWhereAFileBelongsIsRefused() throws IOException {
    Path config = Files.createDirectories(devops().resolve("config.json"));
    assertThatThrownBy(() -> SafeFiles.readBounded(config, 100))
        .isInstanceOf(UnsafeFileException.class)
        .hasMessageContaining("it is a folder where a file belongs");
  }

  @Test
  void aLockFileIsNeverOpenedThroughALink() throws IOException {
    Path victim = Files.writeString(dir.resolve("victim.txt"), "keep");
    Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-r--r--"));
    Path lock = Files.createDirectories(devops().resolve("locks")).resolve("s.lock");
    Files.createSymbolicLink(lock, victim);
    assertThatThrownBy(() -> SafeFiles.openLock(lock)).isInstanceOf(UnsafeFileException.class);
    assertThat(Files.readString(victim)).isEqualTo("keep");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(victim)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void anOutputIsInvisibleUntilCommittedAndGoneWhenAbandoned() throws IOException {
    Path target = devops().resolve("backups/blob");
    try (AtomicFiles.Output out = SafeFiles.newOutputStream(target)) {
      out.write("partial".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(target).doesNotExist();
    try (var entries = Files.list(target.getParent())) {
      assertThat(entries).as("temporary file left").isEmpty();
    }
    try (AtomicFiles.Output out = SafeFiles.newOutputStream(target)) {
      out.write("whole".getBytes(StandardCharsets.UTF_8));
      assertThat(out.commitIfAbsent()).isTrue();
    }
    try (AtomicFiles.Output out = SafeFiles.newOutputStream(target)) {
      out.write("other".getBytes(StandardCharsets.UTF_8));
      assertThat(out.commitIfAbsent()).isFalse();
    }
    assertThat(Files.readString(target)).isEqualTo("whole");
  }

  @Test
  void leftoversAreSweptOnlyWhenTheyLookOursAndAreOld() throws IOException {
    Path devops = devops();
    FileTime old = FileTime.from(Instant.now().minusSeconds(120));
    Path oldTemp = Files.writeString(devops.resolve(".config.json.tmp-0a1b2c"), "x");
    Path newTemp = Files.writeString(devops.resolve(".config.json.tmp-3d4e5f"), "x");
    Path other = Files.writeString(devops.resolve(".config.json.tmp-zz"), "x");
    Path notes = Files.writeString(devops.resolve("notes.tmp-1"), "x");
    for (Path p : new Path[] {oldTemp, other, notes}) {
      Files.setLastModifiedTime(p, old);
    }
    SafeFiles.forgetSweeps();
    assertThat(SafeFiles.sweepLeftovers(devops)).isEqualTo(1);
    assertThat(oldTemp).doesNotExist();
    assertThat(newTemp).exists();
    assertThat(other).exists();
    assertThat(notes).exists();
  }

  @Test
  void pathsOutsideDevopsFollowLinksButRefuseFifosAndFolders() throws IOException {
    Path real = Files.writeString(dir.resolve("login.json"), "{}");
    Path link = Files.createSymbolicLink(dir.resolve("link.json"), real);
    assertThat(SafeFiles.readBounded(link, 10)).get().isEqualTo("{}".getBytes());
    assertThatThrownBy(() -> SafeFiles.readBounded(dir, 10))
        .isInstanceOf(UnsafeFileException.class);
  }
}
