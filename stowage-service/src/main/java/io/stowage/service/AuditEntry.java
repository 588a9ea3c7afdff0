package io.stowage.service;

import java.time.Instant;

/**
 * One line of the append-only audit log. It names files by id only: no file name, no content, so it
 * may outlive an owner's erasure.
 *
 * @param id increasing in the order entries were appended
 * @param actor who acted: the {@link CallContext}'s actor when the caller set one (the server: an API
 *     key, an admin), else the owner the call was made for
 * @param action {@code file.save}, {@code file.replace}, {@code file.restore_version}, {@code file.delete},
 *     {@code file.undelete}, {@code file.purge}, {@code quota.set}
 * @param target {@code file:<id>}, or {@code owner:<id>} where no file is concerned
 * @param outcome {@code ok}, or the {@link io.stowage.ErrorKind} of the failure
 * @param correlationId the call's correlation id (the {@link CallContext}'s, else the MDC's
 *     {@code correlation_id}), {@code ""} when none was set
 * @param clientAddress the {@link CallContext}'s client address, {@code ""} when none was set
 */
public record AuditEntry(long id, Instant at, String actor, String action, String target, String outcome,
                         String correlationId, String clientAddress) {
}
