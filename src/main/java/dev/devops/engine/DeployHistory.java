package dev.devops.engine;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.Site;
import dev.devops.state.DeploymentRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A site's recent production deploys, labelled and classified: which one is live, which ones a
 * rollback can go to, how long each was live. Pure: everything comes in as arguments.
 */
public final class DeployHistory {
  /** A semver-looking tag: v1.2.3, 1.2.3-rc.1, v2.0.0+build.5. */
  static final Pattern SEMVER =
      Pattern.compile(
          "(?<![\\w.])v?\\d+\\.\\d+\\.\\d+(?:-[0-9A-Za-z.-]+)?(?:\\+[0-9A-Za-z.-]+)?(?![\\w]|\\.\\d)");

  private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{7,64}");

  private final Site site;
  private final Instant now;
  private final DeployEntry current;
  private final List<DeployEntry> entries;
  private final List<DeployEntry> targets;

  private DeployHistory(
      Site site,
      Instant now,
      DeployEntry current,
      List<DeployEntry> entries,
      List<DeployEntry> targets) {
    this.site = site;
    this.now = now;
    this.current = current;
    this.entries = entries;
    this.targets = targets;
  }

  /**
   * Builds the history.
   *
   * @param site the site (its {@code published_deploy} says which deploy is live)
   * @param deploys production deploys, newest first, as listSiteDeploys returns them
   * @param records the project's own records (version labels, bad marks)
   * @param now the time ages and the current deploy's live time are measured to
   */
  public static DeployHistory of(
      Site site, List<Deploy> deploys, DeploymentRecords records, Instant now) {
    Objects.requireNonNull(site, "site");
    String publishedId = site.publishedDeploy() == null ? null : site.publishedDeploy().id();
    List<Deploy> all = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Deploy d : deploys) {
      if (d != null && d.id() != null && seen.add(d.id())) {
        all.add(d);
      }
    }
    if (publishedId != null && !seen.contains(publishedId)) {
      // The live deploy is older than the page we were given: the site object carries it.
      all.add(site.publishedDeploy());
    }
    List<Deploy> publishOrder =
        all.stream().filter(d -> d.publishedAt() != null).sorted(BY_PUBLISH).toList();

    DeployEntry current = null;
    List<DeployEntry> entries = new ArrayList<>();
    List<DeployEntry> targets = new ArrayList<>();
    for (Deploy d : all) {
      boolean isCurrent = d.id().equals(publishedId);
      boolean bad = records.isBad(d.id());
      Duration live = liveFor(d, isCurrent, publishOrder, now);
      DeployEntry entry =
          new DeployEntry(
              d,
              versionLabel(d, records),
              DeployStatus.of(d, isCurrent, bad, records.isVerified(d.id())),
              live,
              bad,
              bad ? records.badMark(d.id()).orElse(null) : null);
      entries.add(entry);
      if (isCurrent) {
        current = entry;
      } else if (entry.restorable()) {
        targets.add(entry);
      }
    }
    targets.sort(NEWEST_FIRST);
    return new DeployHistory(site, now, current, List.copyOf(entries), List.copyOf(targets));
  }

  public Site site() {
    return site;
  }

  public Instant now() {
    return now;
  }

  /** The published deploy. */
  public Optional<DeployEntry> current() {
    return Optional.ofNullable(current);
  }

  /** Rollback candidates, newest first: ready deploys other than the current one (bad ones too). */
  public List<DeployEntry> targets() {
    return targets;
  }

  /** Every deploy of the history, in the order given (failed and building ones too). */
  public List<DeployEntry> entries() {
    return entries;
  }

  /** The newest target not marked bad: what "roll back" means without a target. */
  public Optional<DeployEntry> lastKnownGood() {
    return targets.stream().filter(e -> !e.bad()).findFirst();
  }

  /**
   * The deploy named by an exact id, else by version label. When a label names several deploys,
   * ready ones win; if that still leaves several, the target is ambiguous.
   *
   * @throws RollbackException {@link RollbackException.Kind#AMBIGUOUS_TARGET} listing the ids
   */
  public Optional<DeployEntry> find(String idOrVersion) {
    if (idOrVersion == null || idOrVersion.isBlank()) {
      return Optional.empty();
    }
    for (DeployEntry e : entries) {
      if (e.id().equals(idOrVersion)) {
        return Optional.of(e);
      }
    }
    List<DeployEntry> matches = matching(idOrVersion);
    if (matches.size() > 1) {
      List<DeployEntry> ready = matches.stream().filter(DeployEntry::restorable).toList();
      if (ready.size() == 1) {
        return Optional.of(ready.get(0));
      }
      List<DeployEntry> named = ready.isEmpty() ? matches : ready;
      throw new RollbackException(
          RollbackException.Kind.AMBIGUOUS_TARGET,
          "'"
              + idOrVersion
              + "' names "
              + named.size()
              + " deploys ("
              + String.join(", ", named.stream().map(DeployEntry::id).toList())
              + "): pass a deploy id.");
    }
    return matches.stream().findFirst();
  }

  /** Every deploy whose version label is {@code version} (with or without a leading 'v'). */
  public List<DeployEntry> matching(String version) {
    String wanted = stripV(version);
    return entries.stream().filter(e -> stripV(e.version()).equals(wanted)).toList();
  }

  /**
   * The version label: the one {@code devops deploy --version} recorded, else a semver tag in the
   * title or commit ref, else the short commit ref, else the deploy id.
   */
  public static String versionLabel(Deploy deploy, DeploymentRecords records) {
    Optional<String> recorded = records.versionOf(deploy.id());
    if (recorded.isPresent()) {
      return recorded.get();
    }
    for (String text : new String[] {deploy.title(), deploy.commitRef()}) {
      if (text != null) {
        Matcher m = SEMVER.matcher(text);
        if (m.find()) {
          return m.group();
        }
      }
    }
    String ref = deploy.commitRef();
    if (ref != null && COMMIT.matcher(ref).matches()) {
      return ref.substring(0, 7);
    }
    return deploy.id();
  }

  /** From its publish until the next publish of another deploy; the current one until now. */
  private static Duration liveFor(
      Deploy d, boolean current, List<Deploy> publishOrder, Instant now) {
    if (d.publishedAt() == null) {
      return null;
    }
    if (current) {
      return nonNegative(Duration.between(d.publishedAt(), now));
    }
    for (Deploy later : publishOrder) {
      if (!later.id().equals(d.id()) && later.publishedAt().isAfter(d.publishedAt())) {
        return nonNegative(Duration.between(d.publishedAt(), later.publishedAt()));
      }
    }
    return null;
  }

  private static Duration nonNegative(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** When {@code d} was created; the epoch when the API did not say. */
  static Instant created(Deploy d) {
    return d.createdAt() == null ? Instant.EPOCH : d.createdAt();
  }

  // Comparators as lambdas of our own, linked once: Comparator.comparing's are serializable
  // lambdas, which the class-data archive does not hold, so each run would generate their class.

  /** Oldest publish first (deploys that were published). */
  private static final Comparator<Deploy> BY_PUBLISH =
      (a, b) -> a.publishedAt().compareTo(b.publishedAt());

  /** Newest deploy first, by creation (a deploy without that time last). */
  static final Comparator<DeployEntry> NEWEST_FIRST =
      (a, b) -> created(b.deploy()).compareTo(created(a.deploy()));

  private static String stripV(String s) {
    return s != null && s.matches("[vV]\\d.*") ? s.substring(1) : String.valueOf(s);
  }
}
