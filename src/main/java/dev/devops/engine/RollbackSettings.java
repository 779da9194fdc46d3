package dev.devops.engine;

import java.time.Duration;
import java.util.List;

/**
 * How a rollback runs.
 *
 * @param publishTimeout how long to wait for the site to serve the target
 * @param verifySample how many files besides index.html a verification compares
 * @param healthPaths site paths that must answer 2xx
 * @param lockWait how long to wait for another rollback's site lock before refusing
 */
public record RollbackSettings(
    Duration publishTimeout, int verifySample, List<String> healthPaths, Duration lockWait) {}
