package dev.devops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.engine.BackupManifest;
import dev.devops.engine.RollbackRecord;
import dev.devops.engine.SharedState;
import dev.devops.netlify.Deploy;
import dev.devops.netlify.EnvVar;
import dev.devops.netlify.Site;
import dev.devops.state.DeploymentRecords;
import dev.devops.util.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds, on a second thread, the JSON readers and writers that the command being started will use,
 * while the first thread models and parses its command line. Jackson builds each type's reader or
 * writer by reflection the first time it is used (the mapper itself tens of milliseconds, then a
 * few per type); the class-data archive cannot keep them, so every run pays, and paid one after the
 * other they cost the incident's commands about as much as picocli does.
 *
 * <p>Only the commands an incident starts with are listed: {@code deployments list}, {@code status}
 * and {@code rollback}. Best effort: a failure here is ignored, and met again (and reported) by the
 * command itself.
 */
final class JsonWarmup {
  private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

  private JsonWarmup() {}

  /** Starts the warm-up for the command {@code args} name, once per process. */
  static void start(String[] args) {
    List<Runnable> tasks = tasks(args);
    if (tasks.isEmpty() || !STARTED.add(command(args))) {
      return;
    }
    Thread thread = new Thread(() -> run(tasks), "devops-json-warmup");
    thread.setDaemon(true); // never holds the process open
    thread.start();
  }

  /**
   * Runs {@code tasks}, each on its own; returns what failed (nothing, unless a type is broken).
   */
  static List<Throwable> run(List<Runnable> tasks) {
    List<Throwable> failures = new ArrayList<>();
    for (Runnable task : tasks) {
      try {
        task.run();
      } catch (RuntimeException | LinkageError e) {
        failures.add(e);
      }
    }
    return failures;
  }

  /**
   * What the command {@code args} name will read and write, in the order it needs them; none for
   * other commands, for help and for an {@code @file} (whose words are not known yet).
   */
  static List<Runnable> tasks(String[] args) {
    if (RootCommand.wantsHelpOrFile(args)) {
      return List.of();
    }
    List<String> words = Arrays.asList(args);
    boolean json = words.contains("--json");
    List<Runnable> tasks = new ArrayList<>();
    switch (command(args)) {
      case "deployments list" -> {
        projectReads(tasks, false);
        tasks.add(() -> Json.prepareReader(Json.listOf(Deploy.class)));
        if (json) {
          tasks.add(() -> Json.prepareWriter(DeploymentsList.Report.class));
        }
      }
      case "status" -> {
        projectReads(tasks, false);
        if (json) {
          tasks.add(() -> Json.prepareWriter(StatusCommand.Report.class));
        }
      }
      case "rollback" -> {
        boolean writes = !words.contains("--dry-run");
        projectReads(tasks, writes);
        tasks.add(() -> Json.prepareReader(Json.listOf(Deploy.class)));
        tasks.add(() -> Json.prepareReader(Deploy.class));
        tasks.add(() -> Json.prepareReader(Json.listOf(EnvVar.class)));
        tasks.add(() -> Json.prepareReader(BackupManifest.class));
        if (json) {
          tasks.add(() -> Json.prepareWriter(RollbackEvents.Step.class));
          tasks.add(() -> Json.prepareWriter(RollbackEvents.Impact.class));
          tasks.add(() -> Json.prepareWriter(RollbackEvents.Result.class));
        }
        if (writes) {
          tasks.add(() -> Json.prepareWriter(BackupManifest.class));
          tasks.add(() -> Json.prepareReader(Json.listOf(RollbackRecord.class)));
          tasks.add(() -> Json.prepareWriter(RollbackRecord.class));
        }
      }
      default -> {
        // Other commands start as they always did.
      }
    }
    return tasks;
  }

  /** What every project command reads first: its records, the site and its record. */
  private static void projectReads(List<Runnable> tasks, boolean writes) {
    tasks.add(() -> DeploymentRecords.prepareJson(writes));
    tasks.add(() -> Json.prepareReader(Site.class));
    tasks.add(() -> Json.prepareReader(JsonNode.class)); // the site's metadata
    tasks.add(() -> Json.prepareReader(SharedState.Snapshot.class));
    if (writes) {
      tasks.add(() -> Json.prepareWriter(SharedState.Snapshot.class));
    }
  }

  /** The words after {@code rollback} that name one of its steps rather than its target. */
  static final Set<String> ROLLBACK_STEPS = Set.of("analyze", "execute", "history");

  /** The command's name, with its group's: "deployments list", "rollback", "rollback history". */
  static String command(String[] args) {
    if (args.length == 0) {
      return "";
    }
    String first = args[0];
    String second = args.length > 1 ? args[1] : "";
    boolean step = first.equals("rollback") && ROLLBACK_STEPS.contains(second);
    return first.equals("deployments") || step ? first + " " + second : first;
  }
}
