package dev.devops.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/** Builds URLs from a base and unencoded path segments and query values. */
public final class Urls {
  private static final String HEX = "0123456789ABCDEF";

  private Urls() {}

  /** Parses an absolute http(s) URL, or returns null. */
  public static URI parse(String raw) {
    if (raw == null) {
      return null;
    }
    try {
      URI uri = new URI(raw.trim());
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || uri.getHost() == null
          || uri.getRawUserInfo() != null) {
        return null;
      }
      return uri;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** {@code base} (its scheme, authority and path) with the encoded segments appended. */
  public static Builder of(URI base) {
    return new Builder(base);
  }

  /** Percent-encodes one path segment: everything but unreserved characters and a few safe ones. */
  public static String encodeSegment(String raw) {
    return encode(raw, "-._~!$&'()*+,;=:@");
  }

  /** Percent-encodes a query name or value (space as %20). */
  public static String queryValue(String raw) {
    return encode(raw, "-._~");
  }

  private static String encode(String raw, String safe) {
    StringBuilder b = new StringBuilder();
    for (byte c : raw.getBytes(StandardCharsets.UTF_8)) {
      int u = c & 0xff;
      boolean alphanumeric =
          (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9');
      if (alphanumeric || safe.indexOf(u) >= 0) {
        b.append((char) u);
      } else {
        b.append('%').append(HEX.charAt(u >> 4)).append(HEX.charAt(u & 15));
      }
    }
    return b.toString();
  }

  /** Appends segments and query parameters to a base URL. */
  public static final class Builder {
    private final URI base;
    private final StringBuilder path;
    private final StringBuilder query = new StringBuilder();

    Builder(URI base) {
      this.base = base;
      String p = base.getRawPath() == null ? "" : base.getRawPath();
      this.path = new StringBuilder(p.endsWith("/") ? p.substring(0, p.length() - 1) : p);
    }

    /** Replaces the base's path with the root, {@code /}. */
    public Builder root() {
      path.setLength(0);
      return this;
    }

    public Builder segment(String raw) {
      path.append('/').append(encodeSegment(raw));
      return this;
    }

    /** Each part of a {@code /}-separated path as its own encoded segment. */
    public Builder segments(String slashSeparated) {
      String p = slashSeparated.startsWith("/") ? slashSeparated.substring(1) : slashSeparated;
      if (p.isEmpty()) {
        return this;
      }
      for (String s : p.split("/", -1)) {
        segment(s);
      }
      return this;
    }

    public Builder query(String name, String value) {
      query.append(query.length() == 0 ? "" : "&").append(queryValue(name));
      query.append('=').append(queryValue(value));
      return this;
    }

    public URI build() {
      StringBuilder b = new StringBuilder();
      b.append(base.getScheme()).append("://").append(base.getRawAuthority());
      b.append(path.length() == 0 ? "/" : path);
      if (query.length() > 0) {
        b.append('?').append(query);
      }
      return URI.create(b.toString());
    }
  }
}
