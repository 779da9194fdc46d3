package dev.devops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.engine.BackupManifest;
import dev.devops.engine.RollbackRecord;
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
 * <p>Only {@code rollback} is listed: the API's answers, the project's records and the site's
 * shared record are read through jackson-jr ({@link dev.devops.util.JrJson}), which builds its
 * readers in a fraction of the time, and {@code deployments list} and {@code status} use nothing
 * else. Best effort: a failure here is ignored, and met again (and reported) by the command itself.
 */
final class JsonWarmup {
  private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

  private JsonWarmup() {}

  /** What to build for a type: its reader, the reader of a list of it, or its writer. */
  enum Use {
    READER,
    LIST_READER,
    WRITER
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
      case "rollback" -> {
        // The API's answers, the records and the site's shared record are read by jackson-jr
        // (JrJson), which needs no warm-up; what is left is what the mapper still reads and writes.
        boolean writes = !words.contains("--dry-run");
        tasks.add(new Prepare(Use.READER, BackupManifest.class));
        if (json) {
          tasks.add(new Prepare(Use.WRITER, RollbackEvents.Step.class));
          tasks.add(new Prepare(Use.WRITER, RollbackEvents.Impact.class));
          tasks.add(new Prepare(Use.WRITER, RollbackEvents.Result.class));
        }
        if (writes) {
          tasks.add(new Prepare(Use.READER, JsonNode.class)); // the backup store's index entries
          tasks.add(new Prepare(Use.WRITER, BackupManifest.class));
          tasks.add(new Prepare(Use.LIST_READER, RollbackRecord.class));
          tasks.add(new Prepare(Use.WRITER, RollbackRecord.class));
        }
      }
      default -> {
        // Other commands start as they always did; deployments list and status read and write
        // only through jackson-jr.
      }
    }
    return tasks;
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
