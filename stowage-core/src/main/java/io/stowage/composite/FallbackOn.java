package io.stowage.composite;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.util.Set;

/**
 * What sends a failover's writes and reads on to its fallbacks ({@code fallback_on}, decision 0037): an
 * {@link #OUTAGE} always (the store is away: {@link ErrorKind#outage()}); a {@link #REFUSAL} only where it is
 * chosen (the store answers, but refuses us: wrong credentials, a configuration it cannot start with).
 */
public enum FallbackOn {
    OUTAGE, REFUSAL;

    /** Outages only: a refusal is the answer (decision 0014). */
    public static final Set<FallbackOn> OUTAGES = Set.of(OUTAGE);

    /** Outages and refusals: the specifications' "falls back to local storage if its configuration fails". */
    public static final Set<FallbackOn> OUTAGES_AND_REFUSALS = Set.of(OUTAGE, REFUSAL);

    /** The word of {@code fallback_on}: {@code outage} or {@code refusal}. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Whether a failure of {@code kind} is a refusal that {@code fallback_on: [outage, refusal]} fails over:
     * {@code PERMISSION_DENIED} (credentials, permissions) or {@code CONFIG} (a setting the backend cannot
     * start with). An answer about the object ({@code NOT_FOUND}, {@code PRECONDITION_FAILED} ...) never is.
     */
    public static boolean refusal(ErrorKind kind) {
        return kind == ErrorKind.PERMISSION_DENIED || kind == ErrorKind.CONFIG;
    }

    /** Whether {@code on} sends a failure of {@code kind} on to the next store. */
    public static boolean passesOn(Set<FallbackOn> on, ErrorKind kind) {
        return kind.outage() || (on.contains(REFUSAL) && refusal(kind));
    }

    /** As {@link #passesOn(Set, ErrorKind)} for a failure. */
    public static boolean passesOn(Set<FallbackOn> on, StorageException e) {
        return passesOn(on, e.kind());
    }
}
