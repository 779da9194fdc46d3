package dev.devops.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * A deploy made by {@code devops deploy}, as recorded in {@code .devops/deployments.json}.
 *
 * @param id the deploy id
 * @param siteId the site it belongs to
 * @param version the label given with {@code --version}, or null
 * @param title the deploy title (message)
 * @param commitRef the git commit of the project directory, or null
 * @param production whether it was meant to go live ({@code --prod})
 * @param state the platform's state when the command finished
 * @param deployedAt when the command finished
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeployRecord(
    String id,
    @JsonProperty("site_id") String siteId,
    String version,
    String title,
    @JsonProperty("commit_ref") String commitRef,
    boolean production,
    String state,
    @JsonProperty("deployed_at") Instant deployedAt) {}
