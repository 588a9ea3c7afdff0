package io.stowage.service;

import io.stowage.ErrorKind;
import java.time.Instant;
import java.util.Map;

/**
 * A write, delete or copy the service could not finish (spec 000's archive of failures).
 *
 * @param id increasing in the order failures were first recorded; what {@link FailedOperations#retry} and
 *     {@link FailedOperations#dismiss} take
 * @param at when it last failed
 * @param operation as the audit log names it ({@code file.save}, {@code file.purge}, {@code owner.erase}, ...),
 *     or {@code object.delete} for an object a failed save could not remove
 * @param target {@code file:<id>} or {@code owner:<id>}
 * @param owner the owner it was done for
 * @param actor who asked (the {@link CallContext}'s actor, else the owner)
 * @param kind the kind of the failure
 * @param cause what failed, as the error said it (secrets masked)
 * @param correlationId the call's correlation id, {@code ""} when none was set
 * @param retryable whether {@link FailedOperations#retry} can re-run it (a purge, an erasure, an object's
 *     deletion; a save's content is gone with its call)
 * @param attempts how often it failed (the first time and each failed retry)
 * @param detail what a retry needs besides owner and target ({@code key} of an object)
 */
public record FailedOperation(long id, Instant at, String operation, String target, String owner, String actor,
                              ErrorKind kind, String cause, String correlationId, boolean retryable, int attempts,
                              Map<String, String> detail) {

    public FailedOperation {
        detail = Map.copyOf(detail);
    }

    /** The file of a {@code file:<id>} target, {@code ""} otherwise. */
    public String fileId() {
        return target.startsWith("file:") ? target.substring("file:".length()) : "";
    }
}
