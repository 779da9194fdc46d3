package dev.devops.cli;

import static dev.devops.cli.JsonDocs.assertDocumented;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.testing.Cli;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every {@code --json} output other than the rollback's event streams (RollbackJsonTest) has
 * exactly the fields its docs/json page documents.
 */
class JsonSchemasTest extends RollbackTestBase {
  private static JsonNode json(Cli.Result r) {
    assertThat(r.exitCode()).as(r.all()).isZero();
    return PlatformProject.json(r);
  }

  @Test
  void everyOutputHasItsDocumentedFields() {
    PlatformProject p = newProject("schemas");
    String v1 = p.deploy("v1.0.0", Map.of("index.html", "<h1>one</h1>"));
    p.deploy("v1.1.0", Map.of("index.html", "<h1>two</h1>"));
    platform.setEnv(p.siteId, "API_VERSION", "2"); // a finding: env changed since v1.0.0

    JsonNode list = json(p.cli.run("deployments", "list", "--json"));
    assertDocumented(list, "deployments-list.md", null);
    assertDocumented(list.get("current"), "deployments-list.md", "DEPLOY");

    JsonNode valid = json(p.cli.run("deployments", "validate", "--id", v1, "--json"));
    assertDocumented(valid, "deployments-validate.md", null);
    assertDocumented(valid.get("target"), "deployments-list.md", "DEPLOY");
    assertDocumented(valid.get("findings").get(0), "deployments-validate.md", "FINDING");

    JsonNode logs = json(p.cli.run("logs", "--deployment", v1, "--json"));
    assertDocumented(logs.get(0), "logs.md", null);

    Path dir = p.siteDir("out", Map.of("index.html", "<h1>three</h1>"));
    JsonNode deploy = json(p.cli.run("deploy", "--dir", dir.toString(), "--prod", "--json"));
    assertDocumented(deploy, "deploy.md", null);

    JsonNode backup = // of the live deploy: Netlify lists its files
        json(
            p.cli.run(
                "backup",
                "create",
                "--deployment",
                deploy.get("deploy_id").asText(),
                "--reason",
                "s",
                "--json"));
    assertDocumented(backup, "backup.md", "create: BACKUP");
    JsonNode backups = json(p.cli.run("backup", "list", "--json"));
    assertDocumented(backups, "backup.md", "list");
    JsonNode checked = json(p.cli.run("backup", "verify", "--json"));
    assertDocumented(checked, "backup.md", "verify");
    assertDocumented(checked.get("backups").get(0), "backup.md", "VERIFY");

    JsonNode verified =
        json(p.cli.run("verify-deployment", "--id", deploy.get("deploy_id").asText(), "--json"));
    assertDocumented(verified, "verify-deployment.md", "VERIFICATION");
    assertDocumented(verified.get("checks").get(0), "verify-deployment.md", "CHECK");

    assertThat(p.cli.run("rollback", "--yes", "--reason", "schemas").exitCode()).isZero();
    JsonNode status = json(p.cli.run("status", "--json"));
    assertDocumented(status, "status.md", null);
    assertDocumented(status.get("last_rollback"), "status.md", "LAST_ROLLBACK");

    JsonNode history = json(p.cli.run("rollback", "history", "--json"));
    assertDocumented(history, "rollback-history.md", null);

    JsonNode init =
        json(
            p.cli.run(
                "init", "--site", p.siteName, "--api-url", platform.apiUrl(), "--force", "--json"));
    assertDocumented(init, "init.md", null);

    Cli local = new Cli(dir.resolve("elsewhere")).env("NETLIFY_AUTH_TOKEN", platform.token());
    JsonNode site =
        json(
            local.run(
                "local",
                "sites",
                "create",
                "schemas-local",
                "--api-url",
                platform.apiUrl(),
                "--json"));
    assertDocumented(site, "local-sites.md", "SITE");
    JsonNode sites =
        json(local.run("local", "sites", "list", "--api-url", platform.apiUrl(), "--json"));
    assertDocumented(sites, "local-sites.md", null);
  }
}
