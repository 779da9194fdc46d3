package dev.devops.cli;

import static dev.devops.cli.CommandGroup.sub;
import static dev.devops.cli.Model.option;
import static dev.devops.cli.Model.parameter;

import dev.devops.config.Credentials;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.Site;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code devops local sites}: create and list sites on a running local platform. */
final class LocalSites extends GroupCommand {
  @Override
  public void describe(CommandSpec spec) {
    Model.description(spec, "Create and list sites on a running local platform.");
  }

  @Override
  public List<Sub> subcommands() {
    return List.of(sub("create", LocalSitesCreate.class), sub("list", LocalSitesList.class));
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "Missing subcommand: try 'devops local sites create NAME'.");
  }

  /** Where the local platform is, and its token. */
  static final class Target {
    String apiUrl;
    Path dataDir;

    /** Adds these options to {@code spec}, bound to this object's fields. */
    void addTo(CommandSpec spec) {
      spec.addOption(
          option(String.class, apiUrl, v -> apiUrl = v, "--api-url")
              .paramLabel("URL")
              .description(
                  "The local platform (default: $NETLIFY_API_URL, else http://127.0.0.1:8787).")
              .build());
      spec.addOption(
          option(Path.class, dataDir, v -> dataDir = v, "--data-dir")
              .paramLabel("DIR")
              .description(
                  "The platform's data directory, to read its token from when $NETLIFY_AUTH_TOKEN is unset (default: as 'local serve').")
              .build());
    }

    NetlifyClient client(BaseCommand command) {
      String url = apiUrl != null ? apiUrl : command.ctx().env(ProjectCommand.API_URL_ENV);
      if (url == null) {
        url = "http://127.0.0.1:" + LocalServe.DEFAULT_PORT;
      }
      String token = command.ctx().env("NETLIFY_AUTH_TOKEN");
      if (token == null) {
        Path file =
            (dataDir != null ? dataDir : LocalServe.defaultDataDir(command.ctx())).resolve("token");
        try {
          token = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
          throw new CliException(
              ExitCode.AUTH,
              "No token: set NETLIFY_AUTH_TOKEN to the one 'devops local serve' printed, or pass"
                  + " --data-dir DIR of the running platform.");
        }
      }
      token = Credentials.checked(token.trim(), "The local platform's token");
      try {
        return new NetlifyClient(
            NetlifyClient.Options.defaults(url, token, "devops/" + VersionProvider.version()));
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.USAGE, "--api-url: " + e.getMessage());
      }
    }
  }

  /** A site as these commands print it. */
  record SiteJson(String id, String name, String url) {
    static SiteJson of(Site site) {
      return new SiteJson(site.id(), site.name(), site.liveUrl());
    }
  }
}

/** {@code devops local sites create NAME}. */
final class LocalSitesCreate extends BaseCommand implements JsonOutput {
  String name;
  final LocalSites.Target target = new LocalSites.Target();

  @Override
  public void describe(CommandSpec spec) {
    Model.description(
        spec, "Create a site on the local platform, then link a project to it with 'devops init'.");
    spec.addPositional(
        parameter(String.class, v -> name = v)
            .index("0")
            .required(true)
            .paramLabel("NAME")
            .description("The site's name (a DNS label).")
            .build());
    target.addTo(spec);
  }

  @Override
  protected int execute() {
    if (!name.matches("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")) {
      throw new CliException(
          ExitCode.USAGE,
          "'"
              + Text.clean(name)
              + "' is not a site name: use lower-case letters, digits and '-' (at most 63).");
    }
    Site site = target.client(this).createSite(name);
    if (json()) {
      printJson(LocalSites.SiteJson.of(site));
    } else {
      report(
          "✓ Site "
              + Text.clean(site.name())
              + " created ("
              + Text.clean(site.id())
              + ")\nURL: "
              + Text.clean(site.liveUrl())
              + "\n💡 Next, in your project folder, with NETLIFY_API_URL and NETLIFY_AUTH_TOKEN set:"
              + " devops init --site "
              + Text.clean(site.name())
              + " --api-url "
              + Text.clean(
                  target.apiUrl != null
                      ? target.apiUrl
                      : "http://127.0.0.1:" + LocalServe.DEFAULT_PORT));
    }
    return ExitCode.OK.code();
  }
}

/** {@code devops local sites list}. */
final class LocalSitesList extends BaseCommand implements JsonOutput {
  final LocalSites.Target target = new LocalSites.Target();

  @Override
  public void describe(CommandSpec spec) {
    Model.description(spec, "List the sites of the local platform.");
    target.addTo(spec);
  }

  /** The JSON result. */
  record Report(List<LocalSites.SiteJson> sites) {}

  @Override
  protected int execute() {
    List<LocalSites.SiteJson> sites =
        target.client(this).listSites(null).stream().map(LocalSites.SiteJson::of).toList();
    if (json()) {
      printJson(new Report(sites));
    } else if (sites.isEmpty()) {
      report("No sites yet: devops local sites create NAME");
    } else {
      StringBuilder b = new StringBuilder();
      for (LocalSites.SiteJson s : sites) {
        b.append(Text.clean(s.name()))
            .append("  ")
            .append(Text.clean(s.id()))
            .append("  ")
            .append(Text.clean(s.url()))
            .append('\n');
      }
      report(b.toString().stripTrailing());
    }
    return ExitCode.OK.code();
  }
}
