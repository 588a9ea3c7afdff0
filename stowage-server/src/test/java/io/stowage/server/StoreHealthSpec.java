package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A server started without a manager reports on the store the service writes to. */
abstract class StoreHealthSpec extends ServerTestBase {

    @Test
    void storage_health_names_the_services_store_with_the_totals() throws IOException {
        upload(ALICE, "a.txt", "text/plain", "hello");

        HttpResponse<String> r = get("/health/storage", null);

        JsonNode body = HealthSpec.json(r);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(body.get("primary_backend").asText()).isEqualTo(store.name());
        assertThat(body.get("backends").get(store.name()).get("healthy").asBoolean()).isTrue();
        assertThat(body.get("total_files").asLong()).isEqualTo(1);
        assertThat(body.get("total_size_bytes").asLong()).isEqualTo(5);
    }

    @Test
    void ready_follows_the_catalog() {
        assertThat(get("/health/ready", null).statusCode()).isEqualTo(200);

        service.close();

        assertThat(get("/health/ready", null).statusCode()).isEqualTo(503);
    }
}
