package dev.devops.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP answer whose body is read as a stream. Close it (or read it to the end) so that its
 * connection can be reused.
 */
public final class Response implements Closeable {
  private final Request request;
  private final int status;
  private final Map<String, List<String>> headers;
  private final InputStream body;

  /**
   * @param headers header names in lower case to their values
   * @param body the body stream; an empty stream when there is none
   */
  public Response(
      Request request, int status, Map<String, List<String>> headers, InputStream body) {
    this.request = request;
    this.status = status;
    this.headers = Map.copyOf(headers);
    this.body = body == null ? InputStream.nullInputStream() : body;
  }

  public Request request() {
    return request;
  }

  public int status() {
    return status;
  }

  public boolean successful() {
    return status >= 200 && status < 300;
  }

  /** Every header, names in lower case. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of header {@code name} (any case), or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The body as a stream: read it once. */
  public InputStream body() {
    return body;
  }

  /** Reads the whole body, refusing one longer than {@code maxBytes}. */
  public byte[] bytes(long maxBytes) throws IOException {
    try (InputStream in = body) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) {
        throw new ResponseTooLargeException(request.operation(), maxBytes);
      }
      return bytes;
    }
  }

  /**
   * Reads and drops what is left of a small body so that the connection can be kept alive, then
   * closes; a large rest is not worth reading and just closes the connection.
   */
  @Override
  public void close() {
    try (InputStream in = body) {
      byte[] buffer = new byte[8192];
      long left = 64 * 1024;
      for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
        left -= n;
      }
    } catch (IOException ignored) {
      // A connection that cannot be drained is simply not reused.
    }
  }
}
