package dev.devops.local;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform's stored records. Mutable, but only ever touched while holding the {@link Store}
 * lock; each change is written to disk (atomically) before the lock is released.
 */
final class Model {
  private Model() {}

  static final class SiteRecord {
    public String id;
    public String name;
    public Instant createdAt;
    public Instant updatedAt;

    /** Every publication, oldest first; the last one is what the site serves. */
    public List<Publication> publications = new ArrayList<>();

    String publishedDeployId() {
      return publications.isEmpty() ? null : publications.get(publications.size() - 1).deployId;
    }
  }

  static final class Publication {
    public String deployId;
    public Instant at;

    /** auto, restore or rollback. */
    public String how;

    Publication() {}

    Publication(String deployId, Instant at, String how) {
      this.deployId = deployId;
      this.at = at;
      this.how = how;
    }
  }

  static final class DeployRecord {
    public String id;
    public String siteId;
    public String state;
    public boolean draft;
    public boolean locked;
    public String title;
    public String branch;
    public String commitRef;
    public String framework;
    public String frameworkVersion;
    public String deploySource;
    public String errorMessage;
    public Instant createdAt;
    public Instant updatedAt;

    /** Set together with state "ready" when the deploy must still be auto-published. */
    public boolean publishPending;

    /**
     * Path (with leading slash) to SHA1. Kept in a file of its own ({@link Store}), so that a
     * change of the record (a lock, a log line) does not rewrite 50,000 entries; read from the
     * record itself in data folders written before that.
     */
    @JsonProperty(access = JsonProperty.Access.WRITE_ONLY)
    public Map<String, String> files = new LinkedHashMap<>();

    /**
     * The file in {@code deploys/} that holds {@link #files} ({@code ID.files-N.json}); null in
     * records written before maps had files of their own, whose map is inline.
     */
    public String filesFile;

    /** The {@link #files} map that {@link #filesFile} holds, null when none does yet. */
    @JsonIgnore transient Map<String, String> filesSaved;

    /** Function name to SHA256. */
    public Map<String, String> functions = new LinkedHashMap<>();

    public Map<String, FunctionMeta> functionMeta = new LinkedHashMap<>();

    /**
     * SHA1s still to upload, computed once when uploading starts so that each upload costs O(1)
     * rather than a scan of the whole digest; rebuilt after a restart.
     */
    @JsonIgnore transient java.util.Set<String> missingFiles;

    public List<LogEntry> log = new ArrayList<>();

    /** What processing made of the deploy (its rule files), as Netlify's deploy summary says. */
    public Summary summary;

    String context() {
      if (draft) {
        return "deploy-preview";
      }
      return branch == null || branch.isEmpty() ? "production" : "branch-deploy";
    }

    boolean production() {
      return "production".equals(context());
    }
  }

  /** A deploy's {@code summary}: {@code {"status":"ready","messages":[...]}}. */
  static final class Summary {
    public String status;
    public List<SummaryMessage> messages = new ArrayList<>();
  }

  static final class SummaryMessage {
    public String type;
    public String title;
    public String description;
    public String details;

    SummaryMessage() {}

    SummaryMessage(String type, String title, String description, String details) {
      this.type = type;
      this.title = title;
      this.description = description;
      this.details = details;
    }
  }

  static final class FunctionMeta {
    public String runtime;
    public String invocationMode;
    public Instant uploadedAt;
  }

  static final class LogEntry {
    public Instant ts;
    public String log;
    public String level;
    public String section;

    LogEntry() {}

    LogEntry(Instant ts, String log, String level, String section) {
      this.ts = ts;
      this.log = log;
      this.level = level;
      this.section = section;
    }
  }

  static final class EnvVarRecord {
    public String key;
    public List<String> scopes = new ArrayList<>();
    public List<EnvValue> values = new ArrayList<>();
    public boolean isSecret;
    public Instant updatedAt;
  }

  static final class EnvValue {
    public String id;
    public String value;
    public String context;
    public String contextParameter;
  }

  /** Env vars of one site ({@code siteId == null}: the account's own). */
  static final class EnvFile {
    public List<EnvVarRecord> vars = new ArrayList<>();
  }

  static final class Meta {
    public String accountId;
    public String accountSlug;
    public String userId;
    public Instant createdAt;
  }
}
