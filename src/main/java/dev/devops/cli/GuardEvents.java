package dev.devops.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.devops.engine.DeployHistory;
import dev.devops.engine.Guard;
import dev.devops.engine.RollbackRecord;
import dev.devops.netlify.Deploy;
import dev.devops.state.DeploymentRecords;
import java.util.List;

/** The JSON lines of {@code guard} and {@code deploy --guard} (docs/json/guard.md). */
final class GuardEvents {
  private GuardEvents() {}

  /** A deploy as the guard's lines name it. */
  record Ref(String id, String version) {
    static Ref of(Deploy deploy, String version) {
      return deploy == null ? null : new Ref(deploy.id(), version);
    }

    static Ref of(Deploy deploy, DeploymentRecords records) {
      return deploy == null
          ? null
          : new Ref(deploy.id(), DeployHistory.versionLabel(deploy, records));
    }
  }

  /** {@code deploy --guard}: the deploy, published, before the guard's lines ("deploy"). */
  record Deployed(String event, DeployCommand.Report deploy) {
    static Deployed of(DeployCommand.Report report) {
      return new Deployed("deploy", report);
    }
  }

  /** {@code guard --next}: waiting for the next publish ("waiting"). */
  record Waiting(String event, Ref published, @JsonProperty("timeout_ms") long timeoutMs) {}

  /** The window opens ("start"). */
  record Start(
      String event,
      Ref deploy,
      Ref previous,
      String url,
      @JsonProperty("window_ms") long windowMs,
      @JsonProperty("interval_ms") long intervalMs,
      @JsonProperty("failure_limit") int failureLimit,
      List<String> checks) {
    static Start of(Guard.Target t, Guard.Settings s, List<String> checks) {
      return new Start(
          "start",
          Ref.of(t.deploy(), t.version()),
          Ref.of(t.previous(), t.previousVersion()),
          t.site().liveUrl(),
          s.window().toMillis(),
          s.interval().toMillis(),
          s.failureLimit(),
          checks);
    }
  }

  /** One check of a round (CHECK). */
  record Check(
      String name,
      boolean ok,
      String detail,
      @JsonProperty("duration_ms") long durationMs,
      int failures) {
    static Check of(Guard.CheckState c) {
      return c == null
          ? null
          : new Check(c.name(), c.ok(), c.detail(), c.durationMs(), c.failures());
    }
  }

  /** One round of probes ("probe"). */
  record Probe(
      String event,
      int round,
      @JsonProperty("elapsed_ms") long elapsedMs,
      boolean ok,
      List<Check> checks) {
    static Probe of(Guard.Round r) {
      return new Probe(
          "probe",
          r.number(),
          r.elapsed().toMillis(),
          r.ok(),
          r.checks().stream().map(Check::of).toList());
    }
  }

  /** A check failed its limit; the rollback's own lines follow ("unhealthy"). */
  record Unhealthy(String event, Check check, String reason) {}

  /** The last line ("result"). */
  record Result(
      String event,
      String outcome,
      Ref deploy,
      Ref previous,
      int rounds,
      @JsonProperty("watched_ms") long watchedMs,
      @JsonProperty("failed_check") Check failedCheck,
      String reason,
      String message,
      @JsonProperty("published_now") Ref publishedNow,
      RollbackRecord rollback,
      @JsonProperty("exit_code") int exitCode) {
    static Result of(Guard.Result r, DeploymentRecords records) {
      Guard.Target t = r.target();
      return new Result(
          "result",
          r.outcome().json(),
          Ref.of(t.deploy(), t.version()),
          Ref.of(t.previous(), t.previousVersion()),
          r.rounds(),
          r.watched().toMillis(),
          Check.of(r.failed()),
          r.reason(),
          r.summary(),
          Ref.of(r.publishedNow(), records),
          r.rollback() == null ? null : r.rollback().record(),
          ExitCode.of(r).code());
    }
  }
}
