package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.StorageException;
import io.stowage.Tier;
import io.stowage.service.MigrationJob;
import io.stowage.service.MigrationPlan;
import io.stowage.service.MigrationRequest;
import io.stowage.service.Migrations;
import io.stowage.service.StorageService;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Migrations between backends (admin scope, audited as {@code admin.migration.*}; decision 0053 for what the
 * service does).
 *
 * <pre>
 * POST /admin/migrations {"from", "to", "owner"?, "prefix"?, "segment"?, "tier"?, "olderThanSeconds"?,
 *                         "deleteSource"?, "batchSize"?, "parallel"?, "dryRun"?}
 *        → 202 the job (running in the background), or 200 the plan of a dry run
 * GET  /admin/migrations → {"migrations": [the 50 newest jobs]}
 * GET  /admin/migrations/{id} → the job: state, files and bytes done/total, failed, rate, eta
 * POST /admin/migrations/{id}/cancel → 202 the job; POST /admin/migrations/{id}/rollback → 202 the job
 * </pre>
 */
final class AdminMigrationRoutes {

    private static final int LISTED = 50;

    private final StorageService service;

    AdminMigrationRoutes(StorageService service) {
        this.service = service;
    }

    void register(Routes routes) {
        AdminCalls calls = new AdminCalls(routes, service.operations());
        calls.change(HandlerType.POST, "/admin/migrations", "admin.migration.start", ctx -> "migration:new", this::start);
        calls.view(HandlerType.GET, "/admin/migrations", "admin.migration.list", ctx -> "migrations",
                ctx -> ctx.json(Map.of("migrations", migrations().list(LISTED).stream()
                        .map(AdminMigrationRoutes::json).toList())));
        calls.view(HandlerType.GET, "/admin/migrations/{id}", "admin.migration.view", AdminMigrationRoutes::target,
                ctx -> ctx.json(json(migrations().get(ctx.pathParam("id")).orElseThrow(() ->
                        StorageException.notFound(null, "no migration '" + AdminCalls.param(ctx, "id") + "'")))));
        calls.change(HandlerType.POST, "/admin/migrations/{id}/cancel", "admin.migration.cancel",
                AdminMigrationRoutes::target, ctx -> ctx.status(202).json(json(migrations().cancel(ctx.pathParam("id")))));
        calls.change(HandlerType.POST, "/admin/migrations/{id}/rollback", "admin.migration.rollback",
                AdminMigrationRoutes::target,
                ctx -> ctx.status(202).json(json(migrations().rollback(ctx.pathParam("id")))));
    }

    private Migrations migrations() {
        return service.migrations();
    }

    private static String target(Context ctx) {
        return "migration:" + AdminCalls.param(ctx, "id");
    }

    private void start(Context ctx) {
        Map<String, Object> body = JsonBodies.object(ctx);
        String from = JsonBodies.textField(body, "from").orElseThrow(() -> StorageException.invalidArgument(
                "a migration needs 'from' and 'to', the names of two configured backends"));
        String to = JsonBodies.textField(body, "to").orElseThrow(() -> StorageException.invalidArgument(
                "a migration needs 'from' and 'to', the names of two configured backends"));
        MigrationRequest request = MigrationRequest.between(from, to);
        request = request.withPrefix(JsonBodies.textField(body, "prefix").orElse(""));
        var owner = JsonBodies.textField(body, "owner");
        if (owner.isPresent()) {
            request = request.withOwner(owner.get());
        }
        var segment = JsonBodies.textField(body, "segment");
        if (segment.isPresent()) {
            request = request.withSegment(segment.get());
        }
        var tier = JsonBodies.textField(body, "tier");
        if (tier.isPresent()) {
            request = request.withTier(Tier.parse(tier.get()));
        }
        var older = JsonBodies.longField(body, "olderThanSeconds");
        if (older.isPresent()) {
            request = request.withOlderThan(Duration.ofSeconds(older.getAsLong()));
        }
        var batch = JsonBodies.longField(body, "batchSize");
        if (batch.isPresent()) {
            request = request.withBatchSize((int) Math.min(Integer.MAX_VALUE, batch.getAsLong()));
        }
        var parallel = JsonBodies.longField(body, "parallel");
        if (parallel.isPresent()) {
            request = request.withParallel((int) Math.min(Integer.MAX_VALUE, parallel.getAsLong()));
        }
        request = request.withDeleteSource(flag(body, "deleteSource"));
        if (flag(body, "dryRun")) {
            MigrationPlan plan = migrations().plan(request);
            ctx.json(Map.of("from", plan.source(), "to", plan.target(), "files", plan.files(),
                    "versions", plan.versions(), "bytes", plan.bytes()));
            return;
        }
        ctx.status(202).json(json(migrations().start(request)));
    }

    private static boolean flag(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Boolean b)) {
            throw StorageException.invalidArgument("'" + field + "' must be true or false");
        }
        return b;
    }

    static Map<String, Object> json(MigrationJob job) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", job.id());
        json.put("state", job.state());
        json.put("from", job.source());
        json.put("to", job.target());
        json.put("filter", job.filter());
        json.put("deleteSource", job.deleteSource());
        json.put("batchSize", job.batchSize());
        json.put("parallel", job.parallel());
        json.put("filesDone", job.filesDone());
        json.put("filesTotal", job.filesTotal());
        json.put("bytesDone", job.bytesDone());
        json.put("bytesTotal", job.bytesTotal());
        json.put("filesFailed", job.filesFailed());
        json.put("bytesPerSecond", (long) job.bytesPerSecond());
        json.put("etaSeconds", job.eta().map(Duration::toSeconds).orElse(null));
        json.put("detail", job.detail());
        json.put("createdAt", job.created().toString());
        json.put("updatedAt", job.updated().toString());
        json.put("finishedAt", job.finished().map(Instant::toString).orElse(null));
        return json;
    }
}
