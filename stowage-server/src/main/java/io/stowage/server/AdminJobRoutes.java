package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.StorageException;
import io.stowage.service.JobRun;
import io.stowage.service.JobStatus;
import io.stowage.service.Maintenance;
import io.stowage.service.StorageService;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The maintenance jobs (decision 0054), admin scope, audited as {@code admin.maintenance.*}.
 *
 * <pre>
 * GET  /admin/maintenance → {"node", "jobs": [{"job", "interval" (ISO-8601, null: only when asked), "lastRun",
 *                            "heldBy", "leaseExpires"}]}
 * POST /admin/maintenance/{job}?dryRun=true|false → 200 the run {"id", "job", "node", "dryRun", "started",
 *                            "finished", "outcome", "counts", "errors"} (a real run unless dryRun=true);
 *                            404 no such job; 409 a run of it holds the lease (here or on another node)
 * </pre>
 * A run goes on the request's thread: the answer comes when the job is done.
 */
final class AdminJobRoutes {

    private final StorageService service;
    private final Maintenance maintenance;

    AdminJobRoutes(StorageService service) {
        this.service = service;
        this.maintenance = service.maintenance();
    }

    void register(Routes routes) {
        AdminCalls calls = new AdminCalls(routes, service.operations());
        calls.view(HandlerType.GET, "/admin/maintenance", "admin.maintenance.status", ctx -> "maintenance", this::status);
        calls.change(HandlerType.POST, "/admin/maintenance/{job}", "admin.maintenance.run",
                ctx -> "maintenance:" + JsonBodies.printable(AdminCalls.param(ctx, "job")), this::run);
    }

    private void status(Context ctx) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("node", maintenance.node());
        json.put("jobs", maintenance.status().stream().map(AdminJobRoutes::json).toList());
        ctx.json(json);
    }

    private void run(Context ctx) {
        String dryRun = ctx.queryParam("dryRun");
        if (dryRun != null && !dryRun.equals("true") && !dryRun.equals("false")) {
            throw StorageException.invalidArgument("dryRun must be true or false");
        }
        ctx.json(json(maintenance.run(ctx.pathParam("job"), "true".equals(dryRun))));
    }

    private static Map<String, Object> json(JobStatus s) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("job", s.job());
        json.put("interval", s.interval().isZero() ? null : s.interval().toString());
        json.put("lastRun", s.last().map(AdminJobRoutes::json).orElse(null));
        json.put("heldBy", s.heldBy().orElse(null));
        json.put("leaseExpires", s.leaseExpires().map(Instant::toString).orElse(null));
        return json;
    }

    static Map<String, Object> json(JobRun run) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", run.id());
        json.put("job", run.job());
        json.put("node", run.node());
        json.put("dryRun", run.dryRun());
        json.put("started", run.started().toString());
        json.put("finished", run.finished().map(Instant::toString).orElse(null));
        json.put("outcome", run.outcome().name().toLowerCase(java.util.Locale.ROOT));
        json.put("counts", run.report().counts());
        json.put("errors", run.report().errors());
        return json;
    }
}
