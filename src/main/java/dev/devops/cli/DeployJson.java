package dev.devops.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.devops.engine.DeployEntry;
import dev.devops.netlify.Deploy;
import dev.devops.netlify.Site;
import dev.devops.state.DeploymentRecords;
import dev.devops.util.Durations;
import java.time.Duration;
import java.time.Instant;

/**
 * A deploy as every {@code --json} output shows it (docs/json/deployments-list.md, "DEPLOY"). Field
 * names are stable.
 */
public record DeployJson(
    String id,
    String version,
    String title,
    @JsonProperty("commit_ref") String commitRef,
    String branch,
    String context,
    String state,
    String status,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("published_at") Instant publishedAt,
    String age,
    @JsonProperty("live_seconds") Long liveSeconds,
    String duration,
    @JsonProperty("deploy_url") String deployUrl,
    boolean locked,
    boolean bad,
    MarkJson mark) {

  /** Who marked a deploy bad, from where, when and why (deployments-list.md, "MARK"). */
  public record MarkJson(
      String who,
      String host,
      Instant at,
      String reason,
      @JsonProperty("rollback_id") String rollbackId) {
    static MarkJson of(DeploymentRecords.BadMark m) {
      return m == null ? null : new MarkJson(m.who(), m.host(), m.at(), m.reason(), m.rollbackId());
    }
  }

  public static DeployJson of(DeployEntry entry, Instant now) {
    Deploy d = entry.deploy();
    Duration live = entry.liveFor();
    return new DeployJson(
        d.id(),
        entry.version(),
        d.title(),
        d.commitRef(),
        d.branch(),
        d.context(),
        d.state(),
        entry.status().json(),
        d.createdAt(),
        d.publishedAt(),
        age(d, now),
        live == null ? null : live.getSeconds(),
        live == null ? null : Durations.span(live) + " active",
        deployUrl(d),
        d.isLocked(),
        entry.bad(),
        MarkJson.of(entry.mark()));
  }

  /** "2h ago", from when the deploy was created; null when the API gave no date. */
  public static String age(Deploy d, Instant now) {
    return d.createdAt() == null ? null : Durations.ago(Duration.between(d.createdAt(), now));
  }

  /** The deploy's own URL (its permalink), or null when the API gives none. */
  public static String deployUrl(Deploy d) {
    return d.permalink();
  }

  /** The {@code site} object of the JSON outputs. */
  public record SiteJson(String id, String name, String url) {
    public static SiteJson of(Site site) {
      return new SiteJson(site.id(), site.name(), site.liveUrl());
    }
  }
}
