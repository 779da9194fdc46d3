package dev.devops.netlify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devops.local.Fault;
import dev.devops.testing.PlatformFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetlifyClientTest {
  @TempDir Path dir;

  @Test
  void baseUrlsAreParsedLikeNetlifyCli() {
    assertThat(NetlifyClient.parseBaseUrl("http://127.0.0.1:8080").toString())
        .isEqualTo("http://127.0.0.1:8080/api/v1");
    assertThat(NetlifyClient.parseBaseUrl("http://127.0.0.1:8080/").toString())
        .isEqualTo("http://127.0.0.1:8080/api/v1");
    assertThat(NetlifyClient.parseBaseUrl("https://api.example.com/custom/").toString())
        .isEqualTo("https://api.example.com/custom");
    assertThat(NetlifyClient.parseBaseUrl("http://shop.localhost:1/api/v1").toString())
        .isEqualTo("http://shop.localhost:1/api/v1");
    assertThatThrownBy(() -> NetlifyClient.parseBaseUrl("http://api.netlify.com"))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> NetlifyClient.parseBaseUrl("not a url"))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void idsAndPathsAreCheckedBeforeTheyGoIntoAUrl() {
    assertThat(NetlifyClient.id("5f3a-b_c.d")).isEqualTo("5f3a-b_c.d");
    for (String bad : new String[] {"..", "a/b", "a..b", "", "a b", "%2e%2e"}) {
      assertThatThrownBy(() -> NetlifyClient.id(bad)).isInstanceOf(InvalidInputException.class);
    }
    assertThat(NetlifyClient.filePath("/a/b.html")).isEqualTo("a/b.html");
    for (String bad : new String[] {"a/../b", "a//b", "./a", "a\\b", ""}) {
      assertThatThrownBy(() -> NetlifyClient.filePath(bad))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  @Test
  void sendsUserAgentAndPagesWithTheLinkHeader() {
    try (PlatformFixture fx = PlatformFixture.start(dir)) {
      String siteId = fx.createSite("client-pages");
      for (int i = 0; i < 3; i++) {
        fx.deploy(
            siteId,
            java.util.Map.of("index.html", "v" + i),
            PlatformFixture.DeployOptions.prod("v" + i));
      }
      NetlifyClient client =
          new NetlifyClient(NetlifyClient.Options.defaults(fx.apiUrl(), fx.token(), "devops/test"));
      Page<Deploy> first = client.listSiteDeploys(siteId, DeployFilter.PRODUCTION, 1, 2);
      assertThat(first.items()).hasSize(2);
      assertThat(first.hasNext()).isTrue();
      Page<Deploy> second = client.listSiteDeploys(siteId, DeployFilter.PRODUCTION, 2, 2);
      assertThat(second.items()).hasSize(1);
      assertThat(second.hasNext()).isFalse();
      assertThat(client.findSite("client-pages").id()).isEqualTo(siteId);
    }
  }

  @Test
  void nonIdempotentCallsAreNotRetriedOnServerErrors() {
    try (PlatformFixture fx = PlatformFixture.start(dir)) {
      String siteId = fx.createSite("client-post");
      NetlifyClient client = quickClient(fx, 3);
      fx.platform().faults().inject(Fault.on("createSiteDeploy").status(500));
      assertThatThrownBy(
              () ->
                  client.createSiteDeploy(
                      siteId, DeployRequest.of(java.util.Map.of(), null, true), null))
          .isInstanceOfSatisfying(
              NetlifyException.class, e -> assertThat(e.status()).isEqualTo(500));
      assertThat(fx.platform().faults().calls("createSiteDeploy")).isEqualTo(1);
    }
  }

  @Test
  void httpsGoesThroughATlsClientAndFailuresReadPlainly() {
    NetlifyClient client =
        new NetlifyClient(
            new NetlifyClient.Options(
                "https://127.0.0.1:1",
                "tok-tls-test",
                "devops/test",
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                1,
                Duration.ofMillis(1),
                Duration.ofSeconds(1),
                null));
    assertThatThrownBy(() -> client.getSite("abc"))
        .isInstanceOfSatisfying(NetlifyException.class, e -> assertThat(e.status()).isZero())
        .hasMessage("Netlify API unreachable during getSite (connection refused).");
    assertThatThrownBy(() -> client.fetch("http://example.com/"))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void deployFileListingsAreReadWholeAndHostileOnesAreRefused() {
    // Netlify answers GET /deploys/{id}/files but does not document it: the platform serves it
    // only when asked to, and the client must still read it safely when it is there.
    try (PlatformFixture fx = PlatformFixture.startWithUndocumentedEndpoints(dir)) {
      String siteId = fx.createSite("client-files");
      String deployId =
          fx.deploy(
              siteId,
              java.util.Map.of("index.html", "<h1>home</h1>", "css/site.css", "body{}"),
              PlatformFixture.DeployOptions.prod("v1"));
      NetlifyClient client = quickClient(fx, 1);
      assertThat(client.listDeployFiles(deployId))
          .containsExactly(
              new DeployFile("/css/site.css", "a4c0dac49e47ffe0dbcca7615f73b72ef6b71543", 6L),
              new DeployFile("/index.html", "e816c459890136dbf4423205d8209e5aa0995020", 13L));

      fx.platform()
          .faults()
          .inject(
              Fault.on("listDeployFiles")
                  .replyWith("[{\"path\":\"/a\",\"sha\":null,\"extra\":{\"x\":[1]}}]"));
      assertThat(client.listDeployFiles(deployId))
          .containsExactly(new DeployFile("/a", null, null));

      for (String hostile :
          new String[] {
            "{\"path\":\"/a\"}", "[1]", "[{\"path\":{\"x\":1}}]", "[{\"size\":\"12\"}]", "[] []"
          }) {
        fx.platform().faults().clear();
        fx.platform().faults().inject(Fault.on("listDeployFiles").replyWith(hostile).times(2));
        assertThatThrownBy(() -> client.listDeployFiles(deployId))
            .as(hostile)
            .isInstanceOf(NetlifyException.class)
            .hasMessageContaining("malformed body");
      }
      fx.platform().faults().clear();
      fx.platform().faults().inject(Fault.on("listDeployFiles").malformedBody());
      assertThat(client.listDeployFiles(deployId)).hasSize(2); // cut mid-body: fetched again
    }
  }

  @Test
  void theSitesFilesAreListedOncePerPublishedDeployAndStreamedRaw() throws Exception {
    try (PlatformFixture fx = PlatformFixture.start(dir)) {
      String siteId = fx.createSite("client-site-files");
      String v1 =
          fx.deploy(
              siteId,
              java.util.Map.of("index.html", "<h1>home</h1>", "css/site.css", "body{}"),
              PlatformFixture.DeployOptions.prod("v1"));
      NetlifyClient client = quickClient(fx, 1);
      fx.platform().faults().resetCalls();
      List<DeployFile> files = client.listSiteFiles(siteId, v1);
      assertThat(files)
          .extracting(DeployFile::path)
          .containsExactlyInAnyOrder("/index.html", "/css/site.css");
      assertThat(client.listSiteFiles(siteId, v1)).isEqualTo(files);
      assertThat(fx.platform().faults().calls("listSiteFiles")).isEqualTo(1);

      String v2 =
          fx.deploy(
              siteId,
              java.util.Map.of("index.html", "<h1>two</h1>"),
              PlatformFixture.DeployOptions.prod("v2"));
      assertThat(client.listSiteFiles(siteId, v2))
          .extracting(DeployFile::path)
          .containsExactly("/index.html");

      Path target = dir.resolve("index.html.part");
      Download download = client.downloadSiteFile(siteId, "/index.html", target, 1024);
      assertThat(download.isSuccessful()).isTrue();
      assertThat(Files.readString(target)).isEqualTo("<h1>two</h1>");
      assertThat(download.size()).isEqualTo(12);
      assertThat(download.sha1()).isEqualTo(Sha1.hex("<h1>two</h1>".getBytes()));

      assertThatThrownBy(() -> client.downloadSiteFile(siteId, "/index.html", target, 4))
          .isInstanceOf(NetlifyException.class)
          .hasMessageContaining("exceeds 4 bytes");
      assertThatThrownBy(() -> client.downloadSiteFile(siteId, "/missing.html", target, 1024))
          .isInstanceOfSatisfying(
              NetlifyException.class, e -> assertThat(e.status()).isEqualTo(404));

      fx.platform()
          .faults()
          .inject(Fault.on("listSiteFiles").replyWith("[{\"path\":{\"x\":1}}]").times(2));
      assertThatThrownBy(() -> client.listSiteFiles(siteId, "other"))
          .isInstanceOf(NetlifyException.class)
          .hasMessageContaining("malformed body");
    }
  }

  /** A client with short timeouts and {@code retries} retries 1 ms apart. */
  private static NetlifyClient quickClient(PlatformFixture fx, int retries) {
    return new NetlifyClient(
        new NetlifyClient.Options(
            fx.apiUrl(),
            fx.token(),
            "devops/test",
            Duration.ofSeconds(2),
            Duration.ofSeconds(2),
            retries,
            Duration.ofMillis(1),
            Duration.ofSeconds(5),
            null));
  }
}
