package dev.devops.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void moveIfAbsentKeepsWhatIsThere() throws Exception {
    Path target = Files.writeString(dir.resolve("blob"), "first");
    Path source = Files.writeString(dir.resolve("tmp"), "second");

    assertThat(AtomicFiles.moveIfAbsent(source, target)).isFalse();
    assertThat(target).hasContent("first");
    assertThat(source).doesNotExist();
  }

  @Test
  void moveIfAbsentReplacesADanglingLinkAndNeverWritesThroughIt() throws Exception {
    // A link left in a store (a repository can carry .devops/) whose target does not exist: the
    // rename replaces the link itself, and nothing appears where it pointed.
    Path pointedAt = dir.resolve("elsewhere/secret");
    Path target = Files.createSymbolicLink(dir.resolve("blob"), pointedAt);
    Path source = Files.writeString(dir.resolve("tmp"), "bytes");

    assertThat(AtomicFiles.moveIfAbsent(source, target)).isTrue();
    assertThat(Files.isSymbolicLink(target)).isFalse();
    assertThat(target).hasContent("bytes");
    assertThat(pointedAt).doesNotExist();
    assertThat(pointedAt.getParent()).doesNotExist();
  }

  @Test
  void moveIfAbsentKeepsALinkToAFileAndLeavesThatFileAlone() throws Exception {
    Path pointedAt = Files.writeString(dir.resolve("theirs"), "theirs");
    Path target = Files.createSymbolicLink(dir.resolve("blob"), pointedAt);
    Path source = Files.writeString(dir.resolve("tmp"), "bytes");

    assertThat(AtomicFiles.moveIfAbsent(source, target)).isFalse(); // refused later, by name
    assertThat(pointedAt).hasContent("theirs");
  }
}
