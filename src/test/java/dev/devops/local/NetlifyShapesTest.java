package dev.devops.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devops.testing.PlatformFixture;
import dev.devops.testing.PlatformFixture.DeployOptions;
import dev.devops.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Netlify's shapes with the platform's defaults: URLs and links of production, branch and draft
 * deploys, null for what a deploy lacks, ids (or domains) where Netlify wants ids, only the
 * documented endpoints, published_at on restore, and site metadata that survives a restart.
 */
class NetlifyShapesTest {
  @TempDir Path dataDir;
  PlatformFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) {
      fx.close();
      fx = null;
    }
  }

  /** Starts the platform, after stopping the one running (same data directory). */
  private PlatformFixture start(LocalPlatform.Options options) {
    stop();
    fx = PlatformFixture.start(options);
    return fx;
  }

  private JsonNode deploy(String id) {
    return fx.call("GET", "/deploys/" + id, null);
  }

  @Test
  void productionBranchAndDraftDeploysCarryNetlifysUrls() {
    start(LocalPlatform.Options.inTempDir(dataDir));
    String site = fx.createSite("shapes");
    String prod = fx.deploy(site, Map.of("index.html", "prod"), DeployOptions.prod("prod"));
    String branch =
        fx.deploy(
            site,
            Map.of("index.html", "branch"),
            new DeployOptions("b", false, "Feature/Login", null, Map.of(), null));
    String draft = fx.deploy(site, Map.of("index.html", "draft"), DeployOptions.draft("d"));
    String siteUrl = fx.platform().siteUrl("shapes");

    JsonNode p = deploy(prod);
    String permalink = fx.platform().deployUrl(prod, "shapes");
    assertThat(p.get("deploy_url").asText()).isEqualTo(permalink);
    assertThat(p.get("deploy_ssl_url").asText()).isEqualTo(permalink);
    assertThat(p.at("/links/permalink").asText()).isEqualTo(permalink);
    assertThat(p.at("/links/alias").asText()).isEqualTo(siteUrl);
    assertThat(p.at("/links/branch").isNull()).isTrue();
    for (String field : new String[] {"branch", "error_message", "commit_ref", "build_id"}) {
      assertThat(p.get(field).isNull()).as(field).isTrue();
    }

    JsonNode b = deploy(branch);
    String branchUrl = fx.platform().deployUrl("feature-login", "shapes");
    assertThat(b.get("context").asText()).isEqualTo("branch-deploy");
    assertThat(b.get("deploy_ssl_url").asText()).isEqualTo(branchUrl);
    assertThat(b.at("/links/permalink").asText())
        .isEqualTo(fx.platform().deployUrl(branch, "shapes"));
    assertThat(b.at("/links/alias").asText()).isEqualTo(branchUrl);
    assertThat(fx.get(b.at("/links/permalink").asText() + "/")).isEqualTo("branch");

    JsonNode d = deploy(draft);
    assertThat(d.get("deploy_ssl_url").asText())
        .isEqualTo(fx.platform().deployUrl(draft, "shapes"));
    assertThat(d.at("/links/alias").isNull()).isTrue();
    assertThat(d.get("published_at").isNull()).isTrue();

    JsonNode s = fx.call("GET", "/sites/" + site, null);
    assertThat(s.get("custom_domain").isNull()).isTrue();
    assertThat(s.get("deploy_url").asText()).isEqualTo(permalink);
  }

  @Test
  void sitesAreFoundByIdOrDomainNotByBareName() {
    start(LocalPlatform.Options.inTempDir(dataDir));
    String site = fx.createSite("named");
    assertThat(fx.call("GET", "/sites/named.localhost", null).get("id").asText()).isEqualTo(site);
    assertThatThrownBy(() -> fx.call("GET", "/sites/named", null)).hasMessageContaining("404");
    assertThatThrownBy(() -> fx.call("GET", "/sites/named.netlify.app/deploys", null))
        .hasMessageContaining("404");
    // netlify-cli's way to a site by name: listSites(name=...)
    assertThat(fx.call("GET", "/sites?name=named", null).get(0).get("id").asText()).isEqualTo(site);
  }

  @Test
  void perDeployFileEndpointsAreUnknownUnlessAskedFor() throws IOException {
    start(LocalPlatform.Options.inTempDir(dataDir));
    String site = fx.createSite("files");
    String id = fx.deploy(site, Map.of("index.html", "hi"), DeployOptions.prod("one"));
    for (String path : new String[] {"/deploys/" + id + "/files", "/deploys/" + id + "/files/a"}) {
      try (Response r = raw(path)) {
        assertThat(r.code()).as(path).isEqualTo(404);
        assertThat(Json.mapper().readTree(r.body().string()).get("message").asText())
            .isEqualTo("Not Found");
      }
    }
    assertThat(fx.call("GET", "/sites/" + site + "/files", null).get(0).get("path").asText())
        .isEqualTo("/index.html");

    start(LocalPlatform.Options.inTempDir(dataDir).undocumentedEndpoints(true));
    assertThat(fx.call("GET", "/deploys/" + id + "/files", null)).hasSize(1);
    try (Response r = raw("/deploys/" + id + "/files/index.html")) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(Json.mapper().readTree(r.body().string()).get("path").asText())
          .isEqualTo("/index.html");
    }
  }

  private Response raw(String path) throws IOException {
    return fx.http()
        .newCall(
            new Request.Builder()
                .url(fx.apiUrl() + "/api/v1" + path)
                .header("Authorization", "Bearer " + fx.token())
                .build())
        .execute();
  }

  @Test
  void restoreRestampsPublishedAtByDefaultAndKeepsItWhenAsked() throws InterruptedException {
    start(LocalPlatform.Options.inTempDir(dataDir));
    String site = fx.createSite("stamps");
    String v1 = fx.deploy(site, Map.of("index.html", "1"), DeployOptions.prod("1"));
    String first = deploy(v1).get("published_at").asText();
    fx.deploy(site, Map.of("index.html", "2"), DeployOptions.prod("2"));
    Thread.sleep(5);
    String restored =
        fx.call("POST", "/sites/" + site + "/deploys/" + v1 + "/restore", null)
            .get("published_at")
            .asText();
    assertThat(restored).isGreaterThan(first);

    start(
        LocalPlatform.Options.inTempDir(dataDir)
            .publishedAtOnRestore(LocalPlatform.Options.PublishedAt.KEEP));
    assertThat(deploy(v1).get("published_at").asText()).isEqualTo(first);
  }

  @Test
  void metadataIsReplacedWholeAndSurvivesARestart() {
    start(LocalPlatform.Options.inTempDir(dataDir));
    String site = fx.createSite("meta");
    assertThat(fx.call("GET", "/sites/" + site + "/metadata", null)).isEmpty();
    var first = Json.mapper().createObjectNode().put("a", 1).put("b", "two");
    fx.call("PUT", "/sites/" + site + "/metadata", first);
    var second = Json.mapper().createObjectNode().put("c", true);
    fx.call("PUT", "/sites/meta.localhost/metadata", second);
    assertThat(fx.call("GET", "/sites/" + site + "/metadata", null)).isEqualTo(second);

    start(LocalPlatform.Options.inTempDir(dataDir));
    assertThat(fx.call("GET", "/sites/" + site + "/metadata", null)).isEqualTo(second);
    var tooBig = Json.mapper().createObjectNode().put("x", "y".repeat(300 * 1024));
    assertThatThrownBy(() -> fx.call("PUT", "/sites/" + site + "/metadata", tooBig))
        .hasMessageContaining("422");
    fx.call("DELETE", "/sites/" + site, null);
    stop();
    assertThat(dataDir.resolve("metadata").resolve(site + ".json")).doesNotExist();
  }
}
