package dev.devops.netlify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devops.local.Fault;
import dev.devops.testing.PlatformFixture;
import java.nio.file.Path;
import java.time.Duration;
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
    try (PlatformFixture fx = PlatformFixture.start(dir)) {
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
