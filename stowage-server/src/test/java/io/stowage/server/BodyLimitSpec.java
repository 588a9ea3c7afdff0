package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code STOWAGE_MAX_BODY_SIZE=64KiB}: bodies read whole are bounded, uploads are not held to it. */
abstract class BodyLimitSpec extends OpsTestBase {

    @Override
    Map<String, String> extraSettings() {
        return withSettings("STOWAGE_MAX_BODY_SIZE", "64KiB");
    }

    @Test
    void a_body_declaring_more_than_the_limit_is_refused_with_413_before_it_is_read() {
        // As curl does for large bodies: the client waits for 100 Continue, which never comes, so the 413 is
        // read before any byte of the body is sent (and is not lost to a reset of a half-sent body).
        HttpResponse<String> r = send(request("/health/ready", ALICE).header("Content-Type", "application/json")
                .expectContinue(true).POST(HttpRequest.BodyPublishers.ofByteArray(new byte[200 * 1024])).build());

        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(field(r, "kind")).isEqualTo("TOO_LARGE");
    }

    @Test
    void an_upload_larger_than_the_body_limit_is_still_stored() {
        HttpResponse<String> r = send(request("/v1/files?name=big.bin", ALICE).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[200 * 1024])).build());

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(field(r, "size")).isEqualTo(200 * 1024);
    }
}
