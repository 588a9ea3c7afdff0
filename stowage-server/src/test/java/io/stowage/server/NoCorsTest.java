package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** By default no origin may call the server from a browser. */
class NoCorsTest extends OpsTestBase.OnSqlite {

    @Test
    void by_default_no_origin_is_allowed() {
        HttpResponse<String> pre = send(request("/v1/files", null).header("Origin", CorsTest.APP)
                .header("Access-Control-Request-Method", "GET").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        HttpResponse<String> get = send(request("/health", null).header("Origin", CorsTest.APP).GET().build());

        assertThat(pre.statusCode()).isEqualTo(403);
        assertThat(pre.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
}
