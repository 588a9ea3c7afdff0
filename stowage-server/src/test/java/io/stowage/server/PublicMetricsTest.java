package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.service.TestDatabase;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code STOWAGE_METRICS_PUBLIC=true}: no key needed (no catalog question here, so SQLite alone). */
class PublicMetricsTest extends OpsTestBase {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }

    @Override
    Map<String, String> extraSettings() {
        Map<String, String> s = new HashMap<>(super.extraSettings());
        s.put("STOWAGE_METRICS_PUBLIC", "true");
        return s;
    }

    @Test
    void public_metrics_answer_without_credentials() {
        HttpResponse<String> r = get("/metrics", null);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("jvm_memory_used_bytes");
    }
}
