package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.StorageException;
import io.stowage.internal.Sizes;
import io.stowage.service.FailedOperation;
import io.stowage.service.Page;
import io.stowage.service.RetentionPolicy;
import io.stowage.service.RetentionReport;
import io.stowage.service.SigningKey;
import io.stowage.service.StorageService;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What an operator runs or repairs (admin scope, audited as {@code admin.failed_operation.*},
 * {@code admin.signing_key.*} and {@code admin.retention.*}).
 *
 * <pre>
 * GET    /admin/failed-operations?cursor=&limit= → {"operations": [...], "nextCursor"}
 * POST   /admin/failed-operations/{id}/retry → 204 (re-run and closed), or the re-run's own error
 * DELETE /admin/failed-operations/{id} → 204 (dismissed)
 * GET    /admin/signing-keys → {"keys": [{"id", "created", "retired"}]}, never a secret
 * POST   /admin/signing-keys/rotate → 201 the new key, which signs every link from now on
 * GET    /admin/retention → {"policies": [{"owner" (null: global), "maxVersions", "maxAge", "trashRetention"}]}
 * PUT    /admin/retention[?owner=] {"maxVersions"?, "maxAge"?, "trashRetention"?} → 200 the policy
 * DELETE /admin/retention[?owner=] → 204; 404 when there is no such policy
 * POST   /admin/retention/apply?dryRun=true|false → the report (a dry run unless dryRun=false)
 * </pre>
 * Durations are ISO-8601 ({@code P30D}) or short ({@code 30d}, {@code 12h}); answers give them ISO-8601.
 */
final class AdminMaintenanceRoutes {

    private static final Set<String> POLICY_FIELDS = Set.of("maxVersions", "maxAge", "trashRetention");

    private final StorageService service;

    AdminMaintenanceRoutes(StorageService service) {
        this.service = service;
    }

    void register(Routes routes) {
        AdminCalls calls = new AdminCalls(routes, service.operations());
        calls.view(HandlerType.GET, "/admin/failed-operations", "admin.failed_operation.list", ctx -> "failed_operations",
                this::failures);
        calls.change(HandlerType.POST, "/admin/failed-operations/{id}/retry", "admin.failed_operation.retry",
                AdminMaintenanceRoutes::failure, ctx -> {
                    service.failedOperations().retry(AdminCalls.numericId(ctx, "id", "open failed operation"));
                    ctx.status(204);
                });
        calls.change(HandlerType.DELETE, "/admin/failed-operations/{id}", "admin.failed_operation.dismiss",
                AdminMaintenanceRoutes::failure, ctx -> {
                    service.failedOperations().dismiss(AdminCalls.numericId(ctx, "id", "open failed operation"));
                    ctx.status(204);
                });
        calls.view(HandlerType.GET, "/admin/signing-keys", "admin.signing_key.list", ctx -> "signing_keys",
                ctx -> ctx.json(Map.of("keys", service.signingKeys().stream().map(AdminMaintenanceRoutes::json).toList())));
        calls.change(HandlerType.POST, "/admin/signing-keys/rotate", "admin.signing_key.rotate", ctx -> "signing_keys",
                ctx -> ctx.status(201).json(json(service.rotateSigningKey())));
        calls.view(HandlerType.GET, "/admin/retention", "admin.retention.view", ctx -> "retention",
                ctx -> ctx.json(Map.of("policies", service.retention().retentionPolicies().stream()
                        .map(AdminMaintenanceRoutes::json).toList())));
        calls.change(HandlerType.PUT, "/admin/retention", "admin.retention.set", AdminMaintenanceRoutes::policyTarget,
                this::setPolicy);
        calls.change(HandlerType.DELETE, "/admin/retention", "admin.retention.remove",
                AdminMaintenanceRoutes::policyTarget, this::removePolicy);
        calls.change(HandlerType.POST, "/admin/retention/apply", "admin.retention.apply", ctx -> "retention",
                this::apply);
    }

    private static String failure(Context ctx) {
        return "failed_operation:" + AdminCalls.param(ctx, "id");
    }

    private static String policyTarget(Context ctx) {
        String owner = ctx.queryParam("owner");
        return owner == null || owner.isEmpty() ? "retention:global" : "owner:" + JsonBodies.printable(owner);
    }

    private static String owner(Context ctx) {
        String owner = ctx.queryParam("owner");
        return owner == null ? RetentionPolicy.GLOBAL : owner;
    }

    private void failures(Context ctx) {
        Page<FailedOperation> page = service.failedOperations().list(FileRoutes.cursor(ctx), FileRoutes.limit(ctx));
        ctx.json(AdminCalls.page("operations", page.items(), AdminMaintenanceRoutes::json, page.nextCursor()));
    }

    private static Map<String, Object> json(FailedOperation op) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", op.id());
        json.put("at", op.at().toString());
        json.put("operation", op.operation());
        json.put("target", op.target());
        json.put("owner", op.owner());
        json.put("actor", op.actor());
        json.put("kind", op.kind().name());
        json.put("cause", op.cause());
        json.put("correlationId", op.correlationId());
        json.put("retryable", op.retryable());
        json.put("attempts", op.attempts());
        return json;
    }

    private void setPolicy(Context ctx) {
        Map<String, Object> body = JsonBodies.object(ctx);
        for (String field : body.keySet()) {
            if (!POLICY_FIELDS.contains(field)) {
                throw StorageException.invalidArgument("unknown field '" + JsonBodies.printable(field)
                        + "'; a policy is {\"maxVersions\"?, \"maxAge\"?, \"trashRetention\"?}");
            }
        }
        OptionalInt versions = OptionalInt.empty();
        var given = JsonBodies.longField(body, "maxVersions");
        if (given.isPresent()) {
            if (given.getAsLong() > Integer.MAX_VALUE) {
                throw StorageException.invalidArgument("'maxVersions' is too large");
            }
            versions = OptionalInt.of((int) given.getAsLong());
        }
        RetentionPolicy policy = new RetentionPolicy(owner(ctx), versions, duration(body, "maxAge"),
                duration(body, "trashRetention"));
        service.retention().setRetention(policy);
        ctx.json(json(policy));
    }

    private void removePolicy(Context ctx) {
        String owner = owner(ctx);
        if (!service.retention().removeRetention(owner)) {
            throw StorageException.notFound(null, owner.isEmpty() ? "no global retention policy"
                    : "no retention policy of owner '" + JsonBodies.printable(owner) + "'");
        }
        ctx.status(204);
    }

    private void apply(Context ctx) {
        String dryRun = ctx.queryParam("dryRun");
        if (dryRun != null && !dryRun.equals("true") && !dryRun.equals("false")) {
            throw StorageException.invalidArgument("dryRun must be true or false, was '" + JsonBodies.printable(dryRun) + "'");
        }
        RetentionReport report = service.retention().applyRetention(!"false".equals(dryRun));
        List<Map<String, Object>> removals = new ArrayList<>();
        for (RetentionReport.Removal r : report.removals()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("owner", r.owner());
            json.put("fileId", r.fileId());
            json.put("versionId", r.versionId().isEmpty() ? null : r.versionId());
            json.put("bytes", r.bytes());
            json.put("rule", r.rule().name());
            removals.add(json);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dryRun", report.dryRun());
        body.put("removals", removals);
        body.put("bytesFreed", report.bytesFreed());
        body.put("failed", report.failed());
        ctx.json(body);
    }

    private static Optional<Duration> duration(Map<String, Object> body, String field) {
        Optional<String> text = JsonBodies.textField(body, field);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Sizes.parseDuration(JsonBodies.printable(text.get()), "'" + field + "'"));
        } catch (StorageException e) {
            throw StorageException.invalidArgument(e.reason());
        }
    }

    private static Map<String, Object> json(RetentionPolicy p) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("owner", p.isGlobal() ? null : p.owner());
        json.put("maxVersions", p.maxVersions().isPresent() ? p.maxVersions().getAsInt() : null);
        json.put("maxAge", p.maxAge().map(Duration::toString).orElse(null));
        json.put("trashRetention", p.trashRetention().map(Duration::toString).orElse(null));
        return json;
    }

    private static Map<String, Object> json(SigningKey k) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", k.id());
        json.put("created", k.created().toString());
        json.put("retired", k.retired().map(Instant::toString).orElse(null));
        return json;
    }
}
