package dev.devops.cli;

import dev.devops.local.LocalPlatform;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code devops local}: the local Netlify-compatible platform. */
@Command(
    name = "local",
    description = "Run the local Netlify-compatible platform.",
    mixinStandardHelpOptions = true,
    subcommands = {LocalServe.class, LocalSites.class})
public final class LocalCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}

@Command(
    name = "serve",
    description = {
      "Serve Netlify's REST API and every site on one loopback port, in the foreground.",
      "Point clients at it with NETLIFY_API_URL and NETLIFY_AUTH_TOKEN. Ctrl-C stops it."
    },
    mixinStandardHelpOptions = true)
final class LocalServe extends BaseCommand {
  @Option(
      names = "--port",
      paramLabel = "N",
      description = "Port on 127.0.0.1 (default: 8787; 0 = any free port).")
  int port = DEFAULT_PORT;

  static final int DEFAULT_PORT = 8787;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where sites, deploys and files are kept (default: $XDG_DATA_HOME/devops/local).")
  Path dataDir;

  @Option(
      names = "--token",
      paramLabel = "T",
      description = "API token clients must send (default: one kept in the data directory).")
  String token;

  @Mixin JsonOption jsonOption;

  /** The JSON line (docs/json/local-serve.md). */
  record ServeReport(
      @com.fasterxml.jackson.annotation.JsonProperty("api_url") String apiUrl,
      String token,
      int port,
      @com.fasterxml.jackson.annotation.JsonProperty("data_dir") String dataDir,
      @com.fasterxml.jackson.annotation.JsonProperty("site_url") String siteUrl,
      @com.fasterxml.jackson.annotation.JsonProperty("deploy_url") String deployUrl,
      @com.fasterxml.jackson.annotation.JsonProperty("site_path") String sitePath,
      @com.fasterxml.jackson.annotation.JsonProperty("deploy_path") String deployPath) {}

  @Override
  protected int execute() throws Exception {
    if (port < 0 || port > 65535) {
      throw new CliException(ExitCode.USAGE, "--port must be between 0 and 65535");
    }
    if (token != null && token.isBlank()) {
      throw new CliException(ExitCode.USAGE, "--token must not be empty");
    }
    Path dir = dataDir != null ? dataDir : defaultDataDir();
    LocalPlatform platform;
    try {
      platform = LocalPlatform.start(new LocalPlatform.Options(dir, port, token));
    } catch (BindException e) {
      throw new CliException(
          ExitCode.USAGE,
          "port " + port + " is in use; pick another with --port N (0 = any free port)");
    } catch (IOException e) {
      throw new CliException(
          ExitCode.FAILURE, "cannot use data directory " + dir + ": " + e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              platform.close();
              err().println("Local platform stopped.");
              err().flush();
              stopped.countDown();
            },
            "devops-local-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    announce(platform, dir);
    stopped.await();
    return 0;
  }

  private void announce(LocalPlatform platform, Path dir) {
    String sitePattern = platform.siteUrl("SITE");
    String deployPattern = platform.deployUrl("DEPLOY_ID", "SITE");
    if (json()) {
      printJsonLine(
          new ServeReport(
              platform.apiUrl(),
              platform.token(),
              platform.port(),
              dir.toAbsolutePath().toString(),
              sitePattern,
              deployPattern,
              platform.apiUrl() + "/__site/SITE/",
              platform.apiUrl() + "/__deploy/DEPLOY_ID/"));
    }
    Style s = style();
    say(s.bold("Local Netlify-compatible platform") + " listening on 127.0.0.1:" + platform.port());
    say("  API         " + platform.apiUrl() + "   (NETLIFY_API_URL)");
    say("  Token       " + platform.token() + "   (NETLIFY_AUTH_TOKEN)");
    say("  Sites       " + sitePattern + "/   or   " + platform.apiUrl() + "/__site/SITE/");
    say(
        "  Deploys     "
            + deployPattern
            + "/   or   "
            + platform.apiUrl()
            + "/__deploy/DEPLOY_ID/");
    say("  Data        " + dir.toAbsolutePath());
    say("  New site    devops local sites create NAME   (then: devops init --site NAME)");
    say(s.dim("Press Ctrl-C to stop."));
    err().flush();
  }

  private Path defaultDataDir() {
    return defaultDataDir(ctx());
  }

  /** $XDG_DATA_HOME/devops/local, else ~/.local/share/devops/local. */
  static Path defaultDataDir(CliContext ctx) {
    String xdg = ctx.env("XDG_DATA_HOME");
    if (xdg != null) {
      return Path.of(xdg, "devops", "local");
    }
    String home = ctx.env("HOME");
    return Path.of(
        home != null ? home : System.getProperty("user.home"),
        ".local",
        "share",
        "devops",
        "local");
  }
}
