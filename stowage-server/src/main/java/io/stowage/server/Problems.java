package io.stowage.server;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.config.InvalidConfigException;
import io.stowage.service.InfectedContentException;
import io.stowage.service.auth.AuthenticationException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place errors become responses: {@code application/problem+json} (RFC 9457) with the error's
 * {@code kind} and the request's {@code correlationId}. Messages come from Stowage's own exceptions, which
 * never carry secrets; anything unexpected answers a bare 500 and is logged with its stack here, never sent.
 */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    private static final String INTERNAL_DETAIL = "the server failed to answer; the log has the details under this correlation id";

    private Problems() {
    }

    /** Installs the handlers on a server's configuration. */
    static void install(JavalinConfig config) {
        config.routes.exception(StorageException.class, (e, ctx) -> storage(ctx, e));
        config.routes.exception(AuthenticationException.class, (e, ctx) -> unauthenticated(ctx, e.getMessage()));
        config.routes.exception(Forbidden.class, (e, ctx) -> send(ctx, 403, "PERMISSION_DENIED", e.getMessage()));
        config.routes.exception(TusRoutes.Status.class, (e, ctx) -> send(ctx, e.status, e.kind.name(), e.getMessage()));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> send(ctx, e.getStatus(), kind(e.getStatus()), e.getMessage()));
        config.routes.exception(Exception.class, (e, ctx) -> {
            Answer answer = internal(e, ctx.method().name(), shown(ctx));
            send(ctx, answer.status(), answer.kind(), answer.detail());
        });
        config.routes.error(404, ctx -> {
            // A route's own 404 (a file not found) already wrote its problem; the servlet adds a charset to its type.
            String written = ctx.res().getContentType();
            if (written == null || !written.startsWith(MEDIA_TYPE)) {
                send(ctx, 404, "NOT_FOUND", "no such route: " + ctx.method() + " " + ctx.path());
            }
        });
        config.routes.error(405, ctx -> send(ctx, 405, "UNSUPPORTED", ctx.method() + " is not allowed on " + ctx.path()));
    }

    /** The HTTP status of an error kind. */
    static int status(ErrorKind kind) {
        return switch (kind) {
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS -> 409;
            case INVALID_KEY, INVALID_ARGUMENT -> 400;
            case PRECONDITION_FAILED -> 412;
            case NOT_MODIFIED -> 304;
            case RANGE_NOT_SATISFIABLE -> 416;
            case PERMISSION_DENIED -> 403;
            case QUOTA_EXCEEDED -> 507;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case UNSUPPORTED -> 501;
            case UNAVAILABLE -> 503;
            case TIMEOUT -> 504;
            case RATE_LIMITED -> 429;
            case INTEGRITY, CONFIG, INTERNAL -> 500;
        };
    }

    /** The kind a bare HTTP status stands for (an error Javalin or Jetty raised, not the service). */
    static String kind(int status) {
        return switch (status) {
            case 401 -> "UNAUTHENTICATED";
            case 403 -> ErrorKind.PERMISSION_DENIED.name();
            case 404 -> ErrorKind.NOT_FOUND.name();
            case 405, 501 -> ErrorKind.UNSUPPORTED.name();
            case 409 -> ErrorKind.ALREADY_EXISTS.name();
            case 412 -> ErrorKind.PRECONDITION_FAILED.name();
            case 413 -> ErrorKind.TOO_LARGE.name();
            case 415 -> ErrorKind.UNSUPPORTED_MEDIA_TYPE.name();
            case 416 -> ErrorKind.RANGE_NOT_SATISFIABLE.name();
            case 429 -> ErrorKind.RATE_LIMITED.name();
            case 503 -> ErrorKind.UNAVAILABLE.name();
            case 504 -> ErrorKind.TIMEOUT.name();
            case 507 -> ErrorKind.QUOTA_EXCEEDED.name();
            default -> status >= 500 ? ErrorKind.INTERNAL.name() : ErrorKind.INVALID_ARGUMENT.name();
        };
    }

    private static void storage(Context ctx, StorageException e) {
        if (e instanceof InvalidConfigException refused) {
            // A configuration a reload or an .env change was refused for: every problem, as the loader words them
            // (settings named, secrets scrubbed); the running configuration stays (decision 0052).
            send(ctx, 422, e.kind().name(), "the configuration was refused; the running one stays",
                    Map.of("problems", refused.problems()));
            return;
        }
        Answer answer = answer(e, ctx.method().name(), shown(ctx));
        if (answer.status() == 304) {
            ctx.status(304);
            return;
        }
        if (answer.retryAfter()) {
            ctx.header("Retry-After", RETRY_AFTER);
        }
        send(ctx, answer.status(), answer.kind(), answer.detail());
    }

    /** What a {@link StorageException} is answered with; {@code retryAfter}: with {@code Retry-After: 5}. */
    record Answer(int status, String kind, String detail, boolean retryAfter) {
    }

    static final String RETRY_AFTER = "5";

    /**
     * The answer to {@code e} in a request {@code method} {@code shown}, for a server's errors wherever they are
     * written (here, or {@link ContentFastPath}); an internal failure is logged here with its stack and answered bare.
     */
    static Answer answer(StorageException e, String method, String shown) {
        if (e instanceof InfectedContentException) {
            // Infected content is refused as unprocessable, named apart from other bad input (decision 0055).
            return new Answer(422, InfectedContentException.KIND, e.reason(), false);
        }
        int status = status(e.kind());
        boolean retryAfter = e.kind() == ErrorKind.UNAVAILABLE || e.kind() == ErrorKind.RATE_LIMITED;
        if (status == 500) {
            // An internal, integrity or configuration failure may name keys and backends: the log has it, the client a bare 500.
            LOG.error("request {} {} failed: {}", method, shown, e.getMessage(), e);
            return new Answer(status, e.kind().name(), INTERNAL_DETAIL, retryAfter);
        }
        return new Answer(status, e.kind().name(), e.reason(), retryAfter);
    }

    /** The answer to an unexpected failure: logged here with its stack, a bare 500 to the client. */
    static Answer internal(Throwable e, String method, String shown) {
        LOG.error("request {} {} failed", method, shown, e);
        return new Answer(500, ErrorKind.INTERNAL.name(), INTERNAL_DETAIL, false);
    }

    /** 401 with the challenge RFC 6750 asks for. */
    static void unauthenticated(Context ctx, String why) {
        ctx.header("WWW-Authenticate", "Bearer realm=\"stowage\", error=\"invalid_token\"");
        send(ctx, 401, "UNAUTHENTICATED", why);
    }

    /**
     * Writes a problem document as the response, replacing whatever was set before; its {@code instance} is
     * the path as {@link #shown} gives it.
     */
    static void send(Context ctx, int status, String kind, String detail) {
        send(ctx, status, kind, detail, Map.of());
    }

    /** As {@link #send(Context, int, String, String)}, with extension members after the standard ones. */
    static void send(Context ctx, int status, String kind, String detail, Map<String, Object> extensions) {
        Map<String, Object> body = document(status, kind, detail, shown(ctx), Requests.id(ctx));
        body.putAll(extensions);
        ctx.status(status);
        ctx.json(body);
        ctx.contentType(MEDIA_TYPE);
    }

    /** A problem document's standard members; {@code instance} as {@link #shown(String)} gives it. */
    static Map<String, Object> document(int status, String kind, String detail, String instance, String correlationId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "https://stowage.io/problems/" + kind.toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        body.put("title", title(status));
        body.put("status", status);
        body.put("kind", kind);
        body.put("detail", detail == null ? title(status) : detail);
        body.put("instance", instance);
        body.put("correlationId", correlationId);
        return body;
    }

    private static String shown(Context ctx) {
        return shown(ctx.path());
    }

    /** A request's path as answers and logs show it: a signed link's token is a credential and stays out. */
    static String shown(String path) {
        return path.startsWith(LinkRoutes.PREFIX) ? LinkRoutes.PREFIX + "{token}" : path;
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 422 -> "Unprocessable Content";
            case TusRoutes.CHECKSUM_MISMATCH -> "Checksum Mismatch";
            case 429 -> "Too Many Requests";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 507 -> "Insufficient Storage";
            default -> "Internal Server Error";
        };
    }

    /** A caller that authenticated but lacks the scope a route needs. */
    static final class Forbidden extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Forbidden(String message) {
            super(message);
        }
    }
}
