package dev.devops.rules;

/**
 * A rule that could not be used, as netlify/build reports it.
 *
 * @param file {@code _redirects}, {@code _headers} or {@code netlify.toml}
 * @param line 1-based line in that file, or 0 when it is not known
 * @param message what is wrong, in netlify/build's words; file content in it is made printable
 */
public record RuleError(String file, int line, String message) {
  @Override
  public String toString() {
    return file + (line > 0 ? ":" + line : "") + ": " + message;
  }
}
