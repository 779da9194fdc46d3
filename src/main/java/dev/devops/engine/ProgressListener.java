package dev.devops.engine;

/**
 * Receives progress of the engine as it happens (steps, and a backup's bytes as they are stored);
 * the CLI renders lines or JSON events.
 */
@FunctionalInterface
public interface ProgressListener extends BackupStore.FetchListener {
  ProgressListener NONE = event -> {};

  void onEvent(StepEvent event);

  /** A rollback step failed; automatic recovery starts right after this call. */
  default void onFailure(RollbackFailure failure) {}

  /**
   * The process is being stopped (Ctrl-C, SIGTERM) mid-switch; {@code record} says where the site
   * was left. Called from a shutdown hook.
   */
  default void onInterrupted(RollbackRecord record) {}
}
