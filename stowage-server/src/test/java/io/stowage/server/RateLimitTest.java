package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A limit of 5 requests, refilled at 1 a second: each key and each anonymous address has its own. */
class RateLimitTest extends OpsTestBase.OnSqlite {

    @Override
    Map<String, String> extraSettings() {
        return withSettings("STOWAGE_RATE_LIMIT", "1", "STOWAGE_RATE_LIMIT_BURST", "5");
    }

    @Test
    void a_key_past_its_burst_gets_429_with_retry_after_and_another_key_is_not_held_back() {
        for (int i = 0; i < 5; i++) {
            assertThat(get("/v1/files/none", ALICE).statusCode()).isEqualTo(404);
        }

        HttpResponse<String> limited = get("/v1/files/none", ALICE);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isPositive());
        assertThat(limited.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(field(limited, "kind")).isEqualTo("RATE_LIMITED");
        assertThat(get("/v1/files/none", BOB).statusCode()).isEqualTo(404);
    }

    @Test
    void plain_reads_of_a_files_content_take_from_the_keys_burst_like_any_request() {
        String content = "/v1/files/" + field(upload(ALICE, "a.txt", "text/plain", "hello"), "id") + "/content";
        HttpResponse<String> r = get(content, ALICE);
        // A token comes back each second: a slow machine may need more than the burst's reads to see the refusal.
        for (int i = 0; i < 100 && r.statusCode() == 200; i++) {
            r = get(content, ALICE);
        }

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(field(r, "kind")).isEqualTo("RATE_LIMITED");
        assertThat(get("/v1/files/none", BOB).statusCode()).isEqualTo(404);
    }

    @Test
    void anonymous_requests_are_limited_by_client_address() {
        for (int i = 0; i < 5; i++) {
            assertThat(get("/health", null).statusCode()).isEqualTo(200);
        }

        assertThat(get("/health", null).statusCode()).isEqualTo(429);
        assertThat(get("/v1/files/none", ALICE).statusCode()).isEqualTo(404);
    }

    @Test
    void failed_credentials_count_against_the_address() {
        for (int i = 0; i < 5; i++) {
            assertThat(get("/v1/files/none", "guess-" + i).statusCode()).isEqualTo(401);
        }

        assertThat(get("/v1/files/none", "guess-5").statusCode()).isEqualTo(429);
    }
}
