package dev.devops.local;

/** A request the platform refuses: becomes Netlify's {@code {"code":N,"message":"..."}} body. */
final class ApiException extends RuntimeException {
  private final int status;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiException notFound(String what) {
    return new ApiException(404, what + " not found");
  }

  static ApiException unprocessable(String message) {
    return new ApiException(422, message);
  }
}
