package io.stowage.service;

import io.stowage.BlobContent;
import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.Capabilities;
import io.stowage.GetOptions;
import io.stowage.HealthReport;
import io.stowage.ListRequest;
import io.stowage.Page;
import io.stowage.PutOptions;
import io.stowage.StorageException;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.manager.StorageManager;
import io.stowage.journal.WriteJournal;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link StorageManager} a service runs over, which a reload replaces while the service runs (decision 0052).
 *
 * <p>Every operation leases the manager that is current when it starts and returns it when it ends; a read
 * returns it when its stream is closed. {@link #swap} makes a new manager current at once and closes the one it
 * replaces once its last lease is returned, so a transfer in flight finishes where it began. A manager the
 * caller gave the service stays the caller's: it is never closed here.
 *
 * <p>A version's location may name a backend the current routing leaves out (the old primary after a reload
 * that changed it): reads open it on demand from the current configuration, where every backend named by the
 * environment or {@code stowage.yaml} is defined, and close it with the manager. Thread-safe.
 */
public final class LiveStorage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveStorage.class);

    private final WriteJournal journal;
    private final List<Consumer<StorageManager>> hooks = new CopyOnWriteArrayList<>();
    private final List<Generation> generations = new CopyOnWriteArrayList<>();
    private final BlobStore view = new View();
    private volatile Generation current;

    private LiveStorage(StorageManager first, boolean owned, WriteJournal journal, BlobStoreProviders providers) {
        this.journal = journal;
        this.current = new Generation(first, owned, providers);
        generations.add(current);
    }

    /** Over a manager the service built with {@code journal}, which every next manager is built with too. */
    static LiveStorage owned(StorageManager manager, WriteJournal journal) {
        return new LiveStorage(manager, true, journal, BlobStoreProviders.load());
    }

    /** Over a manager the caller keeps (and closes). */
    static LiveStorage given(StorageManager manager) {
        return new LiveStorage(manager, false, null, BlobStoreProviders.load());
    }

    /** The manager operations start on now. */
    public StorageManager manager() {
        return current.manager;
    }

    /** How many managers are open: the current one and those a reload replaced whose transfers still run. */
    public int open() {
        return (int) generations.stream().filter(g -> !g.closed.get()).count();
    }

    /**
     * Builds a manager with {@code builder} (over the service's journal, when the service built the first) and
     * makes it current; the manager it replaces finishes the operations in flight on it and is then closed.
     * Reads of backends the new routing leaves out open them through {@code providers}.
     *
     * @return the manager it replaced
     * @throws StorageException as {@link StorageManager.Builder#open()}; the current manager stays current
     */
    public synchronized StorageManager swap(StorageManager.Builder builder, BlobStoreProviders providers) {
        if (journal != null) {
            builder.journal(journal);
        }
        StorageManager next = builder.open();
        try {
            hooks.forEach(h -> h.accept(next));
        } catch (RuntimeException e) {
            next.close();
            throw e;
        }
        Generation old = current;
        Generation fresh = new Generation(next, true, providers);
        generations.removeIf(g -> g.closed.get());
        generations.add(fresh);
        current = fresh;
        old.retire();
        LOG.info("storage reloaded: primary '{}' (was '{}'); {} manager(s) open while transfers finish",
                next.primary(), old.manager.primary(), open());
        return old.manager;
    }

    /** Calls {@code hook} with the current manager and with every manager a reload makes current. */
    void forEachManager(Consumer<StorageManager> hook) {
        hooks.add(hook);
        hook.accept(current.manager);
    }

    /** The routed store of whichever manager is current when each operation starts. */
    BlobStore store() {
        return view;
    }

    /** The store of backend {@code name}, each operation on the manager current when it starts. */
    Optional<BlobStore> backend(String name) {
        Generation g = current;
        return g.backend(name).isPresent() ? Optional.of(new Named(name)) : Optional.empty();
    }

    /** Closes every manager the service owns, whatever is in flight (the service is closing). */
    @Override
    public void close() {
        RuntimeException failed = null;
        for (Generation g : generations) {
            try {
                g.close();
            } catch (RuntimeException e) {
                if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private Generation lease() {
        while (true) {
            Generation g = current;
            if (g.acquire()) {
                return g;
            }
        }
    }

    private <T> T leased(Function<Generation, T> call) {
        Generation g = lease();
        try {
            return call.apply(g);
        } finally {
            g.release();
        }
    }

    private BlobRead leasedRead(Function<Generation, BlobRead> open) {
        Generation g = lease();
        BlobRead read;
        try {
            read = open.apply(g);
        } catch (RuntimeException | Error e) {
            g.release();
            throw e;
        }
        return read.withStream(new Returning(read.stream(), g));
    }

    /** One manager and its leases: the count, or -1 once closed. */
    private static final class Generation {
        final StorageManager manager;
        final boolean owned;
        final BlobStoreProviders providers;
        final AtomicInteger leases = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();
        volatile boolean retired;

        Generation(StorageManager manager, boolean owned, BlobStoreProviders providers) {
            this.manager = manager;
            this.owned = owned;
            this.providers = providers;
        }

        boolean acquire() {
            while (true) {
                int n = leases.get();
                if (n < 0) {
                    return false;
                }
                if (leases.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        void release() {
            if (leases.decrementAndGet() == 0 && retired) {
                closeIfIdle();
            }
        }

        void retire() {
            retired = true;
            closeIfIdle();
        }

        private void closeIfIdle() {
            if (leases.compareAndSet(0, -1)) {
                close();
            }
        }

        /** The backend {@code name}: routed by this manager, else defined by its configuration and opened once. */
        Optional<BlobStore> backend(String name) {
            try {
                return manager.configured(name);
            } catch (StorageException e) {
                LOG.warn("backend '{}' holds versions but could not be opened for reading: {} ({})", name, e.kind(), e.reason());
                return Optional.empty();
            }
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            leases.set(-1);
            if (owned) {
                manager.close();
            }
        }
    }

    /** A read's stream, which returns its lease once when closed. */
    private static final class Returning extends FilterInputStream {
        private final Generation generation;
        private final AtomicBoolean returned = new AtomicBoolean();

        Returning(InputStream in, Generation generation) {
            super(in);
            this.generation = generation;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public long transferTo(java.io.OutputStream out) throws IOException {
            return in.transferTo(out);
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                if (returned.compareAndSet(false, true)) {
                    generation.release();
                }
            }
        }
    }

    /** The routed store, leased per operation. */
    private class View implements BlobStore {
        BlobStore of(Generation g) {
            return g.manager.store();
        }

        @Override
        public String name() {
            return of(current).name();
        }

        @Override
        public Capabilities capabilities() {
            return of(current).capabilities();
        }

        @Override
        public BlobInfo put(BlobKey key, BlobContent content, PutOptions options) {
            return leased(g -> of(g).put(key, content, options));
        }

        @Override
        public BlobRead get(BlobKey key, GetOptions options) {
            return leasedRead(g -> of(g).get(key, options));
        }

        @Override
        public BlobInfo stat(BlobKey key) {
            return leased(g -> of(g).stat(key));
        }

        @Override
        public boolean exists(BlobKey key) {
            return leased(g -> of(g).exists(key));
        }

        @Override
        public boolean delete(BlobKey key) {
            return leased(g -> of(g).delete(key));
        }

        @Override
        public Page<BlobInfo> list(ListRequest request) {
            return leased(g -> of(g).list(request));
        }

        @Override
        public BlobInfo copy(BlobKey source, BlobKey target) {
            return leased(g -> of(g).copy(source, target));
        }

        @Override
        public HealthReport health() {
            return leased(g -> of(g).health());
        }

        /** The current manager's feature; a call on it that races a reload may find its manager closed. */
        @Override
        public <T> Optional<T> feature(Class<T> type) {
            return of(current).feature(type);
        }

        @Override
        public void close() {
            // The service closes the managers, through LiveStorage.
        }

        @Override
        public String toString() {
            return "live " + of(current);
        }
    }

    /** One backend by name, leased per operation; NOT_FOUND when the current manager no longer knows it. */
    private final class Named extends View {
        private final String backend;

        Named(String backend) {
            this.backend = backend;
        }

        @Override
        BlobStore of(Generation g) {
            return g.backend(backend).orElseThrow(() -> StorageException.notFound(backend,
                    "backend '" + backend + "' is not in the configuration any more"));
        }
    }
}
