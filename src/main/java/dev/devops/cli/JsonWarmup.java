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

  /** What to build for a type: its reader, the reader of a list of it, or its writer. */
  enum Use {
    READER,
    LIST_READER,
    WRITER,
    /**
     * The project's records ({@link DeploymentRecords}): their writer. Their reader is built by the
     * thread that reads them, on a mapper of their own ({@link Json#recordsMapper()}).
     */
    RECORDS_WRITER
  }

  /**
   * One reader or writer to build. Data, not lambdas: each lambda's call site is linked on its
   * first use, and linking the dozen of these took the first thread about 10 ms before picocli.
   */
  record Prepare(Use use, Class<?> type) {
    void run() {
      switch (use) {
        case READER -> Json.prepareReader(type);
        case LIST_READER -> Json.prepareReader(Json.listOf(type));
        case WRITER -> Json.prepareWriter(type);
        case RECORDS_WRITER -> DeploymentRecords.prepareWriter();
      }
    }
  }

  /** Starts the warm-up for the command {@code args} name, once per process. */
  static void start(String[] args) {
    List<Prepare> tasks = tasks(args);
    if (tasks.isEmpty() || !STARTED.add(command(args))) {
      return;
    }
    Thread thread = new Thread(new Runner(tasks), "devops-json-warmup");
    thread.setDaemon(true); // never holds the process open
    thread.start();
  }

  /** The second thread's work (a class of its own, not a lambda, for the reason above). */
  private static final class Runner implements Runnable {
    private final List<Prepare> tasks;

    Runner(List<Prepare> tasks) {
      this.tasks = tasks;
    }

    @Override
    public void run() {
      JsonWarmup.run(tasks);
    }
  }

  /**
   * Runs {@code tasks}, each on its own; returns what failed (nothing, unless a type is broken).
   */
  static List<Throwable> run(List<Prepare> tasks) {
    List<Throwable> failures = new ArrayList<>();
    for (Prepare task : tasks) {
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
  static List<Prepare> tasks(String[] args) {
    if (RootCommand.wantsHelpOrFile(args)) {
      return List.of();
    }
    List<String> words = Arrays.asList(args);
    boolean json = words.contains("--json");
    List<Prepare> tasks = new ArrayList<>();
    switch (command(args)) {
      case "deployments list" -> {
        projectReads(tasks, false);
        tasks.add(new Prepare(Use.LIST_READER, Deploy.class));
        if (json) {
          tasks.add(new Prepare(Use.WRITER, DeploymentsList.Report.class));
        }
      }
      case "status" -> {
        projectReads(tasks, false);
        if (json) {
          tasks.add(new Prepare(Use.WRITER, StatusCommand.Report.class));
        }
      }
      case "rollback" -> {
        boolean writes = !words.contains("--dry-run");
        projectReads(tasks, writes);
        tasks.add(new Prepare(Use.LIST_READER, Deploy.class));
        tasks.add(new Prepare(Use.READER, Deploy.class));
        tasks.add(new Prepare(Use.LIST_READER, EnvVar.class));
        tasks.add(new Prepare(Use.READER, BackupManifest.class));
        if (json) {
          tasks.add(new Prepare(Use.WRITER, RollbackEvents.Step.class));
          tasks.add(new Prepare(Use.WRITER, RollbackEvents.Impact.class));
          tasks.add(new Prepare(Use.WRITER, RollbackEvents.Result.class));
        }
        if (writes) {
          tasks.add(new Prepare(Use.WRITER, BackupManifest.class));
          tasks.add(new Prepare(Use.LIST_READER, RollbackRecord.class));
          tasks.add(new Prepare(Use.WRITER, RollbackRecord.class));
          tasks.add(new Prepare(Use.RECORDS_WRITER, DeploymentRecords.class));
        }
      }
      default -> {
        // Other commands start as they always did.
      }
    }
    return tasks;
  }

  /**
   * What every project command reads first: the site and the site's record. The site comes first:
   * the first thread decodes it as soon as it arrives. Jackson builds one reader at a time per
   * mapper, and the first one built pays for most of its machinery (list --json 348 -> 336 ms,
   * status 354 -> 337 ms against the records first). The project's records are not listed: they are
   * read on a thread of their own, whose reader is built there, on their own mapper.
   */
  private static void projectReads(List<Prepare> tasks, boolean writes) {
    tasks.add(new Prepare(Use.READER, Site.class));
    tasks.add(new Prepare(Use.READER, JsonNode.class)); // the site's metadata
    tasks.add(new Prepare(Use.READER, SharedState.Snapshot.class));
    if (writes) {
      tasks.add(new Prepare(Use.WRITER, SharedState.Snapshot.class));
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
