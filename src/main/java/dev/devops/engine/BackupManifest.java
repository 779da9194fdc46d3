package dev.devops.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * {@code .devops/backups/TIMESTAMP/manifest.json}: what a deploy was, so that it can be put back
 * even if Netlify deletes it. File bytes live in the shared blob store, by SHA1. A manifest is
 * written first ({@code complete} false: what was live is recorded, its bytes are being fetched),
 * then again when every byte it can hold is stored.
 *
 * @param kind {@code pre-rollback}, {@code manual}, or {@code deploy} (a deploy {@code devops
 *     deploy} made, kept from the files on disk)
 * @param filesSource where the file list came from: {@code site_files} (the documented listing of
 *     the published deploy), {@code deploy_files} (the per-deploy listing), {@code local} (an
 *     earlier manifest of the same deploy), or null when none could be had
 * @param complete every byte the backup can hold is stored (format 1 backups: always)
 * @param completedAt when it became complete
 */
public record BackupManifest(
    int format,
    @JsonProperty("created_at") Instant createdAt,
    String reason,
    String kind,
    SiteInfo site,
    DeployInfo deploy,
    List<EnvEntry> env,
    @JsonProperty("env_note") String envNote,
    List<FileEntry> files,
    @JsonProperty("files_source") String filesSource,
    @JsonProperty("files_note") String filesNote,
    List<String> unavailable,
    Boolean complete,
    @JsonProperty("completed_at") Instant completedAt,
    Stats stats) {

  /** Paths whose bytes this backup does not hold (never null). */
  public List<String> unavailableOrEmpty() {
    return unavailable == null ? List.of() : unavailable;
  }

  /** Every byte the backup can hold is stored (manifests written before this field: yes). */
  public boolean isComplete() {
    return complete == null || complete;
  }

  /** This manifest with its bytes' outcome. */
  BackupManifest finished(
      List<String> missing, String note, boolean done, Instant at, Stats counts) {
    return new BackupManifest(
        format,
        createdAt,
        reason,
        kind,
        site,
        deploy,
        env,
        envNote,
        files,
        filesSource,
        note,
        List.copyOf(missing),
        done,
        done ? at : null,
        counts);
  }

  public static final int FORMAT = 2;
  public static final String PRE_ROLLBACK = "pre-rollback";
  public static final String MANUAL = "manual";
  public static final String DEPLOY = "deploy";

  /** The site when the backup was taken. */
  public record SiteInfo(
      String id,
      String name,
      String url,
      @JsonProperty("account_id") String accountId,
      @JsonProperty("published_deploy_id") String publishedDeployId,
      @JsonProperty("auto_publish_locked") boolean autoPublishLocked) {}

  /** The backed-up deploy. */
  public record DeployInfo(
      String id,
      String version,
      String title,
      @JsonProperty("commit_ref") String commitRef,
      String branch,
      String context,
      String state,
      String framework,
      @JsonProperty("created_at") Instant createdAt,
      @JsonProperty("published_at") Instant publishedAt,
      boolean locked,
      List<FunctionEntry> functions) {}

  /** A function of the deploy (its code is not downloadable from Netlify). */
  public record FunctionEntry(String name, String sha256) {}

  /** An environment variable; values of secret variables are never stored. */
  public record EnvEntry(
      String key,
      boolean secret,
      List<String> scopes,
      List<EnvValue> values,
      @JsonProperty("updated_at") Instant updatedAt) {}

  /** One context's value; {@code value} is null for secrets. */
  public record EnvValue(String context, String value) {}

  /** One file: site path, SHA1 of its bytes, size. */
  public record FileEntry(String path, String sha, long size) {}

  /** Totals, and how many blobs this backup added to the store. */
  public record Stats(
      int files,
      @JsonProperty("total_bytes") long totalBytes,
      @JsonProperty("new_blobs") int newBlobs,
      @JsonProperty("reused_blobs") int reusedBlobs) {}
}
