package dev.devops.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What verify-deployment proved about the site.
 *
 * @param ok every check passed
 * @param deployId the deploy that was expected to be live
 * @param url the site URL fetched
 * @param checks each check in order
 * @param filesChecked how many served files were compared by SHA1
 */
public record VerificationResult(
    boolean ok,
    @JsonProperty("deploy_id") String deployId,
    String url,
    List<Check> checks,
    @JsonProperty("files_checked") int filesChecked) {

  /** One check: a stable name, whether it passed, and what was seen. */
  public record Check(String name, boolean ok, String detail) {}
}
