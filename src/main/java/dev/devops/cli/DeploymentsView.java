package dev.devops.cli;

import dev.devops.engine.DeployEntry;
import dev.devops.engine.DeployHistory;
import dev.devops.engine.DeployStatus;
import dev.devops.state.DeploymentRecords;
import dev.devops.util.Durations;
import java.time.Instant;
import java.util.List;

/** The spec's "📋 Recent Deployments" block. */
final class DeploymentsView {
  private DeploymentsView() {}

  static String list(DeployHistory history, List<DeployEntry> targets, boolean hasMore, int limit) {
    Instant now = history.now();
    StringBuilder b = new StringBuilder("📋 Recent Deployments\n\n");
    if (history.current().isPresent()) {
      DeployEntry current = history.current().get();
      String mark = current.status() == DeployStatus.BAD ? "✗" : "✓";
      b.append("Current: ")
          .append(mark)
          .append(' ')
          .append(Text.clean(current.version()))
          .append(deployed(current, now))
          .append(" - ACTIVE\n");
      b.append("ID: ").append(Text.clean(current.id())).append('\n');
      b.append("Status: ").append(current.status().label()).append('\n');
      b.append("URL: ").append(Text.clean(history.site().liveUrl())).append('\n');
    } else {
      b.append("Current: none (the site has no published deploy)\n");
    }
    b.append('\n');
    if (targets.isEmpty()) {
      return b.append("❌ No previous deployments found\n💡 Nothing to rollback to").toString();
    }
    b.append("Available rollback targets:\n");
    int n = 1;
    for (DeployEntry target : targets) {
      b.append(n++)
          .append(". ")
          .append(Text.clean(target.version()))
          .append(deployed(target, now))
          .append('\n');
      b.append("ID: ").append(Text.clean(target.id())).append('\n');
      b.append("Status: ").append(target.status().label()).append('\n');
      if (target.mark() != null) {
        b.append("Marked bad: ").append(markLine(target.mark(), now)).append('\n');
      }
      b.append("Duration: ")
          .append(
              target.liveFor() == null
                  ? "never published"
                  : Durations.span(target.liveFor()) + " active")
          .append("\n\n");
    }
    if (hasMore) {
      b.append("More deploys: devops deployments list --limit ")
          .append(Math.min(DeploymentsList.MAX_LIMIT, limit * 2))
          .append(" (or --all)\n\n");
    }
    return b.append("💡 Select a version to rollback to").toString();
  }

  /** "by alice@example.com on laptop-2, 5m ago: checkout broken". */
  static String markLine(DeploymentRecords.BadMark m, Instant now) {
    StringBuilder b = new StringBuilder();
    if (m.who() != null) {
      b.append("by ").append(Text.clean(m.who()));
    }
    if (m.host() != null) {
      b.append(" on ").append(Text.clean(m.host()));
    }
    if (m.at() != null) {
      b.append(b.length() == 0 ? "" : ", ")
          .append(Durations.ago(java.time.Duration.between(m.at(), now)));
    }
    if (m.reason() != null && !m.reason().isBlank()) {
      b.append(b.length() == 0 ? "" : ": ").append(Text.clean(m.reason()));
    }
    return b.length() == 0 ? "yes" : b.toString();
  }

  private static String deployed(DeployEntry e, Instant now) {
    String age = DeployJson.age(e.deploy(), now);
    return age == null ? "" : " (deployed " + age + ")";
  }
}
