package dev.devops.util;

import java.io.IOException;

/**
 * A path under {@code .devops/} that devops refuses to use: a symbolic link, a FIFO, a device, a
 * socket, a file of another user, a folder where a file belongs (or the reverse), or a file larger
 * than any devops writes. The message is one line that names the path relative to the project.
 */
public final class UnsafeFileException extends IOException {
  private static final long serialVersionUID = 1L;

  public UnsafeFileException(String message) {
    super(message);
  }
}
