package dev.devops.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.devops.netlify.Deploy;
import dev.devops.netlify.DeployFile;
import dev.devops.netlify.EnvVar;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What changes when the site goes from one deploy to another, computed from the two deploys' file
 * lists (path and SHA1), their functions and frameworks, and the site's env vars. Pure.
 *
 * @param files paths added, removed and modified by the switch
 * @param functions functions added, removed and changed by the switch
 * @param configFiles {@code _redirects}, {@code _headers} and {@code netlify.toml} that change
 * @param frameworkFrom the current deploy's framework (may be null)
 * @param frameworkTo the target's framework (may be null)
 * @param envChanged env var keys updated after the target stopped being live (null: not checked)
 * @param envNote why env vars could not be checked, or null
 * @param filesListed both deploys' files are known (else {@code files} and {@code configFiles} are
 *     null: unknown, not unchanged)
 * @param served without both file lists: what the two permalinks serve at a path, compared by SHA1
 *     ({@code changed}, {@code same}, {@code unknown}); null when the lists are known
 * @param rules how many redirect and header rules each deploy has, from Netlify's deploy summaries
 *     ({@code redirects}, {@code headers}; a count is null where the summary does not say)
 */
public record DeployComparison(
    Changes files,
    Changes functions,
    @JsonProperty("config_files") List<String> configFiles,
    @JsonProperty("framework_from") String frameworkFrom,
    @JsonProperty("framework_to") String frameworkTo,
    @JsonProperty("env_changed") List<String> envChanged,
    @JsonProperty("env_note") String envNote,
    @JsonProperty("files_listed") boolean filesListed,
    Map<String, String> served,
    Map<String, RuleCount> rules) {

  /** A rule count before and after the switch; either may be null (not known). */
  public record RuleCount(Integer from, Integer to) {
    @JsonIgnore
    public boolean differs() {
      return from != null && to != null && !from.equals(to);
    }
  }

  /** The rule kinds ({@code redirects}, {@code headers}) whose counts are known to change. */
  @JsonIgnore
  public List<String> rulesChanged() {
    List<String> kinds = new ArrayList<>();
    if (rules != null) {
      rules.forEach(
          (kind, count) -> {
            if (count.differs()) {
              kinds.add(kind);
            }
          });
    }
    return kinds;
  }

  /** Names added, removed and modified, each sorted. */
  public record Changes(List<String> added, List<String> removed, List<String> modified) {
    @JsonIgnore
    public int total() {
      return added.size() + removed.size() + modified.size();
    }

    @JsonIgnore
    public boolean isEmpty() {
      return total() == 0;
    }
  }

  @JsonProperty("framework_changed")
  public boolean frameworkChanged() {
    return (frameworkFrom != null || frameworkTo != null)
        && !Objects.equals(frameworkFrom, frameworkTo);
  }

  /**
   * Compares the site going from {@code from} to {@code to}.
   *
   * @param envVars the site's env vars, or null when they could not be read
   * @param targetLiveUntil when the target stopped being the live deploy (its creation if never)
   */
  public static DeployComparison of(
      Deploy from,
      List<DeployFile> fromFiles,
      Deploy to,
      List<DeployFile> toFiles,
      List<EnvVar> envVars,
      Instant targetLiveUntil,
      String envNote,
      Map<String, String> served) {
    boolean listed = fromFiles != null && toFiles != null;
    Changes files = listed ? fileChanges(fromFiles, toFiles) : null;
    Changes functions = diff(functionsOf(from), functionsOf(to));
    List<String> config = listed ? new ArrayList<>() : null;
    for (String path :
        listed ? List.of("/_redirects", "/_headers", "/netlify.toml") : List.<String>of()) {
      if (Collections.binarySearch(files.added(), path) >= 0
          || Collections.binarySearch(files.removed(), path) >= 0
          || Collections.binarySearch(files.modified(), path) >= 0) {
        config.add(path);
      }
    }
    List<String> env = null;
    if (envVars != null) {
      env = new ArrayList<>();
      for (EnvVar v : envVars) {
        if (v.updatedAt() != null
            && targetLiveUntil != null
            && v.updatedAt().isAfter(targetLiveUntil)) {
          env.add(v.key());
        }
      }
      env.sort(null);
    }
    return new DeployComparison(
        files,
        functions,
        config == null ? null : List.copyOf(config),
        from.framework(),
        to.framework(),
        env == null ? null : List.copyOf(env),
        envNote,
        listed,
        served == null ? null : new java.util.TreeMap<>(served),
        ruleCounts(from, to));
  }

  private static Map<String, RuleCount> ruleCounts(Deploy from, Deploy to) {
    Map<String, RuleCount> counts = new TreeMap<>();
    counts.put("headers", new RuleCount(from.ruleCount("header"), to.ruleCount("header")));
    counts.put("redirects", new RuleCount(from.ruleCount("redirect"), to.ruleCount("redirect")));
    return counts;
  }

  /**
   * What going from {@code before} to {@code after} adds, removes and modifies (by path and SHA1),
   * each sorted. One map of {@code before}, emptied as {@code after} is walked: what is left was
   * removed. Listings run to 50,000 files, read in a fresh JVM, so every lookup counts.
   */
  static Changes fileChanges(List<DeployFile> before, List<DeployFile> after) {
    Map<String, String> left = new HashMap<>(before.size() * 4 / 3 + 1);
    for (DeployFile f : before) {
      if (f.path() != null) {
        left.put(slashed(f.path()), String.valueOf(f.sha()));
      }
    }
    List<String> added = new ArrayList<>();
    List<String> modified = new ArrayList<>();
    for (DeployFile f : after) {
      if (f.path() == null) {
        continue;
      }
      String path = slashed(f.path());
      String old = left.remove(path);
      if (old == null) {
        added.add(path);
      } else if (!old.equals(String.valueOf(f.sha()))) {
        modified.add(path);
      }
    }
    return sorted(added, new ArrayList<>(left.keySet()), modified);
  }

  private static String slashed(String path) {
    return path.startsWith("/") ? path : "/" + path;
  }

  private static Map<String, String> functionsOf(Deploy d) {
    Map<String, String> map = new TreeMap<>();
    for (Deploy.DeployFunction f : d.functionsOrEmpty()) {
      map.put(f.name(), String.valueOf(f.id()));
    }
    return map;
  }

  /** What going from {@code before} to {@code after} adds, removes and modifies, each sorted. */
  static Changes diff(Map<String, String> before, Map<String, String> after) {
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> modified = new ArrayList<>();
    for (Map.Entry<String, String> e : after.entrySet()) {
      String old = before.get(e.getKey());
      if (old == null) {
        added.add(e.getKey());
      } else if (!old.equals(e.getValue())) {
        modified.add(e.getKey());
      }
    }
    for (String key : before.keySet()) {
      if (!after.containsKey(key)) {
        removed.add(key);
      }
    }
    return sorted(added, removed, modified);
  }

  private static Changes sorted(List<String> added, List<String> removed, List<String> modified) {
    added.sort(null);
    removed.sort(null);
    modified.sort(null);
    return new Changes(List.copyOf(added), List.copyOf(removed), List.copyOf(modified));
  }
}
