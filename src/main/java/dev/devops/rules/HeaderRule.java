package dev.devops.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One block of custom headers: a {@code for} path pattern and the headers sent with responses for
 * matching paths, from {@code _headers} or a {@code [[headers]]} table of {@code netlify.toml}.
 */
public final class HeaderRule {
  private final String file;
  private final int line;
  private final String forPath;
  private final Map<String, String> values;
  private final PathPattern pattern;

  HeaderRule(String file, int line, String forPath, Map<String, String> values) {
    this.file = file;
    this.line = line;
    this.forPath = forPath;
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    this.pattern = PathPattern.header(forPath);
  }

  public String file() {
    return file;
  }

  /** 1-based line of the path in {@link #file()}, or 0 when it is not known. */
  public int line() {
    return line;
  }

  /** The path pattern, as written. */
  public String forPath() {
    return forPath;
  }

  /** Header names to values, in file order; repeated names are joined with {@code ", "}. */
  public Map<String, String> values() {
    return values;
  }

  public boolean matches(String path) {
    return pattern.matches(path);
  }
}
