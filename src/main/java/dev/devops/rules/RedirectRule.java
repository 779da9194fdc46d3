package dev.devops.rules;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One redirect, rewrite or proxy rule, from {@code _redirects} or a {@code [[redirects]]} table of
 * {@code netlify.toml}, normalized as netlify/build's redirect-parser does.
 */
public final class RedirectRule {
  /** Netlify's default: "If left unspecified, the default is 301" (docs: redirect options). */
  public static final int DEFAULT_STATUS = 301;

  private static final Pattern PLACEHOLDER = Pattern.compile(":([A-Za-z0-9_]+)");

  private final String file;
  private final int line;
  private final int number;
  private final String text;
  private final String from;
  private final String host;
  private final Map<String, String> query;
  private final String to;
  private final int status;
  private final boolean force;
  private final Map<String, List<String>> conditions;
  private final String signed;
  private final PathPattern pattern;

  RedirectRule(
      String file,
      int line,
      int number,
      String text,
      String from,
      String host,
      String path,
      Map<String, String> query,
      String to,
      int status,
      boolean force,
      Map<String, List<String>> conditions,
      String signed) {
    this.file = file;
    this.line = line;
    this.number = number;
    this.text = text;
    this.from = from;
    this.host = host;
    this.query = Map.copyOf(query);
    this.to = to;
    this.status = status;
    this.force = force;
    this.conditions = Map.copyOf(conditions);
    this.signed = signed;
    this.pattern = PathPattern.redirect(UrlText.decode(path));
  }

  /** {@code _redirects} or {@code netlify.toml}. */
  public String file() {
    return file;
  }

  /** 1-based line in {@link #file()}, or 0 when it is not known. */
  public int line() {
    return line;
  }

  /** 1-based position among the rules of its file. */
  public int number() {
    return number;
  }

  /** The path or URL the rule matches, as written. */
  public String from() {
    return from;
  }

  /** The host of a domain-level rule ({@code from} is a URL), else null. */
  public String host() {
    return host;
  }

  /** Query parameters a request must carry: a value starting with {@code :} binds a name. */
  public Map<String, String> query() {
    return query;
  }

  /** The target path or URL, with {@code :splat} and {@code :name} placeholders. */
  public String to() {
    return to;
  }

  public int status() {
    return status;
  }

  /** True for {@code !} / {@code force = true}: the rule applies even where a file exists. */
  public boolean force() {
    return force;
  }

  /** Country, Language, Role, Cookie... conditions, by their normalized names. */
  public Map<String, List<String>> conditions() {
    return conditions;
  }

  /** The env var naming the signing secret of a signed proxy rule, else null. */
  public String signed() {
    return signed;
  }

  /** 3xx: the client is sent elsewhere; any other status serves (or proxies) the target. */
  public boolean isRedirect() {
    return status >= 300 && status < 400;
  }

  /** True when {@link #to()} is an http(s) URL rather than a path on the site. */
  public boolean targetsUrl() {
    return UrlText.isUrl(to);
  }

  /** Where the rule is and what it says, printable: {@code _redirects line 3: /a /b 302}. */
  public String describe() {
    String where = line > 0 ? file + " line " + line : file + " rule " + number;
    return where + ": " + SafeText.quote(text);
  }

  @Override
  public String toString() {
    return describe();
  }

  PathPattern pattern() {
    return pattern;
  }

  /**
   * {@link #to()} with bound values put in (percent-encoded); placeholders with no value stay as
   * written.
   */
  String target(Map<String, String> bound) {
    Matcher matcher = PLACEHOLDER.matcher(to);
    StringBuilder out = new StringBuilder(to.length() + 16);
    int last = 0;
    while (matcher.find()) {
      String value = bound.get(matcher.group(1));
      if (value != null) {
        out.append(to, last, matcher.start()).append(UrlText.encodeValue(value));
        last = matcher.end();
      }
    }
    out.append(to, last, to.length());
    return out.toString();
  }
}
