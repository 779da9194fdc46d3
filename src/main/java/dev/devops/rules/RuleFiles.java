package dev.devops.rules;

/** The names and deploy paths of the files Netlify reads rules from. */
public final class RuleFiles {
  public static final String REDIRECTS = "_redirects";
  public static final String HEADERS = "_headers";
  public static final String NETLIFY_TOML = "netlify.toml";

  private RuleFiles() {}

  /**
   * True for the deploy paths of the rule files, which Netlify reads as configuration and does not
   * serve: a GET of {@code /_redirects} answers 404 even on a site whose {@code /*} rule would
   * rewrite it (developit/preact-boilerplate#120, ModusCreateOrg/budgeting#198). That {@code
   * /netlify.toml} is not served either is inferred, not observed.
   */
  public static boolean isConfiguration(String deployPath) {
    return deployPath.equals("/" + REDIRECTS)
        || deployPath.equals("/" + HEADERS)
        || deployPath.equals("/" + NETLIFY_TOML);
  }

  /** Where {@code name} sits in a deploy: the root of the publish directory. */
  public static String deployPath(String name) {
    return "/" + name;
  }
}
