package dev.devops.netlify;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** A Netlify site; {@code publishedDeploy.locked} means auto publishing is stopped. */
public record Site(
    String id,
    String name,
    String state,
    String url,
    @JsonProperty("ssl_url") String sslUrl,
    @JsonProperty("admin_url") String adminUrl,
    @JsonProperty("custom_domain") String customDomain,
    @JsonProperty("account_id") String accountId,
    @JsonProperty("account_slug") String accountSlug,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt,
    @JsonProperty("published_deploy") Deploy publishedDeploy) {

  /** The URL people visit: https when the site has it. */
  public String liveUrl() {
    return sslUrl != null && !sslUrl.isBlank() ? sslUrl : url;
  }

  public boolean isAutoPublishLocked() {
    return publishedDeploy != null && publishedDeploy.isLocked();
  }
}
