package dev.devops.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.devops.engine.DeployEntry;
import dev.devops.engine.RollbackRecord;
import dev.devops.engine.SharedLease;
import dev.devops.engine.SharedState;
import dev.devops.engine.SiteStatus;
import dev.devops.util.Durations;
import dev.devops.util.JrJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code devops status}: the site, its live deploy, the auto-publish lock and the last rollback.
 */
public final class StatusCommand extends EngineCommand implements JsonOutput {
  @Override
  public void describe(CommandSpec spec) {
    Model.description(
        spec, "Show the site, its live deploy, the auto-publish lock and the last rollback.");
  }

  static final String LOCKED_BY_ROLLBACK =
      "🔒 Auto publishing: locked (a rollback pinned this deploy; next git deploy will NOT go live)";
  static final String LOCKED =
      "🔒 Auto publishing: locked (new production deploys will NOT go live until it is unlocked)";
  static final String UNLOCKED =
      "🔓 Auto publishing: unlocked (the next production deploy goes live)";

  /** The JSON result (docs/json/status.md). */
  record Report(
      DeployJson.SiteJson site,
      @JsonProperty("admin_url") String adminUrl,
      DeployJson published,
      @JsonProperty("auto_publish_locked") boolean autoPublishLocked,
      @JsonProperty("locked_by_rollback") boolean lockedByRollback,
      @JsonProperty("last_rollback") LastRollback lastRollback,
      LeaseJson lease,
      List<String> warnings)
      implements JrJson.Output {

    static Report of(SiteStatus s, Instant now, List<String> warnings) {
      RollbackRecord r = s.lastRollback();
      return new Report(
          DeployJson.SiteJson.of(s.site()),
          s.site().adminUrl(),
          s.published().map(e -> DeployJson.of(e, now)).orElse(null),
          s.autoPublishLocked(),
          s.lockedByRollback(),
          r == null ? null : LastRollback.of(s, now),
          LeaseJson.of(s.lease()),
          warnings);
    }
  }

  /** The lease of a rollback running now, as the status shows it. */
  record LeaseJson(
      String who,
      String host,
      Long pid,
      String command,
      Instant since,
      @JsonProperty("expires_at") Instant expiresAt) {
    static LeaseJson of(SharedState.Lease lease) {
      if (lease == null) {
        return null;
      }
      SharedState.Holder h = lease.holder();
      return h == null
          ? new LeaseJson(null, null, null, null, null, lease.expiresAt())
          : new LeaseJson(h.who(), h.host(), h.pid(), h.command(), h.since(), lease.expiresAt());
    }
  }

  /** The newest rollback, as the status shows it. */
  record LastRollback(
      String id,
      String from,
      String to,
      @JsonProperty("from_version") String fromVersion,
      @JsonProperty("to_version") String toVersion,
      String reason,
      String who,
      String host,
      String source,
      @JsonProperty("finished_at") Instant finishedAt,
      String age,
      String outcome) {
    static LastRollback of(SiteStatus s, Instant now) {
      RollbackRecord r = s.lastRollback();
      return new LastRollback(
          r.id(),
          r.from().id(),
          r.to().id(),
          r.from().version(),
          r.to().version(),
          r.reason(),
          r.who(),
          s.lastRollbackHost(),
          s.lastRollbackSource(),
          r.finishedAt(),
          r.finishedAt() == null ? null : Durations.ago(Duration.between(r.finishedAt(), now)),
          r.outcome());
    }
  }

  @Override
  protected int execute() throws Exception {
    SiteStatus status = SiteStatus.read(engine());
    Instant now = ctx().clock().instant();
    if (status.historyProblem() != null) {
      say("⚠️ " + Text.clean(status.historyProblem()));
    }
    if (json()) {
      printJson(Report.of(status, now, engine().shared().warnings()));
    } else {
      report(text(status, now));
    }
    return ExitCode.OK.code();
  }

  static String text(SiteStatus s, Instant now) {
    StringBuilder b = new StringBuilder();
    b.append("📊 Site: ").append(Text.clean(s.site().name())).append('\n');
    b.append("ID: ").append(Text.clean(s.site().id())).append('\n');
    b.append("URL: ").append(Text.clean(s.site().liveUrl())).append("\n\n");
    if (s.published().isPresent()) {
      DeployEntry e = s.published().get();
      String age = DeployJson.age(e.deploy(), now);
      b.append("Published: ")
          .append(Text.clean(e.version()))
          .append(age == null ? "" : " (deployed " + age + ")")
          .append('\n');
      b.append("ID: ").append(Text.clean(e.id())).append('\n');
      b.append("Status: ").append(e.status().label()).append('\n');
      if (e.liveFor() != null) {
        b.append("Live for: ").append(Durations.span(e.liveFor())).append('\n');
      }
    } else {
      b.append("Published: none (the site has no published deploy)\n");
    }
    b.append('\n');
    b.append(s.lockedByRollback() ? LOCKED_BY_ROLLBACK : s.autoPublishLocked() ? LOCKED : UNLOCKED);
    b.append("\n\n");
    if (s.lease() != null) {
      b.append("⏳ Rollback running: ")
          .append(Text.clean(SharedLease.describe(s.lease())))
          .append("\n\n");
    }
    RollbackRecord r = s.lastRollback();
    if (r == null) {
      return b.append(
              s.historyProblem() == null
                  ? "Last rollback: none"
                  : "Last rollback: unknown (the local history is unreadable)")
          .toString();
    }
    b.append("Last rollback: ")
        .append(RollbackView.label(r.from().version(), r.from().id()))
        .append(" → ")
        .append(RollbackView.label(r.to().version(), r.to().id()))
        .append(
            r.finishedAt() == null
                ? ""
                : ", " + Durations.ago(Duration.between(r.finishedAt(), now)))
        .append(r.outcome() == null ? "" : " (" + Text.clean(r.outcome()) + ")")
        .append('\n');
    b.append("Rollback ID: ").append(Text.clean(r.id()));
    if (r.who() != null) {
      b.append("\nBy: ").append(Text.clean(r.who()));
      // Another machine's rollback says where it ran; this machine's goes without saying.
      if (s.lastRollbackHost() != null && "shared".equals(s.lastRollbackSource())) {
        b.append(" on ").append(Text.clean(s.lastRollbackHost()));
      }
    }
    if (r.reason() != null && !r.reason().isBlank()) {
      b.append("\nReason: ").append(Text.clean(r.reason()));
    }
    return b.toString();
  }
}
