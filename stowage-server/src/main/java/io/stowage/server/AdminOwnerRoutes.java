package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.StorageException;
import io.stowage.service.Quota;
import io.stowage.service.StorageService;
import io.stowage.service.Usage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An owner as an administrator sees it (admin scope, audited as {@code admin.owner.*}, target {@code owner:<id>}).
 *
 * <pre>
 * GET    /admin/owners/{owner}/quota → {"owner", "maxBytes", "maxFiles", "maxUploadSize"} (in force: its own, else the defaults; null for none)
 * PUT    /admin/owners/{owner}/quota {"maxBytes", "maxFiles", "maxUploadSize"?} → as GET; null or absent: the default applies
 * GET    /admin/owners/{owner}/usage → {"owner", "bytes", "files", "maxBytes", "maxFiles"}
 * GET    /admin/owners/{owner}/trash?cursor=&limit= → a page of the owner's deleted files, as /v1/trash
 * DELETE /admin/owners/{owner} → 204: the owner erased (GDPR), whether it stored anything or not
 * </pre>
 * A quota may be set before the owner has a file.
 */
final class AdminOwnerRoutes {

    private static final Set<String> QUOTA_FIELDS = Set.of("maxBytes", "maxFiles", "maxUploadSize");

    private final StorageService service;

    AdminOwnerRoutes(StorageService service) {
        this.service = service;
    }

    void register(Routes routes) {
        AdminCalls calls = new AdminCalls(routes, service.operations());
        calls.view(HandlerType.GET, "/admin/owners/{owner}/quota", "admin.owner.quota_view", AdminOwnerRoutes::target,
                ctx -> quota(ctx, ctx.pathParam("owner")));
        calls.change(HandlerType.PUT, "/admin/owners/{owner}/quota", "admin.owner.quota_set", AdminOwnerRoutes::target,
                this::setQuota);
        calls.view(HandlerType.GET, "/admin/owners/{owner}/usage", "admin.owner.usage_view", AdminOwnerRoutes::target,
                this::usage);
        calls.view(HandlerType.GET, "/admin/owners/{owner}/trash", "admin.owner.trash_view", AdminOwnerRoutes::target,
                ctx -> ctx.json(FileJson.page(service.trash(ctx.pathParam("owner"), FileRoutes.cursor(ctx),
                        FileRoutes.limit(ctx)))));
        calls.change(HandlerType.DELETE, "/admin/owners/{owner}", "admin.owner.erase", AdminOwnerRoutes::target,
                ctx -> {
                    service.eraseOwner(ctx.pathParam("owner"));
                    ctx.status(204);
                });
    }

    private static String target(Context ctx) {
        return "owner:" + AdminCalls.param(ctx, "owner");
    }

    private void quota(Context ctx, String owner) {
        Usage usage = service.usage(owner);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("owner", owner);
        json.put("maxBytes", orNull(usage.maxBytes()));
        json.put("maxFiles", orNull(usage.maxFiles()));
        json.put("maxUploadSize", service.maxUploadSize(owner));
        ctx.json(json);
    }

    private void setQuota(Context ctx) {
        String owner = ctx.pathParam("owner");
        Map<String, Object> body = JsonBodies.object(ctx);
        for (String field : body.keySet()) {
            if (!QUOTA_FIELDS.contains(field)) {
                throw StorageException.invalidArgument("unknown field '" + JsonBodies.printable(field)
                        + "'; a quota is {\"maxBytes\", \"maxFiles\", \"maxUploadSize\"?}, each a number or null");
            }
        }
        service.setQuota(owner, new Quota(JsonBodies.longField(body, "maxBytes"), JsonBodies.longField(body, "maxFiles"),
                JsonBodies.longField(body, "maxUploadSize")));
        quota(ctx, owner);
    }

    private void usage(Context ctx) {
        Usage usage = service.usage(ctx.pathParam("owner"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("owner", usage.owner());
        json.put("bytes", usage.bytes());
        json.put("files", usage.files());
        json.put("maxBytes", orNull(usage.maxBytes()));
        json.put("maxFiles", orNull(usage.maxFiles()));
        ctx.json(json);
    }

    private static Long orNull(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }
}
