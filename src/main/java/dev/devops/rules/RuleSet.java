package dev.devops.rules;

import dev.devops.rules.NetlifyTomlParser.TomlRules;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * All redirect and header rules of one deploy, in the order Netlify applies them: {@code
 * _redirects} (and {@code _headers}) first, then {@code netlify.toml} ("Rules in the _redirects
 * file are always processed first, followed by rules in the Netlify configuration file", docs:
 * redirects). Immutable.
 */
public final class RuleSet {
  public static final RuleSet EMPTY =
      new RuleSet(ParsedRules.empty(), ParsedRules.empty(), TomlRules.EMPTY);

  private static final String BASIC_AUTH = "basic-auth";

  private final List<RedirectRule> redirects;
  private final List<HeaderRule> headers;
  private final List<RuleError> redirectErrors;
  private final List<RuleError> headerErrors;

  private RuleSet(
      ParsedRules<RedirectRule> redirectsFile,
      ParsedRules<HeaderRule> headersFile,
      TomlRules toml) {
    this.redirects = concat(redirectsFile.rules(), toml.redirects().rules());
    this.headers = concat(headersFile.rules(), toml.headers().rules());
    this.redirectErrors = concat(redirectsFile.errors(), toml.redirects().errors());
    this.headerErrors = concat(headersFile.errors(), toml.headers().errors());
  }

  /** Combines what the three parsers made of a deploy's files. */
  public static RuleSet of(
      ParsedRules<RedirectRule> redirectsFile,
      ParsedRules<HeaderRule> headersFile,
      TomlRules toml) {
    return new RuleSet(redirectsFile, headersFile, toml);
  }

  /**
   * Reads and parses {@code /_redirects}, {@code /_headers} and {@code /netlify.toml} of a deploy.
   * A file over {@link RuleLimits#MAX_FILE_BYTES} is not read; it gives an error instead.
   */
  public static RuleSet read(RuleFileSource files) throws IOException {
    String redirects = text(files, RuleFiles.REDIRECTS);
    String headers = text(files, RuleFiles.HEADERS);
    String toml = text(files, RuleFiles.NETLIFY_TOML);
    ParsedRules<RedirectRule> redirectsFile =
        redirects == null
            ? tooLargeOrEmpty(files, RuleFiles.REDIRECTS)
            : RedirectsFileParser.parse(redirects);
    ParsedRules<HeaderRule> headersFile =
        headers == null
            ? tooLargeOrEmpty(files, RuleFiles.HEADERS)
            : HeadersFileParser.parse(headers);
    TomlRules tomlRules;
    if (toml != null) {
      tomlRules = NetlifyTomlParser.parse(toml);
    } else {
      ParsedRules<RedirectRule> tooLarge = tooLargeOrEmpty(files, RuleFiles.NETLIFY_TOML);
      tomlRules =
          new TomlRules(tooLarge, new ParsedRules<HeaderRule>(List.of(), tooLarge.errors()));
    }
    return new RuleSet(redirectsFile, headersFile, tomlRules);
  }

  private static String text(RuleFileSource files, String name) throws IOException {
    String path = RuleFiles.deployPath(name);
    long size = files.size(path);
    if (size < 0 || size > RuleLimits.MAX_FILE_BYTES) {
      return null;
    }
    byte[] bytes = files.read(path);
    if (bytes.length > RuleLimits.MAX_FILE_BYTES) {
      return null; // changed since its size was taken: treat it as too large, never parse it
    }
    String text = RuleText.decode(bytes);
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static <T> ParsedRules<T> tooLargeOrEmpty(RuleFileSource files, String name) {
    long size = files.size(RuleFiles.deployPath(name));
    if (size < 0) {
      return ParsedRules.empty();
    }
    return new ParsedRules<>(
        List.of(),
        List.of(
            new RuleError(
                name,
                0,
                "File is larger than "
                    + (RuleLimits.MAX_FILE_BYTES >> 20)
                    + " MiB ("
                    + size
                    + " bytes); none of its rules were processed")));
  }

  private static <T> List<T> concat(List<T> first, List<T> second) {
    List<T> all = new ArrayList<>(first.size() + second.size());
    all.addAll(first);
    all.addAll(second);
    return List.copyOf(all);
  }

  /** Redirect rules in the order they are tried. */
  public List<RedirectRule> redirects() {
    return redirects;
  }

  /** Header rules in the order they are applied (a later one overrides an earlier one). */
  public List<HeaderRule> headers() {
    return headers;
  }

  public int redirectCount() {
    return redirects.size();
  }

  public int headerCount() {
    return headers.size();
  }

  public List<RuleError> redirectErrors() {
    return redirectErrors;
  }

  public List<RuleError> headerErrors() {
    return headerErrors;
  }

  /** Every error, redirects first. */
  public List<RuleError> errors() {
    return concat(redirectErrors, headerErrors);
  }

  public boolean isEmpty() {
    return redirects.isEmpty() && headers.isEmpty();
  }

  /**
   * The custom headers for a response to {@code path}: every matching block contributes, and where
   * two set the same header (names compared without case) the later one wins, as Netlify CLI's
   * {@code headersForPath} merges them ({@code Object.assign} over the matching blocks in order).
   */
  public Map<String, String> headersFor(String path) {
    if (headers.isEmpty()) {
      return Map.of();
    }
    Map<String, String> result = new LinkedHashMap<>();
    matchingHeaders(path)
        .forEach(
            (lowerName, entry) -> {
              if (!lowerName.equals(BASIC_AUTH)) {
                result.put(entry.getKey(), entry.getValue());
              }
            });
    return result;
  }

  /**
   * The {@code user:password} pairs a {@code Basic-Auth} header rule demands for {@code path}
   * (docs: "Basic-Auth allows you to password protect your whole site"), empty when none does.
   * Netlify consumes that header: it is never sent to clients.
   */
  public List<String> basicAuthFor(String path) {
    if (headers.isEmpty()) {
      return List.of();
    }
    Map.Entry<String, String> entry = matchingHeaders(path).get(BASIC_AUTH);
    if (entry == null) {
      return List.of();
    }
    return List.of(RuleText.WHITESPACE.split(RuleText.trim(entry.getValue())));
  }

  /** Lower-case name to the header (as last written) over every block matching {@code path}. */
  private Map<String, Map.Entry<String, String>> matchingHeaders(String path) {
    Map<String, Map.Entry<String, String>> byName = new LinkedHashMap<>();
    for (HeaderRule rule : headers) {
      if (rule.matches(path)) {
        rule.values()
            .forEach(
                (name, value) -> byName.put(name.toLowerCase(Locale.ROOT), Map.entry(name, value)));
      }
    }
    return byName;
  }
}
