package io.stowage.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.StorageException;
import io.stowage.config.StorageDescription;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.manager.StorageManager;
import io.stowage.service.DirectUploads;
import io.stowage.service.DownloadLink;
import io.stowage.service.FileRecord;
import io.stowage.service.SaveOptions;
import io.stowage.service.StorageService;
import io.stowage.service.auth.Scope;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The routes of the original specifications, with the shapes their clients expect (decision 0051), on the same
 * credentials as the rest:
 *
 * <pre>
 * GET  /storage/status            (001) → {"local": {…}, "s3": {…}, "active": "local" | "s3", "primary"}
 * POST /storage/presigned-upload  (001) {"filename", "content_type", "size"?, "expires_in"?}
 *                                       → {"url", "upload_url", "method", "headers", "fields", "expires_at",
 *                                          "expires_in", "upload_id", "file_id", "complete_url"}
 * POST /upload                    (002) multipart field {@code file} → {"file_id"}
 * GET  /download/{file_id}        (002) → {"download_url"}: a signed link living {@code limits.link_ttl}
 * </pre>
 * A presigned upload is a direct-upload session ({@link DirectUploadRoutes}): the client sends the bytes as told,
 * then {@code POST complete_url} makes the file. Settings in the status are masked as the admin API masks them.
 */
final class CompatibilityRoutes {

    /** The types of the S3 family: the status shows the first such backend as {@code s3}. */
    private static final Set<String> S3_TYPES = Set.of("s3", "aws_s3", "minio", "s3_compatible");

    private final StorageService service;
    private final ServerSettings settings;
    private final DirectUploadRoutes uploads;

    CompatibilityRoutes(StorageService service, ServerSettings settings) {
        this.service = service;
        this.settings = settings;
        this.uploads = new DirectUploadRoutes(service, settings);
    }

    void register(Routes routes) {
        routes.secured(HandlerType.GET, "/storage/status", Scope.READ, this::status);
        routes.secured(HandlerType.POST, "/storage/presigned-upload", Scope.WRITE, this::presignedUpload);
        routes.secured(HandlerType.POST, "/upload", Scope.WRITE, this::upload);
        routes.secured(HandlerType.GET, "/download/{id}", Scope.READ, this::download);
    }

    private void status(Context ctx) throws JsonProcessingException {
        Map<String, Object> local = section(false, null, null);
        Map<String, Object> s3 = section(false, null, null);
        String primary;
        Optional<StorageManager> manager = service.manager();
        if (manager.isPresent()) {
            StorageDescription d = StorageDescription.of(manager.get().config(), BlobStoreProviders.load());
            primary = d.routing().primary();
            for (StorageDescription.Backend b : d.backends()) {
                boolean isS3 = S3_TYPES.contains(b.type());
                Map<String, Object> current = isS3 ? s3 : "local".equals(b.type()) ? local : null;
                // The primary first; else the first of its kind, in name order.
                if (current == null || (Boolean.TRUE.equals(current.get("configured")) && !b.primary())) {
                    continue;
                }
                Map<String, String> masked = d.routed().stream().filter(r -> r.name().equals(b.name())).findFirst()
                        .map(StorageDescription.Routed::settings).orElse(Map.of());
                current.clear();
                current.putAll(section(true, b, masked.isEmpty() ? null : masked));
            }
        } else {
            primary = service.operations().storeName();
            local.putAll(section(true, new StorageDescription.Backend(primary, "local", true, null), null));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("local", local);
        body.put("s3", s3);
        body.put("active", Boolean.TRUE.equals(s3.get("active")) ? "s3" : Boolean.TRUE.equals(local.get("active"))
                ? "local" : "other");
        body.put("primary", primary);
        ctx.json(body);
    }

    private static Map<String, Object> section(boolean configured, StorageDescription.Backend backend,
                                               Map<String, String> masked) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("configured", configured);
        out.put("active", backend != null && backend.primary());
        if (backend != null) {
            out.put("backend", backend.name());
            out.put("type", backend.type());
            out.put("location", backend.where());
        }
        if (masked != null) {
            out.put("settings", masked);
        }
        return out;
    }

    private void presignedUpload(Context ctx) {
        Map<String, Object> body = JsonBodies.object(ctx);
        String name = JsonBodies.textField(body, "filename").orElseThrow(() ->
                StorageException.invalidArgument("the body needs 'filename'"));
        String type = JsonBodies.textField(body, "content_type").orElse(null);
        OptionalLong size = JsonBodies.longField(body, "size");
        OptionalLong expiresIn = JsonBodies.longField(body, "expires_in");
        DirectUploads.Session s = service.directUploads().open(Requests.owner(ctx), new DirectUploads.Request(name, size,
                type, Optional.empty(), expiresIn.isPresent() ? Duration.ofSeconds(expiresIn.getAsLong()) : null));
        String url = uploads.url(ctx, s);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("url", url);
        json.put("upload_url", url);
        json.put("method", s.method());
        json.put("headers", s.headers());
        json.put("fields", Map.of());
        json.put("expires_at", s.expiresAt().toString());
        json.put("expires_in", Math.max(0, Duration.between(java.time.Instant.now(), s.expiresAt()).toSeconds()));
        json.put("upload_id", s.uploadId());
        json.put("file_id", s.fileId());
        json.put("complete_url", DirectUploadRoutes.PREFIX + s.uploadId() + "/complete");
        ctx.json(json);
    }

    private void upload(Context ctx) throws IOException {
        String owner = Requests.owner(ctx);
        if (!UploadBodies.isMultipart(ctx.contentType())) {
            throw StorageException.invalidArgument("POST /upload takes multipart/form-data with the field '"
                    + UploadBodies.FILE_FIELD + "'");
        }
        FileRecord saved = UploadBodies.read(ctx, service.maxUploadSize(owner), upload -> {
            if (upload.name() == null || upload.name().isBlank()) {
                throw StorageException.invalidArgument("the '" + UploadBodies.FILE_FIELD + "' part needs a file name");
            }
            return service.save(owner, upload.name(), upload.content(), SaveOptions.builder()
                    .contentType(upload.contentType()).build());
        });
        ctx.json(Map.of("file_id", saved.id()));
    }

    private void download(Context ctx) {
        DownloadLink link = service.downloadUrl(Requests.owner(ctx), ctx.pathParam("id"));
        ctx.json(Map.of("download_url", LinkRoutes.base(ctx, settings) + LinkRoutes.PREFIX + link.token()));
    }
}
