package dev.devops.cli;

import static dev.devops.cli.Model.flag;
import static dev.devops.cli.Model.option;

import dev.devops.demo.DemoSite;
import dev.devops.demo.DemoSite.Release;
import dev.devops.local.LocalPlatform;
import dev.devops.netlify.Fetched;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.Site;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code devops demo}: a real rollback, end to end, on the local platform. Publishes four releases
 * of a sample site, the last one broken, then runs the real {@code devops rollback}.
 */
public final class DemoCommand extends BaseCommand {
  static final String SITE_NAME = "bean-there";

  Path dataDir;
  boolean yes;

  @Override
  public void describe(CommandSpec spec) {
    Model.description(
        spec,
        "Roll back a broken release for real, on the local platform.",
        "Publishes v1.2.0 to v1.2.3 of a sample site (v1.2.3 is broken), then runs",
        "'devops rollback' (you type ROLLBACK on a terminal; --yes otherwise) and verifies it.");
    spec.addOption(
        option(Path.class, dataDir, v -> dataDir = v, "--data-dir")
            .paramLabel("DIR")
            .description(
                "Where to keep the demo's platform data and project (default: a new temp folder).")
            .build());
    spec.addOption(
        flag(v -> yes = v, "--yes").description("Confirm the rollback without a prompt.").build());
  }

  @Override
  protected int execute() throws Exception {
    Path base =
        dataDir != null
            ? Files.createDirectories(dataDir)
            : Files.createTempDirectory("devops-demo-");
    Path project = Files.createDirectories(base.resolve("project"));
    Path releases = base.resolve("releases");
    String token = "demo-" + HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    Style style = style();
    // The demo publishes four releases in a few seconds, past Netlify's 3 deploys a minute: that
    // one limit is lifted, and the demo says so. Everything else is on Netlify's terms.
    try (LocalPlatform platform =
        LocalPlatform.start(
            new LocalPlatform.Options(base.resolve("platform"), 0, token)
                .deployRateLimit(LocalPlatform.Options.OFF))) {
      PrintWriter err = err();
      err.println(style.bold("🚀 devops demo") + " — a real rollback on the local platform");
      err.println("   API " + platform.apiUrl() + "/api/v1, data in " + base);
      err.println(
          "   On Netlify's terms (500 API requests a minute, 5 uploads in flight, documented"
              + " endpoints only), but for its limit of 3 deploys a minute: the demo publishes"
              + " four releases at once.");
      err.println();

      Map<String, String> env = new HashMap<>(ctx().env());
      env.put("NETLIFY_AUTH_TOKEN", token);
      env.put("NETLIFY_API_URL", platform.apiUrl());
      env.remove("NETLIFY_SITE_ID");

      NetlifyClient client =
          new NetlifyClient(
              NetlifyClient.Options.defaults(
                  platform.apiUrl(), token, "devops/" + VersionProvider.version()));
      Site site = client.createSite(SITE_NAME);
      runQuietly(project, env, "init", "--site", site.id(), "--api-url", platform.apiUrl());

      for (Release release : DemoSite.RELEASES) {
        Path dir = releases.resolve(release.version());
        DemoSite.write(dir, release);
        runQuietly(
            project,
            env,
            "deploy",
            "--dir",
            dir.toString(),
            "--prod",
            "--version",
            release.version(),
            "--message",
            release.message());
        err.println(
            (release.broken() ? "🔥 Published " : "📦 Published ")
                + release.version()
                + " — "
                + release.message());
      }
      String siteUrl = platform.siteUrl(SITE_NAME);
      Release broken = DemoSite.broken();
      err.println();
      err.println(
          style.red("🔥 " + broken.version() + " is live and its checkout is broken: ")
              + siteUrl
              + "/");
      err.println();

      List<String> rollback =
          new ArrayList<>(
              List.of("rollback", "--reason", "Checkout broken in " + broken.version()));
      if (yes || !ctx().interactive()) {
        rollback.add("--yes");
      }
      int code = runVisibly(project, env, rollback.toArray(String[]::new));
      if (code != ExitCode.OK.code()) {
        return code;
      }

      Release good = DemoSite.lastGood();
      Fetched served = client.fetch(siteUrl + "/");
      String body = new String(served.body(), java.nio.charset.StandardCharsets.UTF_8);
      if (!body.contains("<span class=\"version\" id=\"version\">" + good.version() + "</span>")) {
        throw new CliException(
            ExitCode.UNVERIFIED,
            siteUrl + "/ does not serve " + good.version() + " after the rollback.");
      }
      err.println();
      err.println(
          style.green("✓ " + siteUrl + "/ now serves " + good.version())
              + " (checked the bytes served).");
      err.println();
      err.println("💡 Keep exploring (the demo's data stays in " + base + "):");
      err.println(
          "   devops local serve --data-dir "
              + base.resolve("platform")
              + " --port "
              + platform.port()
              + " --token "
              + token
              + "   # in another terminal");
      err.println("   cd " + project);
      err.println("   export NETLIFY_AUTH_TOKEN=" + token);
      err.println("   export NETLIFY_API_URL=" + platform.apiUrl());
      err.println("   devops status                  # the pinned deploy and the last rollback");
      err.println("   devops rollback history        # what was done, step by step");
      err.println("   devops rollback " + broken.version() + "   # roll forward again");
      return ExitCode.OK.code();
    }
  }

  /** Runs a CLI command in the demo project, showing its output only if it fails. */
  private void runQuietly(Path project, Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext child =
        child(project, env, new PrintWriter(out, true), new PrintWriter(err, true), false, false);
    int code = App.run(child, args);
    if (code != 0) {
      err().print(err);
      throw new CliException(
          ExitCode.ofCode(code),
          "demo step 'devops " + String.join(" ", args) + "' failed (exit " + code + ").");
    }
  }

  /** Runs a CLI command in the demo project with the user's own terminal. */
  private int runVisibly(Path project, Map<String, String> env, String... args) {
    CliContext child = child(project, env, out(), err(), ctx().interactive(), ctx().color());
    return App.run(child, args);
  }

  /** The context of a CLI command run inside the demo project, against the demo platform. */
  private CliContext child(
      Path project,
      Map<String, String> env,
      PrintWriter out,
      PrintWriter err,
      boolean interactive,
      boolean color) {
    return new CliContext(env, project, ctx().in(), out, err, interactive, color, ctx().clock());
  }
}
