package dev.devops.cli;

import static dev.devops.cli.CommandGroup.sub;
import static dev.devops.cli.Model.option;
import static dev.devops.cli.Model.parameter;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.devops.engine.BackupManifest;
import dev.devops.engine.BackupStore;
import dev.devops.engine.DeployHistory;
import dev.devops.engine.RollbackHistory;
import dev.devops.netlify.Deploy;
import dev.devops.netlify.Site;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code devops backup}: local, verified copies of deploys in {@code .devops/backups/}. */
public final class BackupCommand extends GroupCommand {
  @Override
  public void describe(CommandSpec spec) {
    Model.description(
        spec, "Back up a deploy's files and metadata locally, list and verify backups.");
  }

  @Override
  public List<Sub> subcommands() {
    return List.of(
        sub("create", BackupCreate.class),
        sub("list", BackupList.class),
        sub("verify", BackupVerify.class));
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing subcommand: try 'devops backup list'.");
  }

  /** One backup as the JSON outputs show it (docs/json/backup.md, BACKUP). */
  record BackupJson(
      String dir,
      @JsonProperty("created_at") Instant createdAt,
      String reason,
      @JsonProperty("deploy_id") String deployId,
      String version,
      @JsonProperty("site_id") String siteId,
      @JsonProperty("auto_publish_locked") boolean autoPublishLocked,
      int files,
      @JsonProperty("total_bytes") Long totalBytes,
      @JsonProperty("new_blobs") Integer newBlobs,
      @JsonProperty("reused_blobs") Integer reusedBlobs,
      @JsonProperty("env_vars") int envVars,
      int unavailable,
      @JsonProperty("files_note") String filesNote,
      boolean complete,
      @JsonProperty("completed_at") Instant completedAt) {
    static BackupJson of(String dir, BackupManifest m) {
      BackupManifest.Stats s = m.stats();
      return new BackupJson(
          dir,
          m.createdAt(),
          m.reason(),
          m.deploy().id(),
          m.deploy().version(),
          m.site() == null ? null : m.site().id(),
          m.site() != null && m.site().autoPublishLocked(),
          s == null ? m.files().size() : s.files(),
          s == null ? null : s.totalBytes(),
          s == null ? null : s.newBlobs(),
          s == null ? null : s.reusedBlobs(),
          m.env() == null ? 0 : m.env().size(),
          m.unavailableOrEmpty().size(),
          m.filesNote(),
          m.isComplete(),
          m.completedAt());
    }
  }
}

/** {@code devops backup create}. */
final class BackupCreate extends EngineCommand implements JsonOutput {
  String deployment;
  String reason;
  String resume;

  @Override
  public void describe(CommandSpec spec) {
    Model.description(
        spec, "Back up a deploy: metadata, env var names, every file's bytes; or finish one.");
    spec.addOption(
        option(String.class, deployment, v -> deployment = v, "--deployment")
            .paramLabel("ID")
            .description("The deploy to back up (id or version).")
            .build());
    spec.addOption(
        option(String.class, reason, v -> reason = v, "--reason")
            .paramLabel("R")
            .description("Why (stored in the manifest).")
            .build());
    spec.addOption(
        option(String.class, resume, v -> resume = v, "--resume")
            .arity("0..1")
            .fallbackValue("")
            .paramLabel("DIR")
            .description(
                "Finish an incomplete backup (default: the newest) instead of taking a new one.")
            .build());
  }

  @Override
  protected int execute() throws Exception {
    BackupStore store = new BackupStore(stateDir(), ctx().clock());
    FetchProgress progress = new FetchProgress(this);
    BackupStore.FetchListener listener = json() ? BackupStore.FetchListener.NONE : progress;
    BackupStore.Backup backup;
    if (resume != null) {
      if (deployment != null || reason != null) {
        throw new CliException(
            ExitCode.USAGE,
            "--resume finishes an existing backup: give no --deployment or --reason.");
      }
      java.nio.file.Path dir;
      try {
        dir = resume.isEmpty() ? null : store.resolve(resume, ctx().cwd());
        backup = store.resume(client(), dir, listener);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.NOT_FOUND, e.getMessage());
      }
      if (backup.manifest().isComplete()) {
        // The rollback that left it incomplete says so in its record until told otherwise.
        try {
          new RollbackHistory(stateDir())
              .backupCompleted(ctx().cwd(), backup.dir(), backup.manifest().completedAt());
        } catch (RuntimeException e) {
          say(
              "⚠️ The backup is complete, but the rollback history could not say so: "
                  + Text.clean(e.getMessage()));
        }
      }
    } else {
      if (deployment == null || RollbackCommand.blank(reason)) {
        throw new CliException(
            ExitCode.USAGE,
            "Missing required options: --deployment ID and --reason R (or --resume to finish one).");
      }
      var reader = engine().history();
      var page = reader.recent(20);
      Site site = page.history().site();
      Deploy deploy = reader.resolve(page.history(), deployment);
      if (!json()) {
        say("💾 Creating backup...");
      }
      backup =
          store.create(
              client(),
              site,
              deploy,
              DeployHistory.versionLabel(deploy, records()),
              reason,
              BackupManifest.MANUAL,
              listener);
    }
    progress.close();
    String dir = display(backup.dir());
    if (json()) {
      printJson(BackupCommand.BackupJson.of(dir, backup.manifest()));
      return ExitCode.OK.code();
    }
    BackupManifest.Stats s = backup.manifest().stats();
    report(
        RollbackView.backupCreated(dir, backup)
            + "\n  "
            + s.files()
            + " files, "
            + Text.bytes(s.totalBytes())
            + "; "
            + s.newBlobs()
            + " new blob(s), "
            + s.reusedBlobs()
            + " already stored");
    return ExitCode.OK.code();
  }
}

/** {@code devops backup list}. */
final class BackupList extends EngineCommand implements JsonOutput {
  @Override
  public void describe(CommandSpec spec) {
    Model.description(spec, "List local backups, newest first.");
  }

  /** The JSON result. */
  record Report(List<BackupCommand.BackupJson> backups) {}

  @Override
  protected int execute() throws Exception {
    List<BackupCommand.BackupJson> views = new ArrayList<>();
    for (BackupStore.Backup b : new BackupStore(stateDir(), ctx().clock()).list()) {
      views.add(BackupCommand.BackupJson.of(display(b.dir()), b.manifest()));
    }
    if (json()) {
      printJson(new Report(views));
      return ExitCode.OK.code();
    }
    if (views.isEmpty()) {
      report("No backups yet: devops backup create --deployment ID --reason R");
      return ExitCode.OK.code();
    }
    StringBuilder b = new StringBuilder("💾 Backups");
    for (BackupCommand.BackupJson v : views) {
      b.append("\n\n").append(Text.clean(v.dir()));
      b.append("\nDeploy: ")
          .append(RollbackView.label(v.version(), v.deployId()))
          .append("  Files: ")
          .append(v.files())
          .append("  Created: ")
          .append(Text.time(v.createdAt()));
      b.append("\nReason: ").append(Text.clean(v.reason()));
      if (!v.complete()) {
        b.append("\n⚠️ Incomplete: devops backup create --resume ").append(v.dir());
      }
      if (v.filesNote() != null) {
        b.append("\n⚠️ ").append(Text.clean(v.filesNote()));
      }
    }
    report(b.toString());
    return ExitCode.OK.code();
  }
}

/** {@code devops backup verify [DIR]}. */
final class BackupVerify extends EngineCommand implements JsonOutput {
  String dir;

  @Override
  public void describe(CommandSpec spec) {
    Model.description(
        spec, "Check every blob of a backup (default: all backups) against its SHA1.");
    spec.addPositional(
        parameter(String.class, v -> dir = v)
            .index("0")
            .arity("0..1")
            .paramLabel("BACKUP_DIR")
            .description("A backup directory; default: all.")
            .build());
  }

  /** One backup's check (docs/json/backup.md, VERIFY). */
  record Checked(
      String dir,
      boolean ok,
      boolean complete,
      int files,
      @JsonProperty("blobs_checked") int blobsChecked,
      List<String> missing,
      List<String> corrupt) {}

  /** The JSON result. */
  record Report(boolean ok, List<Checked> backups) {}

  @Override
  protected int execute() throws Exception {
    BackupStore store = new BackupStore(stateDir(), ctx().clock());
    List<Path> dirs = new ArrayList<>();
    if (dir != null) {
      try {
        dirs.add(store.resolve(dir, ctx().cwd()));
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.NOT_FOUND, e.getMessage());
      }
    } else {
      store.list().forEach(b -> dirs.add(b.dir()));
    }
    List<Checked> results = new ArrayList<>();
    ExitCode code = ExitCode.OK;
    StringBuilder text = new StringBuilder();
    int incomplete = 0;
    int damaged = 0;
    for (Path d : dirs) {
      BackupStore.Verification v = store.verify(d);
      if (ExitCode.of(v) != ExitCode.OK) {
        code = ExitCode.of(v);
      }
      results.add(
          new Checked(
              display(d),
              v.ok(),
              v.complete(),
              v.files(),
              v.blobsChecked(),
              v.missing(),
              v.corrupt()));
      text.append(v.ok() ? "✓ " : "✗ ")
          .append(Text.clean(display(d)))
          .append(": ")
          .append(v.blobsChecked())
          .append(" blob(s) checked");
      if (v.ok()) {
        text.append(", all match their SHA1\n");
      } else if (v.onlyIncomplete() && v.files() == 0 && v.note() != null) {
        incomplete++;
        text.append(", incomplete: ").append(Text.clean(v.note())).append('\n');
      } else if (v.onlyIncomplete()) {
        incomplete++;
        text.append(", incomplete: ")
            .append(v.missing().size())
            .append(" file(s) still to store (devops backup create --resume ")
            .append(display(d))
            .append(")\n");
      } else {
        damaged++;
        List<String> bad = new ArrayList<>(v.missing());
        bad.addAll(v.corrupt());
        text.append(", ")
            .append(v.missing().size())
            .append(" missing, ")
            .append(v.corrupt().size())
            .append(" corrupt: ")
            .append(Text.clean(String.join(", ", bad)))
            .append('\n');
      }
    }
    if (json()) {
      printJson(new Report(code == ExitCode.OK, results));
      return code.code();
    }
    report(dirs.isEmpty() ? "No backups to verify." : text.toString().stripTrailing());
    if (code != ExitCode.OK) {
      say(
          style()
              .red(
                  "❌ Backup verification failed: "
                      + (damaged > 0
                          ? damaged + " backup(s) with missing or corrupt blobs (take a new backup)"
                          : "")
                      + (damaged > 0 && incomplete > 0 ? "; " : "")
                      + (incomplete > 0 ? incomplete + " backup(s) incomplete" : "")
                      + "."));
    }
    return code.code();
  }
}
