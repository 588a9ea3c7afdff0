package io.stowage.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.stowage.StorageException;
import io.stowage.service.auth.ApiKey;
import io.stowage.service.auth.ApiKeys;
import io.stowage.service.auth.IssuedKey;
import io.stowage.service.auth.Scope;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /admin/keys}: make, list and revoke API keys (decision 0038); every route needs the {@code admin} scope.
 *
 * <pre>
 * POST   /admin/keys {"owner": "alice", "scopes": ["read", "write"], "expiresAt": "2030-01-01T00:00:00Z"}
 *        → 201 {"id", "key", "owner", "scopes", "expiresAt"}   (the key, shown this once)
 * GET    /admin/keys → 200 {"keys": [{"id", "owner", "scopes", "createdAt", "expiresAt", "revokedAt"}]}
 * DELETE /admin/keys/{id} → 204; 404 for a key that does not exist or is revoked already
 * </pre>
 * {@code scopes} may also be one string, {@code "read,write"}; {@code expiresAt} is an ISO-8601 instant, absent or
 * null for a key that does not expire.
 */
final class AdminKeyRoutes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiKeys keys;

    AdminKeyRoutes(ApiKeys keys) {
        this.keys = keys;
    }

    void register(Routes routes) {
        routes.secured(HandlerType.POST, "/admin/keys", Scope.ADMIN, this::create);
        routes.secured(HandlerType.GET, "/admin/keys", Scope.ADMIN, this::list);
        routes.secured(HandlerType.DELETE, "/admin/keys/{id}", Scope.ADMIN, this::revoke);
    }

    private void create(Context ctx) {
        JsonNode body = body(ctx);
        IssuedKey issued = keys.create(text(body, "owner").orElse(null), scopes(body.get("scopes")),
                text(body, "expiresAt").map(AdminKeyRoutes::instant));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", issued.id());
        json.put("key", issued.key());
        json.put("owner", issued.owner());
        json.put("scopes", labels(issued.scopes()));
        json.put("expiresAt", issued.expiresAt().map(Instant::toString).orElse(null));
        ctx.status(201).header("Cache-Control", "no-store").json(json);
    }

    private void list(Context ctx) {
        List<Map<String, Object>> listed = new ArrayList<>();
        for (ApiKey key : keys.list()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", key.id());
            json.put("owner", key.owner());
            json.put("scopes", labels(key.scopes()));
            json.put("createdAt", key.createdAt().toString());
            json.put("expiresAt", key.expiresAt().map(Instant::toString).orElse(null));
            json.put("revokedAt", key.revokedAt().map(Instant::toString).orElse(null));
            listed.add(json);
        }
        ctx.json(Map.of("keys", listed));
    }

    private void revoke(Context ctx) {
        keys.revoke(ctx.pathParam("id"));
        ctx.status(204);
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode body = JSON.readTree(ctx.body());
            if (body == null || !body.isObject()) {
                throw StorageException.invalidArgument("the body must be a JSON object: {\"owner\", \"scopes\", \"expiresAt\"?}");
            }
            return body;
        } catch (JsonProcessingException e) {
            throw StorageException.invalidArgument("the body is not JSON: {\"owner\", \"scopes\", \"expiresAt\"?}");
        }
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw StorageException.invalidArgument("'" + field + "' must be a string");
        }
        return Optional.of(value.asText());
    }

    private static Set<Scope> scopes(JsonNode scopes) {
        if (scopes != null && scopes.isTextual()) {
            return Scope.parseAll(scopes.asText());
        }
        if (scopes == null || !scopes.isArray()) {
            throw StorageException.invalidArgument("'scopes' must list read, write or admin: [\"read\", \"write\"]");
        }
        List<Scope> parsed = new ArrayList<>();
        for (JsonNode scope : scopes) {
            if (!scope.isTextual()) {
                throw StorageException.invalidArgument("'scopes' must list read, write or admin: [\"read\", \"write\"]");
            }
            parsed.add(Scope.parse(scope.asText()));
        }
        return Scope.ordered(parsed);
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw StorageException.invalidArgument("'expiresAt' must be an ISO-8601 instant such as"
                    + " 2030-01-01T00:00:00Z, was '" + text + "'");
        }
    }

    private static List<String> labels(Set<Scope> scopes) {
        return scopes.stream().map(Scope::label).toList();
    }
}
