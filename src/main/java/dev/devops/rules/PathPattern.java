package dev.devops.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compiled {@code from} path of a redirect rule or {@code for} path of a header rule. Matching
 * binds {@code :placeholder} segments by name and what a splat ({@code *}) covers as {@code splat}.
 */
final class PathPattern {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]+");

  private final Pattern regex;
  private final List<String> names;

  private PathPattern(Pattern regex, List<String> names) {
    this.regex = regex;
    this.names = List.copyOf(names);
  }

  /**
   * A redirect's {@code from} path, matched case-sensitively (Netlify's docs: "Paths are
   * case-sensitive") against a path normalized by {@link #withoutTrailingSlash}, since Netlify
   * matches rules "regardless of whether or not they contain a trailing slash". Only a final {@code
   * *} is a splat: "A splat can only be used at the end of a URL".
   */
  static PathPattern redirect(String decodedPath) {
    String path = withoutTrailingSlash(decodedPath);
    List<String> names = new ArrayList<>();
    StringBuilder regex = new StringBuilder("^");
    boolean splat = path.endsWith("*");
    String base = splat ? path.substring(0, path.length() - 1) : path;
    boolean splatAfterSlash = splat && base.endsWith("/");
    if (splatAfterSlash) {
      base = base.substring(0, base.length() - 1);
    }
    appendSegments(regex, base, names);
    if (splatAfterSlash) {
      regex.append("(?:/(.*))?"); // "/news/*" also matches "/news" itself
      names.add("splat");
    } else if (splat) {
      regex.append("(.*)");
      names.add("splat");
    }
    regex.append('$');
    return new PathPattern(Pattern.compile(regex.toString(), Pattern.DOTALL), names);
  }

  /**
   * A header rule's {@code for} path, compiled the way @netlify/headers-parser does (its regular
   * expression is case-insensitive and allows a trailing slash; a {@code *} segment also matches
   * nothing, a {@code *} inside a segment matches anything).
   */
  static PathPattern header(String forPath) {
    List<String> names = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    for (String part : forPath.split("/")) {
      String trimmed = part.stripTrailing();
      if (!trimmed.isEmpty()) {
        parts.add(trimmed);
      }
    }
    StringBuilder regex = new StringBuilder("^/");
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        regex.append('/');
      }
      String part = parts.get(i);
      if (part.startsWith(":")) {
        regex.append("([^/]+)");
        names.add(part.substring(1));
      } else if (part.equals("*")) {
        regex.append("?(.*)");
        names.add("splat");
      } else if (part.contains("*")) {
        String[] pieces = part.split("\\*", -1);
        for (int p = 0; p < pieces.length; p++) {
          if (p > 0) {
            regex.append("(.*)");
            names.add("splat");
          }
          regex.append(Pattern.quote(pieces[p]));
        }
      } else {
        regex.append(Pattern.quote(part));
      }
    }
    regex.append("/?$");
    return new PathPattern(
        Pattern.compile(
            regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL),
        names);
  }

  private static void appendSegments(StringBuilder regex, String path, List<String> names) {
    if (path.isEmpty()) {
      return;
    }
    String[] segments = path.split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      if (i > 0) {
        regex.append('/');
      }
      String segment = segments[i];
      Matcher name =
          segment.startsWith(":") ? NAME.matcher(segment).region(1, segment.length()) : null;
      if (name != null && name.lookingAt()) {
        // A placeholder covers one whole segment; anything after its name must follow literally.
        names.add(segment.substring(1, name.end()));
        regex.append(name.end() == segment.length() ? "([^/]+)" : "([^/]+?)");
        regex.append(Pattern.quote(segment.substring(name.end())));
      } else {
        regex.append(Pattern.quote(segment));
      }
    }
  }

  /** The path without its trailing slash; {@code /} stays as it is. */
  static String withoutTrailingSlash(String path) {
    String result = path;
    while (result.length() > 1 && result.endsWith("/")) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }

  /** The values bound by a match ({@code splat} and placeholder names), or null for no match. */
  Map<String, String> match(String path) {
    Matcher matcher = regex.matcher(path);
    if (!matcher.matches()) {
      return null;
    }
    Map<String, String> bound = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String value = matcher.group(i + 1);
      bound.putIfAbsent(names.get(i), value == null ? "" : value);
    }
    return bound;
  }

  boolean matches(String path) {
    return regex.matcher(path).matches();
  }
}
