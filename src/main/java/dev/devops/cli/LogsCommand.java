package dev.devops.cli;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.LogLine;
import dev.devops.netlify.Site;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code devops logs}: the deploy log of a deploy (default: the published one). */
@Command(
    name = "logs",
    description = "Show the deploy log of a deploy (default: the published one).",
    mixinStandardHelpOptions = true)
public final class LogsCommand extends ProjectCommand {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);

  @Option(
      names = "--deployment",
      paramLabel = "ID",
      description = "The deploy (default: the published one).")
  String deployment;

  @Mixin JsonOption jsonOption;

  @Override
  protected int execute() throws Exception {
    String siteId = config().siteId();
    String deployId = deployment;
    Deploy deploy;
    List<LogLine> lines;
    if (deployId == null) {
      Site site = client().getSite(siteId);
      if (site.publishedDeploy() == null) {
        throw new CliException(
            ExitCode.NOT_FOUND,
            "Site " + site.name() + " has no published deploy: pass --deployment ID.");
      }
      deploy = site.publishedDeploy();
      lines = client().getDeployLog(deploy.id());
    } else {
      // Checking the deploy belongs to this site and reading its log go side by side.
      String id = deployId;
      CompletableFuture<List<LogLine>> log =
          CompletableFuture.supplyAsync(() -> client().getDeployLog(id));
      deploy = client().getSiteDeploy(siteId, id);
      lines = join(log);
    }
    if (json()) {
      List<Map<String, Object>> items =
          lines.stream()
              .map(
                  l -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ts", l.ts());
                    m.put("level", l.level());
                    m.put("section", l.section());
                    m.put("message", l.message());
                    return m;
                  })
              .toList();
      printJson(items);
      return ExitCode.OK.code();
    }
    String version = dev.devops.engine.DeployHistory.versionLabel(deploy, records());
    say(
        "📜 Deploy log of "
            + version
            + (version.equals(deploy.id()) ? "" : " (" + deploy.id() + ")")
            + ", state "
            + deploy.state());
    PrintWriter out = out();
    for (LogLine line : lines) {
      out.println(render(line));
    }
    if (lines.isEmpty()) {
      say("(the log is empty)");
    }
    out.flush();
    return ExitCode.OK.code();
  }

  /** "2026-01-15 10:04:05 [deploying] message", errors marked. */
  static String render(LogLine line) {
    StringBuilder b = new StringBuilder(time(line.ts()));
    b.append("  ");
    if (line.section() != null && !line.section().isBlank()) {
      b.append('[').append(line.section()).append("] ");
    }
    if ("error".equalsIgnoreCase(line.level())) {
      b.append("❌ ");
    } else if ("warn".equalsIgnoreCase(line.level()) || "warning".equalsIgnoreCase(line.level())) {
      b.append("⚠️ ");
    }
    // One line per entry, and no terminal control sequences from a build's output.
    String message = line.message() == null ? "" : line.message();
    b.append(
        message
            .replaceAll("\u001b\\[[0-9;?]*[A-Za-z]", "")
            .replaceAll("[\\p{Cntrl}&&[^\t]]+", " ")
            .strip());
    return b.toString();
  }

  private static String time(String ts) {
    if (ts == null) {
      return "                   ";
    }
    try {
      return TIME.format(Instant.parse(ts));
    } catch (DateTimeParseException e) {
      return ts;
    }
  }
}
