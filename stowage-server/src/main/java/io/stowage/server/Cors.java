package io.stowage.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;

/**
 * Cross-origin requests from the origins {@code STOWAGE_CORS_ORIGINS} names (none by default; {@code *} for
 * any). A request from such an origin gets {@code Access-Control-Allow-Origin} and the headers a client
 * needs exposed; a preflight ({@code OPTIONS} with {@code Access-Control-Request-Method}) from one is
 * answered 204 with the methods and headers the API takes, from any other origin 403. Credentials travel in
 * {@code Authorization}, never in cookies, so no {@code Allow-Credentials}.
 */
final class Cors {

    static final String METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    static final String HEADERS = "Authorization, Content-Type, Range, If-Match, If-None-Match, If-Range,"
            + " If-Modified-Since, X-Request-Id, Tus-Resumable, Upload-Length, Upload-Offset, Upload-Metadata,"
            + " Upload-Checksum, Upload-Defer-Length, Upload-Concat";
    static final String EXPOSED = "ETag, Location, Content-Length, Content-Range, Content-Disposition,"
            + " Accept-Ranges, Retry-After, X-Request-Id, WWW-Authenticate, Tus-Resumable, Upload-Offset,"
            + " Upload-Length, Upload-Expires";
    private static final String MAX_AGE = "600";

    private final List<String> origins;

    private Cors(List<String> origins) {
        this.origins = origins;
    }

    static void install(JavalinConfig config, List<String> origins) {
        Cors cors = new Cors(origins);
        config.routes.before(cors::headers);
    }

    private boolean allowed(String origin) {
        return origin != null && (origins.contains("*") || origins.contains(origin));
    }

    private void headers(Context ctx) {
        String origin = ctx.header("Origin");
        ctx.res().addHeader("Vary", "Origin");
        if (ctx.method() == HandlerType.OPTIONS && origin != null && ctx.header("Access-Control-Request-Method") != null) {
            preflight(ctx, origin);
            ctx.skipRemainingHandlers();
            return;
        }
        if (allowed(origin)) {
            ctx.header("Access-Control-Allow-Origin", origins.contains("*") ? "*" : origin);
            ctx.header("Access-Control-Expose-Headers", EXPOSED);
        }
    }

    private void preflight(Context ctx, String origin) {
        if (!allowed(origin)) {
            Problems.send(ctx, 403, "PERMISSION_DENIED", "cross-origin requests from " + origin
                    + " are not allowed (STOWAGE_CORS_ORIGINS)");
            return;
        }
        ctx.header("Access-Control-Allow-Origin", origins.contains("*") ? "*" : origin);
        ctx.header("Access-Control-Allow-Methods", METHODS);
        ctx.header("Access-Control-Allow-Headers", HEADERS);
        ctx.header("Access-Control-Max-Age", MAX_AGE);
        ctx.status(204);
    }
}
