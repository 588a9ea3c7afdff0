package io.stowage.layer;

import io.stowage.StorageException;
import io.stowage.spi.BackendConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The bounds of {@link TimeoutLayer}, per kind of operation, and how they are enforced.
 *
 * @param metadata whole stat, exists, delete, list, copy and health calls
 * @param firstByte from calling get until the read is open (headers received)
 * @param readIdle the longest a single read of an open stream may block before the stream is cut
 * @param write a whole put, content included
 * @param mode how a call or read is bounded (decision 0012)
 */
public record Timeouts(Duration metadata, Duration firstByte, Duration readIdle, Duration write, Mode mode) {

    /** How the bounds are enforced (decision 0012). */
    public enum Mode {
        /**
         * Calls and reads run on the caller's thread; one shared watchdog thread interrupts a call past
         * its bound and interrupts and closes a stalled read. Costs a caller next to nothing; a call
         * that honours neither interrupt nor close holds its caller until the backend's own timeouts
         * end it.
         */
        WATCHDOG,
        /**
         * Every call and every read is handed to a virtual thread and the caller waits at most the bound,
         * whatever the backend does; costs a hand-off per call and per read.
         */
        HANDOFF
    }

    public Timeouts {
        for (Duration d : new Duration[] {metadata, firstByte, readIdle, write}) {
            Objects.requireNonNull(d, "timeout");
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive, was " + d);
            }
        }
        Objects.requireNonNull(mode, "mode");
    }

    /** These bounds, enforced by the watchdog (the default mode). */
    public Timeouts(Duration metadata, Duration firstByte, Duration readIdle, Duration write) {
        this(metadata, firstByte, readIdle, write, Mode.WATCHDOG);
    }

    public static Timeouts defaults() {
        return new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(30));
    }

    /** These bounds enforced in {@code m}. */
    public Timeouts withMode(Mode m) {
        return new Timeouts(metadata, firstByte, readIdle, write, m);
    }

    /**
     * {@code timeout.metadata}, {@code timeout.first_byte}, {@code timeout.read_idle}, {@code timeout.write},
     * {@code timeout.mode} ({@code watchdog} or {@code handoff}).
     */
    public static Timeouts from(BackendConfig c) {
        Timeouts d = defaults();
        String mode = c.get("timeout.mode", "watchdog").toLowerCase(Locale.ROOT);
        Mode m = switch (mode) {
            case "watchdog" -> Mode.WATCHDOG;
            case "handoff" -> Mode.HANDOFF;
            default -> throw StorageException.config("backend '" + c.name()
                    + "' setting 'timeout.mode' must be watchdog or handoff, was '" + mode + "'");
        };
        return new Timeouts(c.getDuration("timeout.metadata", d.metadata), c.getDuration("timeout.first_byte", d.firstByte),
                c.getDuration("timeout.read_idle", d.readIdle), c.getDuration("timeout.write", d.write), m);
    }
}
