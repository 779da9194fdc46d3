package dev.devops.engine;

/** Receives progress of the engine as it happens; the CLI renders lines or JSON events. */
@FunctionalInterface
public interface ProgressListener {
  ProgressListener NONE = event -> {};

  void onEvent(StepEvent event);

  /** A rollback step failed; automatic recovery starts right after this call. */
  default void onFailure(RollbackFailure failure) {}
}
