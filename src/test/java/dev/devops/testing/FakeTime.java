package dev.devops.testing;

import dev.devops.http.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A clock that moves on when the program sleeps, instead of waiting: the real time plus everything
 * slept so far. Given to the CLI as its clock ({@link Cli#clock}), it lets a two-minute guard
 * window run in the time its requests take. Actions can be set to run once the program has slept a
 * given total (a publish from elsewhere during the window, for example).
 */
public final class FakeTime extends Clock implements Sleeper {
  private record Due(long atSleptMs, Runnable action) {}

  private final List<Due> due = new ArrayList<>();
  private long sleptMs;

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public synchronized Instant instant() {
    return Instant.now().plusMillis(sleptMs);
  }

  /** The total the program has slept. */
  public synchronized Duration slept() {
    return Duration.ofMillis(sleptMs);
  }

  /** Runs {@code action} (on the sleeping thread) once the program has slept {@code total}. */
  public synchronized FakeTime afterSleeping(Duration total, Runnable action) {
    due.add(new Due(total.toMillis(), action));
    return this;
  }

  @Override
  public void sleep(long millis) {
    List<Runnable> now = new ArrayList<>();
    synchronized (this) {
      sleptMs += Math.max(0, millis);
      due.removeIf(
          d -> {
            if (d.atSleptMs() <= sleptMs) {
              now.add(d.action());
              return true;
            }
            return false;
          });
    }
    now.forEach(Runnable::run);
    Thread.yield();
  }
}
