package io.stowage.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code file.read} events without a write per read (decision 0042): a read is counted in memory per file, and
 * the counts are written as one event per file read ({@code count} in its data) every
 * {@code events.read_flush_interval}, as soon as {@code events.read_flush_count} reads are counted, and when the
 * service closes. A crash loses the counts since the last write: reads are a statistic, not a change.
 */
final class ReadEvents {

    private static final Logger LOG = LoggerFactory.getLogger(ReadEvents.class);

    private record Read(String owner, String fileId) {
    }

    private final CatalogDatabase catalog;
    private final EventOutbox events;
    private final Clock clock;
    private final int flushCount;
    private final Map<Read, Long> counts = new ConcurrentHashMap<>();
    private final AtomicInteger counted = new AtomicInteger();
    private volatile ScheduledExecutorService executor;

    ReadEvents(CatalogDatabase catalog, EventOutbox events, Clock clock, int flushCount) {
        this.catalog = catalog;
        this.events = events;
        this.clock = clock;
        this.flushCount = flushCount;
    }

    /** Writes the counts every {@code interval} on {@code executor}, and there whenever enough reads are counted. */
    void start(ScheduledExecutorService executor, java.time.Duration interval) {
        this.executor = executor;
        executor.scheduleWithFixedDelay(this::flushQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Counts one read of {@code owner}'s file; never writes on the reader's thread. */
    void read(String owner, String fileId) {
        counts.merge(new Read(owner, fileId), 1L, Long::sum);
        if (counted.incrementAndGet() % flushCount == 0) {
            ScheduledExecutorService e = executor;
            if (e != null) {
                try {
                    e.execute(this::flushQuietly);
                } catch (RejectedExecutionException closing) {
                    // closing: the last flush writes them
                }
            }
        }
    }

    /** Writes every count taken so far as {@code file.read} events, in one transaction; returns how many. */
    int flush() {
        List<Read> reads = new ArrayList<>(counts.keySet());
        if (reads.isEmpty()) {
            return 0;
        }
        Map<Read, Long> taken = new java.util.HashMap<>();
        for (Read r : reads) {
            Long n = counts.remove(r);
            if (n != null) {
                taken.put(r, n);
            }
        }
        Instant now = clock.instant();
        try {
            List<FileEvent> written = catalog.inTransaction("reads", h -> {
                List<FileEvent> out = new ArrayList<>();
                for (Map.Entry<Read, Long> e : taken.entrySet()) {
                    // A file purged or an owner erased since the read: nothing to announce, no row naming them.
                    if (Jdbc.first(h, "SELECT 1 FROM files WHERE id = ? AND owner_id = ?", rs -> rs.getInt(1),
                            e.getKey().fileId(), e.getKey().owner()).isEmpty()) {
                        continue;
                    }
                    out.add(events.append(h, FileEvent.READ, e.getKey().owner(), e.getKey().fileId(),
                            Map.of("count", Long.toString(e.getValue())), now));
                }
                return out;
            });
            written.forEach(events::announce);
            return written.size();
        } catch (RuntimeException e) {
            // Put them back for the next flush, so a catalog that is briefly away loses no count.
            taken.forEach((r, n) -> counts.merge(r, n, Long::sum));
            throw e;
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("could not write the counted reads as events (kept for the next try): {}", e.getMessage());
        }
    }
}
