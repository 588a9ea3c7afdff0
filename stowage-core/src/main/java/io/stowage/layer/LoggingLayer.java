package io.stowage.layer;

import io.stowage.BlobInfo;
import io.stowage.BlobKey;
import io.stowage.BlobRead;
import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.Page;
import io.stowage.StorageException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One structured log line per operation: {@code op=put backend=aws key=a/b outcome=ok ms=12 bytes=340
 * correlation_id=…}. The correlation id comes from the caller's MDC ({@value #CORRELATION_ID}) and is
 * written into every line itself, so it shows whatever the log format. Successes log at DEBUG, answers
 * such as NOT_FOUND at DEBUG, failures of the backend (UNAVAILABLE, TIMEOUT, ...) at WARN. Content,
 * metadata values and configuration are never logged; error messages carry no secrets by contract.
 */
public final class LoggingLayer extends ForwardingLayer {

    /** The MDC key callers set (the server sets it per request). */
    public static final String CORRELATION_ID = "correlation_id";

    private final Logger log;

    public LoggingLayer(BlobStore delegate) {
        this(delegate, LoggerFactory.getLogger("io.stowage.storage"));
    }

    public LoggingLayer(BlobStore delegate, Logger log) {
        super(delegate);
        this.log = log;
    }

    /** One line per call, a feature's call among them; a copy names its source. */
    @Override
    protected <T> T call(Operation op, BlobKey key, Supplier<T> call) {
        return logged(op, key, call, result -> detail(op, result));
    }

    @Override
    public BlobInfo copy(BlobKey source, BlobKey target) {
        return logged(Operation.COPY, target, () -> delegate().copy(source, target), i -> " from=" + source);
    }

    private static String detail(Operation op, Object result) {
        return switch (op) {
            case PUT -> " bytes=" + ((BlobInfo) result).size();
            case GET, GET_VERSION -> " bytes=" + ((BlobRead) result).length();
            case EXISTS -> " exists=" + result;
            case DELETE -> " existed=" + result;
            case LIST -> " items=" + ((Page<?>) result).items().size();
            default -> "";
        };
    }

    private <T> T logged(Operation op, BlobKey key, Supplier<T> call, Function<T, String> detail) {
        long start = System.nanoTime();
        try {
            T result = call.get();
            if (log.isDebugEnabled()) {
                log.debug("{} outcome=ok{}", head(op, key, start), detail.apply(result));
            }
            return result;
        } catch (StorageException e) {
            if (CircuitBreakerLayer.countsAsFailure(e)) {
                log.warn("{} outcome={} error=\"{}\"", head(op, key, start), kind(e.kind()), e.reason());
            } else if (log.isDebugEnabled()) {
                log.debug("{} outcome={}", head(op, key, start), kind(e.kind()));
            }
            throw e;
        } catch (RuntimeException e) {
            log.warn("{} outcome=unexpected error={}", head(op, key, start), e.getClass().getName());
            throw e;
        }
    }

    private String head(Operation op, BlobKey key, long start) {
        String cid = MDC.get(CORRELATION_ID);
        return "op=" + op.label() + " backend=" + name() + (key == null ? "" : " key=" + key)
                + " ms=" + (System.nanoTime() - start) / 1_000_000
                + " correlation_id=" + (cid == null || cid.isBlank() ? "-" : cid);
    }

    private static String kind(ErrorKind k) {
        return k.name().toLowerCase(java.util.Locale.ROOT);
    }
}
