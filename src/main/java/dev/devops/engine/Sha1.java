package dev.devops.engine;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA1 hex digests: how Netlify names file contents. */
public final class Sha1 {
  private static final Pattern HEX40 = Pattern.compile("[0-9a-f]{40}");

  private Sha1() {}

  public static String hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }

  /** True for a lower-case 40-digit hex digest (safe to use as a file name). */
  public static boolean isValid(String sha) {
    return sha != null && HEX40.matcher(sha).matches();
  }
}
