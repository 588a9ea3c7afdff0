package io.stowage.service;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * Who is calling, for the audit log: set around a call (a server does so once per request) and read on the
 * same thread, since a service call runs on its caller's thread; where part of a call runs on another thread
 * (a commit grouped with others', a batch's items), it runs {@linkplain #within within} the caller's {@link
 * #capture captured} context. Without one, the owner a call is made for is the actor, and the correlation id is
 * the MDC's {@code correlation_id}, as log lines have it.
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

    /** The calling thread's context and MDC, for work done for this caller on another thread. */
    static Captured capture() {
        return new Captured(CURRENT.get(), MDC.getCopyOfContextMap());
    }

    /**
     * Runs {@code work} as the caller {@code captured} was: with its context (or none) and its MDC, restoring this
     * thread's own afterwards.
     */
    static <T> T within(Captured captured, Supplier<T> work) {
        CallContext previous = CURRENT.get();
        Map<String, String> previousMdc = MDC.getCopyOfContextMap();
        set(captured.context(), captured.mdc());
        try {
            return work.get();
        } finally {
            set(previous, previousMdc);
        }
    }

    private static void set(CallContext context, Map<String, String> mdc) {
        if (context == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(context);
        }
        if (mdc == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(mdc);
        }
    }

    /**
     * What {@link #capture} took from a caller's thread.
     *
     * @param context the caller's context; null when it had none
     * @param mdc the caller's MDC; null when it had none
     */
    record Captured(CallContext context, Map<String, String> mdc) {
    }
}
