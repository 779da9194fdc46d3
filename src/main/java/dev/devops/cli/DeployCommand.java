package dev.devops.cli;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.DigestDeploy;
import dev.devops.netlify.Site;
import dev.devops.netlify.SiteFiles;
import dev.devops.state.DeployRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code devops deploy}: a file-digest deploy of a static directory. */
@Command(
    name = "deploy",
    description = "Deploy a static directory: only changed files are uploaded.")
public final class DeployCommand extends ProjectCommand {
  static final int UPLOAD_THREADS = 8;
  private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._+-]{0,63}");

  @Option(
      names = "--dir",
      required = true,
      paramLabel = "DIR",
      description = "The directory to deploy (the site's build output).")
  Path dir;

  @Option(
      names = "--prod",
      description = "Publish to production when ready (default: a draft deploy).")
  boolean prod;

  @Option(
      names = {"--message", "-m"},
      paramLabel = "M",
      description = "A short message; becomes the deploy title.")
  String message;

  @Option(
      names = "--version",
      paramLabel = "V",
      description = "A version label, for example v1.2.3; shown in the deployments list.")
  String version;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "1200",
      description =
          "Give up (and cancel the deploy) when it is not ready after this long; default: ${DEFAULT-VALUE}.")
  long timeoutSeconds;

  @Mixin JsonOption jsonOption;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Override
  protected int execute() throws Exception {
    Path root = ctx().cwd().resolve(dir).normalize();
    if (!Files.isDirectory(root)) {
      throw new CliException(
          ExitCode.USAGE, "--dir " + dir + " is not a directory: pass the site's build output.");
    }
    if (version != null && !VERSION.matcher(version).matches()) {
      throw new CliException(
          ExitCode.USAGE,
          "--version '"
              + version
              + "' is not a label: use letters, digits, '.', '-', '+' (for example v1.2.3).");
    }
    if (timeoutSeconds < 1) {
      throw new CliException(
          ExitCode.USAGE, "--timeout " + timeoutSeconds + " is too short: give at least 1 second.");
    }
    String siteId = config().siteId();
    CompletableFuture<Site> siteLookup =
        CompletableFuture.supplyAsync(() -> client().getSite(siteId));
    Progress progress = new Progress(this);
    progress.line("🔎 Hashing files in " + dir + "...");
    SiteFiles files = SiteFiles.hash(root, Math.max(2, Runtime.getRuntime().availableProcessors()));
    if (files.count() == 0) {
      throw new CliException(
          ExitCode.USAGE, "--dir " + dir + " has no files to deploy (dotfiles are skipped).");
    }
    progress.line("✓ " + files.count() + " files, " + megabytes(files.totalBytes()) + " hashed");
    Site site = join(siteLookup);
    boolean locked = site.isAutoPublishLocked();
    if (prod && locked) {
      say(
          "🔒 Auto publishing is locked on "
              + site.name()
              + ": this deploy will be built but NOT published.");
    }
    String title = title();
    DigestDeploy.Result result;
    // Ctrl-C while the deploy is in flight cancels it on the platform, as netlify-cli does.
    Thread cancelOnExit =
        new Thread(() -> progress.cancelUnfinished(client()), "devops-deploy-cancel");
    Runtime.getRuntime().addShutdownHook(cancelOnExit);
    try {
      result =
          new DigestDeploy(client(), UPLOAD_THREADS, Duration.ofSeconds(timeoutSeconds), progress)
              .run(new DigestDeploy.Request(siteId, files, !prod, title, gitCommit()));
      progress.finished();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(cancelOnExit);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it cancels the deploy.
      }
    }
    progress.done();
    Deploy deploy = result.deploy();
    boolean published = prod && !locked && awaitPublished(siteId, deploy.id());
    try {
      records()
          .recordDeploy(
              new DeployRecord(
                  deploy.id(),
                  siteId,
                  version,
                  title,
                  deploy.commitRef(),
                  prod,
                  deploy.state(),
                  ctx().clock().instant()));
    } catch (RuntimeException e) {
      // The deploy itself succeeded: report it, and say what could not be recorded.
      say(
          "⚠️ Deploy "
              + deploy.id()
              + " is not recorded in .devops/deployments.json: "
              + e.getMessage());
    }
    String deployUrl = DeployView.deployUrl(deploy);
    if (json()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("deploy_id", deploy.id());
      body.put("site_id", siteId);
      body.put("state", deploy.state());
      body.put("version", version);
      body.put("deploy_url", deployUrl);
      body.put("url", published ? site.liveUrl() : null);
      body.put("uploaded_files", result.uploadedFiles());
      body.put("total_files", files.count());
      body.put("published", published);
      printJson(body);
    } else {
      out().println("✓ Deploy ready" + (version == null ? "" : ": " + version));
      out().println("ID: " + deploy.id());
      out().println("Files: " + result.uploadedFiles() + " uploaded, " + files.count() + " total");
      out().println("Deploy URL: " + deployUrl);
      if (published) {
        out().println("Live: " + site.liveUrl());
      } else if (prod) {
        out()
            .println(
                "Live: NOT published: auto publishing is locked (a rollback pinned deploy "
                    + site.publishedDeploy().id()
                    + ")");
        out().println("💡 To publish this deploy anyway: devops rollback " + deploy.id());
      } else {
        out().println("Live: unchanged (draft deploy; use --prod to publish)");
      }
      out().flush();
    }
    if (prod && !locked && !published) {
      throw new CliException(
          ExitCode.API,
          "Deploy "
              + deploy.id()
              + " is ready but the site did not publish it within "
              + config().rollback().publishTimeoutSeconds()
              + " s: check 'devops status'.");
    }
    return ExitCode.OK.code();
  }

  private String title() {
    String m = message == null || message.isBlank() ? null : message.strip();
    if (version == null) {
      return m;
    }
    return m == null ? version : version + " · " + m;
  }

  /** A production deploy is published by the platform once ready; wait for that, bounded. */
  private boolean awaitPublished(String siteId, String deployId) throws InterruptedException {
    long deadline =
        System.nanoTime() + TimeUnit.SECONDS.toNanos(config().rollback().publishTimeoutSeconds());
    long delay = 20;
    while (true) {
      Site now = client().getSite(siteId);
      if (now.publishedDeploy() != null && deployId.equals(now.publishedDeploy().id())) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(delay);
      delay = Math.min(500, delay * 2);
    }
  }

  /** {@code git rev-parse HEAD} in the project directory, or null when that is not a git repo. */
  private String gitCommit() {
    try {
      Process git =
          new ProcessBuilder("git", "rev-parse", "--verify", "-q", "HEAD")
              .directory(ctx().cwd().toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      git.getOutputStream().close();
      String out;
      try (InputStream in = git.getInputStream()) {
        out = new String(in.readNBytes(200), StandardCharsets.UTF_8).trim();
      }
      if (!git.waitFor(5, TimeUnit.SECONDS)) {
        git.destroyForcibly();
        return null;
      }
      return git.exitValue() == 0 && out.matches("[0-9a-f]{40,64}") ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String megabytes(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }

  /**
   * Deploy progress on stderr: one line rewritten in place on a terminal, a few plain lines
   * otherwise (at most one per tenth of the upload).
   */
  static final class Progress implements DigestDeploy.Listener {
    private final DeployCommand command;
    private final boolean terminal;
    private int lastTenth = -1;
    private String lastState;
    private boolean open;
    private volatile String createdId;
    private volatile boolean finished;

    Progress(DeployCommand command) {
      this.command = command;
      this.terminal = command.ctx().color();
    }

    synchronized void line(String text) {
      clear();
      command.say(text);
    }

    @Override
    public synchronized void created(Deploy deploy) {
      createdId = deploy.id();
      line(
          "🚀 Deploy "
              + deploy.id()
              + " created ("
              + (Boolean.TRUE.equals(deploy.draft()) ? "draft" : "production")
              + ")");
    }

    @Override
    public synchronized void uploading(int done, int total) {
      String text = "⬆️  Uploading " + done + "/" + total + " changed files";
      if (terminal) {
        command.err().print("\r" + text + "\u001b[K");
        command.err().flush();
        open = true;
        return;
      }
      int tenth = done * 10 / total;
      if (tenth != lastTenth) {
        lastTenth = tenth;
        command.say(text);
      }
    }

    @Override
    public synchronized void waiting(String state) {
      if (!state.equals(lastState)) {
        lastState = state;
        line("⏳ Waiting for the deploy (" + state + ")...");
      }
    }

    void finished() {
      finished = true;
    }

    /** Best effort, from a shutdown hook: cancel a deploy that was created but not finished. */
    void cancelUnfinished(dev.devops.netlify.NetlifyClient client) {
      String id = createdId;
      if (id != null && !finished) {
        try {
          client.cancelSiteDeploy(id);
          command.say("🛑 Interrupted: deploy " + id + " canceled.");
        } catch (RuntimeException e) {
          command.say(
              "🛑 Interrupted: deploy " + id + " could not be canceled (" + e.getMessage() + ").");
        }
        command.err().flush();
      }
    }

    synchronized void done() {
      clear();
    }

    private void clear() {
      if (open) {
        command.err().print("\r\u001b[K");
        open = false;
      }
    }
  }
}
