package io.stowage.service;

import io.stowage.StorageException;
import io.stowage.layer.LoggingLayer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.MDC;

/**
 * The audit log's SQL. A successful change is appended on the handle of its own transaction, so the
 * entry exists exactly when the change does; a refused or failed one in a transaction of its own. Who
 * acted, from where and under which correlation id come from the {@link CallContext}; without one the
 * owner acts and the correlation id is the MDC's ({@link LoggingLayer#CORRELATION_ID}).
 */
final class AuditLog {

    static final String OK = "ok";

    /** The columns an entry is written with, in the order of {@link #values}. */
    static final String COLUMNS = "at, actor, action, target, outcome, correlation_id, client_address";

    void append(Handle h, String owner, String action, String target, String outcome, Instant at) {
        // Plain JDBC: every save's commit appends one (decision 0068).
        Jdbc.update(h, "INSERT INTO audit_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                values(owner, action, target, outcome, at));
    }

    /**
     * The values of an entry, in the order of {@link #COLUMNS}, taken from the calling thread's context: for a
     * statement that writes the entry with the change it records (a save's commit on PostgreSQL, decision 0078).
     */
    static Object[] values(String owner, String action, String target, String outcome, Instant at) {
        return new Object[] {at.toEpochMilli(), actor(owner), action, target, outcome, correlationId().orElse(null),
                context(CallContext::clientAddress).orElse(null)};
    }

    /** The page {@code query} asks for. */
    AuditPage page(Handle h, AuditQuery query) {
        List<AuditEntry> rows = find(h, query, query.afterId(), query.limit() + 1);
        List<AuditEntry> page = rows.stream().limit(query.limit()).toList();
        return new AuditPage(page, rows.size() > query.limit()
                ? Optional.of(Long.toString(page.getLast().id())) : Optional.empty());
    }

    /** Entries matching {@code query} after its cursor, oldest first, at most {@code limit}. */
    List<AuditEntry> find(Handle h, AuditQuery query, long afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT id, at, actor, action, target, outcome, correlation_id,"
                + " client_address FROM audit_log WHERE id > :after AND at >= :from AND at < :to");
        query.actor().ifPresent(a -> sql.append(" AND actor = :actor"));
        query.action().ifPresent(a -> sql.append(" AND action = :action"));
        query.target().ifPresent(a -> sql.append(" AND target = :target"));
        sql.append(" ORDER BY id LIMIT :limit");
        var q = h.createQuery(sql.toString()).bind("after", afterId).bind("from", query.from().toEpochMilli())
                .bind("to", query.to().toEpochMilli()).bind("limit", limit);
        query.actor().ifPresent(a -> q.bind("actor", a));
        query.action().ifPresent(a -> q.bind("action", a));
        query.target().ifPresent(a -> q.bind("target", a));
        return q.map((rs, ctx) -> new AuditEntry(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("at")),
                rs.getString("actor"), rs.getString("action"), rs.getString("target"), rs.getString("outcome"),
                orEmpty(rs.getString("correlation_id")), orEmpty(rs.getString("client_address")))).list();
    }

    /** Who acts: the {@link CallContext}'s actor, else {@code owner}. */
    static String actor(String owner) {
        return context(CallContext::actor).orElse(owner);
    }

    /** The call's correlation id: the {@link CallContext}'s, else the MDC's. */
    static Optional<String> correlationId() {
        return context(CallContext::correlationId).or(() -> mdc(LoggingLayer.CORRELATION_ID));
    }

    static String outcome(RuntimeException e) {
        return e instanceof StorageException s ? s.kind().name() : "INTERNAL";
    }

    private static Optional<String> context(java.util.function.Function<CallContext, String> field) {
        return CallContext.current().map(field).filter(v -> !v.isBlank());
    }

    private static Optional<String> mdc(String key) {
        String v = MDC.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
