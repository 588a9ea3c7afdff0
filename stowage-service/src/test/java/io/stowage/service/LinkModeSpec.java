package io.stowage.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobContent;
import io.stowage.config.ConfigSources;
import io.stowage.config.StowageConfig;
import io.stowage.manager.StorageManager;
import io.stowage.testkit.S3ProxyProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code limits.link_mode} (decision 0041): in redirect mode a link read names a URL of the backend holding the
 * version, presigned with the link's disposition and the version's type, where that backend presigns (a real S3
 * server here, s3proxy); elsewhere, and in proxy mode, the bytes stream through the service.
 */
abstract class LinkModeSpec extends ServiceTestBase {

    @TempDir
    static Path serverDir;
    static S3ProxyProcess server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startServer() throws IOException {
        server = S3ProxyProcess.start(serverDir.resolve("blobs"));
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** A service in {@code mode} that builds its manager over {@code backend}: {@code minio} (s3proxy) or {@code local}. */
    private StorageService service(String mode, String backend) throws IOException {
        Path dir = Files.createDirectories(home.resolve(backend + "-" + mode));
        Map<String, String> env = new HashMap<>(Map.of("STOWAGE_HOME", dir.toString(), "PRIMARY_BACKEND", backend,
                "LOCAL_STORAGE_PATH", dir.resolve("local").toString(),
                "MINIO_ENDPOINT_URL", server.endpoint().toString(), "MINIO_ACCESS_KEY", S3ProxyProcess.ACCESS_KEY,
                "MINIO_SECRET_KEY", S3ProxyProcess.SECRET_KEY,
                "MINIO_BUCKET_NAME", "svc-" + UUID.randomUUID().toString().substring(0, 13)));
        Map<String, String> serviceEnv = new HashMap<>(settingsMap());
        serviceEnv.put("STOWAGE_LINK_MODE", mode);
        return StorageService.open(settingsOf(serviceEnv, home),
                StorageManager.builder(StowageConfig.load(ConfigSources.of(env, dir))));
    }

    @Test
    void in_redirect_mode_a_link_to_a_version_on_s3_names_a_presigned_url_serving_it_with_the_links_headers()
            throws Exception {
        try (StorageService s3 = service("redirect", "minio")) {
            FileRecord saved = s3.save("ada", "Q3 report ü.txt", BlobContent.ofUtf8("quarterly figures"),
                    SaveOptions.defaults());
            DownloadLink link = s3.downloadUrl("ada", saved.id(), Duration.ofMinutes(10), LinkOptions.attachment());

            try (LinkRead read = s3.openLink(link.token())) {
                URI url = read.redirect().orElseThrow();
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(url).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());

                assertThat(saved.backend()).isEqualTo("minio");
                assertThat(url.toString()).startsWith(server.endpoint().toString());
                assertThat(url.getRawQuery()).containsPattern("X-Amz-Expires=(600|5\\d\\d)&");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("quarterly figures");
                assertThat(r.headers().firstValue("content-type")).contains(saved.contentType());
                assertThat(r.headers().firstValue("content-disposition")).contains(read.contentDisposition());
                assertThat(read.contentDisposition()).startsWith("attachment")
                        .contains("filename*=UTF-8''Q3%20report%20%C3%BC.txt");
            }
        }
    }

    @Test
    void in_proxy_mode_a_link_to_a_version_on_s3_streams_through_the_service() throws Exception {
        try (StorageService s3 = service("proxy", "minio")) {
            FileRecord saved = s3.save("ada", "a.txt", BlobContent.ofUtf8("proxied"), SaveOptions.defaults());

            try (LinkRead read = s3.openLink(s3.downloadUrl("ada", saved.id()).token())) {
                assertThat(read.redirect()).isEmpty();
                assertThat(new String(read.read().stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("proxied");
            }
        }
    }

    @Test
    void in_redirect_mode_a_link_to_a_version_on_a_backend_that_cannot_presign_streams_through_the_service()
            throws Exception {
        try (StorageService local = service("redirect", "local")) {
            FileRecord saved = local.save("ada", "a.txt", BlobContent.ofUtf8("local bytes"), SaveOptions.defaults());

            try (LinkRead read = local.openLink(local.downloadUrl("ada", saved.id()).token())) {
                assertThat(saved.backend()).isEqualTo("local");
                assertThat(read.redirect()).isEmpty();
                assertThat(new String(read.read().stream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("local bytes");
            }
        }
    }

    @Test
    void in_redirect_mode_a_link_still_refuses_what_it_refuses_before_any_url_is_made() throws Exception {
        try (StorageService s3 = service("redirect", "minio")) {
            FileRecord saved = s3.save("ada", "a.txt", BlobContent.ofUtf8("gone soon"), SaveOptions.defaults());
            String token = s3.downloadUrl("ada", saved.id()).token();
            s3.delete("ada", saved.id());

            assertKind(org.assertj.core.api.Assertions.catchThrowable(() -> s3.openLink(token)), io.stowage.ErrorKind.NOT_FOUND);
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> s3.openLink(token.substring(1) + "A")))
                    .isInstanceOf(LinkRefusedException.class);
        }
    }
}
