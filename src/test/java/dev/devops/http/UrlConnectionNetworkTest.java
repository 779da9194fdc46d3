package dev.devops.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.devops.testing.PlatformFixture;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The network interceptor against real servers: the local platform, a raw socket, and TLS. */
class UrlConnectionNetworkTest {
  @TempDir Path dir;

  private static Transport transport(UrlConnectionNetwork network) {
    return new Transport(List.of(network));
  }

  private static UrlConnectionNetwork plain() {
    return new UrlConnectionNetwork(Duration.ofSeconds(5), Duration.ofSeconds(5), null);
  }

  @Test
  void localhostNamesReachTheLocalPlatformWithTheirHost() throws IOException {
    try (PlatformFixture fx = PlatformFixture.start(dir.resolve("platform"))) {
      String siteId = fx.createSite("net-site");
      String deployId =
          fx.deploy(
              siteId,
              Map.of("index.html", "<h1>net</h1>", "a/b c.txt", "spaced"),
              PlatformFixture.DeployOptions.prod("v1"));
      Transport t = transport(plain());
      URI site = URI.create("http://net-site.localhost:" + fx.platform().port() + "/");
      try (Response r = t.execute(Request.get(site, "fetch"))) {
        assertThat(r.status()).isEqualTo(200);
        assertThat(new String(r.bytes(1024), StandardCharsets.UTF_8)).isEqualTo("<h1>net</h1>");
      }
      URI permalink =
          Urls.of(URI.create(fx.platform().deployUrl(deployId, "net-site")))
              .root()
              .segments("a/b c.txt")
              .build();
      try (Response r = t.execute(Request.get(permalink, "fetch"))) {
        assertThat(r.status()).isEqualTo(200);
        assertThat(new String(r.bytes(1024), StandardCharsets.UTF_8)).isEqualTo("spaced");
      }
    }
  }

  @Test
  void aBodyCutShortOfItsLengthFailsTheRead() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread serving =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  InputStream in = s.getInputStream();
                  byte[] buf = new byte[4096];
                  in.read(buf); // the request (small enough for one read)
                  OutputStream out = s.getOutputStream();
                  out.write(
                      ("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: text/plain\r\n\r\n"
                              + "only ten!!")
                          .getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                } catch (IOException ignored) {
                  // The client saw what it saw.
                }
              });
      serving.start();
      URI url = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/file");
      try (Response r = transport(plain()).execute(Request.get(url, "fetch"))) {
        assertThatThrownBy(() -> r.bytes(1024)).isInstanceOf(EOFException.class);
      }
      serving.join(5_000);
    }
  }

  @Test
  void tlsRefusesAnUntrustedCertificateAndAcceptsOneItIsToldToTrust() throws Exception {
    Path keystore = dir.resolve("server.p12");
    Path pem = dir.resolve("server.pem");
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=dns:localhost",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit");
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-file",
        pem.toString());
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext(keystore)));
    server.createContext(
        "/",
        exchange -> {
          byte[] body = "secure".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      URI url = URI.create("https://localhost:" + server.getAddress().getPort() + "/x");
      assertThatThrownBy(() -> transport(plain()).execute(Request.get(url, "fetch")))
          .isInstanceOf(SSLHandshakeException.class);
      UrlConnectionNetwork trusting =
          new UrlConnectionNetwork(
              Duration.ofSeconds(5), Duration.ofSeconds(5), ExtraTrust.socketFactory(pem));
      try (Response r = transport(trusting).execute(Request.get(url, "fetch"))) {
        assertThat(new String(r.bytes(100), StandardCharsets.UTF_8)).isEqualTo("secure");
      }
      // Trusting a certificate does not mean trusting any name: 127.0.0.1 is not on it.
      URI wrongName = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/x");
      assertThatThrownBy(() -> transport(trusting).execute(Request.get(wrongName, "fetch")))
          .isInstanceOf(IOException.class);
    } finally {
      server.stop(0);
    }
  }

  private static SSLContext serverContext(Path keystore) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... args) throws Exception {
    Path tool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = new java.util.ArrayList<>(List.of(tool.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
  }
}
