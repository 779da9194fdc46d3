package dev.devops.netlify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void linksInsideAreSkippedAsNetlifyCliDoes() throws IOException {
    write("index.html", "hello");
    Files.createSymbolicLink(dir.resolve("home.html"), dir.resolve("index.html"));
    Files.createSymbolicLink(dir.resolve("gone.html"), dir.resolve("missing.html"));
    SiteFiles files = SiteFiles.hash(dir, 2);
    assertThat(files.digest().keySet()).containsExactly("index.html");
    assertThat(files.skippedLinks()).containsExactly("gone.html", "home.html");
  }

  @Test
  void linksOutsideAreRefusedWithTheirListUnlessFollowed(@TempDir Path elsewhere)
      throws IOException {
    write("index.html", "hello");
    Path secret = Files.writeString(elsewhere.resolve("id_rsa"), "key");
    Files.createDirectories(elsewhere.resolve("folder"));
    Files.writeString(elsewhere.resolve("folder/a.txt"), "a");
    Files.createSymbolicLink(dir.resolve("key.txt"), secret);
    Files.createSymbolicLink(dir.resolve("vendor"), elsewhere.resolve("folder"));
    Files.createSymbolicLink(dir.resolve(".env"), secret); // a dotfile: skipped by its name

    String keyTarget = secret.toRealPath().toString();
    String folderTarget = elsewhere.resolve("folder").toRealPath().toString();
    assertThatThrownBy(() -> SiteFiles.hash(dir, 2))
        .isInstanceOfSatisfying(
            SiteFiles.LinksOutsideException.class,
            e ->
                assertThat(e.links())
                    .containsExactly("key.txt -> " + keyTarget, "vendor -> " + folderTarget));

    SiteFiles followed = SiteFiles.hash(dir, 2, true);
    assertThat(followed.digest().keySet()).containsExactly("index.html", "key.txt", "vendor/a.txt");
  }

  @Test
  void aLinkLoopIsRefusedWhenFollowing() throws IOException {
    write("a/index.html", "hello");
    Files.createSymbolicLink(dir.resolve("a/loop"), dir.resolve("a"));
    assertThatThrownBy(() -> SiteFiles.hash(dir, 2, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("symbolic link loop at a/loop");
  }

  private void write(String path, String content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }
}
