package dev.devops.cli;

import static dev.devops.cli.CommandGroup.sub;
import static dev.devops.cli.Model.flag;
import static dev.devops.cli.Model.option;

import dev.devops.local.LocalPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Model.CommandSpec;

/** {@code devops local}: the local Netlify-compatible platform. */
public final class LocalCommand extends GroupCommand {
  @Override
  public void describe(CommandSpec spec) {
    Model.description(spec, "Run the local Netlify-compatible platform.");
  }

  @Override
  public List<Sub> subcommands() {
    return List.of(sub("serve", LocalServe.class), sub("sites", LocalSites.class));
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }
}

final class LocalServe extends BaseCommand implements JsonOutput {
  static final int DEFAULT_PORT = 8787;

  int port = DEFAULT_PORT;
  Path dataDir;
  String token;
  Path tokenFile;
  String rateLimit = String.valueOf(LocalPlatform.Options.NETLIFY_REQUESTS_PER_MINUTE);
  String deployRateLimit = String.valueOf(LocalPlatform.Options.NETLIFY_DEPLOYS_PER_MINUTE);
  String uploadConcurrency =
      String.valueOf(LocalPlatform.Options.NETLIFY_STARTER_UPLOADS_IN_FLIGHT);
  long latencyMs;
  boolean undocumentedEndpoints;
  String publishedAtOnRestore = "restamp";
  long headerTimeoutSeconds = 10;
  int maxClientRequests = 128;

  @Override
  public void describe(CommandSpec spec) {
    Model.description(
        spec,
        "Serve Netlify's REST API and every site on one loopback port, in the foreground.",
        "Point clients at it with NETLIFY_API_URL and NETLIFY_AUTH_TOKEN. Ctrl-C stops it.");
    spec.addOption(
        option(int.class, port, v -> port = v, "--port")
            .paramLabel("N")
            .description("Port on 127.0.0.1 (default: 8787; 0 = any free port).")
            .build());
    spec.addOption(
        option(Path.class, dataDir, v -> dataDir = v, "--data-dir")
            .paramLabel("DIR")
            .description(
                "Where sites, deploys and files are kept (default: $XDG_DATA_HOME/devops/local).")
            .build());
    spec.addOption(
        option(String.class, token, v -> token = v, "--token")
            .paramLabel("T")
            .description("API token clients must send (default: one kept in the data directory).")
            .build());
    spec.addOption(
        option(Path.class, tokenFile, v -> tokenFile = v, "--token-file")
            .paramLabel("PATH")
            .description("Read the API token from this file's first line (keeps it out of `ps`).")
            .build());
    spec.addOption(
        option(String.class, rateLimit, v -> rateLimit = v, "--rate-limit")
            .paramLabel("N|off")
            .description("API requests per minute per token (default: 500, Netlify's).")
            .build());
    spec.addOption(
        option(String.class, deployRateLimit, v -> deployRateLimit = v, "--deploy-rate-limit")
            .paramLabel("N|off")
            .description("Deploys created per minute (default: 3, Netlify's).")
            .build());
    spec.addOption(
        option(String.class, uploadConcurrency, v -> uploadConcurrency = v, "--upload-concurrency")
            .paramLabel("N|off")
            .description(
                "File uploads in flight per account (default: 5, as on Netlify's Starter plan; 10 as"
                    + " on its paid plans).")
            .build());
    spec.addOption(
        option(long.class, latencyMs, v -> latencyMs = v, "--latency")
            .paramLabel("MS")
            .description("Delay added to every API answer and served request (default: 0).")
            .build());
    spec.addOption(
        flag(v -> undocumentedEndpoints = v, "--undocumented-endpoints")
            .description(
                "Also answer GET /deploys/ID/files[/PATH], which Netlify does not document"
                    + " (default: 404).")
            .build());
    spec.addOption(
        option(
                String.class,
                publishedAtOnRestore,
                v -> publishedAtOnRestore = v,
                "--published-at-on-restore")
            .paramLabel("restamp|keep")
            .description(
                "A restored deploy's published_at: the restore's time (default) or its first publish.")
            .build());
    spec.addOption(
        option(long.class, headerTimeoutSeconds, v -> headerTimeoutSeconds = v, "--header-timeout")
            .paramLabel("SECONDS")
            .description(
                "Close connections that have not sent their request headers (default: 10).")
            .build());
    spec.addOption(
        option(int.class, maxClientRequests, v -> maxClientRequests = v, "--max-client-requests")
            .paramLabel("N")
            .description("Requests one client address may have in progress (default: 128).")
            .build());
  }

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
    Path dir = dataDir != null ? dataDir : defaultDataDir();
    LocalPlatform.Options options = options(dir, token());
    LocalPlatform platform;
    try {
      platform = LocalPlatform.start(options);
    } catch (BindException e) {
      throw new CliException(
          ExitCode.USAGE,
          "port " + port + " is in use; pick another with --port N (0 = any free port)");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot use the data folder " + dir, e);
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
    announce(platform, dir, options);
    stopped.await();
    return 0;
  }

  private String token() {
    if (token != null && tokenFile != null) {
      throw new CliException(ExitCode.USAGE, "give --token or --token-file, not both");
    }
    String given = token;
    if (tokenFile != null) {
      try {
        given = Files.readString(tokenFile, StandardCharsets.UTF_8).lines().findFirst().orElse("");
      } catch (IOException e) {
        throw new CliException(ExitCode.USAGE, "cannot read --token-file " + tokenFile);
      }
      given = given.trim();
      if (given.isEmpty()) {
        throw new CliException(ExitCode.USAGE, "--token-file " + tokenFile + " holds no token");
      }
    }
    if (given != null && given.isBlank()) {
      throw new CliException(ExitCode.USAGE, "--token must not be empty");
    }
    return given;
  }

  private LocalPlatform.Options options(Path dir, String apiToken) {
    if (latencyMs < 0) {
      throw new CliException(ExitCode.USAGE, "--latency must not be negative");
    }
    if (headerTimeoutSeconds < 1) {
      throw new CliException(ExitCode.USAGE, "--header-timeout must be at least 1 second");
    }
    if (maxClientRequests < 1) {
      throw new CliException(ExitCode.USAGE, "--max-client-requests must be at least 1");
    }
    LocalPlatform.Options options =
        new LocalPlatform.Options(dir, port, apiToken)
            .rateLimit(limit("--rate-limit", rateLimit))
            .deployRateLimit(limit("--deploy-rate-limit", deployRateLimit))
            .uploadConcurrency(limit("--upload-concurrency", uploadConcurrency))
            .latency(Duration.ofMillis(latencyMs))
            .undocumentedEndpoints(undocumentedEndpoints)
            .publishedAtOnRestore(publishedAt())
            .headerTimeout(Duration.ofSeconds(headerTimeoutSeconds))
            .requestsPerClient(maxClientRequests);
    return options;
  }

  /** N (at least 1) or {@code off}. */
  private static int limit(String flag, String value) {
    if (value.equalsIgnoreCase("off")) {
      return LocalPlatform.Options.OFF;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the usage error
    }
    throw new CliException(ExitCode.USAGE, flag + " must be a number of at least 1, or off");
  }

  private LocalPlatform.Options.PublishedAt publishedAt() {
    return switch (publishedAtOnRestore.toLowerCase(Locale.ROOT)) {
      case "restamp" -> LocalPlatform.Options.PublishedAt.RESTAMP;
      case "keep" -> LocalPlatform.Options.PublishedAt.KEEP;
      default ->
          throw new CliException(
              ExitCode.USAGE, "--published-at-on-restore must be restamp or keep");
    };
  }

  private void announce(LocalPlatform platform, Path dir, LocalPlatform.Options options) {
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
    say("  Limits      " + limitsLine(options));
    say("  New site    devops local sites create NAME   (then: devops init --site NAME)");
    say(s.dim("Press Ctrl-C to stop."));
    err().flush();
  }

  static String limitsLine(LocalPlatform.Options options) {
    return perMinute(options.requestsPerMinute(), "API requests")
        + ", "
        + perMinute(options.deploysPerMinute(), "deploys")
        + ", "
        + (options.uploadConcurrency() == LocalPlatform.Options.OFF
            ? "uploads in flight unlimited"
            : options.uploadConcurrency() + " uploads in flight");
  }

  private static String perMinute(int limit, String what) {
    return limit == LocalPlatform.Options.OFF ? what + " unlimited" : limit + " " + what + "/min";
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
