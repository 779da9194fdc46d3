package dev.devops.engine;

/**
 * There is no deploy to guard: the site has none published, or, waiting for the next one, auto
 * publishing is locked (nothing new will publish) or none was published in time. Nothing changed.
 */
public final class GuardException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GuardException(String message) {
    super(message);
  }
}
