package dev.devops.cli;

import dev.devops.engine.BackupManifest;
import dev.devops.engine.BackupStore;
import dev.devops.engine.DeployHistory;
import dev.devops.netlify.Deploy;
import dev.devops.netlify.Site;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code devops backup}: local, verified copies of deploys in {@code .devops/backups/}. */
@Command(
    name = "backup",
    description = "Back up a deploy's files and metadata locally, list and verify backups.",
    mixinStandardHelpOptions = true,
    subcommands = {BackupCreate.class, BackupList.class, BackupVerify.class})
public final class BackupCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing subcommand: try 'devops backup list'.");
  }

  /** The JSON view of one backup (docs/json/backup.md). */
  static Map<String, Object> view(String dir, BackupManifest m) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("dir", dir);
    v.put("created_at", m.createdAt());
    v.put("reason", m.reason());
    v.put("deploy_id", m.deploy().id());
    v.put("version", m.deploy().version());
    v.put("site_id", m.site() == null ? null : m.site().id());
    v.put("auto_publish_locked", m.site() != null && m.site().autoPublishLocked());
    v.put("files", m.stats() == null ? m.files().size() : m.stats().files());
    v.put("total_bytes", m.stats() == null ? null : m.stats().totalBytes());
    v.put("new_blobs", m.stats() == null ? null : m.stats().newBlobs());
    v.put("reused_blobs", m.stats() == null ? null : m.stats().reusedBlobs());
    v.put("env_vars", m.env() == null ? 0 : m.env().size());
    v.put("unavailable", m.unavailableOrEmpty().size());
    v.put("files_note", m.filesNote());
    return v;
  }
}

/** {@code devops backup create}. */
@Command(
    name = "create",
    description = "Back up a deploy: metadata, env var names, every file's bytes.",
    mixinStandardHelpOptions = true)
final class BackupCreate extends EngineCommand {
  @Option(
      names = "--deployment",
      required = true,
      paramLabel = "ID",
      description = "The deploy to back up (id or version).")
  String deployment;

  @Option(
      names = "--reason",
      required = true,
      paramLabel = "R",
      description = "Why (stored in the manifest).")
  String reason;

  @Mixin JsonOption jsonOption;

  @Override
  protected int execute() throws Exception {
    Site site = client().getSite(config().siteId());
    DeployHistory history = history(20).history();
    String id = history.find(deployment).map(e -> e.id()).orElse(deployment);
    Deploy deploy = client().getDeploy(id);
    if (deploy.siteId() != null && !deploy.siteId().equals(site.id())) {
      throw new CliException(ExitCode.INVALID_TARGET, "Deploy " + id + " belongs to another site.");
    }
    if (!json()) {
      say("💾 Creating backup...");
    }
    BackupStore.Backup backup =
        new BackupStore(stateDir(), ctx().clock())
            .create(client(), site, deploy, DeployHistory.versionLabel(deploy, records()), reason);
    String dir = display(backup.dir());
    if (json()) {
      printJson(BackupCommand.view(dir, backup.manifest()));
    } else {
      BackupManifest.Stats s = backup.manifest().stats();
      say(RollbackView.backupCreated(dir));
      say(
          "  "
              + s.files()
              + " files, "
              + s.totalBytes()
              + " bytes; "
              + s.newBlobs()
              + " new blob(s), "
              + s.reusedBlobs()
              + " already stored");
      if (backup.manifest().filesNote() != null) {
        say("⚠️ " + backup.manifest().filesNote());
      }
    }
    return ExitCode.OK.code();
  }
}

/** {@code devops backup list}. */
@Command(
    name = "list",
    description = "List local backups, newest first.",
    mixinStandardHelpOptions = true)
final class BackupList extends EngineCommand {
  @Mixin JsonOption jsonOption;

  @Override
  protected int execute() throws Exception {
    List<Map<String, Object>> views = new ArrayList<>();
    for (BackupStore.Backup b : new BackupStore(stateDir(), ctx().clock()).list()) {
      views.add(BackupCommand.view(display(b.dir()), b.manifest()));
    }
    if (json()) {
      printJson(Map.of("backups", views));
      return ExitCode.OK.code();
    }
    if (views.isEmpty()) {
      out().println("No backups yet: devops backup create --deployment ID --reason R");
      return ExitCode.OK.code();
    }
    out().println("💾 Backups");
    for (Map<String, Object> v : views) {
      out().println();
      out().println(v.get("dir"));
      out()
          .println(
              "Deploy: "
                  + RollbackView.label((String) v.get("version"), (String) v.get("deploy_id"))
                  + "  Files: "
                  + v.get("files")
                  + "  Created: "
                  + v.get("created_at"));
      out().println("Reason: " + v.get("reason"));
    }
    return ExitCode.OK.code();
  }
}

/** {@code devops backup verify [DIR]}. */
@Command(
    name = "verify",
    description = "Check every blob of a backup (default: all backups) against its SHA1.",
    mixinStandardHelpOptions = true)
final class BackupVerify extends EngineCommand {
  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "BACKUP_DIR",
      description = "A backup directory; default: all.")
  String dir;

  @Mixin JsonOption jsonOption;

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
    List<Map<String, Object>> results = new ArrayList<>();
    boolean allOk = true;
    for (Path d : dirs) {
      BackupStore.Verification v = store.verify(d);
      allOk &= v.ok();
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("dir", display(d));
      r.put("ok", v.ok());
      r.put("files", v.files());
      r.put("blobs_checked", v.blobsChecked());
      r.put("missing", v.missing());
      r.put("corrupt", v.corrupt());
      results.add(r);
      if (!json()) {
        say(
            (v.ok() ? "✓ " : "✗ ")
                + display(d)
                + ": "
                + v.blobsChecked()
                + " blob(s) checked"
                + (v.ok()
                    ? ", all match their SHA1"
                    : ", "
                        + v.missing().size()
                        + " missing, "
                        + v.corrupt().size()
                        + " corrupt: "
                        + String.join(", ", concat(v.missing(), v.corrupt()))));
      }
    }
    if (json()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("ok", allOk);
      body.put("backups", results);
      printJson(body);
    } else if (dirs.isEmpty()) {
      say("No backups to verify.");
    }
    if (!allOk) {
      if (!json()) {
        say(
            style()
                .red(
                    "❌ Backup verification failed: some blobs are missing or corrupt (take a new backup)."));
      }
      return ExitCode.UNVERIFIED.code();
    }
    return ExitCode.OK.code();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
