package io.stowage.service;

import io.stowage.StorageException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How long files of an owner, or of every owner without a policy of their own ({@link #global()}), are kept
 * (decision 0041). Each rule is optional:
 * <ul>
 *   <li>{@link #maxVersions()}: keep at most this many versions of a file, the current one included;
 *   <li>{@link #maxAge()}: keep versions younger than this (by when they were committed);
 *   <li>{@link #trashRetention()}: purge files deleted longer ago than this.
 * </ul>
 * The current version of a file is never removed by the version rules, whatever its age; a version beyond
 * either version rule is removed. An owner's policy replaces the global one as a whole.
 *
 * @param owner the owner the policy is for; {@link #GLOBAL} ({@code ""}) for the global policy
 */
public record RetentionPolicy(String owner, OptionalInt maxVersions, Optional<Duration> maxAge,
                              Optional<Duration> trashRetention) {

    /** The {@link #owner()} of the global policy. */
    public static final String GLOBAL = "";

    public RetentionPolicy {
        Objects.requireNonNull(owner, "owner");
        if (!owner.equals(GLOBAL)) {
            Names.owner(owner);
        }
        if (maxVersions.isPresent() && maxVersions.getAsInt() < 1) {
            throw StorageException.invalidArgument("a policy keeps at least 1 version, was " + maxVersions.getAsInt());
        }
        positive("maxAge", maxAge);
        positive("trashRetention", trashRetention);
    }

    /** A global policy without rules; add them with {@link #keepVersions}, {@link #keepYoungerThan}, {@link #trashFor}. */
    public static RetentionPolicy global() {
        return new RetentionPolicy(GLOBAL, OptionalInt.empty(), Optional.empty(), Optional.empty());
    }

    /** A policy of {@code owner} without rules. */
    public static RetentionPolicy forOwner(String owner) {
        return new RetentionPolicy(owner, OptionalInt.empty(), Optional.empty(), Optional.empty());
    }

    /** This policy, keeping at most {@code n} versions of each file. */
    public RetentionPolicy keepVersions(int n) {
        return new RetentionPolicy(owner, OptionalInt.of(n), maxAge, trashRetention);
    }

    /** This policy, keeping versions younger than {@code age} (the current one always). */
    public RetentionPolicy keepYoungerThan(Duration age) {
        return new RetentionPolicy(owner, maxVersions, Optional.of(age), trashRetention);
    }

    /** This policy, purging files deleted for longer than {@code retention}. */
    public RetentionPolicy trashFor(Duration retention) {
        return new RetentionPolicy(owner, maxVersions, maxAge, Optional.of(retention));
    }

    public boolean isGlobal() {
        return owner.equals(GLOBAL);
    }

    private static void positive(String name, Optional<Duration> d) {
        if (d.isPresent() && (d.get().isNegative() || d.get().isZero())) {
            throw StorageException.invalidArgument(name + " must be positive, was " + d.get());
        }
    }
}
