package dev.devops.cli;

import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version Maven stamped into the jar. */
public final class VersionProvider implements IVersionProvider {
  public static String version() {
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
