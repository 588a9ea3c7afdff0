package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.service.Images;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/files/{id}/thumbnail} and {@code GET /v1/links/{token}/thumbnail} over HTTP. */
abstract class ThumbnailSpec extends ApiTestBase {

    @Override
    Map<String, String> extraSettings() {
        return Map.of("IMAGE_STORAGE_PATH", home.resolve("variants").toString());
    }

    String uploadBytes(String key, String name, byte[] bytes) {
        return id(send(request("/v1/files?name=" + name, key).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build()));
    }

    HttpResponse<byte[]> getBytes(String path, String key) {
        return sendBytes(request(path, key).GET().build());
    }

    @Test
    void the_owner_gets_a_thumbnail_with_an_etag_that_answers_304_and_another_owner_gets_404() {
        String id = uploadBytes(ALICE, "wide.png", Images.plain("png", 400, 200, Color.RED));

        HttpResponse<byte[]> thumb = getBytes("/v1/files/" + id + "/thumbnail?size=40", ALICE);
        String etag = thumb.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = sendBytes(request("/v1/files/" + id + "/thumbnail?size=40", ALICE)
                .header("If-None-Match", etag).GET().build());
        HttpResponse<String> bob = get("/v1/files/" + id + "/thumbnail", BOB);
        HttpResponse<String> bad = get("/v1/files/" + id + "/thumbnail?size=big", ALICE);

        assertThat(thumb.statusCode()).isEqualTo(200);
        assertThat(thumb.headers().firstValue("Content-Type")).hasValue("image/png");
        BufferedImage image = Images.read(thumb.body());
        assertThat(image.getWidth()).isEqualTo(40);
        assertThat(image.getHeight()).isEqualTo(20);
        assertThat(again.statusCode()).isEqualTo(304);
        assertProblem(bob, 404, "NOT_FOUND");
        assertProblem(bad, 400, "INVALID_ARGUMENT");
        assertThat(json(get("/v1/files/" + id, ALICE)).get("metadata")).isEqualTo(Map.of("image_width", "400",
                "image_height", "200"));
    }

    @Test
    void a_second_node_serves_the_first_nodes_thumbnail_without_decoding_and_answers_404_once_the_owner_is_erased()
            throws Exception {
        String id = uploadBytes(ALICE, "p.png", Images.plain("png", 200, 100, Color.RED));
        java.nio.file.Path secondCache = home.resolve("variants-2");
        // The second node asks the catalog on every read: on PostgreSQL a node may otherwise serve what it kept for up
        // to the read window after another node's change (decision 0081; ReadCacheSpec covers that window).
        io.stowage.config.StowageConfig config = config(Map.of("IMAGE_STORAGE_PATH", secondCache.toString(),
                "STOWAGE_DATABASE_READ_WINDOW", "0"));
        try (io.stowage.service.StorageService otherService = io.stowage.service.StorageService.open(
                io.stowage.service.ServiceSettings.from(config), store);
             StowageServer other = StowageServer.start(ServerSettings.from(config).withPort(0), otherService,
                     authenticator())) {
            HttpResponse<byte[]> made = getBytes("/v1/files/" + id + "/thumbnail?size=20", ALICE);
            HttpResponse<byte[]> served = sendBytes(HttpRequest.newBuilder(other.localUri()
                    .resolve("/v1/files/" + id + "/thumbnail?size=20")).header("Authorization", "Bearer " + ALICE)
                    .GET().build());
            long rendered = otherService.images().rendered();
            boolean cached = java.nio.file.Files.exists(secondCache.resolve("alice").resolve(id));

            service.eraseOwner("alice");
            HttpResponse<String> gone = send(HttpRequest.newBuilder(other.localUri()
                    .resolve("/v1/files/" + id + "/thumbnail?size=20")).header("Authorization", "Bearer " + ALICE)
                    .GET().build());

            assertThat(made.statusCode()).isEqualTo(200);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).isEqualTo(made.body());
            assertThat(rendered).isZero();
            assertThat(cached).isTrue();
            assertProblem(gone, 404, "NOT_FOUND");
            assertThat(secondCache.resolve("alice").resolve(id)).doesNotExist();
            assertThat(store.list(io.stowage.ListRequest.prefix("alice/")).items()).isEmpty();
        }
    }

    @Test
    void a_signed_link_gives_the_thumbnail_of_its_version_without_credentials() {
        String id = uploadBytes(ALICE, "p.jpg", Images.jpegWithOrientation(300, 100, 6));
        String url = (String) json(sendJson("POST", "/v1/files/" + id + "/links", ALICE, Map.of("ttlSeconds", 300)))
                .get("url");

        HttpResponse<byte[]> thumb = sendBytes(HttpRequest.newBuilder(URI.create(url + "/thumbnail?size=30")).GET().build());
        HttpResponse<String> tampered = send(HttpRequest.newBuilder(URI.create(url + "x/thumbnail")).GET().build());

        assertThat(thumb.statusCode()).isEqualTo(200);
        assertThat(thumb.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        BufferedImage image = Images.read(thumb.body());
        assertThat(image.getWidth()).isEqualTo(10);
        assertThat(image.getHeight()).isEqualTo(30);
        assertThat(tampered.statusCode()).isEqualTo(403);
        assertThat(tampered.body()).doesNotContain(url.substring(url.lastIndexOf('/') + 1));
    }

    @Test
    void svg_is_refused_a_thumbnail_and_never_served_inline_and_a_bomb_is_refused() {
        String svg = uploadBytes(ALICE, "evil.svg", Images.SVG);
        String bomb = uploadBytes(ALICE, "bomb.png", Images.pngClaiming(50_000, 50_000));

        HttpResponse<String> svgThumb = get("/v1/files/" + svg + "/thumbnail", ALICE);
        HttpResponse<String> inline = get("/v1/files/" + svg + "/content?disposition=inline", ALICE);
        HttpResponse<String> bombThumb = get("/v1/files/" + bomb + "/thumbnail", ALICE);

        assertProblem(svgThumb, 415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(inline.statusCode()).isEqualTo(200);
        assertThat(inline.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).startsWith("attachment"));
        assertThat(inline.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertProblem(bombThumb, 413, "TOO_LARGE");
    }
}
