package dev.devops.cli;

import static dev.devops.cli.CommandGroup.sub;
import static dev.devops.cli.Model.flag;
import static dev.devops.cli.Model.option;
import static dev.devops.cli.Model.parameter;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.devops.engine.DeployEntry;
import dev.devops.engine.DeployHistory;
import dev.devops.engine.Finding;
import dev.devops.engine.MarkAction;
import dev.devops.engine.RollbackPlanner;
import dev.devops.engine.SiteHistory;
import dev.devops.netlify.Deploy;
import dev.devops.util.JrJson;
import java.util.List;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code devops deployments}: the site's deploy history. */
public final class DeploymentsCommand extends GroupCommand {
  @Override
  public void describe(CommandSpec spec) {
    Model.description(spec, "List the site's deploys and the rollback targets.");
  }

  @Override
  public List<Sub> subcommands() {
    return List.of(
        sub("list", DeploymentsList.class),
        sub("validate", DeploymentsValidate.class),
        sub("mark", DeploymentsMark.class));
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing subcommand: try 'devops deployments list'.");
  }
}

/** {@code devops deployments list}: the spec's "Recent Deployments" view. */
final class DeploymentsList extends EngineCommand implements JsonOutput {
  static final int MAX_LIMIT = 100;

  int limit;
  boolean all;

  @Override
  public void describe(CommandSpec spec) {
    Model.description(spec, "Show the live deploy and the deploys you can roll back to.");
    spec.addOption(
        option(int.class, limit, v -> limit = v, "--limit")
            .paramLabel("N")
            .defaultValue("5")
            .description(
                "How many rollback targets to show (1-"
                    + MAX_LIMIT
                    + "; default ${DEFAULT-VALUE}).")
            .build());
    spec.addOption(
        flag(v -> all = v, "--all")
            .description("Page through the whole production history (bounded).")
            .build());
  }

  /** What the list shows: the history, the targets on screen, and whether more exist. */
  record Shown(DeployHistory history, List<DeployEntry> targets, boolean hasMore, int limit) {
    static Shown of(SiteHistory.Page page, int limit, boolean all) {
      List<DeployEntry> targets = page.history().targets();
      if (!all && targets.size() > limit) {
        return new Shown(page.history(), targets.subList(0, limit), true, limit);
      }
      return new Shown(page.history(), targets, page.hasMore(), limit);
    }
  }

  /** The JSON result (docs/json/deployments-list.md). */
  record Report(
      DeployJson.SiteJson site,
      DeployJson current,
      List<DeployJson> targets,
      @JsonProperty("has_more") boolean hasMore)
      implements JrJson.Output {
    static Report of(Shown shown) {
      DeployHistory h = shown.history();
      return new Report(
          DeployJson.SiteJson.of(h.site()),
          h.current().map(e -> DeployJson.of(e, h.now())).orElse(null),
          shown.targets().stream().map(e -> DeployJson.of(e, h.now())).toList(),
          shown.hasMore());
    }
  }

  @Override
  protected int execute() throws Exception {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new CliException(
          ExitCode.USAGE, "--limit must be between 1 and " + MAX_LIMIT + ", not " + limit + ".");
    }
    SiteHistory reader = engine().history();
    Shown shown = Shown.of(all ? reader.all() : reader.recent(limit), limit, all);
    if (json()) {
      printJson(Report.of(shown));
    } else {
      report(DeploymentsView.list(shown.history(), shown.targets(), shown.hasMore(), limit));
    }
    return ExitCode.OK.code();
  }
}

/** {@code devops deployments validate}: step 4 of a rollback on its own. */
final class DeploymentsValidate extends EngineCommand implements JsonOutput {
  String id;
  boolean acceptBreaking;

  @Override
  public void describe(CommandSpec spec) {
    Model.description(
        spec,
        "Check that a deploy can be rolled back to: exists, ready, restorable, no breaking change.");
    spec.addOption(
        option(String.class, id, v -> id = v, "--id")
            .required(true)
            .paramLabel("ID")
            .description("The deploy (id or version label).")
            .build());
    spec.addOption(
        flag(v -> acceptBreaking = v, "--accept-breaking")
            .description("Report function, redirect, header and framework changes as accepted.")
            .build());
  }

  /** The JSON result (docs/json/deployments-validate.md). */
  record Report(
      boolean ok,
      DeployJson target,
      @JsonProperty("target_id") String targetId,
      @JsonProperty("current_id") String currentId,
      List<Finding> findings,
      String reason) {}

  @Override
  protected int execute() throws Exception {
    SiteHistory reader = engine().history();
    DeployHistory history = reader.recent(20).history();
    Deploy target = reader.resolve(history, id);
    RollbackPlanner.Validation v =
        new RollbackPlanner(engine()).validate(history, target.id(), acceptBreaking);
    ExitCode code = ExitCode.of(v);
    if (json()) {
      printJson(
          new Report(
              v.ok(),
              deployJson(history, v.target(), v.targetVersion()),
              v.targetId(),
              v.current() == null ? null : v.current().id(),
              v.findings(),
              v.reason()));
    } else {
      report(RollbackView.validation(v));
    }
    return code.code();
  }
}

/** {@code devops deployments mark ID --bad|--good}: a bad mark the whole team sees. */
final class DeploymentsMark extends EngineCommand implements JsonOutput {
  String id;
  boolean bad;
  String reason;

  @Override
  public void describe(CommandSpec spec) {
    Model.description(
        spec,
        "Mark a deploy bad (rollbacks skip it by default) or good again; shared with the team.");
    spec.addPositional(
        parameter(String.class, v -> id = v)
            .index("0")
            .required(true)
            .paramLabel("ID")
            .description("The deploy (id or version label).")
            .build());
    // Exactly one of --bad and --good.
    spec.addArgGroup(
        ArgGroupSpec.builder()
            .exclusive(true)
            .multiplicity("1")
            .addArg(flag(v -> bad = v, "--bad").required(true).description("Mark it bad.").build())
            .addArg(
                flag(v -> {}, "--good").required(true).description("Clear its bad mark.").build())
            .build());
    spec.addOption(
        option(String.class, reason, v -> reason = v, "--reason")
            .paramLabel("R")
            .description("Why: shown with the mark.")
            .build());
  }

  /** The JSON result (docs/json/deployments-mark.md). */
  record Report(
      String id,
      String version,
      boolean bad,
      String reason,
      String who,
      String host,
      java.time.Instant at,
      boolean shared,
      List<String> warnings) {}

  @Override
  protected int execute() throws Exception {
    MarkAction.Result r = new MarkAction(engine()).run(id, bad, reason);
    if (json()) {
      printJson(
          new Report(
              r.deploy().id(),
              r.version(),
              r.bad(),
              r.reason(),
              r.who(),
              r.host(),
              r.at(),
              r.shared(),
              engine().shared().warnings()));
    } else {
      report(text(r));
    }
    return ExitCode.OK.code();
  }

  static String text(MarkAction.Result r) {
    String label = RollbackView.label(r.version(), r.deploy().id());
    StringBuilder b = new StringBuilder();
    if (r.bad()) {
      b.append("🚩 Marked ").append(label).append(" bad");
      if (r.reason() != null) {
        b.append(": ").append(Text.clean(r.reason()));
      }
      b.append("\nRollbacks skip it when they choose a target by default.");
    } else {
      b.append("✅ Cleared the mark on ")
          .append(label)
          .append(": it is a rollback candidate again.");
    }
    b.append(
        r.shared()
            ? "\nShared with the team (the site's metadata), by " + Text.clean(r.who()) + "."
            : "\nRecorded on this machine only: the site's shared record is unavailable.");
    return b.toString();
  }
}
