package dev.devops.http;

import java.io.IOException;

/** An answer's body exceeded the bound its reader set. */
public final class ResponseTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  public ResponseTooLargeException(String operation, long maxBytes) {
    super("answer to " + operation + " exceeds " + maxBytes + " bytes");
  }
}
