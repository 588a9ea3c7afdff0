package io.stowage.service;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * The files a read cache keeps, at most {@code capacity}, and how many reads they answered: what {@link ReadCache}
 * (SQLite) and {@link PostgresReadCache} share. Thread-safe; the caches say when an entry may be kept and served.
 *
 * <p>The entries are in order of use, and the least recently used goes first when a new one needs room. Where a new
 * entry goes depends on why it is kept (decision 0091): a file just saved or changed is put among the most recently
 * used, since it is what is read next; a file only looked up for a read that missed is put where the next eviction
 * takes it ({@link #putLooked}), and moves up only when it is read again. So one pass over more files than the cache
 * holds (a backup, a listing, a migration's reads) evicts one file at a time instead of every file the cache held,
 * where least-recently-used alone would miss on every read of a pass in the order the files were kept.
 */
final class RecentFiles {

    private final int capacity;
    /** Guarded by {@code this}, as is the list through {@link #eldest} and {@link #newest}. */
    private final Map<String, Node> nodes;
    /** The least recently used, evicted first; null when empty. */
    private Node eldest;
    /** The most recently used; null when empty. */
    private Node newest;
    private final LongAdder hits = new LongAdder();

    /** An entry in the list of use, the eldest first. */
    private static final class Node {
        FileCatalog.Entry entry;
        Node older;
        Node newer;

        Node(FileCatalog.Entry entry) {
            this.entry = entry;
        }
    }

    RecentFiles(int capacity) {
        this.capacity = capacity;
        this.nodes = new HashMap<>(Math.min(capacity, 1024));
    }

    /** The kept entry of {@code fileId}, which becomes the most recently used; null when none is kept. */
    synchronized FileCatalog.Entry get(String fileId) {
        Node node = nodes.get(fileId);
        if (node == null) {
            return null;
        }
        unlink(node);
        linkNewest(node);
        return node.entry;
    }

    /** Keeps {@code entry} (a file saved or changed) as the most recently used, in place of any kept before. */
    synchronized void put(FileCatalog.Entry entry) {
        Node node = nodes.get(entry.record().id());
        if (node != null) {
            node.entry = entry;
            unlink(node);
        } else {
            node = new Node(entry);
            nodes.put(entry.record().id(), node);
        }
        linkNewest(node);
        evictOverCapacity();
    }

    /**
     * Keeps {@code entry}, found by a lookup for a read that missed, as the first to go: a file read once does not
     * push out the files in use. Another entry of the same file is replaced where it stands.
     */
    synchronized void putLooked(FileCatalog.Entry entry) {
        if (capacity <= 0) {
            return;
        }
        Node node = nodes.get(entry.record().id());
        if (node != null) {
            node.entry = entry;
            return;
        }
        if (nodes.size() >= capacity) {
            remove(eldest);
        }
        node = new Node(entry);
        nodes.put(entry.record().id(), node);
        linkEldest(node);
    }

    synchronized void remove(String fileId) {
        Node node = nodes.get(fileId);
        if (node != null) {
            remove(node);
        }
    }

    synchronized void removeIf(Predicate<FileCatalog.Entry> which) {
        for (Node node = eldest; node != null; ) {
            Node next = node.newer;
            if (which.test(node.entry)) {
                remove(node);
            }
            node = next;
        }
    }

    synchronized void clear() {
        nodes.clear();
        eldest = null;
        newest = null;
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
        return nodes.size();
    }

    /** How many reads were served from memory. */
    long hits() {
        return hits.sum();
    }

    private void evictOverCapacity() {
        while (nodes.size() > capacity) {
            remove(eldest);
        }
    }

    private void remove(Node node) {
        nodes.remove(node.entry.record().id());
        unlink(node);
    }

    private void unlink(Node node) {
        if (node.older != null) {
            node.older.newer = node.newer;
        } else {
            eldest = node.newer;
        }
        if (node.newer != null) {
            node.newer.older = node.older;
        } else {
            newest = node.older;
        }
        node.older = null;
        node.newer = null;
    }

    private void linkNewest(Node node) {
        node.older = newest;
        if (newest != null) {
            newest.newer = node;
        } else {
            eldest = node;
        }
        newest = node;
    }

    private void linkEldest(Node node) {
        node.newer = eldest;
        if (eldest != null) {
            eldest.older = node;
        } else {
            newest = node;
        }
        eldest = node;
    }
}
