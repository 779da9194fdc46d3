package dev.devops.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateBudgetTest {
  private final long[] now = {10_000_000L};
  private final List<Long> waits = new ArrayList<>();
  private final Sleeper sleeper =
      millis -> {
        waits.add(millis);
        now[0] += millis;
      };

  @Test
  void startsFromThePublishedLimitAndWaitsForTheWindowWhenSpent() throws Exception {
    RateBudget budget = new RateBudget(3, Duration.ofSeconds(60), () -> now[0]);
    for (int i = 0; i < 3; i++) {
      budget.acquire(sleeper);
    }
    assertThat(waits).isEmpty();
    budget.acquire(sleeper);
    assertThat(waits).containsExactly(60_000L);
    assertThat(budget.remaining()).isEqualTo(2);
  }

  @Test
  void followsTheServerWhenItReportsLessThanAssumed() throws Exception {
    RateBudget budget = new RateBudget(500, Duration.ofSeconds(60), () -> now[0]);
    budget.acquire(sleeper);
    // Another client spent most of the window: the server says 2 are left, reset in 30 s.
    budget.answered(200, 500, 2, now[0] / 1000 + 30);
    budget.acquire(sleeper);
    budget.answered(200, 500, 1, now[0] / 1000 + 30);
    budget.acquire(sleeper);
    assertThat(waits).isEmpty();
    budget.acquire(sleeper);
    assertThat(waits).hasSize(1);
    assertThat(waits.get(0)).isBetween(29_000L, 30_000L);
  }

  @Test
  void countsRequestsStillInFlight() throws Exception {
    RateBudget budget = new RateBudget(500, Duration.ofSeconds(60), () -> now[0]);
    for (int i = 0; i < 4; i++) {
      budget.acquire(sleeper);
    }
    // The first answer's count does not include the three requests still in flight.
    budget.answered(200, 500, 10, now[0] / 1000 + 60);
    assertThat(budget.remaining()).isEqualTo(7);
  }

  @Test
  void aNewServerWindowRestoresTheBudget() throws Exception {
    RateBudget budget = new RateBudget(500, Duration.ofSeconds(60), () -> now[0]);
    budget.acquire(sleeper);
    budget.answered(200, 500, 0, now[0] / 1000 + 5);
    assertThat(budget.remaining()).isZero();
    now[0] += 6_000;
    budget.acquire(sleeper);
    budget.answered(200, 500, 499, now[0] / 1000 + 60);
    assertThat(budget.remaining()).isEqualTo(499);
    assertThat(waits).isEmpty();
  }

  @Test
  void aServerThatSendsNoRateHeadersIsNotPaced() throws Exception {
    RateBudget budget = new RateBudget(2, Duration.ofSeconds(60), () -> now[0]);
    budget.acquire(sleeper);
    budget.answered(401, null, null, null); // an error without headers says nothing
    budget.acquire(sleeper);
    budget.answered(200, null, null, null);
    for (int i = 0; i < 10; i++) {
      budget.acquire(sleeper);
    }
    assertThat(waits).isEmpty();
    budget.answered(200, 500, 3, now[0] / 1000 + 60); // metered again from here on
    assertThat(budget.remaining()).isZero(); // 3 left, minus the 9 requests still in flight
  }

  @Test
  void estimatesHowLongAnyNumberOfRequestsTakes() throws Exception {
    RateBudget budget = new RateBudget(500, Duration.ofSeconds(60), () -> now[0]);
    assertThat(budget.timeFor(400)).isZero();
    assertThat(budget.timeFor(501)).isEqualTo(Duration.ofSeconds(60));
    assertThat(budget.timeFor(1_600)).isEqualTo(Duration.ofSeconds(180));
  }

  @Test
  void aPauseIsNeitherLengthenedNorEndedByAnswersFromBeforeIt() throws Exception {
    RateBudget budget = new RateBudget(500, Duration.ofSeconds(60), () -> now[0]);
    budget.acquire(sleeper);
    budget.acquire(sleeper);
    budget.pauseFor(1_000); // the first request met a 429 that lifts in a second
    // The other one, answered after, says the window has plenty left until it ends in 60 s.
    budget.answered(200, 500, 498, now[0] / 1000 + 60);
    budget.acquire(sleeper);
    assertThat(waits).containsExactly(1_000L);
    assertThat(budget.remaining()).isEqualTo(497);
  }
}
