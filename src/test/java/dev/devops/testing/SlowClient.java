package dev.devops.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A client that sends only part of a request over a plain socket and then stalls, as a slow or
 * hostile client does: headers never finished, or a body that never arrives. It can connect from
 * another loopback address (127.0.0.2, ...), so a test can tell one client from another.
 */
public final class SlowClient implements AutoCloseable {
  private final Socket socket;

  private SlowClient(Socket socket) {
    this.socket = socket;
  }

  /** Connects to {@code port} on 127.0.0.1 from {@code from} and sends {@code partialRequest}. */
  public static SlowClient send(InetAddress from, int port, String partialRequest) {
    try {
      Socket socket = new Socket();
      socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      socket.getOutputStream().write(partialRequest.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new SlowClient(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Loopback address 127.0.0.{@code n}, a client of its own to the platform; null where the system
   * routes only 127.0.0.1 (macOS without an alias).
   */
  public static InetAddress otherLoopback(int n) {
    try (Socket probe = new Socket()) {
      InetAddress address = InetAddress.getByName("127.0.0." + n);
      probe.bind(new InetSocketAddress(address, 0));
      return address;
    } catch (IOException unavailable) {
      return null;
    }
  }

  /** A request line and some headers, without the blank line that ends them. */
  public static String unfinishedHeaders(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n";
  }

  /** Complete headers of an upload whose body ({@code length} bytes) is not sent. */
  public static String uploadWithoutBody(String path, String token, int length) {
    return "PUT "
        + path
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + token
        + "\r\nContent-Type: application/octet-stream\r\nContent-Length: "
        + length
        + "\r\n\r\n";
  }

  /** Sends more bytes (for example the rest of a body). */
  public void write(String more) {
    try {
      socket.getOutputStream().write(more.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whatever the server sends within {@code millis} (until it closes), as text. */
  public String read(int millis) {
    StringBuilder text = new StringBuilder();
    try {
      socket.setSoTimeout(millis);
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
      }
    } catch (SocketTimeoutException stillOpen) {
      // nothing more for now
    } catch (IOException reset) {
      // the server closed the connection
    }
    return text.toString();
  }

  /** True once the server has closed the connection (a read sees EOF or a reset). */
  public boolean closedByServer(int millis) {
    try {
      socket.setSoTimeout(millis);
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
