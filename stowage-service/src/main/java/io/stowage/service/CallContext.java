package io.stowage.service;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who is calling, for the audit log: set around a call (a server does so once per request) and read on the
 * same thread, since every service call runs on its caller's thread. Without one, the owner a call is made
 * for is the actor, and the correlation id is the MDC's {@code correlation_id}, as log lines have it.
 *
 * @param actor the acting principal (an API key's id, an admin); {@code ""} for the owner
 * @param correlationId the request's correlation id; {@code ""} for the MDC's
 * @param clientAddress the client's address; {@code ""} when unknown
 */
public record CallContext(String actor, String correlationId, String clientAddress) {

    private static final ThreadLocal<CallContext> CURRENT = new ThreadLocal<>();

    public CallContext {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(clientAddress, "clientAddress");
    }

    /** Runs {@code work} with this context, restoring the previous one afterwards. */
    public <T> T call(Supplier<T> work) {
        CallContext previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** As {@link #call}, without a result. */
    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    static Optional<CallContext> current() {
        return Optional.ofNullable(CURRENT.get());
    }
}
