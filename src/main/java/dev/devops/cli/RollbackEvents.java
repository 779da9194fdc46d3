package dev.devops.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.devops.engine.DeployHistory;
import dev.devops.engine.RollbackFailure;
import dev.devops.engine.RollbackOutcome;
import dev.devops.engine.RollbackPlanner;
import dev.devops.engine.RollbackRecord;
import dev.devops.engine.StepEvent;
import dev.devops.engine.VerificationResult;
import dev.devops.netlify.Deploy;
import dev.devops.netlify.NetlifyClient;

/** The JSON lines of {@code rollback}, {@code rollback execute} and {@code emergency-recover}. */
final class RollbackEvents {
  private RollbackEvents() {}

  /** One step started, ended, failed or was skipped (docs/json/rollback.md, "step"). */
  record Step(
      String event,
      String step,
      String status,
      @JsonProperty("elapsed_ms") long elapsedMs,
      String message) {
    static Step of(StepEvent e) {
      return new Step("step", e.step(), e.status().label(), e.elapsedMs(), e.message());
    }
  }

  /** Something went wrong that the rollback goes on without, e.g. the shared record ("warning"). */
  record Warning(String event, String message) {}

  /** The impact analysis ("impact"). */
  record Impact(String event, RollbackPlanner.Impact impact) {
    static Impact of(RollbackPlanner.Impact impact) {
      return new Impact("impact", impact);
    }
  }

  /** A step of the switch failed; recovery follows ("failure"). */
  record Failure(
      String event,
      @JsonProperty("rollback_id") String rollbackId,
      String error,
      @JsonProperty("failed_step") String failedStep,
      String backup,
      @JsonProperty("current_state") String currentState) {
    static Failure of(RollbackFailure f) {
      return new Failure(
          "failure", f.rollbackId(), f.error(), f.failedStep(), f.backup(), f.currentState());
    }
  }

  /** The last line of a rollback ("result"). */
  record Result(
      String event,
      String outcome,
      @JsonProperty("rollback_id") String rollbackId,
      DeployJson from,
      DeployJson to,
      String backup,
      VerificationResult verification,
      @JsonProperty("site_state") RollbackRecord.SiteState siteState,
      @JsonProperty("backup_complete") Boolean backupComplete,
      @JsonProperty("api_calls") int apiCalls,
      @JsonProperty("http_requests") int httpRequests,
      @JsonProperty("rate_limited") int rateLimited,
      @JsonProperty("time_to_verified_ms") Long timeToVerifiedMs,
      @JsonProperty("record_error") String recordError,
      @JsonProperty("exit_code") int exitCode) {

    /** The result of a rollback that ran (record set) or a dry run (record null). */
    static Result of(
        RollbackOutcome outcome,
        RollbackRecord record,
        DeployHistory history,
        Deploy from,
        String fromVersion,
        Deploy to,
        String toVersion,
        NetlifyClient.Stats stats,
        Long timeToVerifiedMs,
        String recordError) {
      return new Result(
          "result",
          outcome.json(),
          record == null ? null : record.id(),
          EngineCommand.deployJson(history, from, fromVersion),
          EngineCommand.deployJson(history, to, toVersion),
          record == null ? null : record.backup(),
          record == null ? null : record.verification(),
          record == null ? null : record.siteState(),
          record == null ? null : record.backupComplete(),
          stats == null ? 0 : stats.apiCalls(),
          stats == null ? 0 : stats.httpRequests(),
          stats == null ? 0 : stats.rateLimited(),
          timeToVerifiedMs,
          recordError,
          ExitCode.of(outcome, recordError).code());
    }
  }

  /** The last line of an emergency recovery ("result"). */
  record Recovered(
      String event,
      String outcome,
      @JsonProperty("rollback_id") String rollbackId,
      RollbackRecord.Recovery recovery,
      @JsonProperty("site_state") RollbackRecord.SiteState siteState,
      @JsonProperty("exit_code") int exitCode) {
    static Recovered of(RollbackRecord r) {
      RollbackOutcome.Recovery outcome = RollbackOutcome.Recovery.of(r);
      return new Recovered(
          "result",
          outcome.json(),
          r.id(),
          r.recoveries().get(r.recoveries().size() - 1),
          r.siteState(),
          ExitCode.of(outcome).code());
    }
  }
}
