package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.ByteRange;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.service.ContentDisposition;
import io.stowage.service.FileRead;
import io.stowage.service.FileRecord;
import io.stowage.service.ReadableFile;
import io.stowage.service.SaveOptions;
import io.stowage.service.StorageService;
import io.stowage.service.auth.Scope;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** {@code /v1/files}: upload, list, records, renames, new versions, content and deletion of the caller's files. */
final class FileRoutes {

    /** How often a read starts again when the file gets a new version between its record and its bytes. */
    private static final int READ_ATTEMPTS = 3;

    private final StorageService service;

    FileRoutes(StorageService service) {
        this.service = service;
    }

    void register(Routes routes) {
        routes.secured(HandlerType.POST, "/v1/files", Scope.WRITE, this::upload);
        routes.secured(HandlerType.GET, "/v1/files", Scope.READ, this::list);
        routes.secured(HandlerType.GET, "/v1/files/{id}", Scope.READ, this::info);
        routes.secured(HandlerType.PATCH, "/v1/files/{id}", Scope.WRITE, this::patch);
        routes.secured(HandlerType.DELETE, "/v1/files/{id}", Scope.WRITE, this::delete);
        routes.secured(HandlerType.PUT, "/v1/files/{id}/content", Scope.WRITE, this::replace);
        routes.secured(HandlerType.GET, "/v1/files/{id}/content", Scope.READ, this::content);
        routes.secured(HandlerType.HEAD, "/v1/files/{id}/content", Scope.READ, this::content);
    }

    private void upload(Context ctx) throws IOException {
        String owner = Requests.owner(ctx);
        FileRecord saved = UploadBodies.read(ctx, service.maxUploadSize(owner), upload -> {
            if (upload.name() == null || upload.name().isBlank()) {
                throw StorageException.invalidArgument("name the file: POST /v1/files?name=<file name> with the bytes"
                        + " as the body, or a multipart/form-data field 'file' with a file name");
            }
            String tier = ctx.queryParam("tier");
            return service.save(owner, upload.name(), upload.content(), SaveOptions.builder()
                    .contentType(upload.contentType())
                    .segment(ctx.queryParam("segment"))
                    .tier(tier == null ? null : VersionRoutes.tier(tier))
                    .build());
        });
        ctx.status(201).header("Location", "/v1/files/" + saved.id());
        FileJson.render(ctx, saved);
    }

    private void list(Context ctx) {
        String prefix = Optional.ofNullable(ctx.queryParam("prefix")).orElse("");
        ctx.json(FileJson.page(service.list(Requests.owner(ctx), prefix, ctx.queryParam("segment"), cursor(ctx),
                limit(ctx))));
    }

    private void info(Context ctx) {
        FileRecord file = service.info(Requests.owner(ctx), ctx.pathParam("id"));
        FileJson.render(ctx, file);
    }

    /** {@code {"name"?, "metadata"?}}: each given field is changed, name first. */
    private void patch(Context ctx) {
        Map<String, Object> body = JsonBodies.object(ctx);
        String owner = Requests.owner(ctx);
        String id = ctx.pathParam("id");
        Object name = body.get("name");
        Object metadata = body.get("metadata");
        if (name != null && !(name instanceof String)) {
            throw StorageException.invalidArgument("'name' must be a string");
        }
        // Checked before the rename, so a bad body changes nothing.
        Map<String, String> meta = metadata == null ? null
                : io.stowage.Metadata.validated(JsonBodies.stringMap(metadata, "metadata"));
        FileRecord file = service.info(owner, id);
        if (name != null) {
            file = service.rename(owner, id, (String) name);
        }
        if (meta != null) {
            file = service.setMetadata(owner, id, meta);
        }
        FileJson.render(ctx, file);
    }

    private void delete(Context ctx) {
        String purge = Optional.ofNullable(ctx.queryParam("purge")).orElse("false");
        if (!purge.equals("true") && !purge.equals("false")) {
            throw StorageException.invalidArgument("purge must be true or false, was '" + JsonBodies.printable(purge) + "'");
        }
        if (purge.equals("true")) {
            service.purge(Requests.owner(ctx), ctx.pathParam("id"));
        } else {
            service.delete(Requests.owner(ctx), ctx.pathParam("id"));
        }
        ctx.status(204);
    }

    /** A new version; {@code If-Match} with the current ETag makes it conditional (412 when stale). */
    private void replace(Context ctx) throws IOException {
        String owner = Requests.owner(ctx);
        String id = ctx.pathParam("id");
        Optional<String> ifMatch = ifMatch(ctx.header("If-Match"));
        FileRecord saved = UploadBodies.read(ctx, service.maxUploadSize(owner), upload ->
                service.replace(owner, id, upload.content(), SaveOptions.builder().contentType(upload.contentType())
                        .ifMatch(ifMatch.orElse(null)).build()));
        FileJson.render(ctx, saved);
    }

    private void content(Context ctx) throws IOException {
        String owner = Requests.owner(ctx);
        String id = ctx.pathParam("id");
        boolean inline = disposition(ctx);
        for (int attempt = 1; ; attempt++) {
            // One catalog lookup for the record and the bytes: every open reads the version it found.
            ReadableFile found = service.readable(owner, id);
            FileRecord file = found.file();
            ContentResponses.Source source = new ContentResponses.Source() {
                @Override
                public FileRecord file() {
                    return file;
                }

                @Override
                public FileRead open(Optional<ByteRange> range) {
                    return found.open(range);
                }
            };
            try {
                ContentResponses.send(ctx, source, inline ? ContentDisposition.inline(file) : ContentDisposition.attachment(file));
                return;
            } catch (ContentResponses.Changed e) {
                if (attempt == READ_ATTEMPTS) {
                    throw StorageException.builder(ErrorKind.UNAVAILABLE).operation("read")
                            .message("the file kept changing while it was read; try again").build();
                }
            }
        }
    }

    /** {@code ?disposition=inline} shows the file in the browser; {@code attachment} (the default) saves it. */
    static boolean disposition(Context ctx) {
        String d = Optional.ofNullable(ctx.queryParam("disposition")).orElse("attachment");
        return switch (d) {
            case "inline" -> true;
            case "attachment" -> false;
            default -> throw StorageException.invalidArgument("disposition must be inline or attachment, was '"
                    + JsonBodies.printable(d) + "'");
        };
    }

    static String cursor(Context ctx) {
        return Optional.ofNullable(ctx.queryParam("cursor")).orElse("");
    }

    static int limit(Context ctx) {
        String limit = ctx.queryParam("limit");
        if (limit == null) {
            return 100;
        }
        try {
            return Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw StorageException.invalidArgument("limit must be a number from 1 to " + StorageService.MAX_PAGE
                    + ", was '" + JsonBodies.printable(limit) + "'");
        }
    }

    /**
     * The SHA-256 an {@code If-Match} header names: empty for none or {@code *} (the file must only exist).
     * A weak or malformed tag never matches a strong one, so it names nothing that exists.
     */
    private static Optional<String> ifMatch(String header) {
        if (header == null || header.trim().equals("*")) {
            return Optional.empty();
        }
        String tag = header.trim();
        if (tag.length() == 66 && tag.startsWith("\"") && tag.endsWith("\"")) {
            return Optional.of(tag.substring(1, 65));
        }
        return Optional.of("not a strong entity tag of this server");
    }
}
