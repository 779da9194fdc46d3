package dev.devops.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;

/**
 * The last interceptor: sends the request with the JDK's {@link HttpURLConnection}, which is in the
 * JDK's own class-data archive and so costs almost nothing at start-up. Connections are kept alive
 * and reused by the JDK's pool; proxies come from the usual system properties; TLS is verified
 * against the JDK's trust store, or against the given socket factory's.
 */
public final class UrlConnectionNetwork implements Interceptor {
  static {
    // Both are read once, when the JDK's HTTP classes first load. A POST must never be sent twice
    // behind our back (a restore or a deploy creation is not idempotent), and parallel transfers
    // need more than the default 5 idle connections per host to reuse.
    setIfUnset("sun.net.http.retryPost", "false");
    setIfUnset("http.maxConnections", "32");
  }

  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final SSLSocketFactory tls;

  /**
   * @param tls the TLS socket factory for https, or null for the JDK's default trust
   */
  public UrlConnectionNetwork(Duration connectTimeout, Duration readTimeout, SSLSocketFactory tls) {
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.tls = tls;
  }

  private static void setIfUnset(String name, String value) {
    if (System.getProperty(name) == null) {
      System.setProperty(name, value);
    }
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    HttpURLConnection connection = open(request.url());
    connection.setRequestMethod(request.method());
    connection.setConnectTimeout(millis(connectTimeout));
    connection.setReadTimeout(millis(readTimeout));
    connection.setInstanceFollowRedirects(false);
    connection.setUseCaches(false);
    // Loops, not lambdas: requests run side by side, and threads that link one lambda's call site
    // at once each generate its class, which the class-data archive holds only once.
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      connection.setRequestProperty(header.getKey(), header.getValue());
    }
    RequestBody body = request.body();
    if (body != null) {
      connection.setDoOutput(true);
      if (body.contentType() != null && request.header("Content-Type") == null) {
        connection.setRequestProperty("Content-Type", body.contentType());
      }
      connection.setFixedLengthStreamingMode(body.length());
      try (OutputStream out = connection.getOutputStream()) {
        body.writeTo(out);
      }
    } else if (request.method().equals("POST") || request.method().equals("PUT")) {
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(0);
      connection.getOutputStream().close();
    }
    int status = connection.getResponseCode();
    if (status < 0) {
      connection.disconnect();
      throw new IOException("not a valid HTTP answer");
    }
    InputStream stream = status >= 400 ? connection.getErrorStream() : bodyStream(connection);
    return new Response(request, status, headers(connection), stream);
  }

  private HttpURLConnection open(URI url) throws IOException {
    String host = url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
    HttpURLConnection connection;
    if (isLocalhostName(host) && "http".equals(url.getScheme())) {
      // RFC 6761: *.localhost is loopback, but the system resolver may not know it. Connecting to
      // loopback as to a proxy sends the full URL, so the Host header still names the site.
      int port = url.getPort() < 0 ? 80 : url.getPort();
      Proxy loopback =
          new Proxy(Proxy.Type.HTTP, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      connection = (HttpURLConnection) url.toURL().openConnection(loopback);
    } else {
      connection = (HttpURLConnection) url.toURL().openConnection();
    }
    if (tls != null && connection instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(tls);
    }
    return connection;
  }

  /** {@code localhost} and its subdomains (the host names RFC 6761 reserves for loopback). */
  public static boolean isLocalhostName(String host) {
    return host.equals("localhost") || host.endsWith(".localhost");
  }

  private static InputStream bodyStream(HttpURLConnection connection) throws IOException {
    if ("HEAD".equals(connection.getRequestMethod())) {
      return InputStream.nullInputStream();
    }
    InputStream in = connection.getInputStream();
    // A body that ends early must fail the read, not look like a short file.
    long declared = connection.getContentLengthLong();
    return declared < 0 ? in : new ExactLengthStream(in, declared);
  }

  private static Map<String, List<String>> headers(HttpURLConnection connection) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> field : connection.getHeaderFields().entrySet()) {
      if (field.getKey() != null) {
        headers.put(field.getKey().toLowerCase(Locale.ROOT), List.copyOf(field.getValue()));
      }
    }
    return headers;
  }

  private static int millis(Duration d) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
  }

  /** Fails with an IOException when the stream ends before its declared length. */
  private static final class ExactLengthStream extends FilterInputStream {
    private long left;

    ExactLengthStream(InputStream in, long length) {
      super(in);
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      check(b < 0 ? -1 : 1);
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      check(n);
      return n;
    }

    private void check(int n) throws IOException {
      if (n < 0) {
        if (left > 0) {
          throw new java.io.EOFException("connection closed before a complete answer");
        }
      } else {
        left -= n;
      }
    }
  }
}
