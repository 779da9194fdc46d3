package dev.devops.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.devops.local.Fault;
import dev.devops.netlify.NetlifyClient;
import dev.devops.testing.PlatformFixture;
import dev.devops.testing.PlatformFixture.DeployOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's actions on their own, without the CLI layer: planner, executor, recoverer and the
 * whole rollback, driven through their listeners against the real local platform.
 */
class RollbackActionTest {
  @TempDir static Path platformDir;
  static PlatformFixture platform;
  @TempDir Path project;

  @BeforeAll
  static void start() {
    platform = PlatformFixture.start(platformDir);
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  private record Site(EngineContext ctx, String v1, String v2, String v3) {}

  private Site site(String name) {
    String siteId = platform.createSite(name);
    String v1 = platform.deploy(siteId, Map.of("index.html", "one"), DeployOptions.prod("v1.0.0"));
    String v2 = platform.deploy(siteId, Map.of("index.html", "two"), DeployOptions.prod("v2.0.0"));
    String v3 =
        platform.deploy(siteId, Map.of("index.html", "three"), DeployOptions.prod("v3.0.0"));
    NetlifyClient client =
        new NetlifyClient(
            new NetlifyClient.Options(
                platform.apiUrl(),
                platform.token(),
                "devops/test",
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                1,
                Duration.ofMillis(5),
                Duration.ofSeconds(5),
                null));
    RollbackSettings settings =
        new RollbackSettings(Duration.ofSeconds(20), 5, List.of("/"), Duration.ofSeconds(1));
    EngineContext ctx =
        new EngineContext(
            client,
            project,
            project.resolve(".devops"),
            siteId,
            Clock.systemUTC(),
            settings,
            "tester");
    return new Site(ctx, v1, v2, v3);
  }

  private static String published(Site s) {
    return s.ctx().client().getSite(s.ctx().siteId()).publishedDeploy().id();
  }

  /** Records what the action told it, and answers the confirmation with {@code reason}. */
  private static final class Recording implements RollbackAction.Listener {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final List<StepEvent> steps = Collections.synchronizedList(new ArrayList<>());
    private final String reason;

    Recording(String reason) {
      this.reason = reason;
    }

    @Override
    public void onEvent(StepEvent event) {
      steps.add(event);
    }

    @Override
    public void history(SiteHistory.Page page) {
      calls.add("history");
    }

    @Override
    public void target(RollbackPlanner.TargetChoice choice, String version, boolean requested) {
      calls.add("target " + version);
    }

    @Override
    public void impact(RollbackPlanner.Impact impact) {
      calls.add("impact");
    }

    @Override
    public String confirm(RollbackPlanner.Impact impact, boolean lock) {
      calls.add("confirm");
      if (reason == null) {
        throw new IllegalStateException("declined");
      }
      return reason;
    }

    @Override
    public void backupCreated(BackupStore.Backup backup) {
      calls.add("backup");
    }
  }

  @Test
  void theWholeRollbackRunsInOrderAndIsVerified() {
    Site s = site("action-flow");
    Recording listener = new Recording("broken");
    RollbackAction.Result result =
        new RollbackAction(s.ctx())
            .run(new RollbackAction.Request(null, false, true, false, null), listener);
    assertThat(result.outcome()).isEqualTo(RollbackOutcome.VERIFIED);
    assertThat(listener.calls)
        .containsExactly("history", "target v2.0.0", "impact", "confirm", "backup");
    assertThat(listener.steps).extracting(StepEvent::step).contains("restore", "lock", "verify");
    assertThat(published(s)).isEqualTo(s.v2());
    assertThat(result.record().reason()).isEqualTo("broken");
    assertThat(result.nextTarget()).isEqualTo("v1.0.0");
  }

  @Test
  void aDryRunNeverAsksAndChangesNothing() {
    Site s = site("action-dry");
    Recording listener = new Recording(null);
    RollbackAction.Result result =
        new RollbackAction(s.ctx())
            .run(new RollbackAction.Request("v1.0.0", true, true, false, null), listener);
    assertThat(result.outcome()).isEqualTo(RollbackOutcome.DRY_RUN);
    assertThat(listener.calls).doesNotContain("confirm", "backup");
    assertThat(published(s)).isEqualTo(s.v3());
    assertThat(s.ctx().stateDir().resolve("backups")).doesNotExist();
  }

  @Test
  void aRefusedConfirmationChangesNothing() {
    Site s = site("action-declined");
    assertThatThrownBy(
            () ->
                new RollbackAction(s.ctx())
                    .run(
                        new RollbackAction.Request(null, false, true, false, null),
                        new Recording(null)))
        .hasMessage("declined");
    assertThat(published(s)).isEqualTo(s.v3());
    assertThat(new RollbackHistory(s.ctx().stateDir()).all()).isEmpty();
  }

  @Test
  void theDeployTheUserSawMustStillBeLive() {
    Site s = site("action-expect");
    Recording listener = new Recording("x");
    assertThatThrownBy(
            () ->
                new RollbackAction(s.ctx())
                    .run(new RollbackAction.Request(null, false, true, false, s.v1()), listener))
        .isInstanceOfSatisfying(
            RollbackException.class,
            e -> assertThat(e.kind()).isEqualTo(RollbackException.Kind.CONFLICT));
    assertThat(listener.calls).doesNotContain("confirm");
    assertThat(published(s)).isEqualTo(s.v3());
  }

  @Test
  void thePlannerSkipsBadDeploysAndBlocksTheCurrentOne() {
    Site s = site("action-planner");
    s.ctx().records().markBad(s.v2(), "broken", "rb-x");
    SiteHistory.Page page = s.ctx().history().recent(5);
    RollbackPlanner.TargetChoice choice = RollbackPlanner.chooseTarget(page.history(), null);
    assertThat(choice.targetId()).isEqualTo(s.v1());
    assertThat(choice.skipped()).extracting(RollbackPlanner.Skipped::id).containsExactly(s.v2());
    RollbackPlanner.Validation current =
        new RollbackPlanner(s.ctx().client(), s.ctx().records())
            .validate(page.history(), s.v3(), false);
    assertThat(current.ok()).isFalse();
    assertThat(current.reason()).contains("already the published deploy");
  }

  @Test
  void theExecutorComparesAndSwapsAndTheRecovererUndoes() {
    Site s = site("action-executor");
    RollbackExecutor executor = new RollbackExecutor(s.ctx());
    assertThatThrownBy(
            () ->
                executor.execute(
                    new RollbackExecutor.Request(
                        s.ctx().siteId(), s.v1(), s.v2(), true, "cas", "tester", null),
                    ProgressListener.NONE))
        .isInstanceOfSatisfying(
            RollbackException.class,
            e -> assertThat(e.kind()).isEqualTo(RollbackException.Kind.CONFLICT));
    assertThat(published(s)).isEqualTo(s.v3());

    RollbackExecutor.Result done =
        executor.execute(
            new RollbackExecutor.Request(
                s.ctx().siteId(), s.v1(), s.v3(), true, "go", "tester", null),
            ProgressListener.NONE);
    assertThat(done.outcome()).isEqualTo(RollbackOutcome.VERIFIED);
    assertThat(published(s)).isEqualTo(s.v1());

    RollbackRecord undone =
        new Recoverer(s.ctx()).recover(done.record().id(), false, ProgressListener.NONE);
    assertThat(RollbackOutcome.Recovery.of(undone)).isEqualTo(RollbackOutcome.Recovery.RECOVERED);
    assertThat(published(s)).isEqualTo(s.v3());
  }

  @Test
  void aFailedSwitchIsRecoveredByItself() throws Exception {
    Site s = site("action-recover");
    platform.platform().faults().inject(Fault.on("lockDeploy").status(500).times(3));
    try {
      RollbackAction.Result result =
          new RollbackAction(s.ctx())
              .run(new RollbackAction.Request(null, false, true, false, null), new Recording("x"));
      assertThat(result.outcome()).isEqualTo(RollbackOutcome.RECOVERED);
      assertThat(published(s)).isEqualTo(s.v3());
      assertThat(Files.list(s.ctx().stateDir().resolve("backups")).count()).isPositive();
    } finally {
      platform.platform().faults().clear();
    }
  }
}
