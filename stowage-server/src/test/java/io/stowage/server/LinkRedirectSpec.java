package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code STOWAGE_LINK_MODE=redirect} over HTTP: {@code GET|HEAD /v1/links/{token}} answers 302 to a URL the
 * backend presigned (a real S3 server, s3proxy) that serves the bytes with the link's headers; on a backend
 * that cannot presign (local disk) the same setting still streams the bytes through the server.
 */
abstract class LinkRedirectSpec extends SecondServerTestBase {

    @Override
    Map<String, String> extraSettings() {
        return Map.of("STOWAGE_LINK_MODE", "redirect");
    }

    /** Uploads {@code body} as {@code name} to {@code on} and makes a ten-minute link to it; the link's URL. */
    private URI uploadAndLink(StowageServer on, String name, String body) {
        HttpResponse<String> saved = send(HttpRequest.newBuilder(on.localUri().resolve("/v1/files?name=" + name))
                .header("Authorization", "Bearer " + ALICE).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        HttpResponse<String> made = send(HttpRequest.newBuilder(on.localUri().resolve("/v1/files/" + id(saved) + "/links"))
                .header("Authorization", "Bearer " + ALICE).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"ttlSeconds\": 600}")).build());
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        return URI.create((String) field(made, "url"));
    }

    @Test
    void on_s3_a_link_answers_302_to_a_presigned_url_that_serves_the_bytes_with_the_links_disposition() throws IOException {
        URI link = uploadAndLink(serverOver("minio"), "report.txt", "quarterly figures");

        HttpResponse<String> get = send(HttpRequest.newBuilder(link).GET().build());
        HttpResponse<String> head = send(HttpRequest.newBuilder(link).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
        URI location = URI.create(get.headers().firstValue("Location").orElseThrow());
        HttpResponse<byte[]> fetched = sendBytes(HttpRequest.newBuilder(location).GET().build());

        assertThat(get.statusCode()).isEqualTo(302);
        assertThat(get.body()).doesNotContain("quarterly figures");
        assertThat(get.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(location.toString()).startsWith(s3.endpoint().toString()).contains("X-Amz-Signature=");
        assertThat(head.statusCode()).isEqualTo(302);
        assertThat(head.headers().firstValue("Location")).isPresent();
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(new String(fetched.body(), StandardCharsets.UTF_8)).isEqualTo("quarterly figures");
        assertThat(fetched.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"report.txt\"");
        assertThat(fetched.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    }

    @Test
    void on_s3_a_refused_or_dangling_link_is_still_refused_before_any_redirect() throws IOException {
        StowageServer on = serverOver("minio");
        URI link = uploadAndLink(on, "gone.txt", "soon gone");
        String token = link.getPath().substring(LinkRoutes.PREFIX.length());
        HttpResponse<String> tampered = send(HttpRequest.newBuilder(on.localUri().resolve(LinkRoutes.PREFIX
                + token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A"))).GET().build());
        String id = secondService.list("alice", "", "", 10).files().get(0).id();
        secondService.delete("alice", id);

        HttpResponse<String> dangling = send(HttpRequest.newBuilder(link).GET().build());

        assertProblem(tampered, 403, "PERMISSION_DENIED");
        assertThat(tampered.headers().firstValue("Location")).isEmpty();
        assertProblem(dangling, 404, "NOT_FOUND");
        assertThat(dangling.headers().firstValue("Location")).isEmpty();
    }

    @Test
    void on_local_disk_the_same_setting_still_streams_the_bytes_through_the_server() throws IOException {
        URI link = uploadAndLink(serverOver("local"), "local.txt", "local bytes");

        HttpResponse<String> r = send(HttpRequest.newBuilder(link).GET().build());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Location")).isEmpty();
        assertThat(r.body()).isEqualTo("local bytes");
        assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"local.txt\"");
    }
}
