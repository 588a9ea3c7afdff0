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

    /** Reads written by one statement. */
    private static final int CHUNK = 200;

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
            List<Map.Entry<Read, Long>> all = new ArrayList<>(taken.entrySet());
            List<FileEvent> written = catalog.inTransaction("reads", h -> {
                List<FileEvent> out = new ArrayList<>();
                for (int from = 0; from < all.size(); from += CHUNK) {
                    out.addAll(append(h, all.subList(from, Math.min(all.size(), from + CHUNK)), now));
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

    /**
     * Appends the events of {@code reads} in one statement (a statement per read made a flush cost two round trips
     * to PostgreSQL per file read, decision 0068), for the files that still exist: a file purged or an owner erased
     * since the read has nothing to announce, and no row may name them.
     */
    private List<FileEvent> append(org.jdbi.v3.core.Handle h, List<Map.Entry<Read, Long>> reads, Instant now) {
        StringBuilder sql = new StringBuilder("INSERT INTO event_outbox (type, owner_id, file_id, payload, created_at)"
                + " SELECT ?, f.owner_id, f.id, r.column3, ? FROM files f JOIN (VALUES ");
        List<Object> args = new ArrayList<>(List.of(FileEvent.READ, now.toEpochMilli()));
        Map<Read, Long> counts = new java.util.HashMap<>();
        for (Map.Entry<Read, Long> e : reads) {
            sql.append(counts.isEmpty() ? "(?, ?, ?)" : ", (?, ?, ?)");
            args.addAll(List.of(e.getKey().fileId(), e.getKey().owner(), Json.write(Map.of("count", Long.toString(e.getValue())))));
            counts.put(e.getKey(), e.getValue());
        }
        sql.append(") r ON f.id = r.column1 AND f.owner_id = r.column2 RETURNING id, owner_id, file_id");
        return Jdbc.list(h, sql.toString(), rs -> {
            Read read = new Read(rs.getString(2), rs.getString(3));
            return new FileEvent(rs.getLong(1), FileEvent.READ, read.owner(), read.fileId(), now,
                    Map.of("count", Long.toString(counts.get(read))));
        }, args.toArray());
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("could not write the counted reads as events (kept for the next try): {}", e.getMessage());
        }
    }
}
