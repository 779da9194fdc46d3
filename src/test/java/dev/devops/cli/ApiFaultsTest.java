package dev.devops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.devops.local.Fault;
import dev.devops.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How every project command behaves when the API misbehaves: one clear line, the documented exit
 * code, no stack trace without --debug. Exercised through {@code deployments list}, the command the
 * plugin runs first, plus {@code status}.
 */
class ApiFaultsTest extends PlatformTest {
  PlatformProject project;

  @BeforeEach
  void linkProject() {
    faults().clear();
    project = project("faults-" + Long.toHexString(System.nanoTime()));
    project.deploy("Release v1.0.0");
    project.deploy("Release v1.0.1");
    faults().resetCalls();
  }

  private Cli.Result list() {
    return project.cli.run("deployments", "list", "--json");
  }

  @Test
  void wrongTokenExits5() {
    Cli.Result r =
        project.cli.env("NETLIFY_AUTH_TOKEN", "not-the-token").run("deployments", "list");
    PlatformProject.assertOneLineError(
        r, ExitCode.AUTH.code(), "Netlify refused the token (401): set NETLIFY_AUTH_TOKEN");
  }

  @Test
  void unknownSiteExits6() throws IOException {
    Files.writeString(
        dir.resolve(".devops/config.json"),
        "{\"platform\":\"netlify\",\"site_id\":\"no-such-site\",\"api_url\":\""
            + platform.apiUrl()
            + "\"}");
    Cli.Result r = project.cli.run("status");
    PlatformProject.assertOneLineError(
        r, ExitCode.NOT_FOUND.code(), "Not found (404): getSite /sites/no-such-site");
  }

  @Test
  void serverErrorsAreRetriedThenSucceed() {
    faults().inject(Fault.on("listSiteDeploys").status(500).times(2));
    Cli.Result r = list();
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(faults().calls("listSiteDeploys")).isEqualTo(3);
  }

  @Test
  void persistentServerErrorsExit7() {
    faults().inject(Fault.on("getSite").status(502).times(Integer.MAX_VALUE));
    Cli.Result r = project.cli.run("status");
    PlatformProject.assertOneLineError(r, ExitCode.API.code(), "Netlify API getSite failed: 502");
    assertThat(faults().calls("getSite")).isEqualTo(3);
  }

  @Test
  void rateLimitWaitsUntilResetThenSucceeds() {
    faults().rateLimit(1, Duration.ofMillis(1500));
    Cli.Result r = list();
    assertThat(r.exitCode()).as(r.err()).isZero();
    // Either a 429 was met and retried after the reset, or the client saw the limit spent in the
    // first answer's X-RateLimit-* headers and waited before asking again: both calls were made.
    assertThat(faults().calls("getSite")).isPositive();
    assertThat(faults().calls("listSiteDeploys")).isPositive();
  }

  @Test
  void timeoutsExit7() {
    faults().inject(Fault.on("getSite").delay(Duration.ofSeconds(3)).times(3));
    Cli.Result r = project.cli.env("DEVOPS_TIMEOUT_SECONDS", "0.3").run("status");
    PlatformProject.assertOneLineError(
        r, ExitCode.API.code(), "Netlify API unreachable during getSite (timed out)");
  }

  @Test
  void droppedConnectionIsRetried() {
    faults().inject(Fault.on("getSite").dropConnection());
    Cli.Result r = project.cli.run("status", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(faults().calls("getSite")).isEqualTo(2);
  }

  @Test
  void persistentlyDroppedConnectionExits7() {
    faults().inject(Fault.on("getSite").dropConnection().times(Integer.MAX_VALUE));
    Cli.Result r = project.cli.run("status");
    PlatformProject.assertOneLineError(
        r,
        ExitCode.API.code(),
        "Netlify API unreachable during getSite (connection closed before a complete answer)");
  }

  @Test
  void malformedBodyIsFetchedAgain() {
    faults().inject(Fault.on("listSiteDeploys").malformedBody());
    Cli.Result r = list();
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(PlatformProject.json(r).get("targets")).hasSize(1);
  }

  @Test
  void persistentlyMalformedBodyExits7() {
    faults().inject(Fault.on("listSiteDeploys").malformedBody().times(Integer.MAX_VALUE));
    PlatformProject.assertOneLineError(
        list(), ExitCode.API.code(), "Netlify API returned a malformed body for listSiteDeploys.");
  }

  @Test
  void debugShowsRequestsAndTheTraceButNeverTheToken() {
    faults().inject(Fault.on("getSite").status(500).times(Integer.MAX_VALUE));
    Cli.Result r = project.cli.run("status", "--debug");
    assertThat(r.exitCode()).isEqualTo(ExitCode.API.code());
    assertThat(r.err())
        .contains("--> GET ")
        .contains("<-- 500 getSite")
        .contains("\tat dev.devops.");
    assertThat(r.all()).doesNotContain(platform.token());
  }

  @Test
  void invalidDeployIdIsRefusedBeforeAnyRequest() {
    Cli.Result r = project.cli.run("logs", "--deployment", "../../sites");
    PlatformProject.assertOneLineError(r, ExitCode.USAGE.code(), "Invalid id '../../sites'");
  }
}
