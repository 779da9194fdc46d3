package dev.devops.netlify;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * Body of createSiteDeploy and updateSiteDeploy: the file digest (path to SHA1) and the function
 * digest (name to SHA256 of the zip). Null fields are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeployRequest(
    Map<String, String> files,
    Map<String, String> functions,
    Boolean draft,
    Boolean async,
    String branch,
    String framework,
    @JsonProperty("deploy_source") String deploySource) {

  public static DeployRequest of(
      Map<String, String> files, Map<String, String> functions, boolean draft) {
    return new DeployRequest(files, functions, draft, null, null, null, null);
  }
}
