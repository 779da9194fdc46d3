package dev.devops.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When bin/devops rebuilds a checkout's jar (README, "the launcher"): when pom.xml or a source
 * folder is newer than the jar, which a file added, removed, renamed or saved by rename makes it;
 * not for a file rewritten in place, nor ever with DEVOPS_JAR. Runs the real launcher in a copy of
 * a checkout, with a stand-in Maven that records each build and a stand-in JDK.
 */
final class LauncherRebuildTest {
  private static final Path LAUNCHER = Path.of("bin", "devops").toAbsolutePath();
  private static final Instant BUILT = Instant.now().minusSeconds(600);

  @TempDir Path dir;
  private Path checkout;
  private Path builds;

  @BeforeEach
  void checkout() throws IOException {
    checkout = dir.resolve("checkout");
    Files.createDirectories(checkout.resolve("bin"));
    Files.copy(LAUNCHER, checkout.resolve("bin/devops"));
    Files.writeString(checkout.resolve("pom.xml"), "<project/>\n");
    write(checkout.resolve("src/main/java/dev/devops/cli/App.java"), "class App {}\n");
    write(checkout.resolve("src/main/resources/dev/devops/version.properties"), "version=1\n");
    write(checkout.resolve("target/devops.jar"), "jar\n");
    builds = dir.resolve("builds.log");

    Path bin = Files.createDirectories(dir.resolve("tools"));
    script(
        bin.resolve("mvn"),
        "echo build >>'" + builds + "'\ntouch target/devops.jar\n"); // what a build leaves
    Path jdk = Files.createDirectories(dir.resolve("jdk/bin"));
    Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=\"17.0.9\"\n");
    script(jdk.resolve("java"), "exit 0\n"); // no archive: the launcher notes the failure once

    for (Path p : Files.walk(checkout).toList()) {
      Files.setLastModifiedTime(p, FileTime.from(BUILT.minusSeconds(60)));
    }
    Files.setLastModifiedTime(checkout.resolve("target/devops.jar"), FileTime.from(BUILT));
  }

  @Test
  void anUnchangedCheckoutIsNotRebuilt() throws Exception {
    assertThat(launch()).isZero();
    assertThat(launch()).isZero();
    assertThat(builds()).isZero();
  }

  @Test
  void aMissingJarIsBuilt() throws Exception {
    Files.delete(checkout.resolve("target/devops.jar"));
    launch();
    assertThat(builds()).isEqualTo(1);
  }

  @Test
  void aFileSavedByRenameDeepInTheSourcesRebuilds() throws Exception {
    launch();
    Path app = checkout.resolve("src/main/java/dev/devops/cli/App.java");
    Path saved = app.resolveSibling(".App.java.swp");
    Files.writeString(saved, "class App { int changed; }\n");
    Files.move(saved, app, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    launch();
    assertThat(builds()).isEqualTo(1);
    launch();
    assertThat(builds()).as("built once, then up to date").isEqualTo(1);
  }

  @Test
  void anAddedOrRemovedFileRebuilds() throws Exception {
    launch();
    Files.writeString(checkout.resolve("src/main/java/dev/devops/New.java"), "class New {}\n");
    launch();
    assertThat(builds()).isEqualTo(1);
    Files.delete(checkout.resolve("src/main/resources/dev/devops/version.properties"));
    launch();
    assertThat(builds()).isEqualTo(2);
  }

  @Test
  void aNewFolderRebuilds() throws Exception {
    launch();
    write(checkout.resolve("src/main/java/dev/devops/cli/extra/Extra.java"), "class Extra {}\n");
    launch();
    assertThat(builds()).isEqualTo(1);
  }

  @Test
  void pomEditedInPlaceRebuilds() throws Exception {
    launch();
    Files.writeString(checkout.resolve("pom.xml"), "<project><!-- changed --></project>\n");
    launch();
    assertThat(builds()).isEqualTo(1);
  }

  @Test
  void aSourceRewrittenInPlaceIsNotNoticed() throws Exception {
    launch();
    Files.writeString(
        checkout.resolve("src/main/java/dev/devops/cli/App.java"), "class App { int changed; }\n");
    launch();
    assertThat(builds()).as("the documented limit: its folder did not change").isZero();
  }

  @Test
  void aGivenJarIsNeverBuilt() throws Exception {
    Files.writeString(checkout.resolve("pom.xml"), "<project><!-- changed --></project>\n");
    Path jar = checkout.resolve("target/devops.jar");
    ProcessBuilder run = launcher();
    run.environment().put("DEVOPS_JAR", jar.toString());
    assertThat(run.start().waitFor()).isZero();
    assertThat(builds()).isZero();
  }

  @Test
  void anInstalledCopyBuildsInItsCacheAndSaysWhatToSetWhenItHasNone() throws Exception {
    write(checkout.resolve(".claude-plugin/plugin.json"), "{\"name\":\"devops\"}\n");
    ProcessBuilder homeless = launcher();
    for (String name :
        List.of("HOME", "XDG_CACHE_HOME", "DEVOPS_CACHE_DIR", "CLAUDE_PLUGIN_DATA")) {
      homeless.environment().remove(name);
    }
    Process refused = homeless.start();
    assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(refused.exitValue()).isEqualTo(3);
    List<String> said = Files.readAllLines(dir.resolve("stderr.txt"));
    assertThat(said).hasSize(1);
    assertThat(said.get(0))
        .startsWith("❌ an installed devops builds in a cache folder")
        .contains("HOME");
    assertThat(builds()).isZero();

    homeless.environment().put("DEVOPS_CACHE_DIR", dir.resolve("cache").toString());
    Process built = homeless.start();
    assertThat(built.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(built.exitValue()).isZero();
    assertThat(builds()).isEqualTo(1);
    try (var builds = Files.list(dir.resolve("cache"))) {
      assertThat(builds).singleElement().asString().contains("build");
    }
  }

  private int launch() throws Exception {
    Process process = launcher().start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("launcher finished").isTrue();
    return process.exitValue();
  }

  private ProcessBuilder launcher() {
    ProcessBuilder builder =
        new ProcessBuilder(checkout.resolve("bin/devops").toString(), "--version")
            .directory(dir.toFile())
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(dir.resolve("stderr.txt").toFile());
    builder.environment().remove("DEVOPS_JAR");
    builder.environment().remove("DEVOPS_JAVA_OPTS");
    builder.environment().put("JAVA_HOME", dir.resolve("jdk").toString());
    builder
        .environment()
        .put("PATH", dir.resolve("tools") + ":" + System.getenv().getOrDefault("PATH", ""));
    return builder;
  }

  private int builds() throws IOException {
    return Files.exists(builds) ? (int) Files.readAllLines(builds).size() : 0;
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static void script(Path file, String body) throws IOException {
    Files.writeString(file, "#!/usr/bin/env bash\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
