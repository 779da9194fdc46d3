package dev.devops.cli;

import static dev.devops.engine.TestDeploys.ready;
import static dev.devops.engine.TestDeploys.site;

import dev.devops.engine.DeployHistory;
import dev.devops.netlify.Deploy;
import dev.devops.state.DeploymentRecords;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rendering of "📋 Recent Deployments" with the spec's example deploys. The spec's ages are not
 * consistent with its durations (v1.2.1 "3d ago" yet "72h active" before v1.2.2 went live "1d
 * ago"), so the times here follow the durations and v1.2.1 reads "4d ago".
 */
class DeploymentsViewTest {
  static final Instant NOW = Instant.parse("2024-01-20T12:00:00Z");

  @Test
  void rendersTheSpecExampleWithConsistentTimes() {
    // v1.2.0 live 168h, v1.2.1 72h, v1.2.2 24h, then v1.2.3 published 2h ago.
    Instant v123 = NOW.minus(Duration.ofHours(2));
    Instant v122 = v123.minus(Duration.ofHours(24));
    Instant v121 = v122.minus(Duration.ofHours(72));
    Instant v120 = v121.minus(Duration.ofHours(168));
    List<Deploy> deploys =
        List.of(
            ready("dep_xyz789", "v1.2.3", v123, v123),
            ready("dep_abc123", "v1.2.2", v122.minus(Duration.ofMinutes(3)), v122),
            ready("dep_def456", "v1.2.1", v121, v121),
            ready(
                "dep_ghi789",
                "v1.2.0",
                v120.plus(Duration.ofHours(130)).minus(Duration.ofDays(6)),
                v120));
    DeployHistory history =
        DeployHistory.of(site(deploys.get(0)), deploys, DeploymentRecords.empty(), NOW);

    String text = DeploymentsView.list(history, history.targets(), false, 5) + "\n";
    Golden.assertMatches("deployments-list-spec.txt", text);
  }
}
