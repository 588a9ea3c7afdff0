package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.StorageException;
import io.stowage.service.Page;
import io.stowage.service.StorageService;
import io.stowage.service.Webhook;
import io.stowage.service.WebhookDelivery;
import io.stowage.service.Webhooks;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Webhooks (admin scope, audited as {@code admin.webhook.*}; decision 0042 for what the service does with them).
 *
 * <pre>
 * POST   /admin/webhooks {"url", "secret", "events": ["file.saved", ...] or ["*"]} → 201 the webhook
 * GET    /admin/webhooks → {"webhooks": [{"id", "url", "secret" (masked), "events", "createdAt"}]}
 * DELETE /admin/webhooks/{id} → 204
 * GET    /admin/webhooks/{id}/deliveries?cursor=&limit= → {"deliveries": [...], "nextCursor"}
 * POST   /admin/webhooks/deliveries/{id}/redeliver → 201 the new delivery
 * </pre>
 * A secret is given once and never answered again: every answer shows it masked (its last 4 characters).
 */
final class AdminWebhookRoutes {

    private final StorageService service;

    AdminWebhookRoutes(StorageService service) {
        this.service = service;
    }

    void register(Routes routes) {
        AdminCalls calls = new AdminCalls(routes, service.operations());
        calls.change(HandlerType.POST, "/admin/webhooks", "admin.webhook.register", ctx -> "webhook:new", this::register);
        calls.view(HandlerType.GET, "/admin/webhooks", "admin.webhook.list", ctx -> "webhooks",
                ctx -> ctx.json(Map.of("webhooks", webhooks().list().stream().map(AdminWebhookRoutes::json).toList())));
        calls.change(HandlerType.DELETE, "/admin/webhooks/{id}", "admin.webhook.remove", AdminWebhookRoutes::target,
                ctx -> {
                    webhooks().remove(ctx.pathParam("id"));
                    ctx.status(204);
                });
        calls.view(HandlerType.GET, "/admin/webhooks/{id}/deliveries", "admin.webhook.deliveries_view",
                AdminWebhookRoutes::target, this::deliveries);
        calls.change(HandlerType.POST, "/admin/webhooks/deliveries/{id}/redeliver", "admin.webhook.redeliver",
                ctx -> "webhook_delivery:" + AdminCalls.param(ctx, "id"), ctx -> ctx.status(201).json(json(
                        webhooks().redeliver(AdminCalls.numericId(ctx, "id", "webhook delivery")))));
    }

    private Webhooks webhooks() {
        return service.webhooks();
    }

    private static String target(Context ctx) {
        return "webhook:" + AdminCalls.param(ctx, "id");
    }

    private void register(Context ctx) {
        Map<String, Object> body = JsonBodies.object(ctx);
        String url = JsonBodies.textField(body, "url").orElseThrow(() -> StorageException.invalidArgument(
                "a webhook needs a 'url': {\"url\", \"secret\", \"events\"}"));
        String secret = JsonBodies.textField(body, "secret").orElseThrow(() -> StorageException.invalidArgument(
                "a webhook needs a 'secret' of at least " + Webhooks.MIN_SECRET_LENGTH + " characters"));
        Webhook made = webhooks().register(url, secret, events(body.get("events")));
        ctx.status(201).header("Cache-Control", "no-store").json(json(made));
    }

    private static Set<String> events(Object value) {
        if (value instanceof String s) {
            return Set.of(s);
        }
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw StorageException.invalidArgument("'events' must list event types, such as [\"file.saved\"], or [\"*\"]");
        }
        Set<String> out = new LinkedHashSet<>();
        for (Object type : list) {
            if (!(type instanceof String s)) {
                throw StorageException.invalidArgument("'events' must list event types as strings");
            }
            out.add(s);
        }
        return out;
    }

    private void deliveries(Context ctx) {
        Page<WebhookDelivery> page = webhooks().deliveries(ctx.pathParam("id"), FileRoutes.cursor(ctx), FileRoutes.limit(ctx));
        ctx.json(AdminCalls.page("deliveries", page.items(), AdminWebhookRoutes::json, page.nextCursor()));
    }

    private static Map<String, Object> json(Webhook w) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", w.id());
        json.put("url", w.url());
        json.put("secret", w.maskedSecret());
        json.put("events", w.eventTypes().stream().sorted().toList());
        json.put("createdAt", w.createdAt().toString());
        return json;
    }

    private static Map<String, Object> json(WebhookDelivery d) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", d.id());
        json.put("webhookId", d.webhookId());
        json.put("eventId", d.eventId());
        json.put("eventType", d.eventType());
        json.put("state", d.state());
        json.put("attempts", d.attempts());
        json.put("nextAttemptAt", d.nextAttemptAt().toString());
        json.put("lastStatus", d.lastStatus());
        json.put("lastError", d.lastError());
        json.put("createdAt", d.createdAt().toString());
        json.put("deliveredAt", d.deliveredAt().map(Instant::toString).orElse(null));
        return json;
    }
}
