package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The default limit lets a burst of a few hundred requests from one key through, and stops a flood. */
class DefaultRateLimitTest extends OpsTestBase.OnSqlite {

    @Test
    void a_burst_of_300_requests_from_one_key_passes_and_a_flood_past_it_is_limited() {
        List<CompletableFuture<HttpResponse<Void>>> burst = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            burst.add(http.sendAsync(request("/v1/files/none", ALICE).GET().build(), HttpResponse.BodyHandlers.discarding()));
        }
        long limited = burst.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 429).count();

        assertThat(limited).isZero();
        int status = 404;
        int sent = 0;
        // 100 a second refill the bucket: a flood far beyond that meets 429 within a bounded number of requests.
        while (status != 429 && sent < 5000) {
            status = get("/v1/files/none", ALICE).statusCode();
            sent++;
        }
        assertThat(status).isEqualTo(429);
    }
}
