package dev.devops.netlify;

/**
 * A Netlify API call failed: an HTTP error status after retries, or no usable answer at all (status
 * 0: connection refused or dropped, timeout, malformed body).
 */
public final class NetlifyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String operation;
  private final int status;

  public NetlifyException(String operation, int status, String message, Throwable cause) {
    super(message, cause);
    this.operation = operation;
    this.status = status;
  }

  /** The API operation, named as in Netlify's OpenAPI spec (for example {@code getSite}). */
  public String operation() {
    return operation;
  }

  /** The HTTP status, or 0 when no HTTP answer was received. */
  public int status() {
    return status;
  }

  public boolean isNotFound() {
    return status == 404;
  }

  public boolean isAuth() {
    return status == 401 || status == 403;
  }
}
