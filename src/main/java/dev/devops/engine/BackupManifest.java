package dev.devops.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;

/**
 * {@code .devops/backups/TIMESTAMP/manifest.json}: what a deploy was, so that it can be put back
 * even if Netlify deletes it. File bytes live in the shared blob store, by SHA1.
 */
public record BackupManifest(
    int format,
    @JsonProperty("created_at") Instant createdAt,
    String reason,
    SiteInfo site,
    DeployInfo deploy,
    List<EnvEntry> env,
    @JsonProperty("env_note") String envNote,
    List<FileEntry> files,
    Stats stats) {

  public static final int FORMAT = 1;

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
