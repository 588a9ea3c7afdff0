package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

abstract class MetricsSpec extends OpsTestBase {

    @Test
    void metrics_need_the_admin_scope() {
        HttpResponse<String> none = get("/metrics", null);
        HttpResponse<String> user = get("/metrics", ALICE);
        HttpResponse<String> admin = get("/metrics", ADMIN);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(user.statusCode()).isEqualTo(403);
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    }

    @Test
    void http_requests_are_counted_by_method_route_template_and_status_never_by_raw_path() {
        String id = (String) field(upload(ALICE, "a.txt", "text/plain", "hello"), "id");
        get("/v1/files/" + id, ALICE);
        get("/v1/files/no-such-file", ALICE);
        get("/some/random/path-" + id, ALICE);

        String text = get("/metrics", ADMIN).body();

        assertThat(text).contains("http_server_requests_seconds_count{method=\"GET\",route=\"/v1/files/{id}\",status=\"200\"} 1");
        assertThat(text).contains("http_server_requests_seconds_count{method=\"GET\",route=\"/v1/files/{id}\",status=\"404\"} 1");
        assertThat(text).contains("http_server_requests_seconds_count{method=\"POST\",route=\"/v1/files\",status=\"201\"} 1");
        assertThat(text).contains("route=\"unmatched\",status=\"404\"");
        assertThat(text).doesNotContain(id).doesNotContain("no-such-file");
    }

    @Test
    void storage_operations_are_counted_by_backend_operation_and_outcome() {
        String id = (String) field(upload(ALICE, "a.txt", "text/plain", "hello"), "id");
        get("/v1/files/" + id + "/content", ALICE);

        String text = get("/metrics", ADMIN).body();

        String local = manager.primary();
        assertThat(text).containsPattern("stowage_operations_seconds_count\\{backend=\"" + local
                + "\",operation=\"put\",outcome=\"success\"} [1-9]");
        assertThat(text).containsPattern("stowage_operations_seconds_count\\{backend=\"" + local
                + "\",operation=\"get\",outcome=\"success\"} [1-9]");
    }

    @Test
    void backend_health_and_circuit_states_are_gauges() {
        get("/health/storage", null); // probes every backend

        String text = get("/metrics", ADMIN).body();

        String local = manager.primary();
        assertThat(text).contains("stowage_health_state{backend=\"" + local + "\",state=\"up\"} 1");
        assertThat(text).contains("stowage_health_state{backend=\"" + local + "\",state=\"down\"} 0");
        assertThat(text).contains("stowage_circuit_state{backend=\"" + local + "\",state=\"closed\"} 1");
    }

    @Test
    void the_catalog_pool_and_the_jvm_are_measured() {
        upload(ALICE, "a.txt", "text/plain", "hello");

        String text = get("/metrics", ADMIN).body();

        String pool = service.operations().catalogKind().equals("postgresql") ? "stowage-catalog-postgres"
                : "stowage-catalog-sqlite";
        assertThat(text).contains("hikaricp_connections_active{pool=\"" + pool + "\"}");
        assertThat(text).containsPattern("hikaricp_connections_max\\{pool=\"" + pool + "\"} [1-9]");
        assertThat(text).contains("jvm_memory_used_bytes").contains("jvm_threads_live_threads")
                .contains("process_uptime_seconds");
    }
}
