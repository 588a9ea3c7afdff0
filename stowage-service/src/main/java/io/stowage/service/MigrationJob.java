package io.stowage.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A migration job as the catalog holds it. Counts are of versions (each is one object): {@code filesTotal} grows
 * when the final pass finds versions written while the job ran.
 *
 * @param state {@code running}, {@code paused} (a backend is away; the job retries until it returns),
 *     {@code cancelling}, {@code cancelled}, {@code completed}, {@code rolling_back}, {@code rolled_back},
 *     {@code failed} (a rollback left versions it could not move back; {@code detail} says how many)
 * @param filter owner, prefix, segment, tier and committed_before, as given
 * @param detail the last pause's cause, or why the job stopped; {@code ""} when there is nothing to say
 */
public record MigrationJob(String id, String source, String target, Map<String, String> filter, boolean deleteSource,
                           int batchSize, int parallel, String state, long filesTotal, long bytesTotal,
                           long filesDone, long bytesDone, long filesFailed, Instant created, Instant updated,
                           Optional<Instant> finished, String detail) {

    public static final String RUNNING = "running";
    public static final String PAUSED = "paused";
    public static final String CANCELLING = "cancelling";
    public static final String CANCELLED = "cancelled";
    public static final String COMPLETED = "completed";
    public static final String ROLLING_BACK = "rolling_back";
    public static final String ROLLED_BACK = "rolled_back";
    public static final String FAILED = "failed";

    public MigrationJob {
        filter = Map.copyOf(filter);
    }

    /** Whether a process is (or, after a crash, was) working on the job: it may be resumed. */
    public boolean active() {
        return state.equals(RUNNING) || state.equals(PAUSED) || state.equals(CANCELLING) || state.equals(ROLLING_BACK);
    }

    /** Bytes per second since the job was created, up to its last update. */
    public double bytesPerSecond() {
        double seconds = Math.max(0.001, Duration.between(created, updated).toMillis() / 1000.0);
        return bytesDone / seconds;
    }

    /** Versions per second since the job was created, up to its last update. */
    public double filesPerSecond() {
        double seconds = Math.max(0.001, Duration.between(created, updated).toMillis() / 1000.0);
        return filesDone / seconds;
    }

    /** What is left at the rate so far; empty before the first byte moved or once nothing is left. */
    public Optional<Duration> eta() {
        long left = bytesTotal - bytesDone;
        double rate = bytesPerSecond();
        if (left <= 0 || rate <= 0 || !active()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis((long) (left / rate * 1000)));
    }
}
