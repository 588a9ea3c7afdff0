package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobStore;
import io.stowage.ErrorKind;
import io.stowage.local.LocalBlobStore;
import io.stowage.testkit.FaultyBlobStore;
import io.stowage.testkit.TieredMemoryBlobStore;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API over a backend with tiers that fails on demand: a tier change, and how the backend's failures
 * reach a client (503 and 429 with Retry-After, 504, 500 with nothing of the failure in it).
 */
abstract class BackendSpec extends ApiTestBase {

    TieredMemoryBlobStore tiered;
    FaultyBlobStore faulty;

    @Override
    BlobStore storeFor(LocalBlobStore local) {
        tiered = new TieredMemoryBlobStore("memory");
        faulty = new FaultyBlobStore(tiered);
        return faulty;
    }

    @Test
    void a_tier_change_moves_every_version_and_answers_the_record() {
        String id = saved(ALICE, "cold.txt", "rarely read");

        HttpResponse<String> r = sendJson("PUT", "/v1/files/" + id + "/tier", ALICE, Map.of("tier", "cold"));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(field(r, "id")).isEqualTo(id);
        assertThat(tiered.tierChanges()).singleElement().asString().contains(id).endsWith("->COLD");
        assertThat(get("/v1/files/" + id + "/content", ALICE).body()).isEqualTo("rarely read");
    }

    @Test
    void a_backend_that_is_down_is_503_with_retry_after() {
        String id = saved(ALICE, "down.txt", "x");
        faulty.down();

        HttpResponse<String> read = get("/v1/files/" + id + "/content", ALICE);
        HttpResponse<String> write = upload(ALICE, "more.txt", "text/plain", "y");

        assertProblem(read, 503, "UNAVAILABLE");
        assertThat(read.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(v).matches("[0-9]+"));
        assertProblem(write, 503, "UNAVAILABLE");
        faulty.up();
        assertThat(json(get("/v1/usage", ALICE))).containsEntry("files", 1);
    }

    @Test
    void a_backend_timeout_is_504_throttling_429_and_an_internal_failure_500_without_its_details() {
        String id = saved(ALICE, "slow.txt", "x");

        faulty.failNext(1, ErrorKind.TIMEOUT);
        HttpResponse<String> timeout = get("/v1/files/" + id + "/content", ALICE);
        faulty.failNext(1, ErrorKind.RATE_LIMITED);
        HttpResponse<String> throttled = get("/v1/files/" + id + "/content", ALICE);
        faulty.failNext(1, ErrorKind.INTERNAL);
        HttpResponse<String> internal = get("/v1/files/" + id + "/content", ALICE);

        assertProblem(timeout, 504, "TIMEOUT");
        assertProblem(throttled, 429, "RATE_LIMITED");
        assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
        assertProblem(internal, 500, "INTERNAL");
        assertThat(internal.body()).doesNotContain("injected", "alice/");
    }
}
