package io.stowage.layer;

import io.stowage.spi.BackendConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of {@link TimeoutLayer}, per kind of operation.
 *
 * @param metadata whole stat, exists, delete, list, copy and health calls
 * @param firstByte from calling get until the read is open (headers received)
 * @param readIdle the longest a single read of an open stream may block before the stream is cut
 * @param write a whole put, content included
 */
public record Timeouts(Duration metadata, Duration firstByte, Duration readIdle, Duration write) {

    public Timeouts {
        for (Duration d : new Duration[] {metadata, firstByte, readIdle, write}) {
            Objects.requireNonNull(d, "timeout");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive, was " + d);
            }
        }
    }

    public static Timeouts defaults() {
        return new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(30));
    }

    /** {@code timeout.metadata}, {@code timeout.first_byte}, {@code timeout.read_idle}, {@code timeout.write}. */
    public static Timeouts from(BackendConfig c) {
        Timeouts d = defaults();
        return new Timeouts(c.getDuration("timeout.metadata", d.metadata), c.getDuration("timeout.first_byte", d.firstByte),
                c.getDuration("timeout.read_idle", d.readIdle), c.getDuration("timeout.write", d.write));
    }
}
