package dev.devops.engine;

import static dev.devops.engine.TestDeploys.deploy;
import static dev.devops.engine.TestDeploys.ready;
import static dev.devops.engine.TestDeploys.site;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devops.netlify.Deploy;
import dev.devops.state.DeployRecord;
import dev.devops.state.DeploymentRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeployHistoryTest {
  static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");

  static Instant at(int hours) {
    return T0.plus(Duration.ofHours(hours));
  }

  @Test
  void currentTargetsStatusesAndLiveDurations() {
    List<Deploy> deploys =
        List.of(
            deploy("d5", "building", "v5.0.0", null, at(50), null),
            ready("d4", "v4.0.0", at(40), at(40)),
            deploy("d3", "error", "v3.0.0", null, at(30), null),
            ready("d2", "v2.0.0", at(20), at(20)),
            ready("d1", "v1.0.0", at(10), at(10)),
            ready("d0", "draft only", at(5), null));
    DeploymentRecords records = DeploymentRecords.empty();
    records.markBad("d2", "bad", "rb");
    DeployHistory h = DeployHistory.of(site(deploys.get(1)), deploys, records, at(44));

    assertThat(h.current().orElseThrow().id()).isEqualTo("d4");
    assertThat(h.current().get().status()).isEqualTo(DeployStatus.LIVE);
    records.markVerified("d4", at(44));
    assertThat(DeployHistory.of(site(deploys.get(1)), deploys, records, at(44)).current())
        .map(DeployEntry::status)
        .contains(DeployStatus.HEALTHY);
    assertThat(h.current().get().liveFor()).isEqualTo(Duration.ofHours(4));
    assertThat(h.targets()).extracting(DeployEntry::id).containsExactly("d2", "d1", "d0");
    assertThat(h.targets())
        .extracting(DeployEntry::status)
        .containsExactly(DeployStatus.BAD, DeployStatus.STABLE, DeployStatus.STABLE);
    assertThat(h.targets())
        .extracting(DeployEntry::liveFor)
        .containsExactly(Duration.ofHours(20), Duration.ofHours(10), null);
    assertThat(h.entries())
        .extracting(DeployEntry::status)
        .containsExactly(
            DeployStatus.BUILDING,
            DeployStatus.LIVE,
            DeployStatus.FAILED,
            DeployStatus.BAD,
            DeployStatus.STABLE,
            DeployStatus.STABLE);
    assertThat(h.lastKnownGood().orElseThrow().id()).isEqualTo("d1");
    assertThat(DeployStatus.BAD.label()).isEqualTo("Bad");
    assertThat(DeployStatus.HEALTHY.json()).isEqualTo("healthy");
  }

  @Test
  void theLiveDeployIsTakenFromTheSiteWhenOlderThanThePage() {
    Deploy old = ready("old", "v0.9.0", at(1), at(60));
    List<Deploy> page =
        List.of(ready("n2", "v1.1.0", at(50), at(50)), ready("n1", "v1.0.0", at(40), at(40)));
    DeployHistory h = DeployHistory.of(site(old), page, DeploymentRecords.empty(), at(61));
    assertThat(h.current().orElseThrow().id()).isEqualTo("old");
    assertThat(h.targets()).extracting(DeployEntry::id).containsExactly("n2", "n1");
    assertThat(h.targets().get(0).liveFor()).isEqualTo(Duration.ofHours(10));
  }

  @Test
  void versionLabels() {
    DeploymentRecords records = DeploymentRecords.empty();
    records.recordDeploy(new DeployRecord("rec", "s", "release-7", null, null, true, "ready", T0));
    assertThat(DeployHistory.versionLabel(ready("rec", "v1.0.0", T0, T0), records))
        .isEqualTo("release-7");
    assertThat(DeployHistory.versionLabel(ready("a", "Deploy v1.2.3 · fix", T0, T0), records))
        .isEqualTo("v1.2.3");
    assertThat(DeployHistory.versionLabel(ready("b", "1.2.3-rc.1+b5 hotfix", T0, T0), records))
        .isEqualTo("1.2.3-rc.1+b5");
    assertThat(
            DeployHistory.versionLabel(deploy("c", "ready", "no tag", "v2.0.0", T0, T0), records))
        .isEqualTo("v2.0.0");
    assertThat(
            DeployHistory.versionLabel(
                deploy("d", "ready", "ip 10.0.0.1.5", "abcdef0123456789", T0, T0), records))
        .isEqualTo("abcdef0");
    assertThat(DeployHistory.versionLabel(deploy("e", "ready", null, "main", T0, T0), records))
        .isEqualTo("e");
  }

  @Test
  void findByIdOrVersion() {
    List<Deploy> deploys =
        List.of(
            ready("d3", "v1.0.1", at(3), at(3)),
            deploy("d2", "error", "v1.0.1", null, at(2), null),
            ready("d1", "v1.0.0", at(1), at(1)),
            ready("d0", "v1.0.0", at(0), at(0)));
    DeployHistory h =
        DeployHistory.of(site(deploys.get(0)), deploys, DeploymentRecords.empty(), at(4));
    assertThat(h.find("d1").orElseThrow().id()).isEqualTo("d1");
    assertThat(h.find("1.0.1").orElseThrow().id()).isEqualTo("d3");
    assertThat(h.find("v9")).isEmpty();
    assertThatThrownBy(() -> h.find("v1.0.0"))
        .isInstanceOfSatisfying(
            RollbackException.class,
            e -> assertThat(e.kind()).isEqualTo(RollbackException.Kind.AMBIGUOUS_TARGET))
        .hasMessageContaining("d1, d0");
  }
}
