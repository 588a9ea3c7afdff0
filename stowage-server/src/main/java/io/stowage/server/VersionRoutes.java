package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.service.FileRecord;
import io.stowage.service.StorageService;
import io.stowage.service.VersionRecord;
import io.stowage.service.auth.Scope;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A file's versions, restoring one, and its storage tier. */
final class VersionRoutes {

    private final StorageService service;

    VersionRoutes(StorageService service) {
        this.service = service;
    }

    void register(Routes routes) {
        routes.secured(HandlerType.GET, "/v1/files/{id}/versions", Scope.READ, this::versions);
        routes.secured(HandlerType.POST, "/v1/files/{id}/versions/{version}/restore", Scope.WRITE, this::restore);
        routes.secured(HandlerType.PUT, "/v1/files/{id}/tier", Scope.WRITE, this::tier);
    }

    private void versions(Context ctx) {
        ctx.json(FileJson.versions(service.versions(Requests.owner(ctx), ctx.pathParam("id"))));
    }

    /** {@code {version}} is a version's id, or its number as the listing shows it. */
    private void restore(Context ctx) {
        String owner = Requests.owner(ctx);
        String id = ctx.pathParam("id");
        String version = ctx.pathParam("version");
        if (!version.isEmpty() && version.length() < 10 && version.chars().allMatch(Character::isDigit)) {
            int number = Integer.parseInt(version);
            List<VersionRecord> all = service.versions(owner, id);
            version = all.stream().filter(v -> v.number() == number).map(VersionRecord::id).findFirst()
                    .orElseThrow(() -> StorageException.notFound(null, "file '" + id + "' has no version " + number));
        }
        FileRecord file = service.restoreVersion(owner, id, version);
        FileJson.render(ctx, file);
    }

    /** {@code {"tier": "HOT" | "WARM" | "COLD" | "ARCHIVE"}}. */
    private void tier(Context ctx) {
        String given = JsonBodies.textField(JsonBodies.object(ctx), "tier")
                .orElseThrow(() -> StorageException.invalidArgument("the body needs a 'tier': one of "
                        + Arrays.toString(Tier.values())));
        Tier tier;
        try {
            tier = Tier.valueOf(given.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw StorageException.invalidArgument("tier must be one of " + Arrays.toString(Tier.values()) + ", was '"
                    + JsonBodies.printable(given) + "'");
        }
        String owner = Requests.owner(ctx);
        String id = ctx.pathParam("id");
        service.info(owner, id);
        FileRecord file = service.setTier(owner, id, tier);
        FileJson.render(ctx, file);
    }
}
