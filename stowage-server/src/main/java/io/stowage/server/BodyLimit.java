package io.stowage.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.regex.Pattern;

/**
 * The size of a request body the server reads whole (JSON): {@code max_body_size}. A body that declares a
 * larger {@code Content-Length} is answered 413 before a byte of it is read; one without a length is cut at
 * the limit when read ({@code http.maxRequestSize}). Uploads stream and are bounded by the service's
 * {@code max_upload_size} instead, so their routes are left out here.
 */
final class BodyLimit {

    /** Where bodies are file content: uploads, new versions, tus, the specifications' upload routes. */
    private static final Pattern STREAMED = Pattern.compile(
            "POST /v1/files|PUT /v1/files/[^/]+/content|[A-Z]+ /v1/uploads(/.*)?|POST /upload|PUT /storage/.*");

    private final long max;

    private BodyLimit(long max) {
        this.max = max;
    }

    static void install(JavalinConfig config, long max) {
        config.http.maxRequestSize = max;
        BodyLimit limit = new BodyLimit(max);
        config.routes.before(limit::check);
    }

    private void check(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > max && !STREAMED.matcher(ctx.method().name() + " " + ctx.path()).matches()) {
            // The body is not read: the connection cannot carry another request after it.
            ctx.header("Connection", "close");
            Problems.send(ctx, 413, "TOO_LARGE", "the body is " + declared + " bytes; this route takes at most " + max
                    + " (STOWAGE_MAX_BODY_SIZE)");
            ctx.skipRemainingHandlers();
        }
    }
}
