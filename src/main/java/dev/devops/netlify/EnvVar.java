package dev.devops.netlify;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/** An environment variable of a site or account (Netlify's envVar schema). */
public record EnvVar(
    String key,
    List<String> scopes,
    List<Value> values,
    @JsonProperty("is_secret") Boolean isSecret,
    @JsonProperty("updated_at") Instant updatedAt) {

  /** One value of the variable, for one deploy context. */
  public record Value(
      String id,
      String value,
      String context,
      @JsonProperty("context_parameter") String contextParameter) {}

  public boolean secret() {
    return Boolean.TRUE.equals(isSecret);
  }
}
