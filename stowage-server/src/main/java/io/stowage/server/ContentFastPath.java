package io.stowage.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stowage.BlobContent;
import io.stowage.StorageException;
import io.stowage.layer.LoggingLayer;
import io.stowage.service.CallContext;
import io.stowage.service.ContentDisposition;
import io.stowage.service.FileRead;
import io.stowage.service.FileRecord;
import io.stowage.service.ReadableFile;
import io.stowage.service.SaveOptions;
import io.stowage.service.StorageService;
import io.stowage.service.auth.Authenticator;
import io.stowage.service.auth.Principal;
import io.stowage.service.auth.Scope;
import io.stowage.spi.PooledJson;
import io.stowage.spi.io.RegionSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.UrlEncoded;
import org.slf4j.MDC;

/**
 * {@code GET} and {@code HEAD /v1/files/{id}/content} in their plain form, answered by Jetty in front of the servlet
 * layer and Javalin, which were about half of a small GET's CPU (decision 0086). Plain: no query, no
 * {@code Range}, {@code If-*} or {@code Origin} header, no body, a bearer credential that authenticates with the
 * {@code read} scope and a rate limit that lets it through. Every other request, and these whenever any of that
 * does not hold, goes on to Javalin untouched, having changed nothing: the 401, 403, 429 and every conditional,
 * partial and cross-origin answer are Javalin's as before.
 *
 * <p>What it answers is what the Javalin route answers (a test compares the two): the request id
 * ({@code X-Request-Id}, the MDC, the audit's {@link CallContext}), {@code Vary: Origin}, the validators and
 * safety headers of {@link ContentResponses}, {@code Content-Disposition: attachment}, the length, the bytes as a
 * file region (decision 0067), a read counted by the service as every read is, a problem document through
 * {@link Problems} for a file that is missing or another owner's, and the request in {@link HttpMetrics} under
 * the route's template. It runs inside the graceful-shutdown handler and the slow-header guard, and counts in
 * {@link InFlight}.
 *
 * <p>It also answers {@code POST /v1/files} in its plain form (decision 0107): a raw body of a declared
 * {@code Content-Length} (not multipart, no {@code Transfer-Encoding} or {@code Expect}), a query of {@code name}
 * alone, no {@code Origin}, {@code Range} or {@code If-*} header, a bearer credential with the {@code write} scope
 * that the rate limit lets through. It saves as {@code FileRoutes}' upload does, with the same checks (the declared
 * length against the owner's limit before a byte is read, the service's type, quota and name checks), and answers
 * as it does: {@code 201}, {@code Location}, {@code ETag}, the file record of {@link FileJson}, or a problem.
 */
final class ContentFastPath extends Handler.Wrapper {

    static final String ROUTE = "/v1/files/{id}/content";
    /** The route an upload is counted under. */
    static final String UPLOADS = "/v1/files";
    private static final String NAME_QUERY = "name=";
    private static final String PREFIX = "/v1/files/";
    private static final String SUFFIX = "/content";
    private static final int ID_LENGTH = 26;
    private static final ObjectMapper JSON = new ObjectMapper(PooledJson.factory());
    /** The type of a JSON answer as Javalin's {@code ctx.json} sends it. */
    private static final String JSON_TYPE = "application/json";
    /** The type of a problem document as the servlet sends it: Javalin's JSON leaves it UTF-8 and says so. */
    private static final String PROBLEM_TYPE = Problems.MEDIA_TYPE + ";charset=utf-8";
    private static final HttpField VARY_ORIGIN = new PreEncodedHttpField(HttpHeader.VARY, "Origin");

    private final StorageService service;
    private final Authenticator authenticator;
    private final RateLimits limits;
    private final HttpMetrics metrics;
    private final InFlight inFlight;
    private final LongAdder answered = new LongAdder();

    ContentFastPath(StorageService service, Authenticator authenticator, RateLimits limits, HttpMetrics metrics,
                    InFlight inFlight) {
        this.service = service;
        this.authenticator = authenticator;
        this.limits = limits;
        this.metrics = metrics;
        this.inFlight = inFlight;
    }

    /**
     * A request this path answers: what it asks for, and who asks. An upload has no {@code fileId} and carries the
     * name, the client's media type and the declared length of its body.
     */
    private record Admitted(boolean head, String path, String fileId, Principal principal, String givenId,
                            Upload upload) {
        boolean isUpload() {
            return upload != null;
        }
    }

    /** The name, the client's media type (may be null) and the declared length of a raw upload. */
    private record Upload(String name, String contentType, long declared) {
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Admitted admitted = admit(request);
        if (admitted == null) {
            return super.handle(request, response, callback);
        }
        answer(request, response, callback, admitted);
        return true;
    }

    /** How many requests it answered itself. */
    long answered() {
        return answered.sum();
    }

    /**
     * The request, when this path answers it; null to leave it to Javalin. Nothing is changed before it says yes:
     * authenticating reads at most the catalog's key (which Javalin would read again), and the rate limit takes a
     * request only when it lets it through (a refused take takes nothing, so Javalin's own take refuses it alike).
     */
    private Admitted admit(Request request) {
        String method = request.getMethod();
        boolean head = "HEAD".equals(method);
        boolean post = "POST".equals(method);
        String path = request.getHttpURI().getPath();
        String fileId = null;
        String name = null;
        if (post) {
            name = UPLOADS.equals(path) ? uploadName(request.getHttpURI().getQuery()) : null;
            if (name == null) {
                return null;
            }
        } else {
            if (!head && !"GET".equals(method) || request.getHttpURI().getQuery() != null) {
                return null;
            }
            fileId = fileId(path);
            if (fileId == null) {
                return null;
            }
        }
        String authorization = null;
        String givenId = null;
        String contentType = null;
        long declared = -1;
        for (HttpField field : request.getHeaders()) {
            HttpHeader header = field.getHeader();
            if (header == null) {
                if (givenId == null && field.is(Requests.ID_HEADER)) {
                    givenId = field.getValue();
                }
                continue;
            }
            switch (header) {
                case AUTHORIZATION -> {
                    if (authorization != null) {
                        return null;
                    }
                    authorization = field.getValue();
                }
                case RANGE, IF_RANGE, IF_MATCH, IF_NONE_MATCH, IF_MODIFIED_SINCE, IF_UNMODIFIED_SINCE, ORIGIN,
                     TRANSFER_ENCODING -> {
                    return null;
                }
                case CONTENT_LENGTH -> {
                    if (!post && !"0".equals(field.getValue().trim())) {
                        return null;
                    }
                    declared = post && declared < 0 ? length(field.getValue()) : -2;
                }
                case CONTENT_TYPE -> {
                    if (post && (contentType != null || UploadBodies.isMultipart(field.getValue()))) {
                        return null;
                    }
                    contentType = field.getValue();
                }
                case EXPECT -> {
                    if (post) {
                        return null;
                    }
                }
                default -> {
                }
            }
        }
        if (post && declared < 0) {
            return null;
        }
        String bearer = Routes.bearer(authorization);
        if (bearer == null) {
            return null;
        }
        Principal principal;
        try {
            principal = authenticator.authenticate(bearer);
        } catch (RuntimeException e) {
            return null;
        }
        if (!principal.may(post ? Scope.WRITE : Scope.READ)) {
            return null;
        }
        try {
            limits.credential(principal.credentialId());
        } catch (RateLimits.Limited e) {
            return null;
        }
        return new Admitted(head, path, fileId, principal, givenId,
                post ? new Upload(name, UploadBodies.mediaType(contentType), declared) : null);
    }

    /**
     * The file name of an upload's query when it is {@code name=<name>} alone, decoded as the servlet decodes a
     * parameter; null for any other query, a blank name, or one that does not decode (Javalin answers those).
     */
    static String uploadName(String query) {
        if (query == null || !query.startsWith(NAME_QUERY) || query.indexOf('&') >= 0 || query.indexOf(';') >= 0) {
            return null;
        }
        try {
            String name = UrlEncoded.decodeString(query, NAME_QUERY.length(), query.length() - NAME_QUERY.length(),
                    StandardCharsets.UTF_8);
            return name.isBlank() || name.indexOf('\uFFFD') >= 0 ? null : name;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A {@code Content-Length} value as a length; -2 when it is not one. */
    private static long length(String value) {
        try {
            long n = Long.parseLong(value.trim());
            return n < 0 ? -2 : n;
        } catch (NumberFormatException e) {
            return -2;
        }
    }

    /** The id in {@code /v1/files/<id>/content} when it has an id's form; else null. */
    static String fileId(String path) {
        if (path == null || path.length() != PREFIX.length() + ID_LENGTH + SUFFIX.length()
                || !path.startsWith(PREFIX) || !path.endsWith(SUFFIX) || !StorageService.fileIdAt(path, PREFIX.length())) {
            return null;
        }
        return path.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
    }

    private void answer(Request request, Response response, Callback callback, Admitted admitted) {
        long start = System.nanoTime();
        answered.increment();
        String requestId = Requests.idFor(admitted.givenId());
        // Added, not put: the response has no header yet, and each put looked through every header already there
        // for its name (a twentieth of a small GET's samples; decision 0093). The test that compares this path with
        // Javalin's sees any header that came twice.
        HttpFields.Mutable headers = response.getHeaders();
        headers.add(Requests.ID_HEADER, requestId);
        headers.add(VARY_ORIGIN);
        MDC.put(LoggingLayer.CORRELATION_ID, requestId);
        inFlight.enter();
        int status = 500;
        try {
            CallContext call = new CallContext(admitted.principal().credentialId(), requestId,
                    Request.getRemoteAddr(request));
            status = call.call(() -> {
                try {
                    return admitted.isUpload() ? save(request, response, callback, admitted, requestId)
                            : send(request, response, callback, admitted, requestId);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            // The client went away, or the bytes could not be read, after the headers went out: only the connection
            // can tell it now.
            status = response.getStatus();
            callback.failed(e.getCause());
        } catch (RuntimeException e) {
            status = response.getStatus();
            callback.failed(e);
        } finally {
            inFlight.exit();
            MDC.remove(LoggingLayer.CORRELATION_ID);
            metrics.record(request.getMethod(), admitted.isUpload() ? UPLOADS : ROUTE, status,
                    System.nanoTime() - start);
        }
    }

    /** Answers the request, completing {@code callback}, and returns the status sent. */
    private int send(Request request, Response response, Callback callback, Admitted admitted, String requestId)
            throws IOException {
        HttpFields.Mutable headers = response.getHeaders();
        try {
            ReadableFile found = service.readable(admitted.principal().owner(), admitted.fileId());
            FileRecord file = found.file();
            ContentResponses.addHeaders(file, headers);
            headers.add(HttpHeader.CONTENT_DISPOSITION, ContentDisposition.attachment(file));
            if (admitted.head()) {
                response.setStatus(200);
                headers.add(HttpHeader.CONTENT_TYPE, file.contentType());
                headers.add(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, file.size()));
                callback.succeeded();
                return 200;
            }
            try (FileRead read = found.open(Optional.empty()); InputStream in = read.stream()) {
                response.setStatus(200);
                headers.add(HttpHeader.CONTENT_TYPE, file.contentType());
                headers.add(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, read.length()));
                in.transferTo(new Body(response, read.length()));
            }
            callback.succeeded();
            return 200;
        } catch (IOException | RuntimeException e) {
            return failed(request, response, callback, admitted, requestId, e);
        }
    }

    /**
     * Saves a raw upload as {@code FileRoutes}' upload does and answers {@code 201} with the file record, completing
     * {@code callback}; returns the status sent.
     */
    private int save(Request request, Response response, Callback callback, Admitted admitted, String requestId)
            throws IOException {
        Upload upload = admitted.upload();
        String owner = admitted.principal().owner();
        try {
            long max = service.maxUploadSize(owner);
            if (upload.declared() > max) {
                throw UploadBodies.tooLarge(upload.declared(), max);
            }
            FileRecord saved;
            try (InputStream body = Content.Source.asInputStream(request)) {
                saved = service.save(owner, upload.name(), BlobContent.of(body, upload.declared()),
                        SaveOptions.builder().contentType(upload.contentType()).build());
            }
            byte[] json = JSON.writeValueAsBytes(FileJson.of(saved));
            HttpFields.Mutable headers = response.getHeaders();
            response.setStatus(201);
            headers.add(HttpHeader.LOCATION, "/v1/files/" + saved.id());
            headers.add(HttpHeader.ETAG, FileJson.etag(saved));
            headers.add(HttpHeader.CONTENT_TYPE, JSON_TYPE);
            headers.add(new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, json.length));
            response.write(true, ByteBuffer.wrap(json), callback);
            return 201;
        } catch (IOException | RuntimeException e) {
            return failed(request, response, callback, admitted, requestId, e);
        }
    }

    /**
     * Answers {@code e} (an {@link IOException} or a {@link RuntimeException}) with a problem document while nothing
     * was sent yet; rethrows it once something was.
     */
    private static int failed(Request request, Response response, Callback callback, Admitted admitted,
                              String requestId, Exception e) throws IOException {
        if (response.isCommitted()) {
            if (e instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e;
        }
        Problems.Answer answer = e instanceof StorageException se
                ? Problems.answer(se, request.getMethod(), admitted.path())
                : Problems.internal(e, request.getMethod(), admitted.path());
        return problem(response, callback, answer, admitted.path(), requestId);
    }

    /** A problem document as {@link Problems#send} writes one through Javalin. */
    private static int problem(Response response, Callback callback, Problems.Answer answer, String path,
                               String requestId) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(Problems.document(answer.status(), answer.kind(), answer.detail(), path,
                    requestId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document of strings and a number is JSON", e);
        }
        HttpFields.Mutable headers = response.getHeaders();
        response.setStatus(answer.status());
        if (answer.retryAfter()) {
            headers.put("Retry-After", Problems.RETRY_AFTER);
        }
        headers.put(HttpHeader.CONTENT_TYPE, PROBLEM_TYPE);
        headers.put(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length));
        response.write(true, ByteBuffer.wrap(body), callback);
        return answer.status();
    }

    /**
     * The response's body: a file's region from a pooled direct buffer, or another store's bytes as they come, each
     * write blocking until Jetty is done with its buffer; the write that reaches the length is the last.
     */
    private static final class Body extends OutputStream implements RegionSink {

        private final Response response;
        private long left;

        Body(Response response, long length) {
            this.response = response;
            this.left = length;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                send(ByteBuffer.wrap(b, off, len));
            }
        }

        @Override
        public long writeRegion(FileChannel file, long position, long count) throws IOException {
            return RegionSink.copy(file, position, count, this::send);
        }

        private void send(ByteBuffer chunk) throws IOException {
            left -= chunk.remaining();
            try (Blocker.Callback written = Blocker.callback()) {
                response.write(left <= 0, chunk, written);
                written.block();
            }
        }
    }
}
