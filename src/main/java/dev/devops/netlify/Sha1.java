package dev.devops.netlify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA1 hex digests: how Netlify names file contents. */
public final class Sha1 {
  private Sha1() {}

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(newDigest().digest(bytes));
  }

  /** A read buffer per thread: hashing 50,000 small blobs allocates no 64 KB array each. */
  private static final ThreadLocal<byte[]> BUFFER =
      ThreadLocal.withInitial(() -> new byte[64 * 1024]);

  /** The digest of a file, read in 64 KB pieces whatever its size. */
  public static String hex(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return hex(channel);
    }
  }

  /** The digest of what {@code channel} reads to its end, in 64 KB pieces. */
  public static String hex(ReadableByteChannel channel) throws IOException {
    MessageDigest digest = newDigest();
    byte[] buffer = BUFFER.get();
    ByteBuffer wrapped = ByteBuffer.wrap(buffer);
    for (int n; (n = channel.read(wrapped.clear())) >= 0; ) {
      digest.update(buffer, 0, n);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  public static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }

  /**
   * True for a lower-case 40-digit hex digest (safe to use as a file name). A loop, not a regular
   * expression: a backup of 50,000 files asks this several times per file.
   */
  public static boolean isValid(String sha) {
    if (sha == null || sha.length() != 40) {
      return false;
    }
    for (int i = 0; i < 40; i++) {
      char c = sha.charAt(i);
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        return false;
      }
    }
    return true;
  }
}
