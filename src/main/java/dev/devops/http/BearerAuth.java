package dev.devops.http;

import java.io.IOException;
import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * Adds {@code Authorization: Bearer TOKEN}, and only to requests for the API's own scheme, host and
 * port: the token never goes anywhere else, whatever URL a caller builds.
 */
public final class BearerAuth implements Interceptor {
  private final String token;
  private final URI api;

  public BearerAuth(String token, URI api) {
    this.token = token;
    this.api = Objects.requireNonNull(api);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    if (token == null || !sameOrigin(request.url(), api)) {
      return chain.proceed(request);
    }
    return chain.proceed(request.header("Authorization", "Bearer " + token));
  }

  /** Same scheme, host and port (default ports made explicit). */
  public static boolean sameOrigin(URI a, URI b) {
    return lower(a.getScheme()).equals(lower(b.getScheme()))
        && lower(a.getHost()).equals(lower(b.getHost()))
        && port(a) == port(b);
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(Locale.ROOT);
  }

  private static int port(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }
}
