package io.stowage.server;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.StorageException;
import io.stowage.config.ConfigSources;
import io.stowage.config.InvalidConfigException;
import io.stowage.config.StorageDescription;
import io.stowage.config.StowageConfig;
import io.stowage.internal.BlobStoreProviders;
import io.stowage.manager.StorageManager;
import io.stowage.spi.Secrets;
import io.stowage.service.StorageService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Specification 004's admin panel routes (tag {@code compatibility}; admin scope, each call audited; decision 0052):
 *
 * <pre>
 * GET  /admin/storage-service/info            → {"storage_type", "backend", "backend_type", "status", "configuration",
 *                                                "backends": [{"name", "type", "role", "state"}]}
 * POST /admin/storage-service/test-connection → {"success", "storage_type", "backend", "message", "latency_ms", "backends"}
 * GET  /environment-variables                 → {"categories": {"storage": {NAME: {"value", "source", "sensitive",
 *                                                "setting"}}, "image", "server", …}, "envFile": {…}}
 * POST /environment-variables/reload          → {"success", "message", "reload": {…}}
 * PUT  /environment-variables {"variables": {NAME: value}} → {"success", "updated", "backup", "shadowed", "reload"}
 * POST /environment-variables/rollback        → {"success", "restored", "reload"}
 * </pre>
 * A change to {@code .env} is checked whole before the file is touched, then the previous file is kept as a backup,
 * the new one written and the configuration reloaded; when that reload is refused the previous file is put back
 * and its backup removed, so a refused change leaves the file as it was. Secret values are write-only: answers mask
 * them, and a masked value sent back unchanged (a form round trip) leaves the secret as it is.
 */
final class StorageServiceCompatRoutes {

    private final StorageService service;
    private final Reconfiguration reconfiguration;

    StorageServiceCompatRoutes(StorageService service, Reconfiguration reconfiguration) {
        this.service = service;
        this.reconfiguration = reconfiguration;
    }

    void register(Routes routes) {
        AdminCalls calls = new AdminCalls(routes, service.operations());
        calls.view(HandlerType.GET, "/admin/storage-service/info", "admin.storage_service.view", ctx -> "storage", this::info);
        calls.change(HandlerType.POST, "/admin/storage-service/test-connection", "admin.storage_service.test_connection",
                ctx -> "storage", this::testConnection);
        calls.view(HandlerType.GET, "/environment-variables", "admin.env.view", ctx -> "env", this::environment);
        calls.change(HandlerType.POST, "/environment-variables/reload", "admin.env.reload", ctx -> "env", this::reload);
        calls.change(HandlerType.PUT, "/environment-variables", "admin.env.update", ctx -> "env", this::update);
        calls.change(HandlerType.POST, "/environment-variables/rollback", "admin.env.rollback", ctx -> "env", this::rollback);
    }

    /** 004's words for a backend type: {@code local}, {@code s3} (AWS), {@code s3_compatible}; other types as named. */
    static String storageType(String type) {
        return switch (type) {
            case "aws_s3", "s3" -> "s3";
            case "minio", "s3_compatible" -> "s3_compatible";
            default -> type;
        };
    }

    private void info(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (service.manager().isEmpty()) {
            var health = service.operations().storeHealth();
            body.put("storage_type", service.operations().storeName());
            body.put("backend", service.operations().storeName());
            body.put("status", health.healthy() ? "healthy" : "unhealthy");
            ctx.json(body);
            return;
        }
        StorageManager manager = service.manager().get();
        StorageDescription description = StorageDescription.of(manager.config(), BlobStoreProviders.load());
        var health = manager.health();
        String primaryType = manager.config().backend(manager.primary()).type();
        body.put("storage_type", storageType(primaryType));
        body.put("backend", manager.primary());
        body.put("backend_type", primaryType);
        body.put("status", health.overall().label().equals("up") ? "healthy" : health.overall().label());
        body.put("configuration", description.routed().stream().filter(r -> r.name().equals(manager.primary()))
                .findFirst().map(StorageDescription.Routed::settings).orElse(Map.of()));
        body.put("backends", description.routed().stream().map(r -> {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("name", r.name());
            b.put("type", r.type());
            b.put("role", role(manager, r.name()));
            var h = health.backends().get(r.name());
            b.put("state", h == null ? null : h.state().label());
            return b;
        }).toList());
        ctx.json(body);
    }

    private static String role(StorageManager manager, String name) {
        if (name.equals(manager.primary())) {
            return "primary";
        }
        if (manager.fallback().contains(name)) {
            return "fallback";
        }
        return manager.mirror().contains(name) ? "mirror" : "tier";
    }

    private void testConnection(Context ctx) {
        List<Map<String, Object>> backends = ConfigViews.probes(service);
        String primary = service.manager().map(StorageManager::primary).orElse(service.operations().storeName());
        Map<String, Object> first = backends.stream().filter(b -> primary.equals(b.get("backend"))).findFirst()
                .orElse(backends.get(0));
        List<String> failed = backends.stream().filter(b -> !Boolean.TRUE.equals(b.get("ok")))
                .map(b -> (String) b.get("backend")).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", failed.isEmpty());
        body.put("storage_type", service.manager().map(m -> storageType(m.config().backend(primary).type())).orElse(primary));
        body.put("backend", primary);
        body.put("message", failed.isEmpty() ? "every backend took a write, a read and a delete"
                : "the test failed on " + String.join(", ", failed));
        body.put("latency_ms", first.get("latency_ms"));
        body.put("backends", backends);
        ctx.json(body);
    }

    /**
     * The variables as the environment and the files give them now (what a reload would apply); when they do not
     * load, the running configuration's, with the problems found.
     */
    private void environment(Context ctx) {
        if (!reconfiguration.reloadable()) {
            ctx.json(ConfigViews.environment(reconfiguration.current(), null));
            return;
        }
        ConfigSources sources = reconfiguration.sources();
        Map<String, Object> body;
        try {
            body = ConfigViews.environment(reconfiguration.load(sources), sources);
        } catch (InvalidConfigException e) {
            body = ConfigViews.environment(reconfiguration.current(), sources);
            body.put("problems", e.problems());
        }
        ctx.json(body);
    }

    private void reload(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("message", "environment variables reloaded from the environment, .env and stowage.yaml");
        body.put("reload", reconfiguration.reload());
        ctx.json(body);
    }

    private void update(Context ctx) {
        Map<String, Object> request = JsonBodies.object(ctx);
        Map<String, String> asked = JsonBodies.stringMap(request.get("variables") == null ? Map.of() : request.get("variables"),
                "variables");
        if (asked.isEmpty()) {
            throw StorageException.invalidArgument("'variables' must name at least one variable to set,"
                    + " as {\"variables\": {\"NAME\": \"value\"}}");
        }
        for (String name : asked.keySet()) {
            if (!DotEnvEdits.NAME.matcher(name).matches()) {
                throw StorageException.invalidArgument("'" + JsonBodies.printable(name) + "' is not a variable name"
                        + " (letters, digits and '_', not starting with a digit)");
            }
        }
        synchronized (reconfiguration.lock()) {
            ConfigSources sources = requireEditable();
            Path dir = sources.workingDir();
            String before = DotEnvEdits.read(dir);
            Map<String, String> current = DotEnvEdits.parse(before);
            Map<String, String> changes = new LinkedHashMap<>();
            asked.forEach((name, value) -> {
                String now = current.get(name);
                boolean maskedEcho = Secrets.isSecret(name) && now != null && value.equals(Secrets.mask(now));
                if (!maskedEcho && !Objects.equals(now, value)) {
                    changes.put(name, value);
                }
            });
            String after = DotEnvEdits.edit(before, changes);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("success", true);
            body.put("updated", List.copyOf(changes.keySet()));
            body.put("shadowed", changes.keySet().stream().filter(n -> sources.env().containsKey(n)
                    || sources.flags().containsKey(n)).toList());
            if (changes.isEmpty()) {
                body.put("backup", null);
                body.put("reload", null);
                ctx.json(body);
                return;
            }
            StowageConfig checked = reconfiguration.checkDotEnv(after);
            Path backup = DotEnvEdits.backup(dir, before, Instant.now());
            body.put("backup", backup.getFileName().toString());
            body.put("reload", replace(dir, before, after, backup, true));
            body.put("unused", changes.keySet().stream().filter(n -> checked.settings().stream()
                    .noneMatch(s -> n.equals(s.origin()))).toList());
            ctx.json(body);
        }
    }

    private void rollback(Context ctx) {
        synchronized (reconfiguration.lock()) {
            Path dir = requireEditable().workingDir();
            Path last = DotEnvEdits.lastBackup(dir).orElseThrow(() -> StorageException.notFound(null,
                    "no backup of .env to roll back to: every change through PUT /environment-variables makes one"));
            String restored;
            try {
                restored = Files.readString(last);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            reconfiguration.checkDotEnv(restored);
            String before = DotEnvEdits.read(dir);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("success", true);
            body.put("restored", last.getFileName().toString());
            body.put("reload", replace(dir, before, restored, last, false));
            ctx.json(body);
        }
    }

    /**
     * Writes {@code after} as the {@code .env} and reloads; a refused reload writes {@code before} back. The backup is
     * removed when the change does not stand ({@code backupIsNew}) or when it was put back (a rollback).
     */
    private Map<String, Object> replace(Path dir, String before, String after, Path backup, boolean backupIsNew) {
        boolean existed = Files.isRegularFile(dir.resolve(DotEnvEdits.FILE));
        DotEnvEdits.write(dir, after);
        Map<String, Object> reload;
        try {
            reload = reconfiguration.reload();
        } catch (RuntimeException e) {
            if (existed) {
                DotEnvEdits.write(dir, before);
            } else {
                deleteQuietly(dir.resolve(DotEnvEdits.FILE));
            }
            if (backupIsNew) {
                deleteQuietly(backup);
            }
            throw e;
        }
        if (!backupIsNew) {
            deleteQuietly(backup);
        }
        return reload;
    }

    private ConfigSources requireEditable() {
        if (!reconfiguration.reloadable()) {
            throw StorageException.unsupported(null, "editing .env: this server was started without its configuration"
                    + " sources, or runs over a store without a storage manager");
        }
        return reconfiguration.sources();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException ignored) {
            // A backup left behind is harmless: the next rollback would take it.
        }
    }
}
