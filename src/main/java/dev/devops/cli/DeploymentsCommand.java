package dev.devops.cli;

import dev.devops.engine.DeployEntry;
import dev.devops.engine.DeployHistory;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code devops deployments}: the site's deploy history. */
@Command(
    name = "deployments",
    description = "List the site's deploys and the rollback targets.",
    mixinStandardHelpOptions = true,
    subcommands = {DeploymentsList.class, DeploymentsValidate.class})
public final class DeploymentsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing subcommand: try 'devops deployments list'.");
  }
}

/** {@code devops deployments list}: the spec's "Recent Deployments" view. */
@Command(
    name = "list",
    description = "Show the live deploy and the deploys you can roll back to.",
    mixinStandardHelpOptions = true)
final class DeploymentsList extends ProjectCommand {
  static final int MAX_LIMIT = 100;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "5",
      description =
          "How many rollback targets to show (1-" + MAX_LIMIT + "; default ${DEFAULT-VALUE}).")
  int limit;

  @Option(names = "--all", description = "Page through the whole production history (bounded).")
  boolean all;

  @Mixin JsonOption jsonOption;

  @Override
  protected int execute() throws Exception {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ParameterException(
          spec.commandLine(),
          "--limit must be between 1 and " + MAX_LIMIT + ", not " + limit + ".");
    }
    HistoryPage page = all ? historyAll() : history(limit);
    DeployHistory history = page.history();
    List<DeployEntry> targets = history.targets();
    boolean hasMore = page.hasMore();
    if (!all && targets.size() > limit) {
      targets = targets.subList(0, limit);
      hasMore = true;
    }
    Instant now = history.now();
    if (json()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("site", DeployView.SiteView.of(history.site()));
      body.put("current", history.current().map(e -> DeployView.of(e, now)).orElse(null));
      body.put("targets", targets.stream().map(e -> DeployView.of(e, now)).toList());
      body.put("has_more", hasMore);
      printJson(body);
    } else {
      render(out(), history, targets, hasMore, limit);
    }
    return ExitCode.OK.code();
  }

  /** The spec's "📋 Recent Deployments" block. */
  static void render(
      PrintWriter out,
      DeployHistory history,
      List<DeployEntry> targets,
      boolean hasMore,
      int limit) {
    Instant now = history.now();
    out.println("📋 Recent Deployments");
    out.println();
    if (history.current().isPresent()) {
      DeployEntry current = history.current().get();
      String mark = current.status() == dev.devops.engine.DeployStatus.HEALTHY ? "✓" : "✗";
      out.println(
          "Current: " + mark + " " + current.version() + deployed(current, now) + " - ACTIVE");
      out.println("ID: " + current.id());
      out.println("Status: " + current.status().label());
      out.println("URL: " + history.site().liveUrl());
    } else {
      out.println("Current: none (the site has no published deploy)");
    }
    out.println();
    if (targets.isEmpty()) {
      out.println("❌ No previous deployments found");
      out.println("💡 Nothing to rollback to");
      out.flush();
      return;
    }
    out.println("Available rollback targets:");
    int n = 1;
    for (DeployEntry target : targets) {
      out.println(n++ + ". " + target.version() + deployed(target, now));
      out.println("ID: " + target.id());
      out.println("Status: " + target.status().label());
      out.println(
          "Duration: "
              + (target.liveFor() == null
                  ? "never published"
                  : dev.devops.util.Durations.span(target.liveFor()) + " active"));
      out.println();
    }
    if (hasMore) {
      out.println(
          "More deploys: devops deployments list --limit "
              + Math.min(MAX_LIMIT, limit * 2)
              + " (or --all)");
      out.println();
    }
    out.println("💡 Select a version to rollback to");
    out.flush();
  }

  private static String deployed(DeployEntry e, Instant now) {
    String age = DeployView.age(e.deploy(), now);
    return age == null ? "" : " (deployed " + age + ")";
  }
}

/** {@code devops deployments validate}: step 4 of a rollback on its own. */
@Command(
    name = "validate",
    description =
        "Check that a deploy can be rolled back to: exists, ready, restorable, no breaking change.",
    mixinStandardHelpOptions = true)
final class DeploymentsValidate extends ProjectCommand {
  @Option(
      names = "--id",
      required = true,
      paramLabel = "ID",
      description = "The deploy (id or version label).")
  String id;

  @Option(
      names = "--accept-breaking",
      description = "Report function, redirect, header and framework changes as accepted.")
  boolean acceptBreaking;

  @Mixin JsonOption jsonOption;

  @Override
  protected int execute() throws Exception {
    DeployHistory history = history(20).history();
    String targetId = dev.devops.engine.RollbackPlanner.chooseTarget(history, id).targetId();
    var v =
        new dev.devops.engine.RollbackPlanner(client(), records())
            .validate(history, targetId, acceptBreaking);
    if (json()) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("ok", v.ok());
      body.put("target", EngineCommand.view(history, v.target(), v.targetVersion()));
      body.put("target_id", v.targetId());
      body.put("current_id", v.current() == null ? null : v.current().id());
      body.put("findings", v.findings());
      body.put("reason", v.reason());
      printJson(body);
      return (v.ok() ? ExitCode.OK : ExitCode.INVALID_TARGET).code();
    }
    if (!v.ok()) {
      say(RollbackView.cannotRollback(v.targetVersion(), v.reason()));
      return ExitCode.INVALID_TARGET.code();
    }
    say("✓ " + RollbackView.label(v.targetVersion(), v.targetId()) + " can be rolled back to");
    for (var f : v.findings()) {
      say("⚠️ " + f.message());
    }
    return ExitCode.OK.code();
  }
}
