package dev.devops.cli;

import static dev.devops.cli.Model.flag;
import static dev.devops.cli.Model.option;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.devops.engine.DeployAction;
import dev.devops.engine.Guard;
import dev.devops.netlify.Deploy;
import dev.devops.netlify.Site;
import dev.devops.netlify.SiteFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

/** {@code devops deploy}: a file-digest deploy of a static directory. */
public final class DeployCommand extends EngineCommand implements JsonOutput {
  private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z._+-]{0,63}");

  Path dir;
  boolean prod;
  String message;
  String version;
  long timeoutSeconds;
  boolean followSymlinks;
  boolean guard;
  boolean noGuard;
  final GuardOptions guardOptions = new GuardOptions();

  @Override
  public void describe(CommandSpec spec) {
    Model.description(spec, "Deploy a static directory: only changed files are uploaded.");
    spec.addOption(
        option(Path.class, dir, v -> dir = v, "--dir")
            .required(true)
            .paramLabel("DIR")
            .description("The directory to deploy (the site's build output).")
            .build());
    spec.addOption(
        flag(v -> prod = v, "--prod")
            .description("Publish to production when ready (default: a draft deploy).")
            .build());
    spec.addOption(
        option(String.class, message, v -> message = v, "--message", "-m")
            .paramLabel("M")
            .description("A short message; becomes the deploy title.")
            .build());
    spec.addOption(
        option(String.class, version, v -> version = v, "--version")
            .paramLabel("V")
            .description("A version label, for example v1.2.3; shown in the deployments list.")
            .build());
    spec.addOption(
        option(long.class, timeoutSeconds, v -> timeoutSeconds = v, "--timeout")
            .paramLabel("SECONDS")
            .defaultValue("1200")
            .description(
                "Give up (and cancel the deploy) when it is not ready after this long; default: ${DEFAULT-VALUE}.")
            .build());
    spec.addOption(
        flag(v -> followSymlinks = v, "--follow-symlinks")
            .description(
                "Deploy what symbolic links in DIR point to, even outside DIR (default: links are skipped, as netlify-cli does, and links pointing outside DIR are refused).")
            .build());
    spec.addOption(
        flag(v -> guard = v, "--guard")
            .description(
                "After publishing, watch the deploy (--guard-window) and roll it back at once if it fails its checks; needs --prod. The default for --prod when deployment.rollback_on_failure is true.")
            .build());
    spec.addOption(
        flag(v -> noGuard = v, "--no-guard")
            .description("Do not guard this deploy, whatever deployment.rollback_on_failure says.")
            .build());
    guardOptions.addTo(spec);
    // --version is this command's own option, so it gets no -V and declares its own help.
    spec.addOption(
        flag(v -> {}, "-h", "--help")
            .usageHelp(true)
            .description("Show this help and exit.")
            .build());
  }

  /** The JSON result (docs/json/deploy.md). */
  record Report(
      @JsonProperty("deploy_id") String deployId,
      @JsonProperty("site_id") String siteId,
      String state,
      String version,
      @JsonProperty("deploy_url") String deployUrl,
      String url,
      @JsonProperty("uploaded_files") int uploadedFiles,
      @JsonProperty("total_files") int totalFiles,
      boolean published) {}

  @Override
  protected int execute() throws Exception {
    Path root = ctx().cwd().resolve(dir).normalize();
    if (!Files.isDirectory(root)) {
      throw new CliException(
          ExitCode.USAGE,
          "--dir "
              + Text.clean(dir.toString())
              + " is not a directory: pass the site's build output.");
    }
    if (version != null && !VERSION.matcher(version).matches()) {
      throw new CliException(
          ExitCode.USAGE,
          "--version '"
              + Text.clean(version)
              + "' is not a label: use letters, digits, '.', '-', '+' (for example v1.2.3).");
    }
    if (timeoutSeconds < 1) {
      throw new CliException(
          ExitCode.USAGE, "--timeout " + timeoutSeconds + " is too short: give at least 1 second.");
    }
    Guard.Settings guarding = guardSettings();
    Progress progress = new Progress(this);
    progress.line("🔎 Hashing files in " + Text.clean(dir.toString()) + "...");
    DeployAction.Result result;
    try {
      result =
          new DeployAction(engine())
              .run(
                  new DeployAction.Request(
                      root,
                      prod,
                      title(),
                      version,
                      gitCommit(),
                      Duration.ofSeconds(timeoutSeconds),
                      followSymlinks),
                  progress);
    } catch (SiteFiles.LinksOutsideException e) {
      throw e; // its own block (errorBlock) and code (ExitCode.of)
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "--dir " + e.getMessage());
    }
    progress.done();
    Deploy deploy = result.deploy();
    Site site = result.site();
    String deployUrl = DeployJson.deployUrl(deploy);
    Report report =
        new Report(
            deploy.id(),
            config().siteId(),
            deploy.state(),
            version,
            deployUrl,
            result.published() ? site.liveUrl() : null,
            result.uploadedFiles(),
            result.files().count(),
            result.published());
    if (json() && guarding == null) {
      printJson(report);
      return ExitCode.OK.code();
    }
    if (json()) {
      printJsonLine(GuardEvents.Deployed.of(report));
    } else {
      report(text(result, deployUrl));
    }
    if (guarding == null) {
      return ExitCode.OK.code();
    }
    if (!result.published()) {
      say(GuardView.skipped());
      return ExitCode.OK.code();
    }
    if (!json()) {
      report("");
    }
    Guard guard = new Guard(engine(), guarding, GuardOptions.sleeper(ctx()));
    GuardListener view = json() ? GuardListener.json(this) : GuardListener.text(this);
    return view.finish(
        guard.watch(Guard.Target.deployed(site, deploy, result.files().digest(), records()), view));
  }

  /**
   * The guard's settings when this deploy is guarded ({@code --guard}, or {@code --prod} with
   * {@code deployment.rollback_on_failure}), else null; checked before anything is uploaded.
   */
  private Guard.Settings guardSettings() {
    if (guard && noGuard) {
      throw new CliException(ExitCode.USAGE, "--guard and --no-guard exclude each other.");
    }
    if (guard && !prod) {
      throw new CliException(
          ExitCode.USAGE, "--guard needs --prod: only a published deploy can be guarded.");
    }
    boolean on = guard || (prod && !noGuard && config().deployment().rollbackOnFailure());
    if (!on) {
      if (GuardOptions.anyGiven(spec)) {
        throw new CliException(
            ExitCode.USAGE,
            String.join(", ", GuardOptions.NAMES) + " apply only to a guarded deploy (--guard).");
      }
      return null;
    }
    return guardOptions.settings(config(), ctx());
  }

  /** The human report of the deploy itself. */
  private String text(DeployAction.Result result, String deployUrl) {
    Deploy deploy = result.deploy();
    Site site = result.site();
    StringBuilder b = new StringBuilder("✓ Deploy ready" + (version == null ? "" : ": " + version));
    b.append("\nID: ").append(Text.clean(deploy.id()));
    b.append("\nFiles: ")
        .append(result.uploadedFiles())
        .append(" uploaded, ")
        .append(result.files().count())
        .append(" total");
    b.append("\nDeploy URL: ").append(deployUrl == null ? "unknown" : Text.clean(deployUrl));
    if (result.published()) {
      b.append("\nLive: ").append(Text.clean(site.liveUrl()));
    } else if (prod) {
      b.append("\nLive: NOT published: auto publishing is locked (a rollback pinned deploy ")
          .append(Text.clean(site.publishedDeploy().id()))
          .append(")\n💡 To publish this deploy anyway: devops rollback ")
          .append(Text.clean(deploy.id()));
    } else {
      b.append("\nLive: unchanged (draft deploy; use --prod to publish)");
    }
    return b.toString();
  }

  /** Links pointing outside --dir: the refusal with the whole list. */
  @Override
  protected String errorBlock(Throwable error) {
    if (error instanceof SiteFiles.LinksOutsideException e) {
      StringBuilder b =
          new StringBuilder("❌ --dir ")
              .append(Text.clean(dir.toString()))
              .append(" has ")
              .append(e.links().size())
              .append(" symbolic link(s) pointing outside it: nothing was deployed.\n");
      for (String link : e.links()) {
        b.append("   ").append(Text.clean(link)).append('\n');
      }
      return b.append(
              "💡 Remove them, or pass --follow-symlinks to deploy what they point to"
                  + " (netlify-cli skips every link).")
          .toString();
    }
    return super.errorBlock(error);
  }

  private String title() {
    String m = message == null || message.isBlank() ? null : message.strip();
    if (version == null) {
      return m;
    }
    return m == null ? version : version + " · " + m;
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

  /**
   * Deploy progress on stderr: one line rewritten in place on a terminal, a few plain lines
   * otherwise (at most one per tenth of the upload).
   */
  static final class Progress implements DeployAction.Listener {
    private final DeployCommand command;
    private final boolean terminal;
    private int lastTenth = -1;
    private String lastState;
    private boolean open;

    Progress(DeployCommand command) {
      this.command = command;
      this.terminal = command.ctx().color();
    }

    synchronized void line(String text) {
      clear();
      command.say(text);
    }

    @Override
    public void hashed(SiteFiles files) {
      line("✓ " + files.count() + " files, " + Text.bytes(files.totalBytes()) + " hashed");
      List<String> links = files.skippedLinks();
      if (!links.isEmpty()) {
        line(
            "ℹ️  Skipped "
                + links.size()
                + " symbolic link(s) inside the folder, as netlify-cli does: "
                + Text.clean(String.join(", ", links.subList(0, Math.min(5, links.size()))))
                + (links.size() > 5 ? ", ..." : "")
                + " (--follow-symlinks deploys what they point to)");
      }
    }

    @Override
    public void lockedSite(Site site) {
      line(
          "🔒 Auto publishing is locked on "
              + Text.clean(site.name())
              + ": this deploy will be built but NOT published.");
    }

    @Override
    public synchronized void created(Deploy deploy) {
      line(
          "🚀 Deploy "
              + Text.clean(deploy.id())
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
        line("⏳ Waiting for the deploy (" + Text.clean(state) + ")...");
      }
    }

    @Override
    public void notRecorded(Deploy deploy, RuntimeException why) {
      line(
          "⚠️ Deploy "
              + Text.clean(deploy.id())
              + " is not recorded in .devops/deployments.json: "
              + Text.clean(why.getMessage()));
    }

    @Override
    public void notKept(Deploy deploy, RuntimeException why) {
      line(
          "⚠️ Deploy "
              + deploy.id()
              + "'s files are not kept in .devops/backups (a later backup will download them): "
              + Text.clean(why.getMessage()));
    }

    @Override
    public void interrupted(String deployId, RuntimeException failure) {
      command.say(
          failure == null
              ? "🛑 Interrupted: deploy " + Text.clean(deployId) + " canceled."
              : "🛑 Interrupted: deploy "
                  + Text.clean(deployId)
                  + " could not be canceled ("
                  + Text.clean(failure.getMessage())
                  + ").");
      command.err().flush();
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
