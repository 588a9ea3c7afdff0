package io.stowage.service;

import io.stowage.StorageException;
import io.stowage.Tier;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a catalog migration moves: every committed version held by backend {@code source} of the files that match
 * the filter (owner, a prefix of the name, segment, tier, committed longer ago than {@code olderThan}), to backend
 * {@code target}, in batches of {@code batchSize} with {@code parallel} copies at a time; the source copy is deleted
 * once the location has moved when {@code deleteSource} says so. Build with {@link #between} and the withers.
 */
public record MigrationRequest(String source, String target, Optional<String> owner, String prefix,
                               Optional<String> segment, Optional<Tier> tier, Optional<Duration> olderThan,
                               boolean deleteSource, int batchSize, int parallel) {

    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final int DEFAULT_PARALLEL = 8;
    public static final int MAX_BATCH_SIZE = 10_000;
    public static final int MAX_PARALLEL = 256;

    public MigrationRequest {
        if (source == null || source.isBlank() || target == null || target.isBlank()) {
            throw StorageException.invalidArgument("a migration needs a source and a target backend");
        }
        if (source.equals(target)) {
            throw StorageException.invalidArgument("the source and the target of a migration are one backend ('"
                    + source + "')");
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw StorageException.invalidArgument("batch size must be 1 to " + MAX_BATCH_SIZE + ", not " + batchSize);
        }
        if (parallel < 1 || parallel > MAX_PARALLEL) {
            throw StorageException.invalidArgument("parallel must be 1 to " + MAX_PARALLEL + ", not " + parallel);
        }
        if (olderThan.isPresent() && olderThan.get().isNegative()) {
            throw StorageException.invalidArgument("older-than must not be negative");
        }
        prefix = prefix == null ? "" : prefix;
    }

    /** Everything on {@code source} to {@code target}, keeping the source copies, with the default batch and parallelism. */
    public static MigrationRequest between(String source, String target) {
        return new MigrationRequest(source, target, Optional.empty(), "", Optional.empty(), Optional.empty(),
                Optional.empty(), false, DEFAULT_BATCH_SIZE, DEFAULT_PARALLEL);
    }

    public MigrationRequest withOwner(String owner) {
        Names.owner(owner);
        return new MigrationRequest(source, target, Optional.of(owner), prefix, segment, tier, olderThan, deleteSource,
                batchSize, parallel);
    }

    public MigrationRequest withPrefix(String prefix) {
        return new MigrationRequest(source, target, owner, prefix, segment, tier, olderThan, deleteSource, batchSize,
                parallel);
    }

    public MigrationRequest withSegment(String segment) {
        return new MigrationRequest(source, target, owner, prefix, Optional.of(segment), tier, olderThan, deleteSource,
                batchSize, parallel);
    }

    public MigrationRequest withTier(Tier tier) {
        return new MigrationRequest(source, target, owner, prefix, segment, Optional.of(tier), olderThan, deleteSource,
                batchSize, parallel);
    }

    public MigrationRequest withOlderThan(Duration age) {
        return new MigrationRequest(source, target, owner, prefix, segment, tier, Optional.of(age), deleteSource,
                batchSize, parallel);
    }

    public MigrationRequest withDeleteSource(boolean delete) {
        return new MigrationRequest(source, target, owner, prefix, segment, tier, olderThan, delete, batchSize,
                parallel);
    }

    public MigrationRequest withBatchSize(int size) {
        return new MigrationRequest(source, target, owner, prefix, segment, tier, olderThan, deleteSource, size,
                parallel);
    }

    public MigrationRequest withParallel(int n) {
        return new MigrationRequest(source, target, owner, prefix, segment, tier, olderThan, deleteSource, batchSize,
                n);
    }

    /** The filter as a job keeps it: {@code older_than} became an absolute {@code committed_before} at {@code nowMillis}. */
    Map<String, String> filter(long nowMillis) {
        Map<String, String> f = new LinkedHashMap<>();
        owner.ifPresent(o -> f.put("owner", o));
        if (!prefix.isEmpty()) {
            f.put("prefix", prefix);
        }
        segment.ifPresent(s -> f.put("segment", s));
        tier.ifPresent(t -> f.put("tier", t.name()));
        olderThan.ifPresent(d -> f.put("committed_before", Long.toString(nowMillis - d.toMillis())));
        return f;
    }
}
