package dev.devops.cli;

import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven stamped into the jar. */
public final class VersionProvider implements IVersionProvider {
  /**
   * The jar's manifest, which the JVM has already read (or kept in the class-data archive): looking
   * up a resource instead searches the JDK's modules and opens the jar, milliseconds of a short
   * run. Classes outside the jar (tests, an IDE) read {@code version.properties}.
   */
  public static String version() {
    String fromManifest = VersionProvider.class.getPackage().getImplementationVersion();
    return fromManifest != null ? fromManifest : fromProperties();
  }

  private static String fromProperties() {
    try (InputStream in =
        VersionProvider.class.getResourceAsStream("/dev/devops/version.properties")) {
      Properties props = new Properties();
      if (in != null) {
        props.load(in);
      }
      return props.getProperty("version", "dev");
    } catch (Exception e) {
      return "dev";
    }
  }

  /** What {@code devops --version} prints. */
  static String line() {
    return "devops " + version();
  }

  @Override
  public String[] getVersion() {
    return new String[] {line()};
  }
}
