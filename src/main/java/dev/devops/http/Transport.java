package dev.devops.http;

import java.io.IOException;
import java.util.List;

/**
 * Interceptors in order, ending in the one that talks to the network. A request passes through each
 * interceptor in turn; the answer comes back the same way.
 */
public final class Transport {
  private final List<Interceptor> interceptors;

  /** {@code interceptors} in order; the last one must answer without calling {@code proceed}. */
  public Transport(List<Interceptor> interceptors) {
    if (interceptors.isEmpty()) {
      throw new IllegalArgumentException("a transport needs at least its network interceptor");
    }
    this.interceptors = List.copyOf(interceptors);
  }

  public Response execute(Request request) throws IOException {
    return new Link(0, request).proceed(request);
  }

  private final class Link implements Interceptor.Chain {
    private final int index;
    private final Request request;

    Link(int index, Request request) {
      this.index = index;
      this.request = request;
    }

    @Override
    public Request request() {
      return request;
    }

    @Override
    public Response proceed(Request next) throws IOException {
      if (index >= interceptors.size()) {
        throw new IllegalStateException("the last interceptor must not call proceed");
      }
      return interceptors.get(index).intercept(new Link(index + 1, next));
    }
  }
}
