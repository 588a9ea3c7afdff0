package io.stowage.service;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The current versions of files recently saved or read, kept in memory over a PostgreSQL catalog and served
 * without asking the catalog anything, for at most {@code database.read_window} after the last proof that every
 * change committed before was heard (decision 0081).
 *
 * <p>A {@link CatalogListener} hears each file a commit changed, whoever wrote, and forgets it here; its heartbeats
 * say up to when that is complete. An entry is served only while the last heartbeat heard was sent within the
 * window: a read may then miss another node's change for at most the window, never longer. When the heartbeats
 * stop (the connection failed, or PostgreSQL is slow) every read looks its file up, and a lost connection forgets
 * everything. This process's own changes are forgotten before their calls return ({@link #changed}), so a node
 * reads its own writes at once.
 *
 * <p>A file looked up is kept only when nothing about it was heard between the moment before its lookup and the
 * keeping (a generation per stripe of file ids, moved by every change heard, {@link #changed} and {@link #reset}):
 * so a lookup that raced a commit never keeps what the commit replaced.
 *
 * <p>Owners' own quotas, which every save reads before its content streams, are kept the same way: migration 17
 * tells of every change to one ({@code quota:<owner>}), and a quota read while a change was heard is not kept
 * (decision 0090).
 */
final class PostgresReadCache implements FileCache, CatalogListener.Sink {

    /** No heartbeat heard since the listener (re)connected. */
    private static final long NEVER = Long.MIN_VALUE;
    private static final int STRIPES = 64;
    /** The longest wait of {@link #awaitHeartbeat}, for tests. */
    private static final Duration AWAIT = Duration.ofSeconds(30);

    private final RecentFiles entries;
    private final long windowNanos;
    /** Guarded by {@code this}. */
    private final long[] generations = new long[STRIPES];
    /** The send time of the last heartbeat heard, {@link #NEVER} after a reset; written under {@code this}. */
    private volatile long heard = NEVER;
    /** How many resets there were; guarded by {@code this}. */
    private long resets;
    /** Owners' own quotas as last read, served under the same window as the files. */
    private final ConcurrentHashMap<String, Quota> quotas = new ConcurrentHashMap<>();
    private final int quotaCapacity;
    /** Moved by every quota change heard or made here, and by every reset; guarded by {@code this}. */
    private long quotaGeneration;
    private CatalogListener listener;
    /** Tests: runs between a miss's lookup and its keeping. */
    volatile Runnable afterLookup = () -> { };

    PostgresReadCache(int capacity, Duration window) {
        this.entries = new RecentFiles(capacity);
        this.quotaCapacity = capacity;
        this.windowNanos = window.toNanos();
    }

    /** A cache of {@code settings}' size and window, listening on a connection of its own. */
    static PostgresReadCache start(ServiceSettings settings) {
        PostgresReadCache cache = new PostgresReadCache(settings.readCache(), settings.readWindow());
        cache.listener = CatalogListener.start(settings, heartbeatInterval(settings.readWindow()), cache);
        return cache;
    }

    /** A fifth of the window, between 10 ms and 200 ms: a window of 1 s has a heartbeat every 200 ms. */
    static Duration heartbeatInterval(Duration window) {
        long millis = Math.max(10, Math.min(200, window.toMillis() / 5));
        return Duration.ofMillis(millis);
    }

    @Override
    public Optional<FileCatalog.Entry> find(CatalogDatabase catalog, String operation, String owner, String fileId) {
        if (fresh()) {
            FileCatalog.Entry hit = entries.get(fileId);
            if (hit != null) {
                return entries.serve(hit, owner);
            }
        }
        long seen = generation(fileId);
        Optional<FileCatalog.Entry> found = catalog.readPlain(operation,
                c -> Jdbc.first(c, FileCatalog.FIND_SQL, FileCatalog::entry, fileId, owner, FileCatalog.ACTIVE));
        afterLookup.run();
        found.ifPresent(entry -> keep(seen, entry, true));
        return found;
    }

    @Override
    public Quota quota(String owner, Supplier<Quota> read) {
        if (fresh()) {
            Quota kept = quotas.get(owner);
            if (kept != null) {
                return kept;
            }
        }
        long seen;
        synchronized (this) {
            seen = quotaGeneration;
        }
        Quota found = read.get();
        keepQuota(seen, owner, found);
        return found;
    }

    private synchronized void keepQuota(long seen, String owner, Quota quota) {
        if (quotaGeneration == seen && fresh()) {
            if (quotas.size() >= quotaCapacity) {
                quotas.clear();
            }
            quotas.put(owner, quota);
        }
    }

    @Override
    public synchronized void quotaChanged(String owner) {
        quotaGeneration++;
        quotas.remove(owner);
    }

    /** Whether entries may be served: the last heartbeat heard was sent within the window. */
    boolean fresh() {
        long last = heard;
        return last != NEVER && System.nanoTime() - last <= windowNanos;
    }

    @Override
    public synchronized long generation(String fileId) {
        return generations[stripe(fileId)];
    }

    private static int stripe(String fileId) {
        return Math.floorMod(fileId.hashCode(), STRIPES);
    }

    /**
     * Keeps what a lookup ({@code looked}: first in line to go, decision 0091) or a save found, unless something about
     * its file was heard since {@code seen}.
     */
    private synchronized void keep(long seen, FileCatalog.Entry entry, boolean looked) {
        if (generations[stripe(entry.record().id())] == seen && fresh()) {
            if (looked) {
                entries.putLooked(entry);
            } else {
                entries.put(entry);
            }
        }
    }

    @Override
    public void saved(long generation, FileCatalog.Entry entry) {
        keep(generation, entry, false);
    }

    @Override
    public synchronized void changed(String fileId) {
        if (fileId.startsWith(CatalogNotifications.QUOTA)) {
            quotaChanged(fileId.substring(CatalogNotifications.QUOTA.length()));
            return;
        }
        generations[stripe(fileId)]++;
        entries.remove(fileId);
    }

    @Override
    public synchronized void ownerChanged(String owner) {
        for (int i = 0; i < STRIPES; i++) {
            generations[i]++;
        }
        entries.removeIf(e -> e.record().owner().equals(owner));
        quotaChanged(owner);
    }

    @Override
    public synchronized void heard(long sentNanos) {
        if (heard == NEVER || sentNanos - heard > 0) {
            heard = sentNanos;
        }
        notifyAll();
    }

    @Override
    public synchronized void reset() {
        heard = NEVER;
        resets++;
        for (int i = 0; i < STRIPES; i++) {
            generations[i]++;
        }
        entries.clear();
        quotaGeneration++;
        quotas.clear();
        notifyAll();
    }

    /**
     * Tests: waits until a heartbeat sent after this call is heard, so every change committed before it has been
     * heard here.
     *
     * @throws IllegalStateException when none is heard within 30 seconds
     */
    void awaitHeartbeat() {
        long asked = System.nanoTime();
        awaitUntil(() -> heard != NEVER && heard - asked > 0, "a heartbeat");
    }

    /** Tests: waits until no entry may be served, the last heartbeat heard being older than the window. */
    void awaitStale() {
        awaitUntil(() -> !fresh(), "the window's end");
    }

    /** Tests: how many times the listener has reset this cache so far. */
    synchronized long resets() {
        return resets;
    }

    /** Tests: waits until the listener has reset this cache more than {@code times} times. */
    void awaitResets(long times) {
        awaitUntil(() -> resets > times, "a reset");
    }

    private synchronized void awaitUntil(java.util.function.BooleanSupplier condition, String what) {
        long end = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("no " + what + " within " + AWAIT);
            }
            try {
                wait(Math.max(1, Math.min(10, left / 1_000_000))); // time passing notifies nobody
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what, e);
            }
        }
    }

    /** The listener, for tests. */
    CatalogListener listener() {
        return listener;
    }

    @Override
    public long hits() {
        return entries.hits();
    }

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public void close() {
        if (listener != null) {
            listener.close();
        }
    }
}
