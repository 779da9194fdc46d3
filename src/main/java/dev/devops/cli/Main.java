package dev.devops.cli;

import dev.devops.netlify.NetlifyClient;
import dev.devops.util.Json;

/** Process entry point. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && !args[0].startsWith("-")) {
      warmUp();
    }
    int code = App.run(CliContext.system(), args);
    System.exit(code);
  }

  /**
   * Builds the JSON mapper and the HTTP client on the second core while the main thread parses the
   * command line: each takes tens of milliseconds at start-up, and nearly every command needs both.
   * Only class initialisation runs here, which the JVM makes safe to race: a main thread that gets
   * there first simply waits for it to finish.
   */
  private static void warmUp() {
    Thread thread =
        new Thread(
            () -> {
              try {
                Json.mapper();
                Class.forName(NetlifyClient.class.getName(), true, Main.class.getClassLoader());
              } catch (ClassNotFoundException | LinkageError ignored) {
                // The main thread reports the same problem where it matters.
              }
            },
            "devops-warm-up");
    thread.setDaemon(true);
    thread.start();
  }
}
