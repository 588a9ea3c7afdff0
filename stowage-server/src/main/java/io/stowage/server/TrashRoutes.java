package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.service.FileRecord;
import io.stowage.service.StorageService;
import io.stowage.service.auth.Scope;

/** {@code /v1/trash} and {@code undelete}: the caller's deleted (not purged) files, and bringing one back. */
final class TrashRoutes {

    private final StorageService service;

    TrashRoutes(StorageService service) {
        this.service = service;
    }

    void register(Routes routes) {
        routes.secured(HandlerType.GET, "/v1/trash", Scope.READ, this::trash);
        routes.secured(HandlerType.POST, "/v1/files/{id}/undelete", Scope.WRITE, this::undelete);
    }

    private void trash(Context ctx) {
        ctx.json(FileJson.page(service.trash(Requests.owner(ctx), FileRoutes.cursor(ctx), FileRoutes.limit(ctx))));
    }

    private void undelete(Context ctx) {
        String owner = Requests.owner(ctx);
        String id = ctx.pathParam("id");
        service.undelete(owner, id);
        FileRecord file = service.info(owner, id);
        FileJson.render(ctx, file);
    }
}
