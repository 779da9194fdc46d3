package dev.devops.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.devops.netlify.Deploy;
import dev.devops.netlify.EnvVar;
import dev.devops.netlify.NetlifyClient;
import dev.devops.netlify.NetlifyException;
import dev.devops.netlify.Site;
import dev.devops.state.DeploymentRecords;
import dev.devops.util.Futures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Steps 3 to 5 of a rollback: picks the target, validates it, and works out the impact. Reads the
 * API, never changes anything.
 */
public final class RollbackPlanner {
  /** Netlify deletes non-current deploys older than this (batch retention since 2022). */
  public static final Duration RETENTION = Duration.ofDays(90);

  private final NetlifyClient client;
  private final DeploymentRecords records;
  private final BackupStore store;

  /** A planner that knows deploys' files from the API only. */
  public RollbackPlanner(NetlifyClient client, DeploymentRecords records) {
    this(client, records, null);
  }

  /** A planner that also knows the files of deploys this project deployed or backed up. */
  public RollbackPlanner(EngineContext ctx) {
    this(ctx.client(), ctx.records(), new BackupStore(ctx.stateDir(), ctx.clock()));
  }

  private RollbackPlanner(NetlifyClient client, DeploymentRecords records, BackupStore store) {
    this.client = client;
    this.records = records;
    this.store = store;
  }

  /** A deploy passed over by the default target, and why. */
  public record Skipped(String id, String version, String reason) {}

  /**
   * The chosen target.
   *
   * @param targetId the deploy id to go to
   * @param entry its history entry; null when it is older than the history page
   * @param skipped newer deploys the default choice passed over
   */
  public record TargetChoice(String targetId, DeployEntry entry, List<Skipped> skipped) {}

  /**
   * Step 3. Without {@code requested}: the newest deploy older than the current one that was live
   * and is ready, skipping failed, unfinished, never-published and bad-marked deploys. With it: the
   * deploy with that id or version label (an id outside the history is taken as is and checked by
   * {@link #validate}).
   *
   * @throws RollbackException NO_TARGET when nothing qualifies, NOT_FOUND for a label no deploy
   *     has, AMBIGUOUS_TARGET for a label naming several deploys
   */
  public static TargetChoice chooseTarget(DeployHistory history, String requested) {
    if (requested != null && !requested.isBlank()) {
      requested = SiteHistory.checked(requested);
      Optional<DeployEntry> found = history.find(requested.trim());
      if (found.isPresent()) {
        return new TargetChoice(found.get().id(), found.get(), List.of());
      }
      if (!looksLikeId(requested.trim())) {
        throw SiteHistory.notFound(requested.trim());
      }
      return new TargetChoice(requested.trim(), null, List.of());
    }
    DeployEntry current = history.current().orElse(null);
    Instant currentCreated =
        current == null || current.deploy().createdAt() == null
            ? Instant.MAX
            : current.deploy().createdAt();
    List<DeployEntry> older =
        history.entries().stream()
            .filter(e -> current == null || !e.id().equals(current.id()))
            .filter(
                e ->
                    e.deploy().createdAt() == null
                        || e.deploy().createdAt().isBefore(currentCreated))
            .sorted(DeployHistory.NEWEST_FIRST)
            .toList();
    List<Skipped> skipped = new ArrayList<>();
    for (DeployEntry e : older) {
      String reason = skipReason(e);
      if (reason == null) {
        return new TargetChoice(e.id(), e, List.copyOf(skipped));
      }
      skipped.add(new Skipped(e.id(), e.version(), reason));
    }
    throw new NoTargetException(skipped);
  }

  /** Why a bad deploy is skipped: who marked it and why, when the mark says. */
  static String markedBad(DeploymentRecords.BadMark mark) {
    if (mark == null || mark.who() == null) {
      return "marked bad by an earlier rollback";
    }
    return "marked bad"
        + (mark.who() == null ? "" : " by " + mark.who())
        + (mark.host() == null ? "" : " on " + mark.host())
        + (mark.reason() == null || mark.reason().isBlank() ? "" : " (" + mark.reason() + ")");
  }

  /** NO_TARGET, with what was passed over. */
  public static final class NoTargetException extends RollbackException {
    private static final long serialVersionUID = 1L;
    private final transient List<Skipped> skipped;

    NoTargetException(List<Skipped> skipped) {
      super(Kind.NO_TARGET, message(skipped));
      this.skipped = skipped;
    }

    public List<Skipped> skipped() {
      return skipped;
    }

    /** Every candidate was marked bad: their ids, newest first (empty otherwise). */
    public List<String> marked() {
      return marked(skipped);
    }

    private static List<String> marked(List<Skipped> skipped) {
      return skipped.stream()
          .filter(s -> s.reason().startsWith("marked bad"))
          .map(Skipped::id)
          .toList();
    }

    private static String message(List<Skipped> skipped) {
      List<String> marked = marked(skipped);
      return marked.isEmpty()
          ? "No previous deployments found: nothing to roll back to."
          : "No previous deployments found: nothing to roll back to (marked bad: "
              + String.join(", ", marked)
              + "; clear a mark with 'devops deployments mark ID --good').";
    }
  }

  private static String skipReason(DeployEntry e) {
    Deploy d = e.deploy();
    if (d.isError()) {
      return "failed" + (d.errorMessage() == null ? "" : " (" + d.errorMessage() + ")");
    }
    if (e.bad()) {
      return markedBad(e.mark());
    }
    if (!d.isReady()) {
      return "not ready (state " + d.state() + ")";
    }
    if (d.publishedAt() == null && e.liveFor() == null) {
      return "never published";
    }
    return null;
  }

  /** The validation of a target (step 4) and what the comparison found. */
  public record Validation(
      Site site,
      Deploy current,
      String currentVersion,
      Deploy target,
      String targetId,
      String targetVersion,
      List<Finding> findings,
      DeployComparison comparison) {
    public boolean ok() {
      return findings.stream().noneMatch(Finding::blocks);
    }

    /** The first blocking finding's message. */
    public String reason() {
      return findings.stream()
          .filter(Finding::blocks)
          .map(Finding::message)
          .findFirst()
          .orElse(null);
    }
  }

  /**
   * Step 4: the target exists, is ready, is not the current deploy, can still be restored, and
   * passes the breaking-change checks against the current deploy. Structural changes (functions
   * added or removed, redirects or headers, framework) block unless {@code acceptBreaking}; env var
   * drift is a warning, since env vars are not rolled back either way.
   */
  public Validation validate(DeployHistory history, String targetId, boolean acceptBreaking) {
    return validate(history, history.site().publishedDeploy(), targetId, acceptBreaking);
  }

  /** Validates going from {@code current} (normally the published deploy) to {@code targetId}. */
  public Validation validate(
      DeployHistory history, Deploy current, String targetId, boolean acceptBreaking) {
    Site site = history.site();
    List<Finding> findings = new ArrayList<>();
    Deploy target;
    try {
      target = client.getDeploy(targetId);
    } catch (NetlifyException e) {
      if (!e.isNotFound()) {
        throw e;
      }
      throw new RollbackException(
          RollbackException.Kind.NOT_FOUND,
          "Deploy " + targetId + " does not exist (deleted, expired, or never existed).",
          targetId,
          e);
    }
    String version = version(target);
    if (target.siteId() != null && !target.siteId().equals(site.id())) {
      findings.add(
          new Finding(
              "other_site", Finding.BLOCKING, "Deploy " + targetId + " belongs to another site."));
    }
    if (!target.isReady()) {
      findings.add(
          new Finding(
              "not_ready",
              Finding.BLOCKING,
              "Deploy "
                  + targetId
                  + " is in state '"
                  + target.state()
                  + "': only ready deploys can be published."));
    }
    if (current != null && current.id().equals(targetId)) {
      findings.add(
          new Finding(
              "is_current",
              Finding.BLOCKING,
              version
                  + " ("
                  + targetId
                  + ") is already the "
                  + (current.id().equals(publishedId(site))
                      ? "published deploy."
                      : "deploy rolled back from.")));
    }
    if (!findings.isEmpty()) {
      return new Validation(
          site, current, version(current), target, targetId, version, findings, null);
    }
    if (target.context() != null && !"production".equals(target.context())) {
      findings.add(
          new Finding(
              "not_production",
              Finding.WARNING,
              "Deploy "
                  + targetId
                  + " is a "
                  + target.context()
                  + " deploy: restoring it publishes it to production."));
    }
    Instant now = history.now();
    if (target.createdAt() != null && target.createdAt().plus(RETENTION).isBefore(now)) {
      findings.add(
          new Finding(
              "retention",
              Finding.WARNING,
              "Deploy is older than Netlify's 90-day retention: it still exists now, but Netlify may delete it at any time."));
    }
    DeployComparison comparison = compare(history, current, target);
    if (!comparison.filesListed()) {
      findings.add(
          new Finding(
              "files_unlisted",
              Finding.WARNING,
              "Netlify lists only the published deploy's files and no local record has the"
                  + " target's: file, redirect and header changes are unknown (the restore does"
                  + " not need them)."));
    }
    String severity = acceptBreaking ? Finding.ACCEPTED : Finding.BLOCKING;
    if (!comparison.functions().added().isEmpty() || !comparison.functions().removed().isEmpty()) {
      List<String> parts = new ArrayList<>();
      if (!comparison.functions().removed().isEmpty()) {
        parts.add("removes " + String.join(", ", comparison.functions().removed()));
      }
      if (!comparison.functions().added().isEmpty()) {
        parts.add("adds " + String.join(", ", comparison.functions().added()));
      }
      findings.add(
          new Finding(
              "functions_changed",
              severity,
              "Functions change: the rollback " + String.join(" and ", parts) + "."));
    }
    if (comparison.configFiles() != null && !comparison.configFiles().isEmpty()) {
      findings.add(
          new Finding(
              "redirects_headers_changed",
              severity,
              "Redirects or headers change: "
                  + String.join(", ", comparison.configFiles())
                  + " differ."));
    } else if (comparison.configFiles() == null && !comparison.rulesChanged().isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (String kind : comparison.rulesChanged()) {
        DeployComparison.RuleCount count = comparison.rules().get(kind);
        parts.add(kind + " " + count.from() + " → " + count.to());
      }
      findings.add(
          new Finding(
              "redirects_headers_changed",
              severity,
              "Redirects or headers change: "
                  + String.join(", ", parts)
                  + " rules, by Netlify's deploy summaries."));
    }
    if (comparison.frameworkChanged()) {
      findings.add(
          new Finding(
              "framework_changed",
              severity,
              "Framework changes from "
                  + comparison.frameworkFrom()
                  + " to "
                  + comparison.frameworkTo()
                  + "."));
    }
    if (comparison.envChanged() != null && !comparison.envChanged().isEmpty()) {
      findings.add(
          new Finding(
              "env_drift",
              Finding.WARNING,
              "Environment variables changed since "
                  + version
                  + " was live ("
                  + String.join(", ", comparison.envChanged())
                  + "): they are not rolled back."));
    } else if (comparison.envNote() != null) {
      findings.add(new Finding("env_unchecked", Finding.WARNING, comparison.envNote()));
    }
    return new Validation(
        site,
        current,
        version(current),
        target,
        targetId,
        version,
        List.copyOf(findings),
        comparison);
  }

  /** Compares the current deploy with {@code target}. */
  DeployComparison compare(DeployHistory history, Deploy current, Deploy target) {
    Site site = history.site();
    CompletableFuture<DeployFiles.Listing> currentFiles =
        current == null
            ? CompletableFuture.completedFuture(new DeployFiles.Listing(List.of(), "none"))
            : CompletableFuture.supplyAsync(() -> DeployFiles.find(client, store, site, current));
    CompletableFuture<List<EnvVar>> env =
        site.accountId() == null
            ? CompletableFuture.completedFuture(null)
            : CompletableFuture.supplyAsync(() -> client.getEnvVars(site.accountId(), site.id()));
    DeployFiles.Listing targetFiles = DeployFiles.find(client, store, site, target);
    DeployFiles.Listing fromFiles = Futures.join(currentFiles);
    List<EnvVar> vars = null;
    String envNote =
        site.accountId() == null ? "Env vars not checked: the site has no account id." : null;
    try {
      vars = Futures.join(env);
    } catch (NetlifyException e) {
      envNote = "Env vars not checked: " + e.getMessage();
    }
    Deploy from = current == null ? target : current;
    Map<String, String> served =
        fromFiles == null || targetFiles == null ? servedChanges(current, target) : null;
    return DeployComparison.of(
        from,
        fromFiles == null ? null : fromFiles.files(),
        target,
        targetFiles == null ? null : targetFiles.files(),
        vars,
        liveUntil(history, target),
        envNote,
        served);
  }

  /**
   * Without both file lists: what each deploy's permalink serves at {@code /}, compared by SHA1
   * ({@code changed}, {@code same}, or {@code unknown}). Netlify's CDN does not serve the rule
   * files (`_redirects`, `_headers`, `netlify.toml`), so they cannot be compared this way.
   */
  private Map<String, String> servedChanges(Deploy current, Deploy target) {
    if (current == null || current.permalink() == null || target.permalink() == null) {
      return Map.of("/", "unknown");
    }
    CompletableFuture<String> before =
        CompletableFuture.supplyAsync(() -> servedSha(current.permalink()));
    String after = servedSha(target.permalink());
    String was = before.join();
    return Map.of(
        "/", was == null || after == null ? "unknown" : was.equals(after) ? "same" : "changed");
  }

  private String servedSha(String permalink) {
    try {
      var got = client.fetchDigest(permalink.endsWith("/") ? permalink : permalink + "/");
      return got.isSuccessful() ? got.sha1() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** When {@code target} stopped being live: the next publish after its own, else its creation. */
  static Instant liveUntil(DeployHistory history, Deploy target) {
    for (DeployEntry e : history.entries()) {
      if (e.id().equals(target.id()) && e.deploy().publishedAt() != null && e.liveFor() != null) {
        return e.deploy().publishedAt().plus(e.liveFor());
      }
    }
    return target.publishedAt() != null ? target.publishedAt() : target.createdAt();
  }

  /**
   * Step 5 for any two deploys of the site: what switching from {@code from} to {@code to} changes.
   *
   * @throws RollbackException INVALID_TARGET when the two cannot be compared (the same deploy, or
   *     {@code to} is not ready)
   */
  public Impact analyzeBetween(DeployHistory history, Deploy from, Deploy to, boolean lockAfter) {
    Validation v = validate(history, from, to.id(), true);
    if (v.comparison() == null || v.target() == null) {
      throw new RollbackException(
          RollbackException.Kind.INVALID_TARGET,
          "Cannot analyse: " + v.reason(),
          v.targetVersion(),
          null);
    }
    return analyze(history, v, lockAfter);
  }

  /** Step 5: what the switch from the current deploy to the validated target changes. */
  public Impact analyze(DeployHistory history, Validation validation, boolean lockAfter) {
    Deploy from = validation.current();
    Deploy to = validation.target();
    boolean forward =
        from != null && DeployHistory.created(to).isAfter(DeployHistory.created(from));
    List<Impact.DeployChange> deploys = new ArrayList<>();
    if (from != null) {
      Instant low = forward ? DeployHistory.created(from) : DeployHistory.created(to);
      Instant high = forward ? DeployHistory.created(to) : DeployHistory.created(from);
      for (DeployEntry e : history.entries()) {
        Instant c = DeployHistory.created(e.deploy());
        boolean inRange = c.isAfter(low) && !c.isAfter(high);
        if (inRange && e.deploy().isReady() && (e.deploy().publishedAt() != null || forward)) {
          deploys.add(Impact.DeployChange.of(e.deploy(), e.version()));
        }
      }
      deploys.sort(
          Comparator.comparing(
              Impact.DeployChange::createdAt, Comparator.nullsLast(Comparator.reverseOrder())));
    }
    boolean lockedNow = history.site().isAutoPublishLocked();
    String next =
        lockAfter
            ? "Auto publishing will be locked on "
                + validation.targetVersion()
                + ": the next git deploy builds but does not go live until you start auto publishing again."
            : "Auto publishing stays on: the next git deploy to production will replace this rollback.";
    List<String> notes = new ArrayList<>();
    notes.add("Environment variables are not rolled back (they are managed separately).");
    if (!validation.comparison().functions().isEmpty()) {
      notes.add("Function code rolls back with the deploy.");
    }
    return new Impact(
        new Impact.Side(from == null ? null : from.id(), validation.currentVersion()),
        new Impact.Side(to.id(), validation.targetVersion()),
        forward ? "forward" : "back",
        deploys,
        validation.comparison(),
        validation.findings(),
        lockedNow,
        lockAfter,
        next,
        "none (atomic swap)",
        notes);
  }

  /** The version label of {@code deploy}, or null. */
  public String version(Deploy deploy) {
    return deploy == null ? null : DeployHistory.versionLabel(deploy, records);
  }

  private static String publishedId(Site site) {
    return site.publishedDeploy() == null ? null : site.publishedDeploy().id();
  }

  static boolean looksLikeId(String s) {
    return s.matches("[A-Za-z0-9][A-Za-z0-9_-]{11,}") && !s.matches("[vV]?\\d+\\.\\d+.*");
  }

  /** Step 5's result. */
  public record Impact(
      Side from,
      Side to,
      String direction,
      List<DeployChange> deploys,
      DeployComparison comparison,
      List<Finding> findings,
      @JsonProperty("locked_now") boolean lockedNow,
      @JsonProperty("lock_after") boolean lockAfter,
      @JsonProperty("next_git_deploy") String nextGitDeploy,
      String downtime,
      List<String> notes) {

    /** One side of the switch. */
    public record Side(String id, String version) {}

    /** A deploy whose changes the switch reverts (or, rolling forward, applies). */
    public record DeployChange(
        String id,
        String version,
        String title,
        @JsonProperty("commit_ref") String commitRef,
        String branch,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("published_at") Instant publishedAt) {
      static DeployChange of(Deploy d, String version) {
        return new DeployChange(
            d.id(), version, d.title(), d.commitRef(), d.branch(), d.createdAt(), d.publishedAt());
      }
    }
  }
}
