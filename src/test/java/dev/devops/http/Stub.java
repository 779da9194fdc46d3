package dev.devops.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A last interceptor that answers from a script instead of the network, for testing one interceptor
 * on its own (interceptors that need a server are tested against the local platform).
 */
final class Stub implements Interceptor {
  final List<Request> seen = Collections.synchronizedList(new ArrayList<>());
  private final Function<Request, Object> answers;

  /** {@code answers} returns a Response, or throws by returning an IOException. */
  Stub(Function<Request, Object> answers) {
    this.answers = answers;
  }

  static Response answer(
      Request request, int status, Map<String, List<String>> headers, String body) {
    return new Response(
        request, status, headers, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    seen.add(chain.request());
    Object result = answers.apply(chain.request());
    if (result instanceof IOException e) {
      throw e;
    }
    return (Response) result;
  }
}
