package io.stowage.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional outbox: {@link #append} writes an event on the handle of the change it announces, so
 * both commit or neither does; {@link #announce} then hands the committed events to in-process listeners.
 * The {@link WebhookWorker} reads the rows not yet published.
 */
final class EventOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(EventOutbox.class);

    private final List<Consumer<FileEvent>> listeners = new CopyOnWriteArrayList<>();

    void addListener(Consumer<FileEvent> listener) {
        listeners.add(listener);
    }

    /** Writes an event in the caller's transaction and returns it, to {@link #announce} once committed. */
    FileEvent append(Handle h, String type, String owner, String fileId, Map<String, String> data, Instant at) {
        // Plain JDBC: every save's commit appends one (decision 0068).
        long id = Jdbc.insertReturningId(h, "INSERT INTO event_outbox (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
                values(type, owner, fileId, data, at));
        return new FileEvent(id, type, owner, fileId, at, data);
    }

    /** The columns an event is written with, in the order of {@link #values}. */
    static final String COLUMNS = "type, owner_id, file_id, payload, created_at";

    /** The values of an event, in the order of {@link #COLUMNS} (decision 0078 writes them in a statement of its own). */
    static Object[] values(String type, String owner, String fileId, Map<String, String> data, Instant at) {
        return new Object[] {type, owner.isEmpty() ? null : owner, fileId.isEmpty() ? null : fileId, Json.write(data),
                at.toEpochMilli()};
    }

    /** Hands a committed event to every listener; a listener that throws is logged and the others still hear it. */
    void announce(FileEvent event) {
        for (Consumer<FileEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("an event listener failed on {} of file {}: {}", event.type(), event.fileId(), e.toString());
            }
        }
    }

    /** Events not yet published, oldest first. */
    List<FileEvent> unpublished(Handle h, int limit) {
        return select(h, "published_at IS NULL", 0, limit);
    }

    /** Every event after {@code afterId}, published or not, oldest first. */
    List<FileEvent> after(Handle h, long afterId, int limit) {
        return select(h, "1 = 1", afterId, limit);
    }

    /**
     * Marks the events of {@code ids} published where no one has, and returns the ids this call marked: of
     * several nodes sharing the catalog, each event is returned to one, which then owns its fan-out to webhooks
     * in the same transaction. One statement for the whole batch ({@code RETURNING}, on both databases).
     */
    java.util.Set<Long> claim(Handle h, List<Long> ids, Instant at) {
        return new java.util.HashSet<>(h.createQuery("UPDATE event_outbox SET published_at = :at"
                        + " WHERE published_at IS NULL AND id IN (<ids>) RETURNING id")
                .bind("at", at.toEpochMilli()).bindList("ids", ids).mapTo(Long.class).list());
    }

    private static List<FileEvent> select(Handle h, String where, long afterId, int limit) {
        return h.createQuery("SELECT id, type, owner_id, file_id, payload, created_at FROM event_outbox WHERE "
                        + where + " AND id > :after ORDER BY id LIMIT :limit")
                .bind("after", afterId).bind("limit", limit)
                .map((rs, ctx) -> new FileEvent(rs.getLong("id"), rs.getString("type"), orEmpty(rs.getString("owner_id")),
                        orEmpty(rs.getString("file_id")),
                        Instant.ofEpochMilli(rs.getLong("created_at")), Json.read(rs.getString("payload"))))
                .list();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
