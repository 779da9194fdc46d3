package dev.devops.http;

import java.io.IOException;

/** Names the tool and its version on every request, as Netlify asks API clients to. */
public final class UserAgent implements Interceptor {
  private final String value;

  public UserAgent(String value) {
    this.value = value;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    return chain.proceed(chain.request().header("User-Agent", value));
  }
}
