package dev.devops.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/**
 * One finished step of a rollback, as kept in the history.
 *
 * @param name stable step name
 * @param outcome {@code done}, {@code failed} or {@code skipped}
 * @param startedAt when it started
 * @param durationMs how long it took
 * @param message what it did, or why it failed
 */
public record StepRecord(
    String name,
    String outcome,
    @JsonProperty("started_at") Instant startedAt,
    @JsonProperty("duration_ms") long durationMs,
    String message) {}
