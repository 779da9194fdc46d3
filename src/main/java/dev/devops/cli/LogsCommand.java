package dev.devops.cli;

import static dev.devops.cli.Model.option;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.LogLine;
import dev.devops.netlify.Site;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;

/** {@code devops logs}: the deploy log of a deploy (default: the published one). */
public final class LogsCommand extends EngineCommand implements JsonOutput {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  String deployment;

  @Override
  public void describe(CommandSpec spec) {
    Model.description(spec, "Show the deploy log of a deploy (default: the published one).");
    spec.addOption(
        option(String.class, deployment, v -> deployment = v, "--deployment")
            .paramLabel("ID")
            .description("The deploy, id or version (default: the published one).")
            .build());
  }

  @Override
  protected int execute() throws Exception {
    Deploy deploy;
    if (deployment == null) {
      Site site = client().getSite(config().siteId());
      if (site.publishedDeploy() == null) {
        throw new CliException(
            ExitCode.NOT_FOUND,
            "Site " + Text.clean(site.name()) + " has no published deploy: pass --deployment ID.");
      }
      deploy = site.publishedDeploy();
    } else {
      deploy = engine().history().resolve(deployment);
    }
    List<LogLine> lines = client().getDeployLog(deploy.id());
    if (json()) {
      printJson(lines);
      return ExitCode.OK.code();
    }
    String version = dev.devops.engine.DeployHistory.versionLabel(deploy, records());
    say(
        "📜 Deploy log of "
            + RollbackView.label(version, deploy.id())
            + ", state "
            + Text.clean(deploy.state()));
    StringBuilder b = new StringBuilder();
    for (LogLine line : lines) {
      b.append(render(line)).append('\n');
    }
    if (lines.isEmpty()) {
      say("(the log is empty)");
    } else {
      out().print(dev.devops.util.Secrets.redact(b.toString()));
      out().flush();
    }
    return ExitCode.OK.code();
  }

  /** "2026-01-15 10:04:05 [deploying] message", errors marked. */
  static String render(LogLine line) {
    StringBuilder b = new StringBuilder(time(line.ts()));
    b.append("  ");
    if (line.section() != null && !line.section().isBlank()) {
      b.append('[').append(Text.clean(line.section())).append("] ");
    }
    if ("error".equalsIgnoreCase(line.level())) {
      b.append("❌ ");
    } else if ("warn".equalsIgnoreCase(line.level()) || "warning".equalsIgnoreCase(line.level())) {
      b.append("⚠️ ");
    }
    // One line per entry, and no terminal control sequences from a build's output.
    String message = line.message() == null ? "" : line.message();
    String plain = message.replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "").replaceAll("[\r\n\t]+", " ");
    b.append(Text.clean(plain.strip()));
    return b.toString();
  }

  private static String time(String ts) {
    if (ts == null) {
      return "                   ";
    }
    try {
      return TIME.format(Instant.parse(ts));
    } catch (DateTimeParseException e) {
      return Text.clean(ts);
    }
  }
}
