package dev.devops.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** A request body of known length that can be written more than once (so retries can resend it). */
public interface RequestBody {
  String contentType();

  long length();

  void writeTo(OutputStream out) throws IOException;

  static RequestBody of(byte[] bytes, String contentType) {
    byte[] content = bytes.clone();
    return new RequestBody() {
      @Override
      public String contentType() {
        return contentType;
      }

      @Override
      public long length() {
        return content.length;
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        out.write(content);
      }
    };
  }

  /** The bytes of {@code file}, streamed from disk each time the body is written. */
  static RequestBody ofFile(Path file, long length, String contentType) {
    return new RequestBody() {
      @Override
      public String contentType() {
        return contentType;
      }

      @Override
      public long length() {
        return length;
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
          long copied = in.transferTo(out);
          if (copied != length) {
            throw new IOException(file + " changed size while it was being sent");
          }
        }
      }
    };
  }
}
