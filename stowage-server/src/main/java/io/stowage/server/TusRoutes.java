package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.service.ResumableUpload;
import io.stowage.service.ResumableUploads;
import io.stowage.service.auth.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /v1/uploads/tus}: resumable uploads, tus 1.0.0 with the extensions creation, creation-with-upload,
 * termination, checksum (sha1, sha256) and expiration, over {@link ResumableUploads} (decision 0050). The
 * discovery {@code OPTIONS} is open, as tus clients send it without credentials; every other call needs the
 * credentials of any /v1 route, and a session is its owner's alone. The call whose chunk completes an upload
 * answers with the new file's id in {@value #FILE_ID}, and so does {@code HEAD} on that session.
 */
final class TusRoutes {

    static final String PATH = "/v1/uploads/tus";
    static final String VERSION = "1.0.0";
    static final String EXTENSIONS = "creation,creation-with-upload,termination,checksum,expiration";
    static final String FILE_ID = "Stowage-File-Id";
    /** tus's own status for a chunk whose {@code Upload-Checksum} does not match. */
    static final int CHECKSUM_MISMATCH = 460;
    private static final String CHUNK_TYPE = "application/offset+octet-stream";

    private final ResumableUploads uploads;

    TusRoutes(ResumableUploads uploads) {
        this.uploads = uploads;
    }

    void register(Routes routes) {
        routes.open(HandlerType.OPTIONS, PATH, this::options);
        routes.secured(HandlerType.POST, PATH, Scope.WRITE, this::create);
        routes.secured(HandlerType.HEAD, PATH + "/{id}", Scope.WRITE, this::head);
        routes.secured(HandlerType.PATCH, PATH + "/{id}", Scope.WRITE, this::patch);
        routes.secured(HandlerType.DELETE, PATH + "/{id}", Scope.WRITE, this::terminate);
    }

    private void options(Context ctx) {
        ctx.header("Tus-Resumable", VERSION);
        ctx.header("Tus-Version", VERSION);
        ctx.header("Tus-Extension", EXTENSIONS);
        ctx.header("Tus-Max-Size", Long.toString(uploads.maxSize()));
        ctx.header("Tus-Checksum-Algorithm", "sha1,sha256");
        ctx.status(204);
    }

    private void create(Context ctx) throws IOException {
        resumable(ctx);
        if (ctx.header("Upload-Defer-Length") != null) {
            throw StorageException.invalidArgument("Upload-Defer-Length is not supported: send Upload-Length");
        }
        long length = number(ctx, "Upload-Length");
        String metadata = ctx.header("Upload-Metadata");
        Map<String, String> meta = metadata(metadata);
        ResumableUpload session = uploads.create(Requests.owner(ctx), meta.getOrDefault("filename", "upload"),
                meta.get("filetype"), length, metadata);
        ctx.header("Location", PATH + "/" + session.id());
        // An empty file is complete at once (tus clients send no PATCH for it).
        if (CHUNK_TYPE.equals(mediaType(ctx)) || length == 0) {
            session = append(ctx, session.id(), 0);
        }
        answer(ctx, session);
        ctx.status(201);
    }

    private void head(Context ctx) {
        resumable(ctx);
        ResumableUpload session = uploads.get(Requests.owner(ctx), ctx.pathParam("id"));
        ctx.header("Upload-Length", Long.toString(session.length()));
        if (session.metadata() != null) {
            ctx.header("Upload-Metadata", session.metadata());
        }
        ctx.header("Cache-Control", "no-store");
        answer(ctx, session);
        ctx.status(200);
    }

    private void patch(Context ctx) throws IOException {
        resumable(ctx);
        if (!CHUNK_TYPE.equals(mediaType(ctx))) {
            throw StorageException.builder(ErrorKind.UNSUPPORTED_MEDIA_TYPE)
                    .message("a chunk's Content-Type must be " + CHUNK_TYPE).build();
        }
        long offset = number(ctx, "Upload-Offset");
        answer(ctx, append(ctx, ctx.pathParam("id"), offset));
        ctx.status(204);
    }

    private void terminate(Context ctx) {
        resumable(ctx);
        uploads.terminate(Requests.owner(ctx), ctx.pathParam("id"));
        ctx.status(204);
    }

    /** Stores the request's body as the chunk at {@code offset}; a mismatch is tus's 409 or 460. */
    private ResumableUpload append(Context ctx, String id, long offset) throws IOException {
        Optional<ResumableUploads.Checksum> checksum = checksum(ctx.header("Upload-Checksum"));
        InputStream body = ctx.req().getInputStream();
        // A client that waits for "100 Continue" (curl does, for bodies over 1 MiB) gets it now, its credentials
        // checked, and sends the chunk while the session is held, instead of after (decision 0089): asking what is
        // there to read asks Jetty for the body, which answers the expectation.
        body.available();
        try {
            return uploads.append(Requests.owner(ctx), id, offset, body, ctx.req().getContentLengthLong(), checksum);
        } catch (StorageException e) {
            if (ResumableUploads.OFFSET_MISMATCH.equals(e.operation().orElse(null))) {
                throw new Status(409, ErrorKind.PRECONDITION_FAILED, e.reason());
            }
            if (ResumableUploads.CHECKSUM_MISMATCH.equals(e.operation().orElse(null))) {
                throw new Status(CHECKSUM_MISMATCH, ErrorKind.INTEGRITY, e.reason());
            }
            throw e;
        }
    }

    private static void answer(Context ctx, ResumableUpload session) {
        ctx.header("Upload-Offset", Long.toString(session.offset()));
        if (session.finished()) {
            ctx.header(FILE_ID, session.fileId().orElseThrow());
        } else {
            ctx.header("Upload-Expires", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                    session.expiresAt().atOffset(ZoneOffset.UTC)));
        }
    }

    /** Every call but {@code OPTIONS} names the protocol version; another one is 412 with the versions served. */
    private static void resumable(Context ctx) {
        ctx.header("Tus-Resumable", VERSION);
        String asked = ctx.header("Tus-Resumable");
        if (!VERSION.equals(asked)) {
            ctx.header("Tus-Version", VERSION);
            throw new Status(412, ErrorKind.PRECONDITION_FAILED, asked == null
                    ? "send Tus-Resumable: " + VERSION : "tus version '" + JsonBodies.printable(asked)
                    + "' is not served; this server speaks " + VERSION);
        }
    }

    private static String mediaType(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null) {
            return null;
        }
        int semicolon = type.indexOf(';');
        return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static long number(Context ctx, String header) {
        String value = ctx.header(header);
        if (value == null) {
            throw StorageException.invalidArgument("send " + header);
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw StorageException.invalidArgument(header + " must be a number of bytes, was '"
                + JsonBodies.printable(value) + "'");
    }

    /** {@code Upload-Metadata}: comma-separated {@code key base64(value)} pairs, the value optional. */
    static Map<String, String> metadata(String header) {
        Map<String, String> out = new HashMap<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        for (String pair : header.split(",")) {
            String[] kv = pair.trim().split(" ", -1);
            if (kv.length > 2 || kv[0].isEmpty()) {
                throw StorageException.invalidArgument(
                        "Upload-Metadata must be comma-separated 'key base64value' pairs");
            }
            try {
                out.put(kv[0], kv.length == 2
                        ? new String(Base64.getDecoder().decode(kv[1]), StandardCharsets.UTF_8) : "");
            } catch (IllegalArgumentException e) {
                throw StorageException.invalidArgument("the value of Upload-Metadata's '" + JsonBodies.printable(kv[0])
                        + "' is not base64");
            }
        }
        return out;
    }

    /** {@code Upload-Checksum: <algorithm> <base64 digest>}. */
    static Optional<ResumableUploads.Checksum> checksum(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String[] parts = header.trim().split(" ");
        if (parts.length != 2) {
            throw StorageException.invalidArgument("Upload-Checksum must be '<algorithm> <base64 digest>'");
        }
        String algorithm = parts[0].toLowerCase(Locale.ROOT);
        if (!algorithm.equals("sha1") && !algorithm.equals("sha256")) {
            throw StorageException.invalidArgument("Upload-Checksum's algorithm must be sha1 or sha256, was '"
                    + JsonBodies.printable(parts[0]) + "'");
        }
        try {
            return Optional.of(new ResumableUploads.Checksum(algorithm, Base64.getDecoder().decode(parts[1])));
        } catch (IllegalArgumentException e) {
            throw StorageException.invalidArgument("Upload-Checksum's digest is not base64");
        }
    }

    /** An answer of a status the error kinds do not map to (409 and 412 of tus, 460), as a problem document. */
    static final class Status extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final ErrorKind kind;

        Status(int status, ErrorKind kind, String message) {
            super(message);
            this.status = status;
            this.kind = kind;
        }
    }
}
