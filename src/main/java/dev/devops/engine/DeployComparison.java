package dev.devops.engine;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.DeployFile;
import dev.devops.netlify.EnvVar;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What changes when the site goes from one deploy to another, computed from the two deploys'
 * file lists (path and SHA1), their functions and frameworks, and the site's env vars. Pure.
 *
 * @param files paths added, removed and modified by the switch
 * @param functions functions added, removed and changed by the switch
 * @param configFiles {@code _redirects}, {@code _headers} and {@code netlify.toml} that change
 * @param frameworkFrom the current deploy's framework (may be null)
 * @param frameworkTo the target's framework (may be null)
 * @param envChanged env var keys updated after the target stopped being live (null: not checked)
 * @param envNote why env vars could not be checked, or null
 */
public record DeployComparison(
    Changes files,
    Changes functions,
    List<String> configFiles,
    String frameworkFrom,
    String frameworkTo,
    List<String> envChanged,
    String envNote) {

  /** Names added, removed and modified, each sorted. */
  public record Changes(List<String> added, List<String> removed, List<String> modified) {
    public int total() {
      return added.size() + removed.size() + modified.size();
    }

    public boolean isEmpty() {
      return total() == 0;
    }
  }

  public boolean frameworkChanged() {
    return (frameworkFrom != null || frameworkTo != null) && !Objects.equals(frameworkFrom, frameworkTo);
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
      String envNote) {
    Changes files = diff(shaByPath(fromFiles), shaByPath(toFiles));
    Changes functions = diff(functionsOf(from), functionsOf(to));
    List<String> config = new ArrayList<>();
    for (String path : List.of("/_redirects", "/_headers", "/netlify.toml")) {
      if (files.added().contains(path) || files.removed().contains(path) || files.modified().contains(path)) {
        config.add(path);
      }
    }
    List<String> env = null;
    if (envVars != null) {
      env = new ArrayList<>();
      for (EnvVar v : envVars) {
        if (v.updatedAt() != null && targetLiveUntil != null && v.updatedAt().isAfter(targetLiveUntil)) {
          env.add(v.key());
        }
      }
      env.sort(null);
    }
    return new DeployComparison(
        files, functions, List.copyOf(config), from.framework(), to.framework(),
        env == null ? null : List.copyOf(env), envNote);
  }

  static Map<String, String> shaByPath(List<DeployFile> files) {
    Map<String, String> map = new TreeMap<>();
    for (DeployFile f : files) {
      if (f.path() != null) {
        map.put(f.path().startsWith("/") ? f.path() : "/" + f.path(), String.valueOf(f.sha()));
      }
    }
    return map;
  }

  private static Map<String, String> functionsOf(Deploy d) {
    Map<String, String> map = new TreeMap<>();
    for (Deploy.DeployFunction f : d.functionsOrEmpty()) {
      map.put(f.name(), String.valueOf(f.id()));
    }
    return map;
  }

  /** What going from {@code before} to {@code after} adds, removes and modifies. */
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
    return new Changes(List.copyOf(added), List.copyOf(removed), List.copyOf(modified));
  }
}
