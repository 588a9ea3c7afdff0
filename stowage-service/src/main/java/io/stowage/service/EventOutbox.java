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
        long id = h.createUpdate("INSERT INTO event_outbox (type, owner_id, file_id, payload, created_at)"
                        + " VALUES (:type, :owner, :file, :payload, :at)")
                .bind("type", type).bind("owner", owner.isEmpty() ? null : owner)
                .bind("file", fileId.isEmpty() ? null : fileId)
                .bind("payload", Json.write(data)).bind("at", at.toEpochMilli())
                .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
        return new FileEvent(id, type, owner, fileId, at, data);
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
     * Marks an event published, if no one has: true for the one caller (of any node sharing the catalog) that
     * did, which then owns its fan-out to webhooks in the same transaction.
     */
    boolean claim(Handle h, long id, Instant at) {
        return h.createUpdate("UPDATE event_outbox SET published_at = :at WHERE id = :id AND published_at IS NULL")
                .bind("at", at.toEpochMilli()).bind("id", id).execute() == 1;
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
