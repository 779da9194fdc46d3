package dev.devops.netlify;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Netlify deploy, as the API returns it; unknown fields are ignored. */
public record Deploy(
    String id,
    @JsonProperty("site_id") String siteId,
    String state,
    String name,
    String url,
    @JsonProperty("ssl_url") String sslUrl,
    @JsonProperty("admin_url") String adminUrl,
    @JsonProperty("deploy_url") String deployUrl,
    @JsonProperty("deploy_ssl_url") String deploySslUrl,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt,
    @JsonProperty("published_at") Instant publishedAt,
    String title,
    String branch,
    @JsonProperty("commit_ref") String commitRef,
    @JsonProperty("commit_url") String commitUrl,
    String context,
    Boolean locked,
    Boolean draft,
    Boolean skipped,
    List<String> required,
    @JsonProperty("required_functions") List<String> requiredFunctions,
    @JsonProperty("error_message") String errorMessage,
    String framework,
    @JsonProperty("deploy_source") String deploySource,
    @JsonProperty("available_functions") List<DeployFunction> availableFunctions,
    Links links,
    java.util.Map<String, Object> summary) {

  /** A deploy without function information (as older callers build one). */
  public Deploy(
      String id,
      String siteId,
      String state,
      String name,
      String url,
      String sslUrl,
      String adminUrl,
      String deployUrl,
      String deploySslUrl,
      Instant createdAt,
      Instant updatedAt,
      Instant publishedAt,
      String title,
      String branch,
      String commitRef,
      String commitUrl,
      String context,
      Boolean locked,
      Boolean draft,
      Boolean skipped,
      List<String> required,
      List<String> requiredFunctions,
      String errorMessage,
      String framework,
      String deploySource) {
    this(
        id,
        siteId,
        state,
        name,
        url,
        sslUrl,
        adminUrl,
        deployUrl,
        deploySslUrl,
        createdAt,
        updatedAt,
        publishedAt,
        title,
        branch,
        commitRef,
        commitUrl,
        context,
        locked,
        draft,
        skipped,
        required,
        requiredFunctions,
        errorMessage,
        framework,
        deploySource,
        null,
        null,
        null);
  }

  /**
   * A deploy's URLs: {@code permalink} serves only this deploy; {@code alias} and {@code branch}
   * follow whatever is newest on the site or branch.
   */
  public record Links(String permalink, String alias, String branch) {}

  /**
   * The URL that serves this deploy and no other: {@code links.permalink}, else {@code
   * deploy_ssl_url} or {@code deploy_url} when they name this deploy's id (on Netlify they are
   * often the branch's URL, which serves whatever is newest on the branch); null when none does.
   */
  public String permalink() {
    if (links != null && links.permalink() != null && !links.permalink().isBlank()) {
      return links.permalink();
    }
    for (String url : new String[] {deploySslUrl, deployUrl}) {
      if (url != null && id != null && hostStartsWith(url, id + "--")) {
        return url;
      }
    }
    return null;
  }

  private static boolean hostStartsWith(String url, String prefix) {
    int scheme = url.indexOf("://");
    return scheme > 0 && url.regionMatches(true, scheme + 3, prefix, 0, prefix.length());
  }

  private static final Pattern RULES_PROCESSED =
      Pattern.compile("(No|[0-9]{1,6}) (redirect|header) rules? processed");

  /**
   * How many redirect ({@code "redirect"}) or header ({@code "header"}) rules Netlify processed for
   * this deploy, read from its {@code summary} ("3 redirect rules processed", "No header rules
   * processed"); null when the summary does not say. Kept as a tree, not bound: a summary of an
   * unexpected shape must not make the deploy unreadable.
   */
  public Integer ruleCount(String kind) {
    Object messages = summary == null ? null : summary.get("messages");
    if (!(messages instanceof List<?> list)) {
      return null;
    }
    for (Object message : list) {
      Object title = message instanceof java.util.Map<?, ?> map ? map.get("title") : null;
      if (!(title instanceof String text)) {
        continue;
      }
      Matcher m = RULES_PROCESSED.matcher(text);
      if (m.matches() && m.group(2).equals(kind)) {
        return m.group(1).equals("No") ? 0 : Integer.parseInt(m.group(1));
      }
    }
    return null;
  }

  /** One function of a deploy: its name and the SHA256 of its bundle. */
  public record DeployFunction(@JsonProperty("n") String name, String id) {}

  public List<DeployFunction> functionsOrEmpty() {
    return availableFunctions == null ? List.of() : availableFunctions;
  }

  public boolean isReady() {
    return "ready".equals(state);
  }

  public boolean isError() {
    return "error".equals(state) || "rejected".equals(state);
  }

  public boolean isLocked() {
    return Boolean.TRUE.equals(locked);
  }

  public boolean isDraft() {
    return Boolean.TRUE.equals(draft);
  }

  public List<String> requiredOrEmpty() {
    return required == null ? List.of() : required;
  }

  public List<String> requiredFunctionsOrEmpty() {
    return requiredFunctions == null ? List.of() : requiredFunctions;
  }
}
