package dev.devops.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.devops.netlify.Deploy;
import dev.devops.netlify.DeployFile;
import dev.devops.netlify.EnvVar;
import java.time.Instant;
import java.util.ArrayList;
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
 * @param filesListed Netlify listed both deploys' files (else {@code files} is empty, not known)
 */
public record DeployComparison(
    Changes files,
    Changes functions,
    @JsonProperty("config_files") List<String> configFiles,
    @JsonProperty("framework_from") String frameworkFrom,
    @JsonProperty("framework_to") String frameworkTo,
    @JsonProperty("env_changed") List<String> envChanged,
    @JsonProperty("env_note") String envNote,
    @JsonProperty("files_listed") boolean filesListed) {

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
      String envNote) {
    boolean listed = fromFiles != null && toFiles != null;
    Map<String, String> before = listed ? shaByPath(fromFiles) : Map.of();
    Map<String, String> after = listed ? shaByPath(toFiles) : Map.of();
    Changes files = diff(before, after);
    Changes functions = diff(functionsOf(from), functionsOf(to));
    List<String> config = new ArrayList<>();
    for (String path : List.of("/_redirects", "/_headers", "/netlify.toml")) {
      if (!Objects.equals(before.get(path), after.get(path))) {
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
        List.copyOf(config),
        from.framework(),
        to.framework(),
        env == null ? null : List.copyOf(env),
        envNote,
        listed);
  }

  static Map<String, String> shaByPath(List<DeployFile> files) {
    Map<String, String> map = new HashMap<>(files.size() * 4 / 3 + 1);
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
    added.sort(null);
    removed.sort(null);
    modified.sort(null);
    return new Changes(List.copyOf(added), List.copyOf(removed), List.copyOf(modified));
  }
}
