package io.stowage.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A maintenance job as {@link Maintenance#status()} shows it: its interval ({@link Duration#ZERO} when it runs only
 * when asked), its latest run, and the node holding its lease (running it) with when the lease expires.
 */
public record JobStatus(String job, Duration interval, Optional<JobRun> last, Optional<String> heldBy,
                        Optional<Instant> leaseExpires) {
}
