package dev.devops.engine;

import dev.devops.engine.StepEvent.Status;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs named steps, tells the listener as each starts and ends (with time since the start of the
 * whole operation), and keeps a record of every step for the history.
 */
public final class StepJournal {
  private final Clock clock;
  private final ProgressListener listener;
  private final long startNanos = System.nanoTime();
  private final List<StepRecord> records = new ArrayList<>();
  private String failedStep;

  public StepJournal(Clock clock, ProgressListener listener) {
    this.clock = clock;
    this.listener = listener == null ? ProgressListener.NONE : listener;
  }

  /** Runs {@code action} as step {@code name}; {@code done} words the result line. */
  public <T> T run(String name, String startMessage, Supplier<T> action, DoneMessage<T> done) {
    Instant startedAt = clock.instant();
    long stepStart = System.nanoTime();
    emit(name, Status.STARTED, startMessage);
    try {
      T result = action.get();
      String message = done == null ? null : done.message(result);
      emit(name, Status.DONE, message);
      records.add(new StepRecord(name, "done", startedAt, millisSince(stepStart), message));
      return result;
    } catch (RuntimeException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      emit(name, Status.FAILED, message);
      records.add(new StepRecord(name, "failed", startedAt, millisSince(stepStart), message));
      if (failedStep == null) {
        failedStep = name;
      }
      throw e;
    }
  }

  /** Runs a step that returns nothing. */
  public void run(String name, String startMessage, Runnable action, String doneMessage) {
    run(
        name,
        startMessage,
        () -> {
          action.run();
          return Boolean.TRUE;
        },
        ignored -> doneMessage);
  }

  /** Records a step that was deliberately not run. */
  public void skip(String name, String reason) {
    emit(name, Status.SKIPPED, reason);
    records.add(new StepRecord(name, "skipped", clock.instant(), 0, reason));
  }

  /** A progress line that belongs to no step (for example "Starting rollback..."). */
  public void note(String name, String message) {
    emit(name, Status.DONE, message);
  }

  public ProgressListener listener() {
    return listener;
  }

  public List<StepRecord> records() {
    return List.copyOf(records);
  }

  /** The first step that failed, or null. */
  public String failedStep() {
    return failedStep;
  }

  public long elapsedMs() {
    return millisSince(startNanos);
  }

  private void emit(String name, Status status, String message) {
    listener.onEvent(new StepEvent(name, status, elapsedMs(), message));
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /** Words the line printed when a step is done, from its result. */
  @FunctionalInterface
  public interface DoneMessage<T> {
    String message(T result);
  }
}
