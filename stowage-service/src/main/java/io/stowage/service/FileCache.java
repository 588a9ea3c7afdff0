package io.stowage.service;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Files kept in memory in front of the catalog's file lookups ({@link Guards#existing(String, String, String)}):
 * {@link ReadCache} on a SQLite file, checked against the catalog's change log on every read (decision 0080), or
 * {@link PostgresReadCache}, told of changes by PostgreSQL's notifications within a bounded window (decision 0081).
 * Thread-safe.
 */
interface FileCache extends AutoCloseable {

    /**
     * The cache {@code settings} ask for over {@code catalog}, or null when reads look every file up: a cache of no
     * files, a PostgreSQL catalog with a window of 0, or an in-memory SQLite.
     */
    static FileCache open(ServiceSettings settings, CatalogDatabase catalog) {
        if (settings.readCache() <= 0) {
            return null;
        }
        if (catalog.logsChanges()) {
            return new ReadCache(settings.readCache(), catalog.walIndexWatch(settings));
        }
        if (catalog.postgres() && !settings.readWindow().isZero()) {
            return PostgresReadCache.start(settings);
        }
        return null;
    }

    /** {@code owner}'s file in use, from memory or looked up on {@code catalog}; empty for anything else. */
    Optional<FileCatalog.Entry> find(CatalogDatabase catalog, String operation, String owner, String fileId);

    /**
     * What a save of {@code fileId} reads before it commits, to hand back to {@link #saved} (a change heard between
     * the two keeps the saved file out).
     */
    default long generation(String fileId) {
        return 0;
    }

    /** A file this process has just saved and committed, as the catalog holds it, which may be kept. */
    default void saved(long generation, FileCatalog.Entry entry) {
    }

    /** This process has changed the file and the change is committed (or failed): it is not served from memory. */
    default void changed(String fileId) {
    }

    /** As {@link #changed}, for every file of {@code owner} (an erasure). */
    default void ownerChanged(String owner) {
    }

    /**
     * {@code owner}'s own quota, from memory or as {@code read} finds it in the catalog (every save reads it before
     * its content streams).
     */
    default Quota quota(String owner, Supplier<Quota> read) {
        return read.get();
    }

    /** This process has changed {@code owner}'s quota and the change is committed: it is read afresh. */
    default void quotaChanged(String owner) {
    }

    /** How many reads were served from memory. */
    long hits();

    /** How many files are kept. */
    int size();

    @Override
    default void close() {
    }
}
