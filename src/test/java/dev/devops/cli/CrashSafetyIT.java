package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.testing.Cli;
import dev.devops.testing.ReliabilityReport;
import dev.devops.util.AtomicFiles;
import dev.devops.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the real CLI process at seeded random moments of deploy, backup create, rollback
 * execute and the rollback's history writes. After each kill: every {@code .devops} file parses, no
 * history entry is lost, an interrupted rollback is undone by emergency-recover, and the site is on
 * a deploy it knows. Each kill lands at a seeded random moment after the command's first output
 * (JVM start-up is not the interesting part). Each trial prints its seed and delay; {@code
 * -Dreliability.seed=BASE} replays a run, {@code -Dreliability.trials=N} sets the trials per
 * operation.
 */
class CrashSafetyIT extends RollbackTestBase {
  private static final long BASE_SEED = Long.getLong("reliability.seed", 20261127L);
  private static final int TRIALS = Integer.getInteger("reliability.trials", 50);
  private static final int WORKERS = 2;

  /** What one batch kills, and where in the run its kill lands (fractions of a clean run). */
  private enum Batch {
    DEPLOY(0.0, 1.0),
    BACKUP(0.0, 1.0),
    ROLLBACK(0.0, 1.0),
    HISTORY_WRITES(0.6, 1.1);

    final double from;
    final double to;

    Batch(double from, double to) {
      this.from = from;
      this.to = to;
    }
  }

  /** Per batch: trials, kills that landed before the process exited, recoveries run. */
  private final Map<Batch, int[]> counts = new LinkedHashMap<>();

  @Test
  void killNineAtRandomMomentsLosesNothing() throws Exception {
    List<String> outputs = new ArrayList<>();
    for (Batch batch : Batch.values()) {
      counts.put(batch, new int[3]);
      long typical = typicalMillis(batch);
      ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
      List<Future<String>> trials = new ArrayList<>();
      for (int w = 0; w < WORKERS; w++) {
        int worker = w;
        trials.add(
            pool.submit(
                () -> {
                  StringBuilder out = new StringBuilder();
                  PlatformProject shared = project(batch, "w" + worker);
                  for (int t = worker; t < TRIALS; t += WORKERS) {
                    long seed = BASE_SEED + batch.ordinal() * 100_000L + t;
                    out.append(trial(batch, seed, typical, shared));
                  }
                  return out.toString();
                }));
      }
      pool.shutdown();
      for (Future<String> f : trials) {
        outputs.add(f.get(5, TimeUnit.MINUTES));
      }
    }
    int scanned = ReliabilityReport.assertNoSecret(platform.token(), outputs, dir);
    StringBuilder md = new StringBuilder("## Crash safety (kill -9 of the CLI process)\n\n");
    md.append("Base seed ")
        .append(BASE_SEED)
        .append(" (trial seed = base + batch × 100000 + trial).\n\n")
        .append("| operation | trials | killed mid-run | recovered by emergency-recover | ")
        .append(
            "files parse | history kept | site on a known deploy |\n|---|---|---|---|---|---|---|\n");
    int total = 0;
    for (Map.Entry<Batch, int[]> e : counts.entrySet()) {
      int[] c = e.getValue();
      total += c[0];
      md.append(
          String.format(
              "| %s | %d | %d | %d | %2$d/%2$d | %2$d/%2$d | %2$d/%2$d |\n",
              e.getKey().name().toLowerCase().replace('_', ' '), c[0], c[1], c[2]));
    }
    md.append("\n")
        .append(total)
        .append(" trials, all passed; token absent from ")
        .append(scanned)
        .append(" outputs and files.\n");
    ReliabilityReport.section("10-crash-safety", md.toString());
    assertThat(total).isGreaterThanOrEqualTo(4 * TRIALS);
  }

  private synchronized PlatformProject project(Batch batch, String name) {
    PlatformProject p = newProject(batch.name().toLowerCase().replace('_', '-') + "-" + name);
    p.deploy("v1.0.0", Map.of("index.html", "one"));
    p.deploy("v2.0.0", Map.of("index.html", "two"));
    return p;
  }

  /**
   * One clean run of the batch's command: the time from its first output line (the JVM has started
   * and the command is working) to its exit. Kill delays are drawn from that window.
   */
  private long typicalMillis(Batch batch) throws Exception {
    PlatformProject p = project(batch, "timing");
    Process process = start(batch, p, 0);
    long working = awaitFirstOutput(process, p.dir.resolve("output-0.txt"));
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(p.dir.resolve("output-0.txt"))).isZero();
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - working));
  }

  /** Waits until the process has written something (or exited); returns that moment. */
  private static long awaitFirstOutput(Process process, Path output) throws Exception {
    while (process.isAlive() && (!Files.exists(output) || Files.size(output) == 0)) {
      Thread.sleep(2);
    }
    return System.nanoTime();
  }

  private String trial(Batch batch, long seed, long typical, PlatformProject shared)
      throws Exception {
    // SplittableRandom mixes its seed: consecutive seeds give unrelated delays.
    SplittableRandom random = new SplittableRandom(seed);
    // Rollbacks change the site: each trial gets its own; deploys and backups pile up.
    PlatformProject p =
        batch == Batch.DEPLOY || batch == Batch.BACKUP ? shared : project(batch, "s" + seed);
    Set<String> deploysBefore = recordedDeploys(p);
    List<String> rollbacksBefore = rollbackIds(p);
    long delay = (long) (typical * (batch.from + (batch.to - batch.from) * random.nextDouble()));
    Process process = start(batch, p, seed);
    awaitFirstOutput(process, p.dir.resolve("output-" + seed + ".txt"));
    boolean exited = process.waitFor(delay, TimeUnit.MILLISECONDS);
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String what = batch + " seed=" + seed + " delay=" + delay + "ms";
    String output = Files.readString(p.dir.resolve("output-" + seed + ".txt"));
    String lastLine =
        output.isBlank() ? "(no output yet)" : output.strip().lines().reduce((a, b) -> b).get();
    System.out.println(
        "trial "
            + what
            + (exited ? " (finished before the kill)" : " (killed after: " + lastLine + ")"));
    int recovered = 0;

    assertEveryFileParses(p.dir.resolve(".devops"), what);
    assertThat(recordedDeploys(p)).as(what + ": deploy records").containsAll(deploysBefore);
    List<String> rollbacksAfter = rollbackIds(p);
    assertThat(rollbacksAfter)
        .as(what + ": rollback history")
        .hasSizeGreaterThanOrEqualTo(rollbacksBefore.size());
    assertThat(rollbacksAfter.subList(0, rollbacksBefore.size()))
        .as(what + ": rollback history")
        .isEqualTo(rollbacksBefore);
    JsonNode history = rollbackHistory(p);
    if (history != null && history.size() > 0) {
      JsonNode last = history.get(history.size() - 1);
      if (!last.get("outcome").asText().equals("success")) {
        Cli.Result recover =
            p.cli
                .env("DEVOPS_LOCK_WAIT_SECONDS", "5")
                .run("emergency-recover", "--rollback-id", last.get("id").asText());
        assertThat(recover.exitCode()).as(what + ": " + recover.err()).isZero();
        assertThat(served(p, "/")).as(what).isEqualTo("two");
        output += recover.all();
        recovered = 1;
      }
    }
    if (batch == Batch.BACKUP) {
      Cli.Result verify = p.cli.run("backup", "verify");
      if (verify.exitCode() == ExitCode.UNVERIFIED.code()) {
        // Killed before every byte was stored: the backup says so, and --resume finishes it.
        assertThat(verify.all()).as(what).contains("incomplete").doesNotContain("corrupt:");
        Cli.Result resume = p.cli.run("backup", "create", "--resume");
        assertThat(resume.exitCode()).as(what + ": " + resume.all()).isZero();
        output += verify.all() + resume.all();
        verify = p.cli.run("backup", "verify");
      }
      assertThat(verify.exitCode()).as(what + ": " + verify.all()).isZero();
      output += verify.all();
    }
    assertThat(served(p, "/")).as(what + ": served").isIn("one", "two", "crash " + p.siteName);
    Cli.Result status = p.cli.run("status", "--json");
    assertThat(status.exitCode()).as(what + ": " + status.err()).isZero();
    synchronized (counts) {
      int[] c = counts.get(batch);
      c[0]++;
      c[1] += exited ? 0 : 1;
      c[2] += recovered;
    }
    return output + status.all();
  }

  private Process start(Batch batch, PlatformProject p, long seed) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-jar",
                System.getProperty("devops.jar")));
    switch (batch) {
      case DEPLOY -> {
        p.siteDir("public", Map.of("index.html", "crash " + p.siteName));
        command.addAll(List.of("deploy", "--dir", "public", "--prod", "--version", "v3." + seed));
      }
      case BACKUP ->
          command.addAll(List.of("backup", "create", "--deployment", "v2.0.0", "--reason", "x"));
      default -> command.addAll(List.of("rollback", "--yes", "--reason", "crash trial"));
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(p.dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(p.dir.resolve("output-" + seed + ".txt").toFile());
    builder.environment().put("NETLIFY_AUTH_TOKEN", platform.token());
    builder.environment().put("NETLIFY_API_URL", platform.apiUrl());
    builder.environment().put("HOME", p.dir.toString());
    builder.environment().put("XDG_CONFIG_HOME", p.dir.resolve(".xdg").toString());
    builder.environment().put("DEVOPS_LOCK_WAIT_SECONDS", "10");
    return builder.start();
  }

  private static void assertEveryFileParses(Path devops, String what) throws IOException {
    if (!Files.exists(devops)) {
      return;
    }
    try (Stream<Path> files = Files.walk(devops)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json") && !AtomicFiles.isTempName(name)) {
          try {
            Json.mapper().readTree(file.toFile());
          } catch (IOException e) {
            throw new AssertionError(what + ": " + file + " does not parse", e);
          }
        }
      }
    }
  }

  private static Set<String> recordedDeploys(PlatformProject p) {
    Path file = p.dir.resolve(".devops/deployments.json");
    Set<String> ids = new HashSet<>();
    try {
      if (Files.exists(file)) {
        Json.mapper()
            .readTree(file.toFile())
            .path("deploys")
            .fieldNames()
            .forEachRemaining(ids::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ids;
  }

  private static List<String> rollbackIds(PlatformProject p) {
    List<String> ids = new ArrayList<>();
    JsonNode history = rollbackHistory(p);
    if (history != null) {
      history.forEach(entry -> ids.add(entry.get("id").asText()));
    }
    return ids;
  }
}
