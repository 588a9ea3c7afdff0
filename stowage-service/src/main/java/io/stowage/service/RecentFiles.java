package io.stowage.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The files a read cache keeps, at most {@code capacity}, the least recently used first out, and how many reads they
 * answered: what {@link ReadCache} (SQLite) and {@link PostgresReadCache} share. Thread-safe; the caches say when an
 * entry may be kept and served.
 */
final class RecentFiles {

    private final int capacity;
    /** Guarded by {@code this}: in order of use, the least recently used first. */
    private final LinkedHashMap<String, FileCatalog.Entry> entries;
    private final LongAdder hits = new LongAdder();

    RecentFiles(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, FileCatalog.Entry> eldest) {
                return size() > RecentFiles.this.capacity;
            }
        };
    }

    synchronized FileCatalog.Entry get(String fileId) {
        return entries.get(fileId);
    }

    synchronized void put(FileCatalog.Entry entry) {
        entries.put(entry.record().id(), entry);
    }

    synchronized void remove(String fileId) {
        entries.remove(fileId);
    }

    synchronized void removeIf(Predicate<FileCatalog.Entry> which) {
        entries.values().removeIf(which);
    }

    synchronized void clear() {
        entries.clear();
    }

    /**
     * A kept entry answering a read of {@code owner}'s file, counted as a hit: another owner's file is empty, as
     * the lookup would have answered.
     */
    Optional<FileCatalog.Entry> serve(FileCatalog.Entry hit, String owner) {
        hits.increment();
        return hit.record().owner().equals(owner) ? Optional.of(hit) : Optional.empty();
    }

    /** How many files are kept. */
    synchronized int size() {
        return entries.size();
    }

    /** How many reads were served from memory. */
    long hits() {
        return hits.sum();
    }
}
