package dev.devops.cli;

import dev.devops.engine.DeployComparison;
import dev.devops.engine.Finding;
import dev.devops.engine.RollbackFailure;
import dev.devops.engine.RollbackPlanner;
import dev.devops.engine.RollbackPlanner.Impact;
import dev.devops.engine.RollbackRecord;
import dev.devops.engine.SharedRecord;
import dev.devops.engine.StepEvent;
import dev.devops.engine.VerificationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The rollback's human message blocks, worded as in the spec, from what the engine computed. */
final class RollbackView {
  /** Paths shown per kind of change before "and N more". */
  static final int PATHS_SHOWN = 5;

  /** Rollback targets the history block shows. */
  static final int HISTORY_SHOWN = 5;

  private RollbackView() {}

  static String label(String version, String id) {
    return version == null || version.equals(id)
        ? String.valueOf(Text.clean(id))
        : Text.clean(version) + " (" + Text.clean(id) + ")";
  }

  static String cannotRollback(String target, String reason) {
    return "❌ Cannot rollback to "
        + Text.clean(target)
        + "\n\nReason: "
        + Text.clean(reason)
        + "\n\n💡 Try a different version or contact support";
  }

  static String noTarget(List<RollbackPlanner.Skipped> skipped) {
    StringBuilder b = new StringBuilder("❌ No previous deployments found\n");
    for (RollbackPlanner.Skipped s : skipped) {
      b.append("   skipped ")
          .append(label(s.version(), s.id()))
          .append(": ")
          .append(Text.clean(s.reason()))
          .append('\n');
    }
    b.append("💡 Nothing to rollback to");
    List<String> marked =
        skipped.stream()
            .filter(s -> s.reason().startsWith("marked bad"))
            .map(s -> label(s.version(), s.id()))
            .toList();
    if (!marked.isEmpty()) {
      b.append("\n💡 Marked bad: ")
          .append(String.join(", ", marked))
          .append(". If one is good after all: devops deployments mark ID --good");
    }
    return b.toString();
  }

  static String target(RollbackPlanner.TargetChoice choice, String version, boolean requested) {
    StringBuilder b = new StringBuilder();
    for (RollbackPlanner.Skipped s : choice.skipped()) {
      b.append("⏭  Skipped ")
          .append(label(s.version(), s.id()))
          .append(": ")
          .append(Text.clean(s.reason()))
          .append('\n');
    }
    b.append("🎯 Target: ")
        .append(label(version, choice.targetId()))
        .append(requested ? "" : " (last known-good deploy)");
    return b.toString();
  }

  static String impact(Impact impact, Instant now) {
    StringBuilder b = new StringBuilder("⚠️ Rollback Impact Analysis\n\n");
    boolean forward = "forward".equals(impact.direction());
    b.append(forward ? "Rolling forward from " : "Rolling back from ")
        .append(Text.clean(impact.from().version()))
        .append(" to ")
        .append(Text.clean(impact.to().version()))
        .append("\n\n");
    b.append(forward ? "Changes that will be applied:\n" : "Changes that will be reverted:\n");
    if (impact.deploys().isEmpty()) {
      b.append("- none recorded between the two deploys\n");
    }
    for (Impact.DeployChange d : impact.deploys()) {
      b.append("- ")
          .append(Text.clean(d.title() == null || d.title().isBlank() ? d.version() : d.title()));
      List<String> facts = new ArrayList<>();
      if (d.commitRef() != null) {
        String ref = d.commitRef();
        facts.add("commit " + Text.clean(ref.length() > 7 ? ref.substring(0, 7) : ref));
      }
      if (d.branch() != null) {
        facts.add(Text.clean(d.branch()));
      }
      Instant when = d.createdAt() != null ? d.createdAt() : d.publishedAt();
      if (when != null) {
        facts.add(dev.devops.util.Durations.ago(Duration.between(when, now)));
      }
      facts.add(Text.clean(d.id()));
      b.append(" (").append(String.join(", ", facts)).append(")\n");
    }
    DeployComparison c = impact.comparison();
    b.append("\nFiles:\n");
    DeployComparison.Changes f = c.files();
    if (!c.filesListed()) {
      b.append(
          "- unknown: Netlify lists only the published deploy's files, and no local record has"
              + " the other's\n");
      if (c.served() != null) {
        c.served()
            .forEach(
                (path, what) ->
                    b.append("- ")
                        .append(path)
                        .append(" as served: ")
                        .append(
                            switch (what) {
                              case "changed" -> "differs between the two deploys";
                              case "same" -> "the same bytes in both deploys";
                              default -> "could not be compared";
                            })
                        .append('\n'));
      }
    } else if (f.isEmpty()) {
      b.append("- no file changes\n");
    } else {
      b.append("- ")
          .append(f.modified().size())
          .append(" modified, ")
          .append(f.added().size())
          .append(" added, ")
          .append(f.removed().size())
          .append(" removed\n");
      paths(b, "~", f.modified());
      paths(b, "+", f.added());
      paths(b, "-", f.removed());
    }
    b.append("\nFunctions:\n");
    DeployComparison.Changes fn = c.functions();
    if (fn.isEmpty()) {
      b.append("- no function changes\n");
    } else {
      names(b, "added", fn.added());
      names(b, "removed", fn.removed());
      names(b, "changed", fn.modified());
      b.append("- function code rolls back with the deploy\n");
    }
    b.append("\nRedirects and headers:\n");
    if (c.configFiles() == null) {
      ruleCounts(b, c);
    } else if (c.configFiles().isEmpty()) {
      b.append("- unchanged\n");
    } else {
      for (String path : c.configFiles()) {
        b.append("- ").append(Text.clean(path)).append(" changes\n");
      }
    }
    if (c.frameworkChanged()) {
      b.append("\nFramework: ")
          .append(Text.clean(c.frameworkFrom()))
          .append(" → ")
          .append(Text.clean(c.frameworkTo()))
          .append('\n');
    }
    b.append("\nConfiguration changes:\n");
    if (c.envChanged() == null) {
      b.append("⚠️ ")
          .append(c.envNote() == null ? "Env vars not checked." : Text.clean(c.envNote()))
          .append('\n');
    } else if (c.envChanged().isEmpty()) {
      b.append("- env vars unchanged since ")
          .append(Text.clean(impact.to().version()))
          .append(" was live\n");
    } else {
      b.append("⚠️ Env vars changed since ")
          .append(Text.clean(impact.to().version()))
          .append(" was live: ")
          .append(Text.clean(String.join(", ", c.envChanged())))
          .append('\n');
    }
    b.append("- env vars are NOT rolled back (managed separately)\n");
    for (Finding finding : impact.findings()) {
      if (finding.code().equals("retention") || Finding.ACCEPTED.equals(finding.severity())) {
        b.append(Finding.ACCEPTED.equals(finding.severity()) ? "⚠️ Accepted: " : "⚠️ ")
            .append(Text.clean(finding.message()))
            .append('\n');
      }
    }
    b.append("\nAuto publishing:\n- now: ")
        .append(impact.lockedNow() ? "locked (stopped)" : "on")
        .append('\n');
    b.append("- ").append(Text.clean(impact.nextGitDeploy())).append('\n');
    b.append("\nEstimated downtime: ").append(Text.clean(impact.downtime()));
    return b.toString();
  }

  /** Up to {@link #PATHS_SHOWN} paths, then "… and N more" (never "and 1 more": that one fits). */
  /**
   * Without both rule files: the rule counts from Netlify's deploy summaries where they differ,
   * else "unknown" (never "unchanged": equal counts can hide changed rules).
   */
  private static void ruleCounts(StringBuilder b, DeployComparison c) {
    List<String> changed = c.rulesChanged();
    for (String kind : changed) {
      DeployComparison.RuleCount count = c.rules().get(kind);
      b.append("- ")
          .append(kind)
          .append(": ")
          .append(count.from())
          .append(" → ")
          .append(count.to())
          .append(" rules (Netlify's deploy summaries)\n");
    }
    if (changed.isEmpty()) {
      b.append("- unknown: Netlify does not list the target's rule files");
      DeployComparison.RuleCount redirects = c.rules() == null ? null : c.rules().get("redirects");
      DeployComparison.RuleCount headers = c.rules() == null ? null : c.rules().get("headers");
      if (redirects != null
          && redirects.to() != null
          && headers != null
          && headers.to() != null
          && redirects.from() != null
          && headers.from() != null) {
        b.append("; both deploys have ")
            .append(redirects.to())
            .append(" redirect and ")
            .append(headers.to())
            .append(" header rule(s)");
      }
      b.append('\n');
    }
  }

  private static void paths(StringBuilder b, String mark, List<String> paths) {
    int shown = paths.size() <= PATHS_SHOWN + 1 ? paths.size() : PATHS_SHOWN;
    for (int i = 0; i < shown; i++) {
      b.append("  ").append(mark).append(' ').append(Text.clean(paths.get(i))).append('\n');
    }
    if (paths.size() > shown) {
      b.append("  … and ").append(paths.size() - shown).append(" more\n");
    }
  }

  private static void names(StringBuilder b, String what, List<String> names) {
    if (!names.isEmpty()) {
      b.append("- ")
          .append(what)
          .append(": ")
          .append(Text.clean(String.join(", ", names)))
          .append('\n');
    }
  }

  static String confirm(Impact impact, boolean lock) {
    StringBuilder b = new StringBuilder("⚠️ Confirm Rollback\n\nYou are about to rollback:\n");
    b.append("FROM: ")
        .append(label(impact.from().version(), impact.from().id()))
        .append(" (current)\n");
    b.append("TO: ")
        .append(label(impact.to().version(), impact.to().id()))
        .append("\n\nThis will:\n");
    DeployComparison c = impact.comparison();
    b.append("- Publish ")
        .append(Text.clean(impact.to().version()))
        .append(": ")
        .append(c.filesListed() ? c.files().total() + " file change(s)" : "file changes unknown")
        .append(c.functions().isEmpty() ? "" : ", functions roll back too")
        .append('\n');
    b.append(
        lock
            ? "- Lock auto publishing on " + Text.clean(impact.to().version()) + "\n"
            : "- Leave auto publishing on (the next git deploy replaces the rollback)\n");
    b.append("- Not change env vars (they are not rolled back)\n");
    b.append("- Cause no downtime (atomic swap)\n\n");
    b.append("Type 'ROLLBACK' to confirm:");
    return b.toString();
  }

  static String backupCreated(String dir) {
    return "✓ Backup created: " + Text.clean(dir);
  }

  /** "Backup created", with what it holds and what it lacks. */
  static String backupCreated(String dir, dev.devops.engine.BackupStore.Backup backup) {
    var m = backup.manifest();
    String holds =
        m.filesSource() == null
            ? "metadata only"
            : m.files().size()
                + " files, "
                + Text.bytes(m.stats() == null ? 0 : m.stats().totalBytes())
                + (m.isComplete()
                    ? ", every byte stored"
                    : "; the bytes of " + Math.max(0, missingCount(m)) + " follow the switch");
    String text = backupCreated(dir) + " (" + holds + ")";
    String note = m.filesNote();
    return note == null ? text : text + "\n⚠️ " + Text.clean(note);
  }

  private static int missingCount(dev.devops.engine.BackupManifest m) {
    int reused = m.stats() == null ? 0 : m.stats().reusedBlobs() + m.stats().newBlobs();
    long distinct = m.files().stream().map(f -> f.sha()).distinct().count();
    return (int) (distinct - reused);
  }

  /** The backup line of a result: where it is, and whether every byte is stored. */
  static String backupLine(RollbackRecord r) {
    if (r.backup() == null) {
      return "none";
    }
    if (Boolean.FALSE.equals(r.backupComplete())) {
      return Text.clean(r.backup())
          + " (incomplete: finish it with devops backup create --resume "
          + Text.clean(r.backup())
          + ")";
    }
    return Text.clean(r.backup());
  }

  /** The verdict of {@code deployments validate}. */
  static String validation(RollbackPlanner.Validation v) {
    if (!v.ok()) {
      return cannotRollback(v.targetVersion(), v.reason());
    }
    StringBuilder b =
        new StringBuilder("✓ " + label(v.targetVersion(), v.targetId()) + " can be rolled back to");
    for (Finding f : v.findings()) {
      b.append("\n⚠️ ").append(Text.clean(f.message()));
    }
    return b.toString();
  }

  /** An earlier rollback of this site that never recorded its end (its process died). */
  static String unfinished(RollbackRecord r) {
    return "⚠️ Rollback "
        + Text.clean(r.id())
        + " ("
        + label(r.from().version(), r.from().id())
        + " → "
        + label(r.to().version(), r.to().id())
        + ") never finished. To put the site back where it was before it: devops"
        + " emergency-recover --rollback-id "
        + Text.clean(r.id());
  }

  /** Ctrl-C or SIGTERM stopped a rollback mid-switch. */
  static String interrupted(RollbackRecord r) {
    return "🛑 Interrupted: rollback "
        + Text.clean(r.id())
        + " stopped; the site's "
        + Text.clean(r.siteState().summary())
        + ". To put it back as before: devops emergency-recover --rollback-id "
        + Text.clean(r.id());
  }

  /** {@code devops rollback history}. */
  static String history(List<SharedRecord.Logged> newestFirst) {
    if (newestFirst.isEmpty()) {
      return "No rollbacks recorded yet.";
    }
    StringBuilder b = new StringBuilder("🕘 Rollback History\n");
    for (SharedRecord.Logged logged : newestFirst) {
      RollbackRecord r = logged.record();
      b.append('\n')
          .append(Text.clean(r.id()))
          .append("  ")
          .append(Text.clean(r.outcome().toUpperCase(java.util.Locale.ROOT).replace('_', ' ')))
          .append('\n');
      b.append("From: ")
          .append(label(r.from().version(), r.from().id()))
          .append("  To: ")
          .append(label(r.to().version(), r.to().id()))
          .append('\n');
      b.append("When: ")
          .append(Text.time(r.startedAt()))
          .append("  By: ")
          .append(Text.clean(r.who()))
          .append(
              SharedRecord.Logged.SHARED.equals(logged.source())
                  ? (logged.host() == null ? "" : " on " + Text.clean(logged.host()))
                      + " (from the site's shared record)"
                  : "")
          .append('\n');
      b.append("Reason: ")
          .append(r.reason() == null ? "(none given)" : Text.clean(r.reason()))
          .append('\n');
      if (r.backup() != null) {
        b.append("Backup: ").append(Text.clean(r.backup())).append('\n');
      }
      if (r.steps() != null && !r.steps().isEmpty()) {
        List<String> steps = new ArrayList<>();
        for (var st : r.steps()) {
          steps.add(
              Text.clean(st.name())
                  + (st.outcome().equals("done")
                      ? ""
                      : " " + Text.clean(st.outcome().toUpperCase(java.util.Locale.ROOT)))
                  + " "
                  + st.durationMs()
                  + "ms");
        }
        b.append("Steps: ").append(String.join(" · ", steps)).append('\n');
      }
      if (r.siteState() != null) {
        b.append("Site: ").append(Text.clean(r.siteState().summary())).append('\n');
      }
      if (r.error() != null) {
        b.append("Error: ")
            .append(Text.clean(r.error()))
            .append(r.failedStep() == null ? "" : " (step " + Text.clean(r.failedStep()) + ")")
            .append('\n');
      }
    }
    return b.toString().stripTrailing();
  }

  /** One "[mm:ss] message" line; null when the event carries nothing to show. */
  static String progress(StepEvent e) {
    if (e.message() == null) {
      return null;
    }
    long s = e.elapsedMs() / 1000;
    String time = String.format("[%02d:%02d] ", s / 60, s % 60);
    return switch (e.status()) {
      case FAILED -> time + "Failed: " + Text.clean(e.message());
      default -> time + Text.clean(e.message());
    };
  }

  static String success(RollbackRecord r, String url, String nextTarget) {
    StringBuilder b = new StringBuilder("✓ Rollback successful!\n\nCurrent deployment:\n");
    b.append("Version: ").append(Text.clean(r.to().version())).append('\n');
    b.append("Status: Healthy (verified)\n");
    b.append("URL: ").append(Text.clean(url)).append("\n\nVerification:\n");
    verification(b, r.verification());
    b.append("\nPrevious deployment (").append(Text.clean(r.from().version())).append("):\n");
    b.append("Status: Rolled back (marked bad; still restorable)\n");
    b.append("Backup: ").append(backupLine(r)).append("\n\n");
    b.append("Auto publishing: ")
        .append(
            Boolean.TRUE.equals(r.lockAfter())
                ? "locked on "
                    + Text.clean(r.to().version())
                    + " (the next git deploy will not go live until you unlock it)"
                : "on (the next git deploy to production replaces this rollback)")
        .append("\n");
    b.append("Env vars: not rolled back (unchanged by this rollback)\n\n");
    b.append("💡 Monitor: devops status\n💡 View logs: devops logs\n");
    if (nextTarget != null) {
      b.append("💡 If issues persist, rollback further: devops rollback ")
          .append(Text.clean(nextTarget))
          .append('\n');
    }
    b.append("📝 Rollback ID: ").append(Text.clean(r.id()));
    return b.toString();
  }

  static String unverified(RollbackRecord r) {
    StringBuilder b = new StringBuilder("⚠️ Rollback switched, but not verified\n\n");
    b.append("The API reports ")
        .append(label(r.to().version(), r.to().id()))
        .append(" as published, but the checks did not confirm it:\n");
    verification(b, r.verification());
    b.append("\nBackup: ").append(backupLine(r)).append('\n');
    b.append("💡 Check the site by hand; to undo: devops emergency-recover --rollback-id ")
        .append(Text.clean(r.id()))
        .append('\n');
    b.append("📝 Rollback ID: ").append(Text.clean(r.id()));
    return b.toString();
  }

  /**
   * The rollback ended (its block says how) but {@code .devops} could not record it: nothing to
   * recover, only the record to set right.
   */
  static String recordNotWritten(RollbackRecord r, String error) {
    return "⚠️ The rollback ended "
        + Text.clean(r.outcome())
        + ", but its record could not be written: "
        + Text.clean(error)
        + "\n   The site is as shown above: nothing needs recovering. Free the space (or fix"
        + " .devops), then check with: devops status\n"
        + "   .devops/rollback-history.json may still call rollback "
        + Text.clean(r.id())
        + " in progress: do not emergency-recover it unless you want to undo it.";
  }

  /**
   * The site moved on while the rollback ran: what went live, what serves now, what was not done.
   */
  static String superseded(RollbackRecord r) {
    String to = label(r.to().version(), r.to().id());
    StringBuilder b =
        new StringBuilder("⚠️ Rollback overtaken: the site moved on while it ran\n\n");
    b.append(to)
        .append(" went live, then another rollback or deploy replaced it")
        .append(r.error() == null ? "" : ": " + Text.clean(r.error()))
        .append('\n');
    if (r.siteState() != null) {
      b.append("Site now: ").append(Text.clean(r.siteState().summary())).append('\n');
    }
    b.append("This rollback did not lock auto publishing and does not undo that later change.\n");
    b.append("\nBackup: ").append(backupLine(r)).append('\n');
    b.append("💡 See what serves: devops status; to publish ")
        .append(to)
        .append(" again: devops rollback ")
        .append(Text.clean(r.to().id()))
        .append('\n');
    b.append("📝 Rollback ID: ").append(Text.clean(r.id()));
    return b.toString();
  }

  static void verification(StringBuilder b, VerificationResult v) {
    if (v == null) {
      b.append("✗ not verified\n");
      return;
    }
    for (VerificationResult.Check c : v.checks()) {
      b.append(c.ok() ? "✓ " : "✗ ")
          .append(Text.clean(checkTitle(c)))
          .append(" (")
          .append(Text.clean(c.detail()))
          .append(")\n");
    }
  }

  private static String checkTitle(VerificationResult.Check c) {
    return switch (c.name()) {
      case "published" -> "Deploy published";
      case "ready" -> "Deploy ready";
      case "responding" -> "Application responding";
      case "content" -> "Served files match the deploy";
      default ->
          c.name().startsWith("health ") ? "Health check " + c.name().substring(7) : c.name();
    };
  }

  static String failed(RollbackFailure f) {
    String id = Text.clean(f.rollbackId());
    return "❌ Rollback failed!\n\nError: "
        + Text.clean(f.error())
        + "\nFailed step: "
        + Text.clean(f.failedStep())
        + "\n\nEmergency recovery:\n1. Backup is safe: "
        + (f.backup() == null ? "none taken" : Text.clean(f.backup()))
        + "\n2. Current state: "
        + Text.clean(f.currentState())
        + "\n3. Recovering automatically now (devops emergency-recover --rollback-id "
        + id
        + ")"
        + "\n\n💡 If recovery fails, run it again: devops emergency-recover --rollback-id "
        + id
        + "\n📝 Rollback ID: "
        + id;
  }

  static String recovery(RollbackRecord r) {
    RollbackRecord.Recovery last =
        r.recoveries() == null || r.recoveries().isEmpty()
            ? null
            : r.recoveries().get(r.recoveries().size() - 1);
    String state = r.siteState() == null ? "unknown" : Text.clean(r.siteState().summary());
    String message = last == null ? "" : Text.clean(last.message());
    String id = Text.clean(r.id());
    if (RollbackRecord.RECOVERED.equals(r.outcome())) {
      return "✓ Recovered: " + message + "\nCurrent state: " + state + "\n📝 Rollback ID: " + id;
    }
    return "❌ Recovery failed: "
        + message
        + "\nCurrent state: "
        + state
        + "\n💡 Manual intervention required: run devops emergency-recover --rollback-id "
        + id
        + " (safe to repeat), then check with devops status"
        + "\n📝 Rollback ID: "
        + id;
  }
}
