package dev.devops.cli;

import static dev.devops.cli.Model.flag;
import static dev.devops.cli.Model.option;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.config.ConfigException;
import dev.devops.config.ConfigStore;
import dev.devops.config.ProjectConfig;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.Site;
import dev.devops.util.Json;
import dev.devops.util.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/** {@code devops init}: links the project in the current directory to a Netlify site. */
public final class InitCommand extends ProjectCommand implements JsonOutput {
  static final String SITE_ID_ENV = "NETLIFY_SITE_ID";

  String site;
  String apiUrl;
  boolean force;

  @Override
  public void describe(CommandSpec spec) {
    Model.description(spec, "Link this project to a Netlify site (writes the project config).");
    spec.addOption(
        option(String.class, site, v -> site = v, "--site")
            .paramLabel("NAME_OR_ID")
            .description(
                "The site's name or id (default: $NETLIFY_SITE_ID, else .netlify/state.json from 'netlify link').")
            .build());
    spec.addOption(
        option(String.class, apiUrl, v -> apiUrl = v, "--api-url")
            .paramLabel("URL")
            .description(
                "API root other than Netlify's, for example the local platform's http://127.0.0.1:PORT.")
            .build());
    spec.addOption(
        flag(v -> force = v, "--force")
            .description("Replace an existing .devops/config.json.")
            .build());
  }

  @Override
  protected int execute() throws Exception {
    Path cwd = ctx().cwd();
    ProjectConfig previous = null;
    if (ConfigStore.exists(cwd)) {
      if (!force) {
        throw new ConfigException(
            ConfigException.Kind.ALREADY_EXISTS,
            ".devops/config.json already exists: pass --force to replace it.");
      }
      previous = previousOrNull(cwd);
    }
    String wanted = siteNameOrId(cwd);
    if (apiUrl != null) {
      try {
        NetlifyClient.parseBaseUrl(apiUrl);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.USAGE, "--api-url: " + e.getMessage());
      }
    }
    NetlifyClient client = newClient(apiUrl, null);
    Site found = client.findSite(wanted);
    ProjectConfig config =
        previous == null
            ? ProjectConfig.netlify(found.id(), found.name(), apiUrl)
            : previous.relinked(found.id(), found.name(), apiUrl);
    ConfigStore.save(cwd, config);
    say(
        style().green("✓")
            + " Linked to Netlify site "
            + Text.clean(found.name())
            + " ("
            + Text.clean(found.id())
            + ")");
    say(
        "  Wrote "
            + ConfigStore.STATE_DIR
            + "/"
            + ConfigStore.FILE_NAME
            + (apiUrl == null ? "" : " (API: " + Text.clean(apiUrl) + ")"));
    if (apiUrl != null && !isNetlifyApi(NetlifyClient.parseBaseUrl(apiUrl))) {
      // The file comes with the repository: its api_url is trusted only when the user names it.
      say(
          "💡 Not Netlify's API: run devops here with "
              + API_URL_ENV
              + "="
              + Text.clean(client.baseUrl())
              + " and NETLIFY_AUTH_TOKEN set.");
    }
    say("💡 Next: devops deployments list");
    if (json()) {
      printJson(ConfigStore.toJson(config));
    }
    return ExitCode.OK.code();
  }

  /** A replaced config keeps its health checks and rollback settings when it can be read. */
  private static ProjectConfig previousOrNull(Path cwd) {
    try {
      return ConfigStore.load(cwd);
    } catch (ConfigException e) {
      return null;
    }
  }

  /**
   * {@code --site}, else {@code NETLIFY_SITE_ID}, else {@code .netlify/state.json} (walking up).
   */
  private String siteNameOrId(Path cwd) {
    if (site != null && !site.isBlank()) {
      return site.trim();
    }
    String fromEnv = ctx().env(SITE_ID_ENV);
    if (fromEnv != null) {
      return fromEnv.trim();
    }
    for (Path dir = cwd.toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path state = dir.resolve(".netlify").resolve("state.json");
      if (Files.isRegularFile(state)) {
        try {
          byte[] bytes =
              SafeFiles.readBounded(state, SafeFiles.SMALL_FILE_BYTES).orElse(new byte[0]);
          JsonNode node = Json.mapper().readTree(bytes);
          String id = node == null ? null : node.path("siteId").asText(null);
          if (id != null && !id.isBlank()) {
            return id;
          }
        } catch (IOException e) {
          throw new ConfigException(
              ConfigException.Kind.INVALID,
              state + " is not a small JSON file: fix it, or pass --site NAME_OR_ID.");
        }
      }
    }
    throw new CliException(
        ExitCode.USAGE,
        "No site given: pass --site NAME_OR_ID, set "
            + SITE_ID_ENV
            + ", or run 'netlify link' first.");
  }
}
