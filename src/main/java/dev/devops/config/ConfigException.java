package dev.devops.config;

/** The project configuration or the credentials cannot be used as they are. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What is wrong; the CLI maps each kind to its exit code. */
  public enum Kind {
    MISSING,
    MALFORMED,
    INVALID,
    UNSUPPORTED_PLATFORM,
    ALREADY_EXISTS,
    NO_TOKEN
  }

  private final Kind kind;
  private final String platform;

  public ConfigException(Kind kind, String message) {
    this(kind, message, null, null);
  }

  public ConfigException(Kind kind, String message, String platform, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.platform = platform;
  }

  public static ConfigException unsupportedPlatform(String platform) {
    return new ConfigException(
        Kind.UNSUPPORTED_PLATFORM, "Platform Not Supported: " + platform, platform, null);
  }

  public Kind kind() {
    return kind;
  }

  /** For {@link Kind#UNSUPPORTED_PLATFORM}: the platform the config names. */
  public String platform() {
    return platform;
  }
}
