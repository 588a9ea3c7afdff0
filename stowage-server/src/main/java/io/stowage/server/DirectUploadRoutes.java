package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.StorageException;
import io.stowage.service.DirectUploads;
import io.stowage.service.FileRecord;
import io.stowage.service.StorageService;
import io.stowage.service.auth.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Direct uploads (decision 0051).
 *
 * <pre>
 * POST /v1/uploads {"name", "size", "contentType", "sha256"?, "ttlSeconds"?}
 *                                 → 201 {"uploadId", "method", "url", "headers", "expiresAt"}
 * PUT  /v1/uploads/{id}/content?token=…   the bytes, when the URL is this server's (no credentials: the token)
 * POST /v1/uploads/{id}/complete  → 201 the file record (the same again on a repeated call)
 * </pre>
 * The URL is the primary backend's, presigned, where it can presign; else this server's, on
 * {@code server.public_url} when set.
 */
final class DirectUploadRoutes {

    static final String PREFIX = "/v1/uploads/";

    private final StorageService service;
    private final ServerSettings settings;

    DirectUploadRoutes(StorageService service, ServerSettings settings) {
        this.service = service;
        this.settings = settings;
    }

    void register(Routes routes) {
        routes.secured(HandlerType.POST, "/v1/uploads", Scope.WRITE, this::open);
        routes.open(HandlerType.PUT, PREFIX + "{id}/content", this::receive);
        routes.secured(HandlerType.POST, PREFIX + "{id}/complete", Scope.WRITE, this::complete);
    }

    private void open(Context ctx) {
        Map<String, Object> body = JsonBodies.object(ctx);
        String name = JsonBodies.textField(body, "name").orElseThrow(() ->
                StorageException.invalidArgument("the body needs 'name': the file's name"));
        OptionalLong size = JsonBodies.longField(body, "size");
        if (size.isEmpty()) {
            throw StorageException.invalidArgument("the body needs 'size': the file's length in bytes");
        }
        String type = JsonBodies.textField(body, "contentType").orElseThrow(() ->
                StorageException.invalidArgument("the body needs 'contentType': the file's media type"));
        DirectUploads.Session s = service.directUploads().open(Requests.owner(ctx), new DirectUploads.Request(name, size,
                type, JsonBodies.textField(body, "sha256"), ttl(body)));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("uploadId", s.uploadId());
        json.put("method", s.method());
        json.put("url", url(ctx, s));
        json.put("headers", s.headers());
        json.put("expiresAt", s.expiresAt().toString());
        ctx.status(201).json(json);
    }

    private void receive(Context ctx) throws IOException {
        try (InputStream body = ctx.req().getInputStream()) {
            service.directUploads().receive(ctx.pathParam("id"), ctx.queryParam("token"), body,
                    ctx.req().getContentLengthLong(), UploadBodies.mediaType(ctx.contentType()));
        }
        ctx.status(204);
    }

    private void complete(Context ctx) {
        String owner = Requests.owner(ctx);
        String id = ctx.pathParam("id");
        FileRecord file = service.directUploads().complete(owner, id);
        ctx.status(201).header("Location", "/v1/files/" + file.id());
        FileJson.render(ctx, file);
    }

    /** Where the client sends the bytes: the presigned URL, else this server's upload URL with the session's token. */
    String url(Context ctx, DirectUploads.Session s) {
        if (s.url().isPresent()) {
            return s.url().get().toString();
        }
        return LinkRoutes.base(ctx, settings) + PREFIX + s.uploadId() + "/content?token="
                + URLEncoder.encode(s.token().orElseThrow(), StandardCharsets.UTF_8);
    }

    /** {@code ttlSeconds}, when the body has it. */
    static Duration ttl(Map<String, Object> body) {
        OptionalLong ttl = JsonBodies.longField(body, "ttlSeconds");
        return ttl.isPresent() ? Duration.ofSeconds(ttl.getAsLong()) : null;
    }
}
