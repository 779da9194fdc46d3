package dev.devops.cli;

import dev.devops.engine.Guard;
import dev.devops.engine.GuardMarkers;
import dev.devops.engine.RollbackRecord;
import java.util.List;

/** The guard's human lines and blocks, from what the engine computed. */
final class GuardView {
  private GuardView() {}

  static String label(String version, String id) {
    return RollbackView.label(version, id);
  }

  static String deploy(Guard.Target t) {
    return label(t.version(), t.deploy().id());
  }

  /** {@code guard --next}: what it waits for. */
  static String waiting(String siteName, String published) {
    return "⏳ Waiting for the next deploy of "
        + Text.clean(siteName)
        + " to publish (it serves "
        + published
        + " now)...";
  }

  /** The window opens: what is watched, how, and where a failure goes back to. */
  static String started(Guard.Target t, Guard.Settings s, List<String> checks) {
    StringBuilder b =
        new StringBuilder("🛡️ Guarding ")
            .append(deploy(t))
            .append(" at ")
            .append(Text.clean(t.site().liveUrl()))
            .append(" for ")
            .append(Guard.spoken(s.window()))
            .append(": a round of checks every ")
            .append(Guard.spoken(s.interval()))
            .append("; ")
            .append(s.failureLimit())
            .append(s.failureLimit() == 1 ? " failure" : " failures in a row")
            .append(" of one check roll it back to ")
            .append(
                t.previous() == null
                    ? "the last known-good deploy"
                    : label(t.previousVersion(), t.previous().id()))
            .append('.');
    for (String check : checks) {
      b.append("\n   · ").append(Text.clean(check));
    }
    return b.toString();
  }

  /** One round: {@code [00:20] round 3: ✓ content · ✗ health /healthz (answered 500; 2 of 3)}. */
  static String round(Guard.Round r, int limit, Style style) {
    long s = r.elapsed().toSeconds();
    StringBuilder b =
        new StringBuilder(String.format("[%02d:%02d] round %d:", s / 60, s % 60, r.number()));
    String sep = " ";
    for (Guard.CheckState c : r.checks()) {
      b.append(sep);
      sep = " · ";
      if (c.ok()) {
        b.append(style.green("✓")).append(' ').append(Text.clean(c.name()));
      } else {
        b.append(style.red("✗"))
            .append(' ')
            .append(Text.clean(c.name()))
            .append(" (")
            .append(Text.clean(c.detail()))
            .append("; ")
            .append(c.failures())
            .append(" of ")
            .append(limit)
            .append(')');
      }
    }
    return b.toString();
  }

  static String unhealthy(Guard.Target t, String reason) {
    return "❌ "
        + deploy(t)
        + " is unhealthy: "
        + Text.clean(reason.substring("guard: ".length()))
        + "\n🔄 Rolling back to "
        + (t.previous() == null
            ? "the last known-good deploy"
            : label(t.previousVersion(), t.previous().id()) + ", the deploy live before it")
        + ", without a prompt (reason: "
        + Text.clean(reason)
        + ")...";
  }

  /** The final verdict. */
  static String verdict(Guard.Result r) {
    String summary = Text.clean(r.summary());
    return switch (r.outcome()) {
      case HEALTHY -> "✓ Guard passed: " + summary;
      case ROLLED_BACK ->
          "🛡️ Rolled back by the guard: "
              + summary
              + "\nReason: "
              + Text.clean(r.reason())
              + "\n💡 "
              + deploy(r.target())
              + " is marked bad. Fix it and deploy again"
              + (Boolean.TRUE.equals(r.rollback().record().lockAfter())
                  ? "; auto publishing stays locked until you publish on purpose (devops rollback <deploy id>)."
                  : ".");
      case SITE_CHANGED -> "⚠️ Guard stopped: " + summary;
      case NOT_ROLLED_BACK ->
          "❌ "
              + summary
              + "\n💡 Look with 'devops deployments list', then roll back by hand: devops rollback";
      default -> "❌ " + summary;
    };
  }

  /** A guard whose process died before it ended, and what to do now. */
  static String orphaned(GuardMarkers.Marker m, List<RollbackRecord> unfinished) {
    String deploy = label(m.version(), m.deployId());
    String started = Text.time(m.startedAt());
    if (!GuardMarkers.UNHEALTHY.equals(m.verdict())) {
      return "⚠️ The guard of "
          + Text.clean(deploy)
          + " (started "
          + started
          + ") stopped before its verdict: its process ended. Nothing was changed and "
          + Text.clean(deploy)
          + " was never judged. To watch the live deploy again: devops guard";
    }
    RollbackRecord rollback =
        unfinished.stream()
            .filter(r -> RollbackRecord.GUARD.equals(r.trigger()))
            .filter(r -> r.from() != null && m.deployId().equals(r.from().id()))
            .reduce((a, b) -> b)
            .orElse(null);
    String head =
        "⚠️ The guard of "
            + Text.clean(deploy)
            + " (started "
            + started
            + ") found it unhealthy ("
            + Text.clean(m.reason())
            + ") but its process ended during the rollback. ";
    return rollback == null
        ? head
            + "No rollback of it is left unfinished. To judge the live deploy again (and roll it"
            + " back if it still fails): devops guard"
        : head
            + "To put the site back where it was before rollback "
            + rollback.id()
            + ": devops emergency-recover --rollback-id "
            + rollback.id()
            + "; then judge the live deploy again: devops guard";
  }

  /** Ctrl-C or SIGTERM stopped the guard. */
  static String interrupted(Guard.Target t, boolean judged) {
    return judged
        ? "🛑 Interrupted during the guard's rollback of " + deploy(t) + "."
        : "🛑 Interrupted: the guard stopped before its verdict. Nothing was changed; "
            + deploy(t)
            + " stays live, not judged. To watch it again: devops guard";
  }

  /** {@code deploy --guard} of a deploy that did not go live. */
  static String skipped() {
    return "🛡️ Guard skipped: the deploy is not live (auto publishing is locked).";
  }
}
