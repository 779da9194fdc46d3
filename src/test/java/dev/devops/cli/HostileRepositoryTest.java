package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.devops.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a cloned repository can carry: {@code .devops/} entries that are symbolic links, FIFOs,
 * devices or another user's files; an {@code api_url} that would take the token elsewhere; symbolic
 * links in the folder to deploy. None of them may make devops touch, read, send or publish anything
 * outside the project.
 */
class HostileRepositoryTest extends HostileCases {
  private static final String SECRET = "secret-word of the user's own file";

  /** The user's home, outside the scanned tree: netlify-cli's login holds the token itself. */
  @TempDir Path userHome;

  /** A file of the user's, outside every project, with mode 0644. */
  private Path usersFile(String name) throws IOException {
    Path file = dir.resolve("home").resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, SECRET);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    return file;
  }

  private static void assertUntouched(Path file) throws IOException {
    assertThat(Files.readString(file)).as(file + " content").isEqualTo(SECRET);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .as(file + " mode")
        .isEqualTo("rw-r--r--");
  }

  private static void link(Path link, Path target) throws IOException {
    Files.createDirectories(link.getParent());
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, target);
  }

  private static void mkfifo(Path path) throws IOException, InterruptedException {
    Files.createDirectories(path.getParent());
    Files.deleteIfExists(path);
    Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as("mkfifo").isTrue();
  }

  // ---- .devops entries

  @Test
  void aBackupBlobLinkedToAFileElsewhereIsRefusedEvenWithTheRightBytes() throws IOException {
    // A recovery deploys a backup's blobs: one read through a link would publish its target.
    PlatformProject p = twoDeploys("blob-link");
    Path own = dir.resolve("home/two.txt");
    Files.createDirectories(own.getParent());
    Files.writeString(own, "two");
    String sha =
        dev.devops.netlify.Sha1.hex("two".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    link(p.dir.resolve(".devops/backups/blobs/" + sha.substring(0, 2) + "/" + sha), own);
    fixturesReady();

    record(
        "backups/blobs/SHA a link to a file of the user's with the live deploy's bytes: rollback",
        p.cli.run("rollback", "--yes", "--reason", "x"),
        ExitCode.CONFIG,
        "blobs/" + sha.substring(0, 2) + "/" + sha + ": it is a symbolic link");
    assertThat(Files.readString(own)).isEqualTo("two");
    assertThat(served(p, "/")).as("nothing switched").isEqualTo("two");
  }

  @Test
  void aSiteLockLinkedToTheUsersFileLeavesThatFileAsItWas() throws IOException {
    PlatformProject p = twoDeploys("lock-link");
    Path own = usersFile("notes.txt");
    link(p.dir.resolve(".devops/locks/" + p.siteId + ".lock"), own);
    fixturesReady();

    record(
        "locks/SITE.lock a link to a file of the user's: rollback",
        p.cli.run("rollback", "--yes", "--reason", "x"),
        ExitCode.CONFIG,
        "Refusing .devops/locks/" + p.siteId + ".lock: it is a symbolic link");
    assertUntouched(own);
    assertThat(served(p, "/")).as("nothing switched").isEqualTo("two");
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void linksFifosAndDevicesUnderDevopsAreRefusedBeforeOpening() throws Exception {
    PlatformProject p = twoDeploys("devops-links");
    Path devops = p.dir.resolve(".devops");
    Path config = devops.resolve("config.json");
    String good = Files.readString(config);
    Path own = usersFile("id_rsa");
    Path outside = Files.createDirectories(dir.resolve("home/elsewhere"));
    fixturesReady();

    link(config, own);
    Cli.Result r =
        record(
            "config.json a link to a file of the user's",
            p.cli.run("status"),
            ExitCode.CONFIG,
            "Refusing .devops/config.json: it is a symbolic link");
    assertThat(r.all()).as("never echoes the file").doesNotContain("secret");
    assertUntouched(own);

    link(config, Path.of("/dev/zero"));
    record(
        "config.json a link to /dev/zero",
        p.cli.run("status"),
        ExitCode.CONFIG,
        "it is a symbolic link");

    mkfifo(config);
    record("config.json a FIFO", p.cli.run("status"), ExitCode.CONFIG, "it is a FIFO (named pipe)");
    Files.delete(config);
    Files.writeString(config, good);

    for (String name : List.of("deployments.json", "rollback-history.json")) {
      link(devops.resolve(name), own);
    }
    record(
        "deployments.json a link to a file of the user's",
        p.cli.run("deployments", "list"),
        ExitCode.CONFIG,
        "Refusing .devops/deployments.json: it is a symbolic link");
    Files.delete(devops.resolve("deployments.json"));
    record(
        "rollback-history.json a link to a file of the user's",
        p.cli.run("rollback", "--yes", "--reason", "x"),
        ExitCode.CONFIG,
        "Refusing .devops/rollback-history.json: it is a symbolic link");
    Files.delete(devops.resolve("rollback-history.json"));
    assertUntouched(own);

    link(devops.resolve("locks"), outside);
    record(
        "locks/ a link to a folder elsewhere",
        p.cli.run("rollback", "--yes", "--reason", "x"),
        ExitCode.CONFIG,
        "Refusing .devops/locks: it is a symbolic link");
    Files.delete(devops.resolve("locks"));
    try (var entries = Files.list(outside)) {
      assertThat(entries).as("written through the link").isEmpty();
    }

    Path backups = devops.resolve("backups");
    Path keptBackups =
        Files.exists(backups) ? Files.move(backups, dir.resolve("home/kept-backups")) : null;
    link(backups, outside);
    record(
        "backups/ a link to a folder elsewhere: rollback",
        p.cli.run("rollback", "--yes", "--reason", "x"),
        ExitCode.CONFIG,
        "Refusing .devops/backups: it is a symbolic link");
    record(
        "backups/ a link to a folder elsewhere: backup list",
        p.cli.run("backup", "list"),
        ExitCode.CONFIG,
        "Refusing .devops/backups: it is a symbolic link");
    Files.delete(backups);
    if (keptBackups != null) {
      Files.move(keptBackups, backups);
    }
    try (var entries = Files.list(outside)) {
      assertThat(entries).as("written through the link").isEmpty();
    }

    // .devops itself: a link to a folder holding a valid config.
    Path moved = Files.move(devops, dir.resolve("home/moved-devops"));
    link(devops, moved);
    record(
        ".devops a link to a folder elsewhere",
        p.cli.run("status"),
        ExitCode.CONFIG,
        "Refusing .devops: it is a symbolic link");
    Files.delete(devops);
    Files.move(moved, devops);
    assertThat(served(p, "/")).as("nothing switched").isEqualTo("two");
  }

  @Test
  void aDevopsFileOfAnotherUserIsRefused() throws IOException {
    UserPrincipal other;
    try {
      other = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    } catch (IOException e) {
      other = null;
    }
    PlatformProject p = twoDeploys("owner");
    Path config = p.dir.resolve(".devops/config.json");
    boolean chowned = false;
    if (other != null) {
      try {
        Files.setOwner(config, other);
        chowned = true;
      } catch (IOException e) {
        // Only root can give a file away.
      }
    }
    assumeTrue(chowned, "giving a file to another user needs root");
    record(
        "config.json of another user",
        p.cli.run("status"),
        ExitCode.CONFIG,
        "Refusing .devops/config.json: it belongs to another user (nobody)");
  }

  @Test
  void leftoversOfKilledWritesAreSweptWhenOursAndOld() throws IOException {
    PlatformProject p = twoDeploys("leftovers");
    Path devops = p.dir.resolve(".devops");
    FileTime old = FileTime.from(Instant.now().minusSeconds(600));
    Path oldTemp = devops.resolve(".deployments.json.tmp-1f2e3d4c");
    Path freshTemp = devops.resolve(".deployments.json.tmp-5a6b7c8d");
    Path notOurs = devops.resolve(".deployments.json.tmp-notes");
    Path linked = devops.resolve(".config.json.tmp-9a9a9a9a");
    Path own = usersFile("kept.txt");
    for (Path file : List.of(oldTemp, freshTemp, notOurs)) {
      Files.writeString(file, "torn");
    }
    Files.setLastModifiedTime(oldTemp, old);
    Files.setLastModifiedTime(notOurs, old);
    link(linked, own);
    Files.setLastModifiedTime(own, old);
    fixturesReady();

    record(
        "leftovers of killed writes in .devops",
        p.cli.run("rollback", "--yes", "--reason", "sweep"),
        ExitCode.OK,
        null);
    assertThat(oldTemp).as("an old temporary file of ours").doesNotExist();
    assertThat(freshTemp).as("a temporary file of a write that may be running").exists();
    assertThat(notOurs).as("a name we never give").exists();
    assertThat(Files.isSymbolicLink(linked)).as("a link is never ours").isTrue();
    assertThat(Files.readString(own)).isEqualTo(SECRET);
  }

  // ---- api_url and the token

  @Test
  void aRepositoryCannotSendTheTokenElsewhere() throws IOException {
    PlatformProject p = twoDeploys("token-rule");
    Path xdg = userHome.resolve("xdg");
    Files.createDirectories(xdg.resolve("netlify"));
    Files.writeString(
        xdg.resolve("netlify/config.json"),
        "{\"userId\":\"u\",\"users\":{\"u\":{\"auth\":{\"token\":\"" + platform.token() + "\"}}}}");
    fixturesReady();
    faults().resetCalls();

    // CI exports a real token; a pull request's config points api_url at its own server.
    Cli onlyTheConfig = p.cli.env("NETLIFY_API_URL", null);
    record(
        "api_url of the repository, no NETLIFY_API_URL",
        onlyTheConfig.run("deployments", "list"),
        ExitCode.CONFIG,
        ".devops/config.json sends API requests to " + platform.apiUrl());
    // The user's own netlify login, asked to go to another API.
    Cli login =
        new Cli(p.dir)
            .env("XDG_CONFIG_HOME", xdg.toString())
            .env("NETLIFY_API_URL", platform.apiUrl());
    record(
        "netlify login token towards another API",
        login.run("status"),
        ExitCode.AUTH,
        "The token of 'netlify login' is sent to Netlify's API only");
    record(
        "netlify login token, api_url of the repository",
        login.env("NETLIFY_API_URL", null).run("rollback", "--dry-run"),
        ExitCode.CONFIG,
        "which is not Netlify's API");
    assertThat(faults().allCalls()).as("requests that reached the other API").isEmpty();

    p.cli.env("NETLIFY_API_URL", platform.apiUrl());
    record(
        "NETLIFY_AUTH_TOKEN and NETLIFY_API_URL given by the user",
        p.cli.run("status"),
        ExitCode.OK,
        null);
  }

  // ---- symbolic links in the folder to deploy

  @Test
  void deployRefusesLinksLeadingOutOfTheFolderAndSkipsThoseInside() throws IOException {
    PlatformProject p = twoDeploys("deploy-links");
    Path site = p.siteDir("public", Map.of("index.html", "<h1>v3</h1>", "about.html", "about"));
    Path own = usersFile("id_ed25519");
    Path ownFolder = Files.createDirectories(dir.resolve("home/.aws"));
    Files.writeString(ownFolder.resolve("credentials"), SECRET);
    link(site.resolve("key.txt"), own);
    link(site.resolve("aws"), ownFolder);
    link(site.resolve("home.html"), site.resolve("index.html"));
    fixturesReady();
    faults().resetCalls();

    Cli.Result refused =
        record(
            "deploy of a folder with links to files and folders outside it",
            p.cli.run("deploy", "--dir", "public", "--prod"),
            Set.of(ExitCode.USAGE.code()));
    assertThat(refused.err())
        .contains(
            "❌ --dir public has 2 symbolic link(s) pointing outside it: nothing was deployed.\n")
        .contains("   aws -> " + ownFolder.toRealPath())
        .contains("   key.txt -> " + own.toRealPath())
        .contains("pass --follow-symlinks");
    assertThat(faults().calls("createSiteDeploy")).as("deploys created").isZero();
    assertThat(served(p, "/")).isEqualTo("two");

    Files.delete(site.resolve("key.txt"));
    Files.delete(site.resolve("aws"));
    Cli.Result inside =
        record(
            "deploy of a folder with a link inside it",
            p.cli.run("deploy", "--dir", "public", "--prod"),
            ExitCode.OK,
            null);
    assertThat(inside.err())
        .contains("Skipped 1 symbolic link(s) inside the folder, as netlify-cli does: home.html");
    assertThat(served(p, "/")).isEqualTo("<h1>v3</h1>");
    assertThat(platform.get(platform.platform().siteUrl(p.siteName) + "/home.html"))
        .as("skipped like netlify-cli")
        .doesNotContain("<h1>v3</h1>");

    link(site.resolve("key.txt"), own);
    record(
        "deploy --follow-symlinks of a link outside the folder",
        p.cli.run("deploy", "--dir", "public", "--prod", "--follow-symlinks"),
        ExitCode.OK,
        null);
    assertThat(platform.get(platform.platform().siteUrl(p.siteName) + "/key.txt"))
        .as("published because asked for")
        .isEqualTo(SECRET);
    Files.delete(site.resolve("key.txt"));
  }
}
