package dev.devops.netlify;

/**
 * An id, path or URL was refused before any request was made (it cannot be put into a URL safely,
 * or plain HTTP would leave the machine). The message says what is acceptable.
 */
public final class InvalidInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidInputException(String message) {
    super(message);
  }
}
