package dev.devops.cli;

import dev.devops.local.Faults;
import dev.devops.testing.PlatformFixture;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Base of the CLI tests: one real local platform per test class, one project dir per test. */
abstract class PlatformTest {
  @TempDir static Path platformDir;
  static PlatformFixture platform;
  @TempDir Path dir;

  /**
   * Marks a test class whose platform also answers the per-deploy file listing and download, which
   * Netlify answers in practice but does not document: the rollback flows run in both modes.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @Inherited
  @interface WithUndocumentedEndpoints {}

  @BeforeAll
  static void startPlatform(TestInfo info) {
    boolean undocumented =
        info.getTestClass()
            .map(c -> c.isAnnotationPresent(WithUndocumentedEndpoints.class))
            .orElse(false);
    platform =
        undocumented
            ? PlatformFixture.startWithUndocumentedEndpoints(platformDir)
            : PlatformFixture.start(platformDir);
  }

  /** True when this class's platform answers the undocumented per-deploy file endpoints. */
  static boolean undocumentedEndpoints() {
    return platform.platform().options().undocumentedEndpoints();
  }

  /** Each test starts in a fresh minute of Netlify's limits. */
  @org.junit.jupiter.api.BeforeEach
  void freshLimits() {
    platform.platform().resetLimits();
  }

  @AfterAll
  static void stopPlatform() {
    platform.close();
  }

  static Faults faults() {
    return platform.platform().faults();
  }

  /** {@code devops ARGS} as a real process in {@code dir}, against this class's platform. */
  static Process startDevops(java.nio.file.Path dir, String... args) throws java.io.IOException {
    return dev.devops.testing.DevopsProcess.start(
        dir, platform.apiUrl(), platform.token(), java.util.Map.of(), args);
  }

  /** A project in this test's directory, linked to a new site called {@code siteName}. */
  PlatformProject project(String siteName) {
    return new PlatformProject(platform, dir, siteName);
  }
}
