package dev.devops.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devops.netlify.Deploy;
import dev.devops.netlify.DeployFile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeployComparisonTest {
  private static final Instant T = Instant.parse("2026-11-01T10:00:00Z");
  private static final Deploy FROM = TestDeploys.ready("from", "v2", T, T);
  private static final Deploy TO = TestDeploys.ready("to", "v1", T.minusSeconds(60), T);

  private static DeployFile file(String path, String sha) {
    return new DeployFile(path, sha, 1L);
  }

  private static DeployComparison compare(List<DeployFile> current, List<DeployFile> target) {
    return DeployComparison.of(FROM, current, TO, target, null, T, null, null);
  }

  @Test
  void switchingAddsRemovesAndModifiesByPathAndSha1() {
    DeployComparison c =
        compare(
            List.of(
                file("/index.html", "a2"),
                file("/new.html", "n"),
                file("same.css", "s"),
                file("/_redirects", "r2")),
            List.of(
                file("/old.html", "o"),
                file("/index.html", "a1"),
                file("/same.css", "s"),
                file("/_redirects", "r1"),
                file("/gone/page.html", null)));

    assertThat(c.filesListed()).isTrue();
    assertThat(c.files().added()).containsExactly("/gone/page.html", "/old.html");
    assertThat(c.files().removed()).containsExactly("/new.html");
    assertThat(c.files().modified()).containsExactly("/_redirects", "/index.html");
    assertThat(c.configFiles()).containsExactly("/_redirects");
  }

  @Test
  void largeListingsCompareInSortedOrder() {
    List<DeployFile> current = new ArrayList<>();
    List<DeployFile> target = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      current.add(file("/p/" + i + ".html", i % 1000 == 0 ? "changed" : "same"));
      target.add(file("/p/" + (49_999 - i) + ".html", "same"));
    }
    current.add(file("/_headers", "h"));

    DeployComparison c = compare(current, target);
    assertThat(c.files().modified()).hasSize(50).isSorted();
    assertThat(c.files().added()).isEmpty();
    assertThat(c.files().removed()).containsExactly("/_headers");
    assertThat(c.configFiles()).containsExactly("/_headers");
  }

  @Test
  void unlistedFilesAreUnknownNotUnchanged() {
    DeployComparison c = compare(null, List.of(file("/index.html", "a")));
    assertThat(c.filesListed()).isFalse();
    assertThat(c.files()).isNull();
    assertThat(c.configFiles()).isNull();
  }
}
