package dev.devops.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.devops.cli.VersionProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/devops as users run it: it keeps a start-up archive next to the jar, and whatever the JVM
 * says about that archive goes to stderr, so stdout stays data only.
 */
final class LauncherIT {
  private static final Path LAUNCHER = Path.of("bin", "devops").toAbsolutePath();
  private static final Path PREPARE = Path.of("plugin", "bin", "devops-prepare").toAbsolutePath();
  private static final Path JAR = Path.of(System.getProperty("devops.jar", "target/devops.jar"));
  private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  @Test
  void makesAnArchiveOnceAndPrintsOnlyTheVersionOnStdout() throws Exception {
    Path jar = Files.copy(JAR, dir.resolve("devops.jar"));
    Run first = launch(Map.of("DEVOPS_JAR", jar.toString()), "--version");
    assertThat(first.exitCode()).isZero();
    assertThat(first.out()).isEqualTo("devops " + VersionProvider.version() + "\n");
    assertThat(archives()).hasSize(1);

    Run second = launch(Map.of("DEVOPS_JAR", jar.toString()), "--version");
    assertThat(second.out()).isEqualTo(first.out());
    assertThat(second.err()).doesNotContain("Preparing");
  }

  @Test
  void theSessionStartHookPreparesTheArchiveOfEveryCommandAndThatOfListAndStatus()
      throws Exception {
    Path jar = Files.copy(JAR, dir.resolve("devops.jar"));
    Path cache = Files.createDirectories(dir.resolve("cache"));
    Run hook =
        run(PREPARE, Map.of("DEVOPS_JAR", jar.toString(), "DEVOPS_CACHE_DIR", cache.toString()));
    assertThat(hook.exitCode()).isZero();
    assertThat(hook.out()).isEmpty();

    // The hook returns at once; the launcher trains both archives in the background.
    Path log = cache.resolve("prepare.log");
    String version = "devops " + VersionProvider.version();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline
        && !(Files.exists(log)
            && Files.readString(log, StandardCharsets.UTF_8).split(version, -1).length == 3)) {
      Thread.sleep(200);
    }
    assertThat(Files.readString(log, StandardCharsets.UTF_8))
        .as("each run made its archive and printed the version")
        .satisfies(text -> assertThat(text.split("Preparing the start-up archive", -1)).hasSize(3))
        .satisfies(text -> assertThat(text.split(version, -1)).hasSize(3));
    assertThat(archives())
        .extracting(path -> path.getFileName().toString())
        .anyMatch(name -> name.startsWith("devops-jdk"))
        .anyMatch(name -> name.startsWith("devops-read-jdk"))
        .hasSize(2);
  }

  @Test
  void aJarOfAnotherTimeGetsAnArchiveOfItsOwn() throws Exception {
    Path jar = Files.copy(JAR, dir.resolve("devops.jar"));
    Map<String, String> env = Map.of("DEVOPS_JAR", jar.toString());
    assertThat(launch(env, "--version").exitCode()).isZero();
    Path archive = archives().get(0);
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(Files.getLastModifiedTime(jar));

    // A rebuilt jar whose time says it is older than the archive: a copy or an unpacked tarball.
    rebuildJarOlderThanItsArchive(jar);
    Run rebuilt = launch(env, "--version");

    assertThat(rebuilt.err()).contains("Preparing the start-up archive");
    assertThat(rebuilt.out()).isEqualTo("devops " + VersionProvider.version() + "\n");
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(Files.getLastModifiedTime(jar));
    assertThat(launch(env, "--version").err()).doesNotContain("Preparing");
  }

  @Test
  void whatTheJvmSaysAboutADamagedArchiveNeverReachesStdout() throws Exception {
    assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")), "JDK 25 is not installed");
    // JDK 25 reports an AOT cache it cannot use on stdout unless told otherwise.
    Path jar = Files.copy(JAR, dir.resolve("devops.jar"));
    Map<String, String> env = Map.of("DEVOPS_JAR", jar.toString(), "JAVA_HOME", JDK25.toString());
    assertThat(launch(env, "--version").exitCode()).isZero();
    Path archive = archives().get(0);

    FileTime time = Files.getLastModifiedTime(archive);
    try (var channel = java.nio.channels.FileChannel.open(archive, StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() / 2);
    }
    Files.setLastModifiedTime(archive, time); // the launcher still takes it for the jar's
    Run damaged = launch(env, "--version");

    assertThat(damaged.exitCode()).isZero();
    assertThat(damaged.out()).isEqualTo("devops " + VersionProvider.version() + "\n");
    assertThat(damaged.err()).contains("[aot]").doesNotContain("Preparing");
  }

  @Test
  void theWeekDataOfLocaleUsComesFromOurProviderNotFromTheJdksLongList() throws Exception {
    assertOurWeekDataIsUsed(Map.of());
  }

  @Test
  void theWeekDataOfLocaleUsComesFromOurProviderOnJdk25Too() throws Exception {
    assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")), "JDK 25 is not installed");
    assertOurWeekDataIsUsed(Map.of("JAVA_HOME", JDK25.toString()));
  }

  @Test
  void aJdkWhoseVersionCannotBeReadIsNotAskedForTheLocaleDataNewerJdksRemoved() throws Exception {
    assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")), "JDK 25 is not installed");
    // A JDK home without its release file, as behind some version managers' shims.
    Path home = Files.createDirectories(dir.resolve("jdk/bin"));
    Files.createSymbolicLink(home.resolve("java"), JDK25.resolve("bin/java"));
    Path jar = Files.copy(JAR, dir.resolve("devops.jar"));
    Run run =
        launch(
            Map.of("DEVOPS_JAR", jar.toString(), "JAVA_HOME", home.getParent().toString()),
            "status",
            "--json");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).doesNotContain("COMPAT").doesNotContain("WARNING");
  }

  @Test
  void eachIncidentCommandStartsFromItsArchiveAndLoadsOnlyWhatItNeeds() throws Exception {
    try (dev.devops.testing.PlatformFixture fx =
        dev.devops.testing.PlatformFixture.start(dir.resolve("platform"))) {
      String site = "launcher-json";
      String siteId = fx.createSite(site);
      fx.deploy(
          siteId,
          Map.of("index.html", "<h1>v1</h1>"),
          dev.devops.testing.PlatformFixture.DeployOptions.prod("v1"));
      Path jar = Files.copy(JAR, dir.resolve("devops.jar"));
      Map<String, String> env = new java.util.HashMap<>();
      env.put("DEVOPS_JAR", jar.toString());
      env.put("NETLIFY_API_URL", fx.apiUrl());
      env.put("NETLIFY_AUTH_TOKEN", fx.token());
      env.put("HOME", dir.resolve("home").toString());
      fx.deploy(
          siteId,
          Map.of("index.html", "<h1>v2</h1>"),
          dev.devops.testing.PlatformFixture.DeployOptions.prod("v2"));
      assertThat(launch(env, "init", "--site", site).exitCode()).isZero();
      for (String line :
          List.of("deployments list --json", "status --json", "status", "rollback --dry-run")) {
        Path classes = dir.resolve("classes.txt");
        Files.deleteIfExists(classes);
        env.put("DEVOPS_JAVA_OPTS", "-Xlog:class+load=info,cds=info:file=" + classes);
        Run run = launch(env, line.split(" "));
        env.remove("DEVOPS_JAVA_OPTS");
        assertThat(run.exitCode()).as(line + ": " + run.err()).isZero();
        String loaded = Files.readString(classes, StandardCharsets.UTF_8);
        // list and status start from the archive trained on them alone; the rest from the one
        // trained on a whole incident.
        String archive =
            jar.toString().replace(".jar", line.startsWith("rollback") ? "-jdk" : "-read-jdk");
        assertThat(loaded).as(line).contains("Opened archive " + archive);
        // The command line is modelled from code: no annotation of picocli's is ever read.
        assertThat(loaded)
            .as(line)
            .contains("picocli.CommandLine ")
            .doesNotContain("picocli.CommandLine$Command ")
            .doesNotContain("picocli.CommandLine$Option ")
            .doesNotContain("picocli.CommandLine$Parameters ");
        if (!line.startsWith("rollback")) {
          assertThat(loaded)
              .as(line)
              .contains("com.fasterxml.jackson.jr.ob.JSON ")
              .doesNotContain("com.fasterxml.jackson.databind.ObjectMapper ");
        }
        if (line.endsWith("--json")) {
          // Dates are read and written without building the JDK's standard formatters.
          assertThat(loaded)
              .as(line)
              .contains("java.time.Instant ")
              .doesNotContain("java.time.format.DateTimeFormatter ");
        }
      }
    }
  }

  private void assertOurWeekDataIsUsed(Map<String, String> extra) throws Exception {
    Path jar = Files.copy(JAR, dir.resolve("devops.jar"));
    Path classes = dir.resolve("classes.txt");
    Map<String, String> env = new java.util.HashMap<>(extra);
    env.put("DEVOPS_JAR", jar.toString());
    env.put("DEVOPS_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes);
    // No project here: the command fails, and its --json error starts the JSON mapper, whose
    // date format asks for Locale.US's week data.
    Run run = launch(env, "status", "--json");
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.out()).contains("\"error\"");
    String loaded = Files.readString(classes, StandardCharsets.UTF_8);
    assertThat(loaded)
        .contains("dev.devops.util.UsCalendarData ")
        .doesNotContain("sun.util.cldr.CLDRCalendarDataProviderImpl ");
  }

  @Test
  void aJavaFoundThroughALinkIsFollowedOnceAndAgainWhenTheLinkLeadsElsewhere() throws Exception {
    assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")), "JDK 25 is not installed");
    Path jdk17 = Path.of(System.getProperty("java.home"), "bin", "java").toRealPath();
    Path bin = Files.createDirectories(dir.resolve("path"));
    Path java = Files.createSymbolicLink(bin.resolve("java"), jdk17);
    Path jar = Files.copy(JAR, dir.resolve("devops.jar"));
    Path known = dir.resolve("devops-java.txt");
    Map<String, String> env =
        Map.of(
            "DEVOPS_JAR",
            jar.toString(),
            "JAVA_HOME",
            "",
            "PATH",
            bin + ":" + System.getenv("PATH"));

    assertThat(launch(env, "--version").exitCode()).isZero();
    assertThat(Files.readString(known, StandardCharsets.UTF_8)).isEqualTo(jdk17 + "\n");
    assertThat(archives()).singleElement().asString().contains("jdk17");

    // The link now leads to another JDK: what was kept is not trusted, and that JDK runs.
    Files.delete(java);
    Files.createSymbolicLink(java, JDK25.resolve("bin/java"));
    Run moved = launch(env, "--version");
    assertThat(moved.exitCode()).isZero();
    assertThat(moved.out()).isEqualTo("devops " + VersionProvider.version() + "\n");
    assertThat(Files.readString(known, StandardCharsets.UTF_8))
        .isEqualTo(JDK25.resolve("bin/java").toRealPath() + "\n");
    assertThat(archives()).anyMatch(archive -> archive.toString().endsWith(".aot"));

    // A kept answer that names another file than the link leads to is not believed either.
    Files.writeString(known, jdk17 + "\n");
    assertThat(launch(env, "--version").exitCode()).isZero();
    assertThat(Files.readString(known, StandardCharsets.UTF_8))
        .isEqualTo(JDK25.resolve("bin/java").toRealPath() + "\n");

    // Something else than a file in its place is neither read (a pipe would never answer) nor
    // written into; the launcher follows the link itself and says nothing.
    Files.delete(known);
    Files.createDirectory(known);
    Run folder = launch(env, "--version");
    assertThat(folder.exitCode()).isZero();
    assertThat(folder.err()).isEmpty();
    try (Stream<Path> inside = Files.list(known)) {
      assertThat(inside).isEmpty();
    }
    Files.delete(known);
    assertThat(new ProcessBuilder("mkfifo", known.toString()).start().waitFor()).isZero();
    Run pipe = launch(env, "--version");
    assertThat(pipe.exitCode()).isZero();
    assertThat(pipe.err()).isEmpty();
  }

  @Test
  void saysWhatToInstallWhenJavaIsMissing() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String tool : List.of("bash", "dirname", "readlink")) {
      Files.createSymbolicLink(bin.resolve(tool), which(tool));
    }
    Run run = launch(Map.of("PATH", bin.toString(), "JAVA_HOME", ""), "--version");

    assertThat(run.exitCode()).isEqualTo(127);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("❌ devops needs Java 17 or newer").contains("install");
  }

  /** Same classes, one more entry: a different jar whose time says it is older than the archive. */
  private static void rebuildJarOlderThanItsArchive(Path jar) throws IOException {
    Path rebuilt = jar.resolveSibling("rebuilt.jar");
    try (JarFile in = new JarFile(jar.toFile());
        JarOutputStream out = new JarOutputStream(Files.newOutputStream(rebuilt))) {
      for (JarEntry entry : java.util.Collections.list(in.entries())) {
        out.putNextEntry(new JarEntry(entry.getName()));
        in.getInputStream(entry).transferTo(out);
        out.closeEntry();
      }
      out.putNextEntry(new JarEntry("rebuilt.txt"));
      out.write("rebuilt".getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    Files.move(rebuilt, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().minusSeconds(3600)));
  }

  private List<Path> archives() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.toString().endsWith(".jsa") || p.toString().endsWith(".aot"))
          .toList();
    }
  }

  private Run launch(Map<String, String> env, String... args) throws Exception {
    return run(LAUNCHER, env, args);
  }

  private Run run(Path program, Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(program.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().remove("DEVOPS_JAVA_OPTS");
    env.forEach(
        (name, value) -> {
          if (value.isEmpty()) {
            builder.environment().remove(name);
          } else {
            builder.environment().put(name, value);
          }
        });
    Path out = dir.resolve("stdout.txt");
    Path err = dir.resolve("stderr.txt");
    builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process process = builder.start();
    try (OutputStream stdin = process.getOutputStream()) {
      // No input: the launcher must never wait for any.
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("launcher finished").isTrue();
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static Path which(String tool) {
    for (String entry : System.getenv("PATH").split(":")) {
      Path candidate = Path.of(entry, tool);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(tool + " not on PATH");
  }
}
