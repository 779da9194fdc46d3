package dev.devops.engine;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.DeployFile;
import dev.devops.netlify.NetlifyClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The served bytes still match the deploy's files: the {@link Verifier}'s content check, on
 * index.html and a sample of the other files that moves on after every passing round, so that a
 * guard of a few minutes covers many files. A failing sample is checked again as it was, so that a
 * file that stays broken fails round after round and a passing glitch does not. Without a file
 * list, the site's index bytes are compared with the deploy's permalink.
 */
final class ContentProbe implements Probe {
  private final NetlifyClient client;
  private final Deploy deploy;
  private final String base;
  private final DeployFile index;
  private final List<DeployFile> others;
  private final int sample;
  private int offset;

  /**
   * @param files the deploy's files (paths with or without a leading slash), or null when unknown
   * @param sample how many files besides index.html one round compares
   */
  ContentProbe(
      NetlifyClient client, Deploy deploy, String base, List<DeployFile> files, int sample) {
    this.client = client;
    this.deploy = deploy;
    this.base = base;
    this.sample = Math.max(0, sample);
    List<DeployFile> served = files == null ? List.of() : served(files);
    DeployFile foundIndex = null;
    List<DeployFile> rest = new ArrayList<>();
    for (DeployFile f : served) {
      if (f.path().equals("/index.html")) {
        foundIndex = f;
      } else {
        rest.add(f);
      }
    }
    this.index = foundIndex;
    this.others = List.copyOf(rest);
  }

  /** Whether the deploy's files are known (else only the index bytes are compared). */
  boolean listed() {
    return index != null || !others.isEmpty();
  }

  @Override
  public String name() {
    return "content";
  }

  @Override
  public String describe() {
    if (!listed()) {
      return "content: the index bytes match the deploy's permalink (no file list)";
    }
    int perRound = (index == null ? 0 : 1) + Math.min(sample, others.size());
    return "content: "
        + perRound
        + " of "
        + (others.size() + (index == null ? 0 : 1))
        + " files per round match the deploy's SHA1s";
  }

  @Override
  public Outcome run() {
    List<DeployFile> chosen = listed() ? chosen() : null;
    int size = chosen == null ? 0 : chosen.size();
    VerificationResult.Check check =
        new Verifier(client, size, List.of()).content(base, deploy, chosen);
    if (check.ok() && !others.isEmpty()) {
      offset = (offset + Math.max(1, sample)) % others.size();
    }
    return new Outcome(check.ok(), check.detail());
  }

  /** index.html and the next {@code sample} files, wrapping around. */
  private List<DeployFile> chosen() {
    List<DeployFile> chosen = new ArrayList<>();
    if (index != null) {
      chosen.add(index);
    }
    int n = Math.min(sample, others.size());
    for (int i = 0; i < n; i++) {
      chosen.add(others.get((offset + i) % others.size()));
    }
    return chosen;
  }

  /** Files the site serves as they are, with a leading slash, sorted by path. */
  private static List<DeployFile> served(List<DeployFile> files) {
    return files.stream()
        .filter(f -> f.path() != null && f.sha() != null)
        .map(f -> f.path().startsWith("/") ? f : new DeployFile("/" + f.path(), f.sha(), f.size()))
        .filter(f -> !Verifier.CONFIG_FILES.contains(f.path()))
        .sorted(Comparator.comparing(DeployFile::path))
        .toList();
  }
}
