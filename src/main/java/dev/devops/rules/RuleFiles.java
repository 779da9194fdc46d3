package dev.devops.rules;

/** The names and deploy paths of the files Netlify reads rules from. */
public final class RuleFiles {
  public static final String REDIRECTS = "_redirects";
  public static final String HEADERS = "_headers";
  public static final String NETLIFY_TOML = "netlify.toml";

  private RuleFiles() {}

  /** Where {@code name} sits in a deploy: the root of the publish directory. */
  public static String deployPath(String name) {
    return "/" + name;
  }
}
