package io.stowage.service;

import java.time.Clock;
import java.util.Objects;

/**
 * What a {@link MaintenanceJob} run is given: whether it is a dry run (count, change nothing), and the clock that
 * tells it how old things are.
 */
public record JobContext(boolean dryRun, Clock clock) {

    public JobContext {
        Objects.requireNonNull(clock, "clock");
    }
}
