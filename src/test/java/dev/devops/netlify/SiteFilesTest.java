package dev.devops.netlify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteFilesTest {
  @TempDir Path dir;

  @Test
  void hashesEveryFileButDotfilesExceptWellKnown() throws IOException {
    write("index.html", "hello");
    write("a/b/c.txt", "hello");
    write(".env", "secret");
    write(".git/config", "x");
    write("a/.DS_Store", "x");
    write(".well-known/assetlinks.json", "[]");
    SiteFiles files = SiteFiles.hash(dir, 4);

    assertThat(files.digest().keySet())
        .containsExactly(".well-known/assetlinks.json", "a/b/c.txt", "index.html");
    // sha1("hello")
    assertThat(files.digest().get("index.html"))
        .isEqualTo("aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
    assertThat(files.digest().get("a/b/c.txt")).isEqualTo(files.digest().get("index.html"));
    assertThat(files.file("a/b/c.txt")).isEqualTo(dir.resolve("a/b/c.txt"));
    assertThat(files.totalBytes()).isEqualTo(12);
  }

  private void write(String path, String content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
