package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

abstract class HealthSpec extends OpsTestBase {

    @Test
    void storage_health_has_exactly_the_shape_of_spec_002_without_credentials() throws IOException {
        upload(ALICE, "a.txt", "text/plain", "12345");
        upload(BOB, "b.txt", "text/plain", "1234567890");

        HttpResponse<String> r = get("/health/storage", null);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("primary_backend").asText()).isEqualTo(manager.primary());
        JsonNode backend = body.get("backends").get(manager.primary());
        assertThat(backend.get("healthy").isBoolean()).isTrue();
        assertThat(backend.get("healthy").asBoolean()).isTrue();
        assertThat(backend.get("latency_ms").isNumber()).isTrue();
        assertThat(body.get("total_files").isIntegralNumber()).isTrue();
        assertThat(body.get("total_files").asLong()).isEqualTo(2);
        assertThat(body.get("total_size_gb").isNumber()).isTrue();
        assertThat(body.get("total_size_gb").asDouble()).isEqualTo(Math.round(15 / (1024d * 1024 * 1024) * 1e6) / 1e6);
        assertThat(body.get("total_size_bytes").asLong()).isEqualTo(15);
    }

    @Test
    void storage_health_never_shows_paths_or_probe_details() {
        HttpResponse<String> r = get("/health/storage", null);

        assertThat(r.body()).doesNotContain(home.toString()).doesNotContain("probe").doesNotContain("postgres:");
    }

    @Test
    void ready_answers_200_when_the_catalog_and_the_primary_answer() throws IOException {
        HttpResponse<String> r = get("/health/ready", null);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("ready");
        assertThat(body.get("checks").get("catalog").get("healthy").asBoolean()).isTrue();
        assertThat(body.get("checks").get("primary").get("name").asText()).isEqualTo(manager.primary());
    }

    @Test
    void ready_answers_503_naming_the_catalog_when_it_does_not_answer() throws IOException {
        service.close(); // its pool is gone: every catalog query fails as with a database that is away

        HttpResponse<String> r = get("/health/ready", null);

        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("not ready");
        assertThat(texts(body.get("down"))).containsExactly("catalog");
        assertThat(body.get("checks").get("primary").get("healthy").asBoolean()).isTrue();
        assertThat(get("/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void ready_answers_503_naming_the_primary_when_its_disk_is_gone_and_storage_health_says_so() throws IOException {
        breakLocalRoot();

        HttpResponse<String> ready = get("/health/ready", null);
        HttpResponse<String> storage = get("/health/storage", null);

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(texts(json(ready).get("down"))).containsExactly("primary backend '" + manager.primary() + "'");
        assertThat(storage.statusCode()).isEqualTo(200);
        assertThat(json(storage).get("backends").get(manager.primary()).get("healthy").asBoolean()).isFalse();
    }

    @Test
    void storage_health_without_a_catalog_still_reports_the_backends_with_null_totals() throws IOException {
        service.close();

        HttpResponse<String> r = get("/health/storage", null);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("backends").get(manager.primary()).get("healthy").asBoolean()).isTrue();
        assertThat(body.get("total_files").isNull()).isTrue();
        assertThat(body.get("catalog").get("healthy").asBoolean()).isFalse();
    }

    /** Replaces the local backend's root with a plain file: every probe of it then fails. */
    private void breakLocalRoot() throws IOException {
        Path root = localRoot();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(root, "not a folder");
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return new ObjectMapper().readTree(r.body());
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return out;
    }
}
