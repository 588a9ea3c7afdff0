package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.service.TestDatabase;
import io.stowage.service.auth.Authenticator;
import io.stowage.service.auth.Principal;
import io.stowage.service.auth.Scope;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code /admin/storage} over a service opened on a store without a manager (a library user's setup): it names
 * the store and its health. Which catalog changes nothing here: SQLite.
 */
class AdminWithoutManagerTest extends ApiTestBase {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }

    @Override
    Authenticator authenticator() {
        Authenticator others = super.authenticator();
        Principal admin = new Principal("root", Set.of(Scope.ADMIN), "key-admin");
        return bearer -> bearer.equals("admin-key") ? admin : others.authenticate(bearer);
    }

    @Test
    @SuppressWarnings("unchecked")
    void the_storage_view_names_the_store_and_its_health() {
        HttpResponse<String> r = get("/admin/storage", "admin-key");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Object> body = json(r);
        String name = store.name();
        assertThat(body).containsEntry("store", name).doesNotContainKeys("routing", "routed");
        Map<String, Object> health = (Map<String, Object>) body.get("health");
        assertThat(health).containsEntry("primary", name);
        assertThat((Map<String, Object>) ((Map<String, Object>) health.get("backends")).get(name))
                .containsEntry("state", "up").containsKey("latency_ms");
        assertThat(list(get("/admin/audit?action=admin.storage.view", "admin-key"), "entries")).singleElement()
                .satisfies(e -> assertThat(e).containsEntry("actor", "key-admin").containsEntry("outcome", "ok"));
        assertProblem(get("/admin/storage", ALICE), 403, "PERMISSION_DENIED");
    }
}
