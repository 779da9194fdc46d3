package dev.devops.cli;

import dev.devops.engine.DeployEntry;
import dev.devops.engine.DeployHistory;
import dev.devops.netlify.Site;
import dev.devops.state.DeploymentRecords;
import dev.devops.state.RollbackLog;
import dev.devops.util.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code devops status}: the site, its live deploy, the auto-publish lock and the last rollback.
 */
@Command(
    name = "status",
    description = "Show the site, its live deploy, the auto-publish lock and the last rollback.",
    mixinStandardHelpOptions = true)
public final class StatusCommand extends ProjectCommand {
  static final String LOCKED_BY_ROLLBACK =
      "🔒 Auto publishing: locked (a rollback pinned this deploy; next git deploy will NOT go live)";
  static final String LOCKED =
      "🔒 Auto publishing: locked (new production deploys will NOT go live until it is unlocked)";
  static final String UNLOCKED =
      "🔓 Auto publishing: unlocked (the next production deploy goes live)";

  @Mixin JsonOption jsonOption;

  @Override
  protected int execute() throws Exception {
    Site site = client().getSite(config().siteId());
    Instant now = ctx().clock().instant();
    DeploymentRecords records = records();
    DeployHistory history = DeployHistory.of(site, List.of(), records, now);
    Optional<DeployEntry> live = history.current();
    Optional<RollbackLog.Entry> rollback = RollbackLog.last(stateDir());
    boolean locked = site.isAutoPublishLocked();
    boolean pinnedByRollback =
        locked
            && rollback.isPresent()
            && live.isPresent()
            && live.get().id().equals(rollback.get().to());
    if (json()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("site", DeployView.SiteView.of(site));
      body.put("admin_url", site.adminUrl());
      body.put("published", live.map(e -> DeployView.of(e, now)).orElse(null));
      body.put("auto_publish_locked", locked);
      body.put("locked_by_rollback", pinnedByRollback);
      body.put("last_rollback", rollback.map(r -> rollbackJson(r, records, now)).orElse(null));
      printJson(body);
      return ExitCode.OK.code();
    }
    PrintWriter out = out();
    out.println("📊 Site: " + site.name());
    out.println("ID: " + site.id());
    out.println("URL: " + site.liveUrl());
    out.println();
    if (live.isPresent()) {
      DeployEntry e = live.get();
      String age = DeployView.age(e.deploy(), now);
      out.println("Published: " + e.version() + (age == null ? "" : " (deployed " + age + ")"));
      out.println("ID: " + e.id());
      out.println("Status: " + e.status().label());
      if (e.liveFor() != null) {
        out.println("Live for: " + Durations.span(e.liveFor()));
      }
    } else {
      out.println("Published: none (the site has no published deploy)");
    }
    out.println();
    out.println(pinnedByRollback ? LOCKED_BY_ROLLBACK : locked ? LOCKED : UNLOCKED);
    out.println();
    if (rollback.isPresent()) {
      RollbackLog.Entry r = rollback.get();
      String when =
          r.finishedAt() == null ? "" : ", " + Durations.ago(Duration.between(r.finishedAt(), now));
      out.println(
          "Last rollback: "
              + label(r.from(), r.fromVersion(), records, site)
              + " → "
              + label(r.to(), r.toVersion(), records, site)
              + when
              + (r.outcome() == null ? "" : " (" + r.outcome() + ")"));
      out.println("Rollback ID: " + r.id());
      if (r.reason() != null && !r.reason().isBlank()) {
        out.println("Reason: " + r.reason());
      }
    } else {
      out.println("Last rollback: none");
    }
    out.flush();
    return ExitCode.OK.code();
  }

  private static Map<String, Object> rollbackJson(
      RollbackLog.Entry r, DeploymentRecords records, Instant now) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", r.id());
    m.put("from", r.from());
    m.put("to", r.to());
    m.put(
        "from_version",
        r.fromVersion() != null
            ? r.fromVersion()
            : records.versionOf(String.valueOf(r.from())).orElse(null));
    m.put(
        "to_version",
        r.toVersion() != null
            ? r.toVersion()
            : records.versionOf(String.valueOf(r.to())).orElse(null));
    m.put("reason", r.reason());
    m.put("finished_at", r.finishedAt());
    m.put(
        "age",
        r.finishedAt() == null ? null : Durations.ago(Duration.between(r.finishedAt(), now)));
    m.put("outcome", r.outcome());
    return m;
  }

  /** A deploy's version label with its id, or the id alone when no label is known. */
  private static String label(
      String deployId, String version, DeploymentRecords records, Site site) {
    if (deployId == null) {
      return "?";
    }
    String label = version;
    if (label == null
        && site.publishedDeploy() != null
        && deployId.equals(site.publishedDeploy().id())) {
      label = DeployHistory.versionLabel(site.publishedDeploy(), records);
    }
    if (label == null) {
      label = records.versionOf(deployId).orElse(null);
    }
    return label == null || label.equals(deployId) ? deployId : label + " (" + deployId + ")";
  }
}
