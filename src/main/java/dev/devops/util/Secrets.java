package dev.devops.util;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers every secret this process has loaded, so that no message or log line can show one. */
public final class Secrets {
  private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();
  public static final String MASK = "[REDACTED]";

  private Secrets() {}

  public static void register(String secret) {
    if (secret != null && secret.length() >= 4) {
      KNOWN.add(secret);
    }
  }

  /**
   * True when {@code token} can go into an HTTP header as it is: printable ASCII without spaces
   * (what every Netlify token is). A line break would split the header; other bytes corrupt it.
   */
  public static boolean isHeaderSafe(String token) {
    if (token == null || token.isEmpty()) {
      return false;
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  public static String redact(String text) {
    if (text == null || KNOWN.isEmpty()) {
      return text;
    }
    String result = text;
    for (String secret : KNOWN) {
      result = result.replace(secret, MASK);
    }
    return result;
  }
}
