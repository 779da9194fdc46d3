package dev.devops.http;

import java.io.IOException;

/**
 * One concern of the transport (authentication, retries, rate limits, logging...): looks at a
 * request, passes it on (possibly changed, possibly several times), and returns the answer.
 */
@FunctionalInterface
public interface Interceptor {
  Response intercept(Chain chain) throws IOException;

  /** The rest of the transport, as seen from one interceptor. */
  interface Chain {
    Request request();

    /** Sends {@code request} through the interceptors after this one. */
    Response proceed(Request request) throws IOException;
  }
}
