package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code STOWAGE_METRICS_PUBLIC=true}: no key needed (no catalog question here, so SQLite alone). */
class PublicMetricsTest extends OpsTestBase.OnSqlite {

    @Override
    Map<String, String> extraSettings() {
        return withSettings("STOWAGE_METRICS_PUBLIC", "true");
    }

    @Test
    void public_metrics_answer_without_credentials() {
        HttpResponse<String> r = get("/metrics", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("jvm_memory_used_bytes");
    }
}
