package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code STOWAGE_CORS_ORIGINS=https://app.example.com}. */
class CorsTest extends OpsTestBase.OnSqlite {

    static final String APP = "https://app.example.com";

    @Override
    Map<String, String> extraSettings() {
        return withSettings("STOWAGE_CORS_ORIGINS", APP);
    }

    @Test
    void a_preflight_from_an_allowed_origin_is_answered_with_the_methods_and_headers() {
        HttpResponse<String> r = preflight("/v1/files", APP, "POST");

        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(r.headers().firstValue("Access-Control-Allow-Methods")).hasValueSatisfying(m -> assertThat(m).contains("POST", "DELETE"));
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(h -> assertThat(h).contains("Authorization", "Range"));
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
    }

    @Test
    void a_preflight_from_another_origin_is_refused_without_cors_headers() {
        HttpResponse<String> r = preflight("/v1/files", "https://evil.example.com", "POST");

        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void a_request_from_an_allowed_origin_may_read_the_answer_and_its_headers() {
        String id = (String) field(upload(ALICE, "a.txt", "text/plain", "hi"), "id");

        HttpResponse<String> r = send(request("/v1/files/" + id, ALICE).header("Origin", APP).GET().build());
        HttpResponse<String> other = send(request("/v1/files/" + id, ALICE).header("Origin", "https://evil.example.com").GET().build());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue(APP);
        assertThat(r.headers().firstValue("Access-Control-Expose-Headers")).hasValueSatisfying(h -> assertThat(h).contains("ETag"));
        assertThat(r.headers().allValues("Vary")).anySatisfy(v -> assertThat(v).contains("Origin"));
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    HttpResponse<String> preflight(String path, String origin, String method) {
        return send(request(path, null).header("Origin", origin).header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    }
}
