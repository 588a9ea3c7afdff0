package io.stowage.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.stowage.service.CallContext;
import io.stowage.service.auth.AuthenticationException;
import io.stowage.service.auth.Authenticator;
import io.stowage.service.auth.Principal;
import io.stowage.service.auth.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where routes are registered, each with the scope it needs or as open: a route with a scope checks the
 * request's bearer credential (401 when there is none or it does not authenticate, 403 when it lacks the
 * scope) and runs its handler as that principal, with the audit's {@link CallContext} set. Each request
 * counts against its credential's rate limit, or its address's when it has none or its credential fails
 * ({@link RateLimits}). The list of
 * routes is kept, so the OpenAPI document can be checked against what really exists.
 */
final class Routes {

    /** A registered route. {@code scope} is empty for an open one. */
    record Route(HandlerType method, String path, Optional<Scope> scope) {
    }

    private final JavalinConfig config;
    private final Authenticator authenticator;
    private final RateLimits limits;
    private final List<Route> routes = new ArrayList<>();

    Routes(JavalinConfig config, Authenticator authenticator, RateLimits limits) {
        this.config = config;
        this.authenticator = authenticator;
        this.limits = limits;
    }

    /** A route open to anyone (health, signed links, documentation). */
    void open(HandlerType method, String path, Handler handler) {
        routes.add(new Route(method, path, Optional.empty()));
        config.routes.addHttpHandler(method, path, ctx -> {
            limits.address(ctx.ip());
            CallContext call = new CallContext("anonymous", Requests.id(ctx), ctx.ip());
            run(call, handler, ctx);
        });
    }

    /** A route that needs credentials with {@code scope}. */
    void secured(HandlerType method, String path, Scope scope, Handler handler) {
        routes.add(new Route(method, path, Optional.of(scope)));
        config.routes.addHttpHandler(method, path, ctx -> {
            Principal principal;
            try {
                principal = authenticate(ctx);
            } catch (AuthenticationException e) {
                limits.address(ctx.ip());
                throw e;
            }
            limits.credential(principal.credentialId());
            if (!principal.may(scope)) {
                throw new Problems.Forbidden("this credential lacks the '" + scope.label() + "' scope that "
                        + method + " " + path + " needs");
            }
            Requests.principal(ctx, principal);
            run(new CallContext(principal.credentialId(), Requests.id(ctx), ctx.ip()), handler, ctx);
        });
    }

    List<Route> all() {
        return List.copyOf(routes);
    }

    private Principal authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw new AuthenticationException("this route needs credentials: Authorization: Bearer <API key or JWT>");
        }
        String bearer = bearer(header);
        if (bearer == null) {
            throw new AuthenticationException("the Authorization header must be 'Bearer <API key or JWT>'");
        }
        return authenticator.authenticate(bearer);
    }

    /** The credential of an {@code Authorization: Bearer <credential>} header; null for none or another form. */
    static String bearer(String header) {
        if (header == null) {
            return null;
        }
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")
                || header.substring(space + 1).isBlank()) {
            return null;
        }
        return header.substring(space + 1).trim();
    }

    private static void run(CallContext call, Handler handler, Context ctx) throws Exception {
        try {
            call.run(() -> {
                try {
                    handler.handle(ctx);
                } catch (Exception e) {
                    throw new Escaped(e);
                }
            });
        } catch (Escaped e) {
            throw (Exception) e.getCause();
        }
    }

    /** Carries a handler's checked exception through {@link CallContext#run}. */
    private static final class Escaped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Escaped(Exception cause) {
            super(cause);
        }
    }
}
