package io.stowage.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.stowage.layer.LoggingLayer;
import io.stowage.service.auth.Principal;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * What every request carries: its id ({@code X-Request-Id}, taken from the client when well-formed, else
 * made here; echoed, and put in the logging MDC so every log line, audit entry and event of the request
 * names it), and the principal its credentials stand for once {@link Routes} checked them.
 */
final class Requests {

    static final String ID_HEADER = "X-Request-Id";
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final String ID = "stowage.requestId";
    private static final String PRINCIPAL = "stowage.principal";

    private Requests() {
    }

    static void install(JavalinConfig config) {
        config.routes.before(ctx -> {
            String id = idFor(ctx.header(ID_HEADER));
            ctx.attribute(ID, id);
            ctx.header(ID_HEADER, id);
            MDC.put(LoggingLayer.CORRELATION_ID, id);
        });
        config.routes.after(ctx -> MDC.remove(LoggingLayer.CORRELATION_ID));
    }

    /** The id of a request that came with {@code given} as its {@code X-Request-Id} (null for none). */
    static String idFor(String given) {
        return given != null && WELL_FORMED.matcher(given).matches() ? given : newId();
    }

    /**
     * A new request id in the form of a random UUID. From {@link ThreadLocalRandom}, not {@code UUID.randomUUID()}:
     * an id names a request in logs and is no secret, and the JDK's shared {@code SecureRandom} takes one lock for
     * every caller, which under load held most requests in a queue (decision 0057).
     */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L; // IETF variant
        return new UUID(high, low).toString();
    }

    /** The request's id. */
    static String id(Context ctx) {
        String id = ctx.attribute(ID);
        return id == null ? "" : id;
    }

    static void principal(Context ctx, Principal principal) {
        ctx.attribute(PRINCIPAL, principal);
    }

    /** Who the request acts as; only on routes that need credentials. */
    static Principal principal(Context ctx) {
        Principal principal = ctx.attribute(PRINCIPAL);
        if (principal == null) {
            throw new IllegalStateException("no principal on " + ctx.path() + ": the route was registered without a scope");
        }
        return principal;
    }

    /** The caller's owner id. */
    static String owner(Context ctx) {
        return principal(ctx).owner();
    }
}
