package dev.devops.rules;

/** Bounds on what a deploy's rule files may hold, so that parsing them takes bounded memory. */
public final class RuleLimits {
  /** A rule file larger than this is refused whole. */
  public static final int MAX_FILE_BYTES = 1 << 20;

  /** Rules kept per file; the rest are reported and ignored. */
  public static final int MAX_RULES_PER_FILE = 10_000;

  /** Longest fragment of file content quoted in an error message. */
  static final int MAX_QUOTED_CHARS = 200;

  private RuleLimits() {}
}
