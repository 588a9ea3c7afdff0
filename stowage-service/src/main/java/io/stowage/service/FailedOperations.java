package io.stowage.service;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * Failed writes, deletes and copies ({@code service.failedOperations()}, decision 0042): every mutation of the
 * service that fails for a reason other than the caller's (a refusal such as {@code NOT_FOUND},
 * {@code INVALID_ARGUMENT} or {@code QUOTA_EXCEEDED} is not recorded; a backend's failure, a timeout or an
 * integrity error is), and every object a failed save could not remove. One open record per operation, target
 * and detail: failing again raises its {@code attempts}. Listing shows the open ones; {@link #retry} re-runs
 * what can be re-run and closes the record when it succeeds; {@link #dismiss} closes it by hand. Both are
 * audited ({@code failed_operation.retry}, {@code failed_operation.dismiss}). Thread-safe.
 */
public final class FailedOperations {

    /** Kinds that are the caller's doing, not a failure of the service. */
    private static final Set<ErrorKind> REFUSALS = Set.of(ErrorKind.NOT_FOUND, ErrorKind.ALREADY_EXISTS,
            ErrorKind.INVALID_KEY, ErrorKind.INVALID_ARGUMENT, ErrorKind.PRECONDITION_FAILED, ErrorKind.NOT_MODIFIED,
            ErrorKind.RANGE_NOT_SATISFIABLE, ErrorKind.QUOTA_EXCEEDED, ErrorKind.TOO_LARGE,
            ErrorKind.UNSUPPORTED_MEDIA_TYPE, ErrorKind.UNSUPPORTED);
    /** {@code secret=...}, {@code password: ...} and the like, masked in causes. */
    private static final Pattern SECRET = Pattern.compile(
            "(?i)\\b([\\w-]*(?:password|passwd|secret|token|signature|credential|authorization|api[_-]?key"
                    + "|access[_-]?key)[\\w-]*)(\\s*[=:]\\s*)[^\\s,;&]+");
    private static final int MAX_CAUSE = 1000;

    private final CatalogDatabase catalog;
    private final AuditLog audit;
    private final Clock clock;
    private volatile Map<String, Consumer<FailedOperation>> reruns = Map.of();

    FailedOperations(CatalogDatabase catalog, AuditLog audit, Clock clock) {
        this.catalog = catalog;
        this.audit = audit;
        this.clock = clock;
    }

    /** What {@link #retry} runs for each operation it can re-run. */
    void rerunWith(Map<String, Consumer<FailedOperation>> byOperation) {
        reruns = Map.copyOf(byOperation);
    }

    /** Whether {@code e} is the service's failure rather than the caller's refusal. */
    static boolean isFailure(RuntimeException e) {
        return !(e instanceof StorageException s) || !REFUSALS.contains(s.kind());
    }

    /**
     * Records {@code e} as a failure of {@code operation} on {@code target} when it is one ({@link #isFailure});
     * a failure to record is added to {@code e} as suppressed, never thrown.
     */
    void record(String owner, String operation, String target, Map<String, String> detail, RuntimeException e) {
        if (!isFailure(e)) {
            return;
        }
        try {
            catalog.useTransaction("failed_operation", h -> upsert(h, owner, operation, target, detail, e));
        } catch (RuntimeException failed) {
            e.addSuppressed(failed);
        }
    }

    private void upsert(Handle h, String owner, String operation, String target, Map<String, String> detail,
                        RuntimeException e) {
        Instant now = clock.instant();
        ErrorKind kind = e instanceof StorageException s ? s.kind() : ErrorKind.INTERNAL;
        String cause = scrub(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        String json = Json.write(detail);
        int bumped = h.createUpdate("UPDATE failed_operations SET at = :at, kind = :kind, cause = :cause,"
                        + " attempts = attempts + 1 WHERE operation = :op AND target = :target AND detail = :detail"
                        + " AND resolved_at IS NULL AND dismissed_at IS NULL")
                .bind("at", now.toEpochMilli()).bind("kind", kind.name()).bind("cause", cause).bind("op", operation)
                .bind("target", target).bind("detail", json).execute();
        if (bumped > 0) {
            return;
        }
        String fileId = target.startsWith("file:") ? target.substring("file:".length()) : null;
        h.createUpdate("INSERT INTO failed_operations (at, operation, owner_id, file_id, backend, blob_key, kind, cause,"
                        + " correlation_id, retryable, target, actor, detail, attempts)"
                        + " VALUES (:at, :op, :owner, :file, :backend, :key, :kind, :cause, :cid, :retryable, :target,"
                        + " :actor, :detail, 1)")
                .bind("at", now.toEpochMilli()).bind("op", operation).bind("owner", owner).bind("file", fileId)
                .bind("backend", e instanceof StorageException s ? s.backend().orElse(null) : null)
                .bind("key", detail.get("key")).bind("kind", kind.name()).bind("cause", cause)
                .bind("cid", AuditLog.correlationId().orElse(null))
                .bind("retryable", reruns.containsKey(operation) ? 1 : 0).bind("target", target)
                .bind("actor", AuditLog.actor(owner)).bind("detail", json).execute();
    }

    /**
     * A page of the failed operations still open, oldest first, after {@code cursor} ({@code ""} for the first).
     *
     * @throws StorageException {@code INVALID_ARGUMENT} for a bad limit or cursor
     */
    public Page<FailedOperation> list(String cursor, int limit) {
        Page.checkLimit(limit);
        long after = Page.after(cursor);
        return Page.of(catalog.withHandle("failed_operations", h -> select(h,
                "resolved_at IS NULL AND dismissed_at IS NULL AND id > :id", after, limit + 1)), limit, FailedOperation::id);
    }

    /** An open failed operation. */
    public Optional<FailedOperation> get(long id) {
        return catalog.withHandle("failed_operations", h -> select(h,
                "resolved_at IS NULL AND dismissed_at IS NULL AND id = :id", id, 1)).stream().findFirst();
    }

    /**
     * Re-runs an open failed operation (as its caller would, under the current {@link CallContext}) and closes it
     * when that succeeds. A retry that fails again leaves it open with its attempts raised, and throws.
     *
     * @throws StorageException {@code NOT_FOUND} for no open record of that id; {@code INVALID_ARGUMENT} for one
     *     that cannot be re-run; else the re-run's own failure
     */
    public void retry(long id) {
        FailedOperation op = open(id);
        Consumer<FailedOperation> rerun = reruns.get(op.operation());
        if (!op.retryable() || rerun == null) {
            throw StorageException.invalidArgument("failed operation " + id + " (" + op.operation()
                    + ") cannot be re-run; dismiss it once it is dealt with");
        }
        try {
            rerun.accept(op);
        } catch (RuntimeException e) {
            audited(op, "failed_operation.retry", AuditLog.outcome(e), false);
            throw e;
        }
        audited(op, "failed_operation.retry", AuditLog.OK, true);
    }

    /**
     * Closes an open failed operation without re-running it (dealt with by other means).
     *
     * @throws StorageException {@code NOT_FOUND} for no open record of that id
     */
    public void dismiss(long id) {
        FailedOperation op = open(id);
        Instant now = clock.instant();
        catalog.useTransaction("failed_operation", h -> {
            h.createUpdate("UPDATE failed_operations SET dismissed_at = :at WHERE id = :id").bind("at", now.toEpochMilli())
                    .bind("id", op.id()).execute();
            audit.append(h, op.owner(), "failed_operation.dismiss", "failed_operation:" + op.id(), AuditLog.OK, now);
        });
    }

    private void audited(FailedOperation op, String action, String outcome, boolean resolve) {
        Instant now = clock.instant();
        catalog.useTransaction("failed_operation", h -> {
            if (resolve) {
                h.createUpdate("UPDATE failed_operations SET resolved_at = :at WHERE id = :id")
                        .bind("at", now.toEpochMilli()).bind("id", op.id()).execute();
            }
            audit.append(h, op.owner(), action, "failed_operation:" + op.id(), outcome, now);
        });
    }

    private FailedOperation open(long id) {
        return get(id).orElseThrow(() -> StorageException.notFound(null, "no open failed operation " + id));
    }

    private static List<FailedOperation> select(Handle h, String where, long id, int limit) {
        return h.createQuery("SELECT id, at, operation, target, owner_id, actor, kind, cause, correlation_id, retryable,"
                        + " attempts, detail FROM failed_operations WHERE " + where + " ORDER BY id LIMIT :limit")
                .bind("id", id).bind("limit", limit)
                .map((rs, ctx) -> new FailedOperation(rs.getLong("id"), Instant.ofEpochMilli(rs.getLong("at")),
                        rs.getString("operation"), orEmpty(rs.getString("target")), orEmpty(rs.getString("owner_id")),
                        orEmpty(rs.getString("actor")), ErrorKind.valueOf(rs.getString("kind")), rs.getString("cause"),
                        orEmpty(rs.getString("correlation_id")), rs.getInt("retryable") == 1, rs.getInt("attempts"),
                        rs.getString("detail") == null ? Map.of() : Json.read(rs.getString("detail"))))
                .list();
    }

    /** A cause as it may be kept and shown: secrets masked, at most {@value #MAX_CAUSE} characters. */
    static String scrub(String message) {
        String masked = SECRET.matcher(message).replaceAll("$1$2****");
        return masked.length() <= MAX_CAUSE ? masked : masked.substring(0, MAX_CAUSE) + "…";
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
