package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.BlobContent;
import io.stowage.StorageException;
import io.stowage.service.ContentDisposition;
import io.stowage.service.FileRead;
import io.stowage.service.FileRecord;
import io.stowage.service.SaveOptions;
import io.stowage.service.StorageService;
import io.stowage.service.auth.Scope;
import java.io.InputStream;
import java.io.OutputStream;

/** {@code /v1/files}: upload, records and content of the caller's files. */
final class FileRoutes {

    private final StorageService service;

    FileRoutes(StorageService service) {
        this.service = service;
    }

    void register(Routes routes) {
        routes.secured(HandlerType.POST, "/v1/files", Scope.WRITE, this::upload);
        routes.secured(HandlerType.GET, "/v1/files/{id}", Scope.READ, this::info);
        routes.secured(HandlerType.GET, "/v1/files/{id}/content", Scope.READ, this::content);
    }

    private void upload(Context ctx) throws java.io.IOException {
        String name = ctx.queryParam("name");
        if (name == null || name.isBlank()) {
            throw StorageException.invalidArgument("name the file: POST /v1/files?name=<file name> with the bytes as the body");
        }
        SaveOptions options = SaveOptions.builder().contentType(hint(ctx.contentType())).build();
        long length = ctx.req().getContentLengthLong();
        try (InputStream body = ctx.bodyInputStream()) {
            BlobContent content = length >= 0 ? BlobContent.of(body, length) : BlobContent.ofUnknownLength(body);
            FileRecord saved = service.save(Requests.owner(ctx), name, content, options);
            ctx.status(201).header("Location", "/v1/files/" + saved.id()).json(FileJson.of(saved));
        }
    }

    private void info(Context ctx) {
        FileRecord file = service.info(Requests.owner(ctx), ctx.pathParam("id"));
        ctx.header("ETag", FileJson.etag(file)).json(FileJson.of(file));
    }

    private void content(Context ctx) throws java.io.IOException {
        try (FileRead read = service.retrieve(Requests.owner(ctx), ctx.pathParam("id"))) {
            FileRecord file = read.file();
            ctx.status(200);
            ctx.header("ETag", FileJson.etag(file));
            ctx.header("Content-Type", file.contentType());
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Content-Disposition", ContentDisposition.attachment(file));
            ctx.res().setContentLengthLong(read.length());
            try (InputStream in = read.stream(); OutputStream out = ctx.outputStream()) {
                in.transferTo(out);
            }
        }
    }

    /** The client's media type as a hint (parameters dropped); none when it sent none. */
    private static String hint(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    }
}
