package dev.devops.netlify;

import java.util.List;
import java.util.Map;

/** A plain HTTP GET of a served URL: status, headers (lower-case names) and body bytes. */
public record Fetched(String url, int status, Map<String, List<String>> headers, byte[] body) {
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  public boolean isSuccessful() {
    return status >= 200 && status < 300;
  }

  /** A served URL's answer reduced to the SHA1 and size of its body. */
  public record Digest(
      String url, int status, Map<String, List<String>> headers, String sha1, long size) {
    public boolean isSuccessful() {
      return status >= 200 && status < 300;
    }
  }
}
