package dev.devops.cli;

/** The product's fixed message blocks, worded as in the rollback spec. */
final class Messages {
  private Messages() {}

  static String platformNotSupported(String platform) {
    return "❌ Platform Not Supported: "
        + Text.clean(platform)
        + "\n\nThis tool currently supports Netlify only.\n\n"
        + "To switch to Netlify: devops init --force\n\n"
        + "Supported platforms: Netlify";
  }
}
