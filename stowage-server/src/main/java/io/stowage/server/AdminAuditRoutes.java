package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.service.AuditEntry;
import io.stowage.service.AuditPage;
import io.stowage.service.AuditQuery;
import io.stowage.service.StorageService;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /admin/audit?actor=&action=&target=&from=&to=&cursor=&limit=} (admin scope, audited as
 * {@code admin.audit.view}): a page of the audit log, oldest first, filters combined;
 * {@code from} and {@code to} are ISO-8601 instants ({@code [from, to)}), {@code limit} 1 to 1000 (100 by default).
 * Answers {@code {"entries": [{"id", "at", "actor", "action", "target", "outcome", "correlationId",
 * "clientAddress"}], "nextCursor"}}, {@code nextCursor} null on the last page.
 */
final class AdminAuditRoutes {

    private final StorageService service;

    AdminAuditRoutes(StorageService service) {
        this.service = service;
    }

    void register(Routes routes) {
        new AdminCalls(routes, service.operations())
                .view(HandlerType.GET, "/admin/audit", "admin.audit.view", ctx -> "audit", this::audit);
    }

    private void audit(Context ctx) {
        AuditQuery query = AuditQuery.all(FileRoutes.limit(ctx)).after(FileRoutes.cursor(ctx));
        String actor = ctx.queryParam("actor");
        String action = ctx.queryParam("action");
        String target = ctx.queryParam("target");
        if (actor != null && !actor.isEmpty()) {
            query = query.byActor(actor);
        }
        if (action != null && !action.isEmpty()) {
            query = query.byAction(action);
        }
        if (target != null && !target.isEmpty()) {
            query = query.byTarget(target);
        }
        if (ctx.queryParam("from") != null || ctx.queryParam("to") != null) {
            query = query.between(AdminCalls.instant(ctx, "from", query.from()), AdminCalls.instant(ctx, "to", query.to()));
        }
        AuditPage page = service.audit(query);
        ctx.json(AdminCalls.page("entries", page.entries(), AdminAuditRoutes::entry, page.nextCursor()));
    }

    private static Map<String, Object> entry(AuditEntry e) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", e.id());
        json.put("at", e.at().toString());
        json.put("actor", e.actor());
        json.put("action", e.action());
        json.put("target", e.target());
        json.put("outcome", e.outcome());
        json.put("correlationId", e.correlationId());
        json.put("clientAddress", e.clientAddress());
        return json;
    }
}
