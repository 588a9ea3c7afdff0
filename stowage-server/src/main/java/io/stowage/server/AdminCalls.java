package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.stowage.StorageException;
import io.stowage.service.ServiceOperations;
import io.stowage.service.auth.Scope;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the admin routes are registered (decision 0048): each needs the {@code admin} scope, and each call is
 * appended to the audit log as {@code admin.<what>} with the credential as actor (the {@link Routes}' call
 * context) and the call's outcome ({@code ok} or the error's kind), besides the entry the service appends for a
 * change it makes. A view whose audit entry cannot be written fails (an administrator's read is never unaudited);
 * a change that was made stays made, its own entry written with it, and the failure is logged. No answer is cached
 * ({@code Cache-Control: no-store}).
 */
final class AdminCalls {

    private static final Logger LOG = LoggerFactory.getLogger(AdminCalls.class);

    private final Routes routes;
    private final ServiceOperations operations;

    AdminCalls(Routes routes, ServiceOperations operations) {
        this.routes = routes;
        this.operations = operations;
    }

    /** A route that changes nothing; {@code target} names what it reads, as audit targets do. */
    void view(HandlerType method, String path, String action, Function<Context, String> target, Handler handler) {
        add(method, path, action, target, handler, true);
    }

    /** A route that changes something. */
    void change(HandlerType method, String path, String action, Function<Context, String> target, Handler handler) {
        add(method, path, action, target, handler, false);
    }

    private void add(HandlerType method, String path, String action, Function<Context, String> target,
                     Handler handler, boolean view) {
        routes.secured(method, path, Scope.ADMIN, ctx -> {
            ctx.header("Cache-Control", "no-store"); // who stores what, and where: for no cache between
            try {
                handler.handle(ctx);
            } catch (Exception e) {
                try {
                    operations.audit(action, target.apply(ctx), e instanceof StorageException s ? s.kind().name() : "INTERNAL");
                } catch (RuntimeException failed) {
                    e.addSuppressed(failed);
                }
                throw e;
            }
            try {
                operations.audit(action, target.apply(ctx), "ok");
            } catch (RuntimeException e) {
                if (view) {
                    throw e;
                }
                LOG.warn("{} {} was done, but its admin audit entry could not be written: {}", method, path, e.getMessage());
            }
        });
    }

    /** A page as the admin routes answer it: {@code {<field>: [...], "nextCursor"}}, the cursor null on the last page. */
    static <T> Map<String, Object> page(String field, List<T> items, Function<T, Map<String, Object>> json,
                                        Optional<String> nextCursor) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(field, items.stream().map(json).toList());
        body.put("nextCursor", nextCursor.orElse(null));
        return body;
    }

    /** A path parameter as an audit target may hold it: printable, at most 64 characters. */
    static String param(Context ctx, String name) {
        return JsonBodies.printable(ctx.pathParam(name));
    }

    /** A whole number path parameter (a delivery's or a failed operation's id); 404 when it is not one. */
    static long numericId(Context ctx, String name, String what) {
        String id = ctx.pathParam(name);
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw StorageException.notFound(null, "no " + what + " '" + JsonBodies.printable(id) + "'");
        }
    }

    /** An optional ISO-8601 instant query parameter. */
    static Instant instant(Context ctx, String name, Instant absent) {
        String value = ctx.queryParam(name);
        if (value == null || value.isEmpty()) {
            return absent;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw StorageException.invalidArgument("'" + name + "' must be an ISO-8601 instant such as"
                    + " 2030-01-01T00:00:00Z, was '" + JsonBodies.printable(value) + "'");
        }
    }
}
