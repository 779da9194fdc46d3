package dev.devops.engine;

/**
 * What the "Rollback failed!" block shows, before recovery starts.
 *
 * @param rollbackId the id to quote to support and to emergency-recover
 * @param error what went wrong
 * @param failedStep the step that failed
 * @param backup the backup directory (relative to the project), or null
 * @param currentState where the site is now, as read from the API
 */
public record RollbackFailure(
    String rollbackId, String error, String failedStep, String backup, String currentState) {}
