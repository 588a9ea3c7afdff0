package io.stowage.service;

import java.util.List;

/**
 * What {@link Retention#apply(boolean)} removed, or would remove in a dry run.
 *
 * @param dryRun whether nothing was changed
 * @param removals each version or trashed file removed (or to be), owners in order, then files, then versions
 * @param bytesFreed the bytes of those removals, taken off the owners' usage (in a dry run: would be)
 * @param failed removals the backend or the catalog refused; they stay and the next run tries again
 */
public record RetentionReport(boolean dryRun, List<Removal> removals, long bytesFreed, int failed) {

    public RetentionReport {
        removals = List.copyOf(removals);
    }

    /** Why something is removed. */
    public enum Rule { MAX_VERSIONS, MAX_AGE, TRASH }

    /**
     * One removal: a version of a file ({@link Rule#MAX_VERSIONS}, {@link Rule#MAX_AGE}), or a trashed file with
     * every version ({@link Rule#TRASH}; {@code versionId} is then empty).
     */
    public record Removal(String owner, String fileId, String versionId, long bytes, Rule rule) {
    }
}
