package dev.devops.local;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/** Netlify-style identifiers (24 hex digits, time-ordered) and timestamps. */
final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  static String newId() {
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    return String.format("%08x", Instant.now().getEpochSecond()) + HexFormat.of().formatHex(random);
  }

  static String newToken() {
    byte[] random = new byte[24];
    RANDOM.nextBytes(random);
    return "nfp_local_" + HexFormat.of().formatHex(random);
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MILLIS);
  }
}
