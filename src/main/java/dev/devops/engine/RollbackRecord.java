package dev.devops.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code .devops/rollback-history.json}. Written when the rollback starts (outcome
 * {@code in_progress}) and again as it ends, so that it always says where the site is.
 */
public record RollbackRecord(
    String id,
    @JsonProperty("site_id") String siteId,
    DeployRef from,
    DeployRef to,
    String direction,
    String reason,
    String who,
    @JsonProperty("started_at") Instant startedAt,
    @JsonProperty("finished_at") Instant finishedAt,
    List<StepRecord> steps,
    String backup,
    VerificationResult verification,
    String outcome,
    String error,
    @JsonProperty("failed_step") String failedStep,
    @JsonProperty("site_state") SiteState siteState,
    @JsonProperty("lock_after") Boolean lockAfter,
    List<Recovery> recoveries,
    @JsonProperty("backup_complete") Boolean backupComplete,
    @JsonProperty("backup_completed_at") Instant backupCompletedAt,
    String trigger) {

  public static final String IN_PROGRESS = "in_progress";
  public static final String VERIFIED = "verified";
  public static final String UNVERIFIED = "unverified";

  /** Switched, then another rollback or deploy replaced the target before this one ended. */
  public static final String SUPERSEDED = "superseded";

  public static final String RECOVERED = "recovered";
  public static final String RECOVERY_FAILED = "recovery_failed";
  public static final String ABORTED = "aborted";
  public static final String INTERRUPTED = "interrupted";

  /** {@link #trigger}: the guard rolled back a deploy that failed its checks. */
  public static final String GUARD = "guard";

  /** An entry as written when a person or a script starts a rollback (no backup completion yet). */
  public RollbackRecord(
      String id,
      String siteId,
      DeployRef from,
      DeployRef to,
      String direction,
      String reason,
      String who,
      Instant startedAt,
      Instant finishedAt,
      List<StepRecord> steps,
      String backup,
      VerificationResult verification,
      String outcome,
      String error,
      String failedStep,
      SiteState siteState,
      Boolean lockAfter,
      List<Recovery> recoveries) {
    this(
        id,
        siteId,
        from,
        to,
        direction,
        reason,
        who,
        startedAt,
        finishedAt,
        steps,
        backup,
        verification,
        outcome,
        error,
        failedStep,
        siteState,
        lockAfter,
        recoveries,
        null,
        null,
        null);
  }

  /** A deploy as the history names it. */
  public record DeployRef(String id, String version, Boolean locked) {}

  /**
   * Where the site was when last observed.
   *
   * @param publishedDeployId the published deploy, or null if it could not be read
   * @param locked whether auto publishing was stopped
   * @param observedAt when this was read from the API
   * @param summary one line for people ("on v1.2.2 (dep_x), auto publishing locked")
   */
  public record SiteState(
      @JsonProperty("published_deploy_id") String publishedDeployId,
      Boolean locked,
      @JsonProperty("observed_at") Instant observedAt,
      String summary) {}

  /** One recovery attempt (automatic, or by emergency-recover). */
  public record Recovery(
      Instant at,
      String method,
      String outcome,
      @JsonProperty("deploy_id") String deployId,
      String message) {}

  public RollbackRecord withSteps(List<StepRecord> steps) {
    Changed next = new Changed(this);
    next.steps = steps;
    return next.record();
  }

  public RollbackRecord withBackup(String backup) {
    Changed next = new Changed(this);
    next.backup = backup;
    return next.record();
  }

  public RollbackRecord finished(
      Instant at,
      String outcome,
      VerificationResult verification,
      String error,
      String failedStep,
      SiteState state,
      Boolean lockAfter) {
    Changed next = new Changed(this);
    next.finishedAt = at;
    next.outcome = outcome;
    next.verification = verification;
    next.error = error;
    next.failedStep = failedStep;
    next.siteState = state;
    next.lockAfter = lockAfter;
    return next.record();
  }

  /** Whether the backup's bytes are all stored, and since when. */
  public RollbackRecord withBackupCompletion(boolean complete, Instant at) {
    Changed next = new Changed(this);
    next.backupComplete = complete;
    next.backupCompletedAt = at;
    return next.record();
  }

  public RollbackRecord withRecovery(
      Recovery recovery, String outcome, SiteState state, Instant at) {
    List<Recovery> all = new ArrayList<>(recoveries == null ? List.of() : recoveries);
    all.add(recovery);
    Changed next = new Changed(this);
    next.recoveries = List.copyOf(all);
    next.outcome = outcome;
    next.siteState = state;
    next.finishedAt = at;
    return next.record();
  }

  /** The fields a record changes as the rollback goes on; the rest are copied as they were. */
  private static final class Changed {
    private final RollbackRecord base;
    private Instant finishedAt;
    private List<StepRecord> steps;
    private String backup;
    private VerificationResult verification;
    private String outcome;
    private String error;
    private String failedStep;
    private SiteState siteState;
    private Boolean lockAfter;
    private List<Recovery> recoveries;
    private Boolean backupComplete;
    private Instant backupCompletedAt;

    Changed(RollbackRecord base) {
      this.base = base;
      this.finishedAt = base.finishedAt;
      this.steps = base.steps;
      this.backup = base.backup;
      this.verification = base.verification;
      this.outcome = base.outcome;
      this.error = base.error;
      this.failedStep = base.failedStep;
      this.siteState = base.siteState;
      this.lockAfter = base.lockAfter;
      this.recoveries = base.recoveries;
      this.backupComplete = base.backupComplete;
      this.backupCompletedAt = base.backupCompletedAt;
    }

    RollbackRecord record() {
      return new RollbackRecord(
          base.id,
          base.siteId,
          base.from,
          base.to,
          base.direction,
          base.reason,
          base.who,
          base.startedAt,
          finishedAt,
          steps,
          backup,
          verification,
          outcome,
          error,
          failedStep,
          siteState,
          lockAfter,
          recoveries,
          backupComplete,
          backupCompletedAt,
          base.trigger);
    }
  }
}
