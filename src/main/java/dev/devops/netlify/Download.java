package dev.devops.netlify;

import dev.devops.http.Response;
import dev.devops.http.ResponseTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * A body streamed to a file and hashed on the way, in a few kilobytes of memory whatever its size.
 *
 * @param status the HTTP status; the file holds the body only for a 2xx answer
 * @param sha1 the SHA1 of what was written (2xx only; else null)
 * @param size bytes written
 */
public record Download(int status, String sha1, long size) {
  public boolean isSuccessful() {
    return status >= 200 && status < 300;
  }

  static Download of(Response response, Path target, long maxBytes) throws IOException {
    if (!response.successful()) {
      return new Download(response.status(), null, 0);
    }
    MessageDigest sha1 = Sha1.newDigest();
    long size = 0;
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = response.body();
        OutputStream out =
            Files.newOutputStream(
                target,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        size += n;
        if (size > maxBytes) {
          throw new ResponseTooLargeException(response.request().operation(), maxBytes);
        }
        sha1.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    }
    return new Download(response.status(), Sha1.hex(sha1), size);
  }
}
