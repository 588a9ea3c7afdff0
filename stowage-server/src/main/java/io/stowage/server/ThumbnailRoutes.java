package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.StorageException;
import io.stowage.service.ImageVariants;
import io.stowage.service.StorageService;
import io.stowage.service.auth.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.OptionalInt;

/**
 * Thumbnails of image files (decision 0055): {@code GET /v1/files/{id}/thumbnail?size=} for the owner and
 * {@code GET /v1/links/{token}/thumbnail?size=} for anyone holding a signed link. The handler parses and renders;
 * {@link ImageVariants} decides what is made and what is refused.
 */
final class ThumbnailRoutes {

    private final ImageVariants images;

    ThumbnailRoutes(StorageService service) {
        this.images = service.images();
    }

    void register(Routes routes) {
        routes.secured(HandlerType.GET, "/v1/files/{id}/thumbnail", Scope.READ, ctx -> send(ctx,
                images.thumbnail(Requests.owner(ctx), ctx.pathParam("id"), size(ctx)), "private, max-age=3600"));
        routes.open(HandlerType.GET, LinkRoutes.PREFIX + "{token}/thumbnail", ctx -> send(ctx,
                images.thumbnailByLink(ctx.pathParam("token"), null, size(ctx)), "private, no-store"));
    }

    private static OptionalInt size(Context ctx) {
        String size = ctx.queryParam("size");
        if (size == null || size.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(size.trim()));
        } catch (NumberFormatException e) {
            throw StorageException.invalidArgument("size is a number of pixels, was '" + size + "'");
        }
    }

    private static void send(Context ctx, ImageVariants.Thumbnail t, String cacheControl) throws IOException {
        ctx.header("ETag", t.etag()).header("Cache-Control", cacheControl).header("X-Content-Type-Options", "nosniff");
        String match = ctx.header("If-None-Match");
        if (match != null && (match.trim().equals("*") || java.util.Arrays.stream(match.split(","))
                .map(String::trim).anyMatch(m -> m.equals(t.etag()) || m.equals("W/" + t.etag())))) {
            ctx.status(304);
            return;
        }
        try (InputStream in = t.open()) {
            ctx.status(200).contentType(t.contentType()).header("Content-Length", Long.toString(t.length()))
                    .header("Content-Disposition", "inline; filename=\"thumbnail" + (t.contentType().endsWith("jpeg")
                            ? ".jpg" : ".png") + "\"");
            OutputStream out = ctx.res().getOutputStream();
            in.transferTo(out);
            out.flush();
        }
    }
}
