package dev.devops.cli;

import dev.devops.local.Faults;
import dev.devops.testing.PlatformFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** Base of the CLI tests: one real local platform per test class, one project dir per test. */
abstract class PlatformTest {
  @TempDir static Path platformDir;
  static PlatformFixture platform;
  @TempDir Path dir;

  @BeforeAll
  static void startPlatform() {
    platform = PlatformFixture.start(platformDir);
  }

  @AfterAll
  static void stopPlatform() {
    platform.close();
  }

  static Faults faults() {
    return platform.platform().faults();
  }

  /** A project in this test's directory, linked to a new site called {@code siteName}. */
  PlatformProject project(String siteName) {
    return new PlatformProject(platform, dir, siteName);
  }
}
